package onepipeconn

import (
	"encoding/json"
	"time"

	"github.com/switchyard/switchyard/workers/onepipe"
)

// Data is what an OK result returns for the lifecycle to keep, as JSON;
// never a secret (the provider token is the result's Secret):
//
//	consent, validate (granted)  {"token_expires_at": RFC 3339}
//	hold                         {"hold_expires_at": RFC 3339}
//	release                      {"transaction_status": "Released" | "Expired" | "Reversed"}
type Data struct {
	TokenExpiresAt    *time.Time `json:"token_expires_at,omitempty"`
	HoldExpiresAt     *time.Time `json:"hold_expires_at,omitempty"`
	TransactionStatus string     `json:"transaction_status,omitempty"`
}

// dataOf is op's Data for an answer; nil when it has none.
func dataOf(op string, res *onepipe.Result) json.RawMessage {
	var d Data
	if grants(op) && res.ProviderToken != "" && !res.TokenExpiry.IsZero() {
		d.TokenExpiresAt = utc(res.TokenExpiry)
	}
	if op == OpHold && !res.HoldExpiry.IsZero() {
		d.HoldExpiresAt = utc(res.HoldExpiry)
	}
	if op == OpRelease {
		d.TransactionStatus = res.TransactionStatus
	}
	if d == (Data{}) {
		return nil
	}
	b, _ := json.Marshal(d) // times and a string: cannot fail
	return b
}

func utc(t time.Time) *time.Time {
	u := t.UTC()
	return &u
}
