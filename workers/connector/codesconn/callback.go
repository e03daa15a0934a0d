package codesconn

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/paycode"
)

// SignatureHeader carries a payment notification's signature:
// t=<unix seconds>,v1=<hex HMAC-SHA256(callback_secret, "<t>.<body>")>.
const SignatureHeader = "X-Codes-Signature"

// SignatureTolerance is how far a signature's time may be from ours.
const SignatureTolerance = 5 * time.Minute

// Callback is the codes provider's api.ProviderCallback, for
// POST /v1/provider-callbacks/codes?merchant=<merchant id>: a provider
// account's callback URL is configured per account, so it names our
// merchant. The notification must be signed with that merchant's
// callback_secret (its sealed codes credentials) within
// SignatureTolerance; it then makes the internal command payment.record,
// whose id is derived from the merchant and the provider's payment id, so
// that a notification delivered twice is one command.
func Callback(deps connector.Deps) api.ProviderCallback { return callback(deps, time.Now) }

func callback(deps connector.Deps, now func() time.Time) api.ProviderCallback {
	accounts := connector.NewAccounts[Credentials](deps, events.ProviderCodes)
	return func(ctx context.Context, r *http.Request, body []byte) (uuid.UUID, *events.Command, error) {
		mid, err := uuid.Parse(r.URL.Query().Get("merchant"))
		if err != nil {
			return uuid.Nil, nil, refuse(http.StatusNotFound, events.ReasonNotFound, "the callback URL names no merchant (?merchant=<id>)")
		}
		creds, err := accounts.Get(ctx, mid)
		if errors.Is(err, store.ErrNotFound) {
			return uuid.Nil, nil, refuse(http.StatusNotFound, events.ReasonNotFound, "no such merchant with a codes account")
		}
		if err != nil {
			return uuid.Nil, nil, fmt.Errorf("codes callback: %w", err)
		}
		if err := checkSignature(r.Header.Get(SignatureHeader), creds.CallbackSecret, body, now()); err != nil {
			return uuid.Nil, nil, refuse(http.StatusUnauthorized, events.ReasonUnauthorized, err.Error())
		}
		cmd, err := paymentCommand(mid, body)
		if err != nil {
			return uuid.Nil, nil, refuse(http.StatusBadRequest, events.ReasonInvalidRequest, err.Error())
		}
		return mid, cmd, nil
	}
}

func refuse(status int, code, msg string) error {
	return &api.CallbackError{Status: status, Code: code, Message: msg}
}

// checkSignature checks header against body, secret and now. Its errors
// say what is wrong, never the secret or the expected value.
func checkSignature(header, secret string, body []byte, now time.Time) error {
	if secret == "" {
		return errors.New("the merchant's codes account has no callback_secret: unsigned callbacks are refused")
	}
	if header == "" {
		return errors.New("missing " + SignatureHeader)
	}
	ts, sigs := parseSignature(header)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return errors.New(SignatureHeader + " must be t=<unix seconds>,v1=<hex HMAC-SHA256>")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > SignatureTolerance || d < -SignatureTolerance {
		return fmt.Errorf("signature time is more than %s from ours", SignatureTolerance)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	want := mac.Sum(nil)
	for _, s := range sigs {
		if got, err := hex.DecodeString(s); err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("bad signature")
}

// parseSignature splits t=...,v1=...[,v1=...] into the time and the v1
// signatures (several while a secret is rotated).
func parseSignature(header string) (string, []string) {
	var ts string
	var sigs []string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	return ts, sigs
}

// paymentCommand is the payment.record command of a notification body.
func paymentCommand(merchant uuid.UUID, body []byte) (*events.Command, error) {
	n, err := paycode.ParseNotification(body)
	if err != nil {
		return nil, err
	}
	if n.TransactionID == "" {
		return nil, errors.New("paycode: notification: no transactionId")
	}
	data, err := json.Marshal(events.CodePaymentData{
		Code: n.Code, MerchantReference: n.MerchantReference, ProviderPaymentID: n.TransactionID,
		Amount: n.Amount.StringFixed(2), Tip: n.Tip.StringFixed(2), Currency: n.Currency,
		PayerReference: n.RRN, PaidAt: time.UnixMilli(n.PaidAt).UTC(), CodeStatus: n.CodeStatus,
	})
	if err != nil {
		return nil, fmt.Errorf("payment data: %w", err)
	}
	at := time.Now().UTC()
	return &events.Command{SpecVersion: events.SpecVersion, Source: "provider-callback/" + events.ProviderCodes,
		ID: uuid.NewSHA1(merchant, []byte("codes-payment:"+n.TransactionID)).String(), Type: events.PaymentRecord,
		DataContentType: "application/json", Time: &at, Data: data}, nil
}
