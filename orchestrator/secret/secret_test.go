package secret

import (
	"bytes"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("4111111111111111"))
	if bytes.Contains(sealed, []byte("4111")) {
		t.Fatal("sealed value shows the plain text")
	}
	plain, err := s.Open(sealed)
	if err != nil || string(plain) != "4111111111111111" {
		t.Fatalf("open: %q %v", plain, err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open(sealed); err == nil {
		t.Fatal("a tampered value opened")
	}
	if _, err := NewSealer(key[:10]); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestAPIKeyHash(t *testing.T) {
	k, h := NewAPIKey()
	if !bytes.Equal(HashAPIKey(k), h) || len(k) < 30 {
		t.Fatalf("key %q", k)
	}
	k2, _ := NewAPIKey()
	if k == k2 {
		t.Fatal("two keys alike")
	}
}
