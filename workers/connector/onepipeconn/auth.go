package onepipeconn

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchyard/switchyard/workers/onepipe"
)

// AuthDetails is a consent's auth as the consent lifecycle seals it
// (details "auth_sealed"): one of
//
//	{"type":"card","number":"...","cvv":"...","expiry_month":12,"expiry_year":2026,"pin":"..."}
//	{"type":"bank.account","account_number":"...","bank_code":"..."}
//	{"type":"wallet","wallet_id":"..."}
//
// It is opened for one call, turned into auth.secure's plain text and
// encrypted by the client; it is never logged or kept.
type AuthDetails struct {
	Type          string `json:"type"`
	CardNumber    string `json:"number,omitempty"`
	CVV           string `json:"cvv,omitempty"`
	ExpiryMonth   int    `json:"expiry_month,omitempty"`
	ExpiryYear    int    `json:"expiry_year,omitempty"` // two or four digits
	PIN           string `json:"pin,omitempty"`
	AccountNumber string `json:"account_number,omitempty"`
	BankCode      string `json:"bank_code,omitempty"`
	WalletID      string `json:"wallet_id,omitempty"`
}

// String hides every value but the type.
func (a AuthDetails) String() string { return "onepipeconn.AuthDetails{" + a.Type + ", ***}" }

// secureOf reads sealed auth JSON and returns its auth.type and the plain
// auth.secure OnePipe specifies for it (see package onepipe). An auth that
// cannot be read or lacks a field is refused: it never could be sent.
func secureOf(raw []byte) (authType, plain string, err error) {
	var a AuthDetails
	if err := json.Unmarshal(raw, &a); err != nil {
		return "", "", refuse(codeInvalidAuth, "the consent's auth is not readable JSON")
	}
	switch a.Type {
	case onepipe.AuthCard:
		if a.ExpiryMonth < 1 || a.ExpiryMonth > 12 || a.ExpiryYear <= 0 {
			return "", "", refuse(codeInvalidAuth, "card: expiry_month and expiry_year are required")
		}
		mmyy := fmt.Sprintf("%02d%02d", a.ExpiryMonth, a.ExpiryYear%100)
		return a.Type, onepipe.CardSecure(a.CardNumber, a.CVV, mmyy, a.PIN), required(a.Type, a.CardNumber, a.CVV, a.PIN)
	case onepipe.AuthBankAccount:
		return a.Type, onepipe.BankAccountSecure(a.AccountNumber, a.BankCode), required(a.Type, a.AccountNumber, a.BankCode)
	case onepipe.AuthWallet:
		return a.Type, a.WalletID, required(a.Type, a.WalletID)
	}
	return "", "", refuse(codeInvalidAuth, fmt.Sprintf("auth type %q: want card, bank.account or wallet", a.Type))
}

// required refuses an auth of typ with an empty field (or one holding the
// secure field separator).
func required(typ string, fields ...string) error {
	for _, f := range fields {
		if strings.TrimSpace(f) == "" || strings.Contains(f, ";") {
			return refuse(codeInvalidAuth, typ+": a required field is missing or malformed")
		}
	}
	return nil
}
