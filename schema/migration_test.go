package schema

import "testing"

func TestParseFileName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		version int
		name    string
		wantErr bool
	}{
		{file: "0001_init.sql", version: 1, name: "init"},
		{file: "0012_outbox_claims.sql", version: 12, name: "outbox_claims"},
		{file: "7_x.sql", version: 7, name: "x"},
		{file: "0000_zero.sql", wantErr: true},
		{file: "init.sql", wantErr: true},
		{file: "0001init.sql", wantErr: true},
		{file: "0001_init.txt", wantErr: true},
	}
	for _, tt := range tests {
		m, err := parseFileName(tt.file)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.file, err, tt.wantErr)
			continue
		}
		if err == nil && (m.Version != tt.version || m.Name != tt.name) {
			t.Errorf("%s: got %d %q, want %d %q", tt.file, m.Version, m.Name, tt.version, tt.name)
		}
	}
}

func TestEmbeddedMigrationsLoad(t *testing.T) {
	t.Parallel()
	all, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 || all[0].Version != 1 {
		t.Fatalf("embedded migrations = %+v, want at least 0001", all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Version <= all[i-1].Version {
			t.Errorf("migrations out of order: %d after %d", all[i].Version, all[i-1].Version)
		}
	}
}
