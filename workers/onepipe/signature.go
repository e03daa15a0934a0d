package onepipe

import (
	"crypto/md5" //nolint:gosec // OnePipe's signature scheme is MD5; not our choice.
	"crypto/subtle"
	"encoding/hex"
)

// Header names OnePipe reads on every call.
const (
	HeaderAuthorization = "Authorization" // "Bearer <api key>"
	HeaderSignature     = "Signature"     // hex MD5 of "<request_ref>;<secret>"
)

// Signature is the value of the Signature header for a request: the
// lower-case hex MD5 of request_ref, a semicolon and the client secret.
func Signature(requestRef, secret string) string {
	sum := md5.Sum([]byte(requestRef + ";" + secret)) //nolint:gosec // provider-mandated
	return hex.EncodeToString(sum[:])
}

// VerifySignature reports whether sig is the signature of requestRef under
// secret, in constant time.
func VerifySignature(requestRef, secret, sig string) bool {
	want := Signature(requestRef, secret)
	return subtle.ConstantTimeCompare([]byte(want), []byte(sig)) == 1
}
