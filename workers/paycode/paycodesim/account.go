package paycodesim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// SignatureHeader carries a notification's signature when its account has a
// callback secret.
const SignatureHeader = "X-Codes-Signature"

// AccountCallback is where one account's (login's) payment notifications go
// and the secret that signs them ("" = unsigned).
type AccountCallback struct {
	URL    string `json:"callback_url"`
	Secret string `json:"callback_secret,omitempty"`
}

// SetAccountCallback sends the notifications of codes created by username
// to url, signed with secret ("" = unsigned); an empty url removes the
// account's own callback (the simulator-wide URL applies again).
func (s *Simulator) SetAccountCallback(username, url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if url == "" {
		delete(s.accounts, username)
		return
	}
	s.accounts[username] = AccountCallback{URL: url, Secret: secret}
}

// callbackFor is where a payment on a code of username is notified, and
// the secret signing it. Callers hold s.mu.
func (s *Simulator) callbackFor(username string) AccountCallback {
	if a, ok := s.accounts[username]; ok {
		return a
	}
	return AccountCallback{URL: s.callback}
}

// sign is the SignatureHeader value for body at at:
// t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
func sign(secret string, at time.Time, body []byte) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}
