package onepipe

import (
	"bytes"
	"crypto/cipher"
	"crypto/des" //nolint:gosec // OnePipe mandates TripleDES for auth.secure.
	"crypto/md5" //nolint:gosec // key derivation mandated by OnePipe.
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"unicode/utf16"
)

// ErrSecure is returned when auth.secure cannot be decrypted.
var ErrSecure = errors.New("onepipe: cannot decrypt auth.secure")

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

func secureCipher(secret string) cipher.Block {
	blk, err := des.NewTripleDESCipher(secureKey(secret))
	if err != nil {
		panic(err) // the key is always 24 bytes
	}
	return blk
}

// EncryptSecure encrypts the plain auth.secure value (e.g. "0001131256;000016"
// for a bank account, an OTP, a provider_token) the way OnePipe expects:
// TripleDES-CBC with a zero IV and PKCS#5 padding, UTF-8 plaintext, key
// derived from the secret by secureKey, base64 (standard) output.
func EncryptSecure(secret, plain string) string {
	blk := secureCipher(secret)
	bs := blk.BlockSize()
	pad := bs - len(plain)%bs
	buf := append([]byte(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(blk, make([]byte, bs)).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// DecryptSecure reverses EncryptSecure. It returns ErrSecure for anything
// that is not a well-formed ciphertext under this secret.
func DecryptSecure(secret, enc string) (string, error) {
	buf, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", ErrSecure
	}
	blk := secureCipher(secret)
	bs := blk.BlockSize()
	if len(buf) == 0 || len(buf)%bs != 0 {
		return "", ErrSecure
	}
	cipher.NewCBCDecrypter(blk, make([]byte, bs)).CryptBlocks(buf, buf)
	pad := int(buf[len(buf)-1])
	if pad == 0 || pad > bs {
		return "", ErrSecure
	}
	for _, p := range buf[len(buf)-pad:] {
		if int(p) != pad {
			return "", ErrSecure
		}
	}
	return string(buf[:len(buf)-pad]), nil
}

// CardSecure is the plain auth.secure of a card: number;cvv;expiry(MMYY);pin.
func CardSecure(number, cvv, expiryMMYY, pin string) string {
	return strings.Join([]string{number, cvv, expiryMMYY, pin}, ";")
}

// BankAccountSecure is the plain auth.secure of a bank account:
// account_number;bank_code (as in the seed's "bank.account;bankcode").
func BankAccountSecure(accountNumber, bankCode string) string {
	return accountNumber + ";" + bankCode
}
