package codesconn

import (
	"testing"
	"time"
)

// TestSignatureVector: a known-good vector, computed outside Go (Python's
// hmac.new(secret, b"<t>." + body, hashlib.sha256).hexdigest()), and the
// same header with one character changed in each part.
func TestSignatureVector(t *testing.T) {
	t.Parallel()
	const (
		secret = "whsec-codes-test"
		body   = `{"type":"code.paid","transactionId":"pay-1","code":"8227541409"}`
		header = "t=1795867200,v1=cdeb4059853662df66d259ac57a887aef7ebd6026295eb71554762647e10cf0e"
	)
	now := time.Date(2026, 11, 28, 12, 0, 30, 0, time.UTC)
	if err := checkSignature(header, secret, []byte(body), now); err != nil {
		t.Fatalf("known-good vector refused: %v", err)
	}
	for _, bad := range []string{
		"t=1795867201,v1=cdeb4059853662df66d259ac57a887aef7ebd6026295eb71554762647e10cf0e",
		"t=1795867200,v1=cdeb4059853662df66d259ac57a887aef7ebd6026295eb71554762647e10cf0f",
		"t=1795867200,v0=cdeb4059853662df66d259ac57a887aef7ebd6026295eb71554762647e10cf0e",
	} {
		if err := checkSignature(bad, secret, []byte(body), now); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := checkSignature("t=1795867200,v1=00,v1=cdeb4059853662df66d259ac57a887aef7ebd6026295eb71554762647e10cf0e",
		secret, []byte(body), now); err != nil {
		t.Errorf("a header with two v1 (rotation), one good, refused: %v", err)
	}
}
