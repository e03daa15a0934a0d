package onepipesim

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// The simulator's decryption against the same openssl-made vectors the
// client's encryption is checked with (workers/onepipe/testdata).
func TestDecryptSecureVectors(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../testdata/secure-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct{ Secret, Plain, Secure string }
	if err := json.Unmarshal(b, &vs); err != nil || len(vs) == 0 {
		t.Fatalf("vectors: %v (%d)", err, len(vs))
	}
	for _, v := range vs {
		if got, err := decryptSecure(v.Secret, v.Secure); err != nil || got != v.Plain {
			t.Errorf("decryptSecure(%q) = %q, %v, want %q", v.Secure, got, err, v.Plain)
		}
	}
	for _, in := range []string{"", "not base64!", "AAAA", vs[0].Secure[:len(vs[0].Secure)-1] + "B"} {
		if _, err := decryptSecure(vs[0].Secret, in); !errors.Is(err, errSecure) {
			t.Errorf("decryptSecure(%q) err = %v, want errSecure", in, err)
		}
	}
}

func TestVerifySignatureVector(t *testing.T) {
	t.Parallel()
	// printf 'ref-1;s3cr3t' | md5sum
	const sig = "e6e53d88cf5cc8b107856cf7601f9e9d"
	if !verifySignature("ref-1", "s3cr3t", sig) || verifySignature("ref-2", "s3cr3t", sig) {
		t.Fatal("verifySignature disagrees with the md5sum vector")
	}
}
