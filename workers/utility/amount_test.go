package utility

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

func TestLedgerAmountConversion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		major    string
		currency string
		minor    int64
		wantErr  bool
	}{
		{"123.45", "ZAR", 12345, false},
		{"0.1", "710", 10, false},
		{"100", "JPY", 100, false},
		{"1.234", "KWD", 1234, false},
		{"0.29", "USD", 29, false}, // 0.29 is not exact in float64
		{"1.005", "ZAR", 0, true},  // never rounded
		{"1.5", "JPY", 0, true},
		{"10", "XXX", 0, true},
	}
	for _, tt := range tests {
		a, err := NewLedgerAmount(decimal.RequireFromString(tt.major), tt.currency)
		if (err != nil) != tt.wantErr || a.Amount != tt.minor {
			t.Errorf("NewLedgerAmount(%s %s) = %+v, %v", tt.major, tt.currency, a, err)
			continue
		}
		if tt.wantErr {
			continue
		}
		back, err := a.Major()
		if err != nil || !back.Equal(decimal.RequireFromString(tt.major)) {
			t.Errorf("Major(%+v) = %s, %v", a, back, err)
		}
	}
}

func TestAmountWireFormat(t *testing.T) {
	t.Parallel()
	var a LedgerAmount
	if err := json.Unmarshal([]byte(`{"amount":12.5,"currency":"ZAR"}`), &a); err == nil {
		t.Fatal("fractional minor amount accepted")
	}
	tok := Token{TokenType: TokenStandard, Units: NewNumber(decimal.RequireFromString("12.3")), Token: "1"}
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"tokenType":"STD","units":12.3,"token":"1"}`; string(b) != want {
		t.Fatalf("token JSON = %s, want %s", b, want)
	}
	var back Token
	if err := json.Unmarshal([]byte(`{"units":"0.1","tariffCalc":[{"units":1e2,"rate":2.5}]}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.Units.String() != "0.1" || back.TariffCalc[0].Units.String() != "100" {
		t.Fatalf("decoded %+v", back)
	}
}
