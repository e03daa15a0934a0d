package onepipe

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/shopspring/decimal"
)

// The vectors were made with openssl enc -des-ede3-cbc, key = secureKey(secret),
// zero IV, independent of this code.
func TestSecureVectors(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/secure-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct{ Secret, Plain, Secure string }
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if got := EncryptSecure(v.Secret, v.Plain); got != v.Secure {
			t.Errorf("EncryptSecure(%q) = %q, want %q", v.Plain, got, v.Secure)
		}
		if got, err := DecryptSecure(v.Secret, v.Secure); err != nil || got != v.Plain {
			t.Errorf("DecryptSecure(%q) = %q, %v", v.Secure, got, err)
		}
	}
}

func TestDecryptSecureRejects(t *testing.T) {
	t.Parallel()
	good := EncryptSecure("a", "123456")
	for _, in := range []string{"", "not base64!", "AAAA", good[:len(good)-1] + "B"} {
		if _, err := DecryptSecure("a", in); !errors.Is(err, ErrSecure) {
			t.Errorf("DecryptSecure(%q) err = %v, want ErrSecure", in, err)
		}
	}
}

func TestSignatureVector(t *testing.T) {
	t.Parallel()
	// printf 'ref-1;s3cr3t' | md5sum
	const want = "e6e53d88cf5cc8b107856cf7601f9e9d"
	if got := Signature("ref-1", "s3cr3t"); got != want {
		t.Fatalf("Signature = %s, want %s", got, want)
	}
	if !VerifySignature("ref-1", "s3cr3t", want) || VerifySignature("ref-2", "s3cr3t", want) {
		t.Fatal("VerifySignature disagrees with Signature")
	}
}

func TestToMinor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"1", 100, false},
		{"1.00", 100, false},
		{"100.50", 10050, false},
		{"0.01", 1, false},
		{"10000", 1000000, false},
		{"92233720368547758.07", 9223372036854775807, false},
		{"92233720368547758.08", 0, true},
		{"1.005", 0, true},
		{"0", 0, true},
		{"-1.00", 0, true},
	}
	for _, tt := range tests {
		got, err := ToMinor(decimal.RequireFromString(tt.in))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ToMinor(%s) = %d, %v; want %d, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrAmount) {
			t.Errorf("ToMinor(%s) err %v is not ErrAmount", tt.in, err)
		}
		if err == nil && !FromMinor(got).Equal(decimal.RequireFromString(tt.in)) {
			t.Errorf("FromMinor(%d) = %s", got, FromMinor(got))
		}
	}
}
