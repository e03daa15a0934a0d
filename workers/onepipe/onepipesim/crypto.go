package onepipesim

import (
	"crypto/cipher"
	"crypto/des" //nolint:gosec // OnePipe mandates TripleDES for auth.secure.
	"crypto/md5" //nolint:gosec // key derivation and signature mandated by OnePipe.
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf16"
)

// The simulator's own implementation of OnePipe's auth.secure decryption and
// request signature, kept apart from the client's (workers/onepipe) so that a
// client whose encryption or signature drifts fails its tests against it.

// Header names OnePipe reads on every call.
const (
	headerAuthorization = "Authorization" // "Bearer <api key>"
	headerSignature     = "Signature"     // hex MD5 of "<request_ref>;<secret>"
)

// errSecure is returned when auth.secure cannot be decrypted.
var errSecure = errors.New("onepipesim: cannot decrypt auth.secure")

// secureKey derives the 24-byte TripleDES key from the client secret: the
// MD5 of the secret encoded as UTF-16LE (16 bytes), followed by its first 8
// bytes again (two-key TripleDES, K1 = K3).
func secureKey(secret string) []byte {
	units := utf16.Encode([]rune(secret))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(b[2*i:], u)
	}
	sum := md5.Sum(b) //nolint:gosec // provider-mandated
	return append(sum[:], sum[:8]...)
}

// decryptSecure decrypts an auth.secure value: base64 (standard) of
// TripleDES-CBC with a zero IV and PKCS#5 padding under secureKey(secret).
// It returns errSecure for anything that is not a well-formed ciphertext
// under this secret.
func decryptSecure(secret, enc string) (string, error) {
	buf, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", errSecure
	}
	blk, err := des.NewTripleDESCipher(secureKey(secret))
	if err != nil {
		return "", errSecure
	}
	bs := blk.BlockSize()
	if len(buf) == 0 || len(buf)%bs != 0 {
		return "", errSecure
	}
	cipher.NewCBCDecrypter(blk, make([]byte, bs)).CryptBlocks(buf, buf)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > bs {
		return "", errSecure
	}
	for _, p := range buf[len(buf)-pad:] {
		if int(p) != pad {
			return "", errSecure
		}
	}
	return string(buf[:len(buf)-pad]), nil
}

// verifySignature reports, in constant time, whether sig is the lower-case
// hex MD5 of request_ref, a semicolon and the secret.
func verifySignature(requestRef, secret, sig string) bool {
	sum := md5.Sum([]byte(requestRef + ";" + secret)) //nolint:gosec // provider-mandated
	want := hex.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(sig)) == 1
}

// formatExpiry writes t in ExpiryLayout (UTC).
func formatExpiry(t time.Time) string { return t.UTC().Format(ExpiryLayout) }
