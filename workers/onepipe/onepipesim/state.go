package onepipesim

import (
	"net/http"
	"time"
)

// simTxn is one transaction the simulator knows, by transaction_ref.
type simTxn struct {
	ref         string
	requestType string
	authType    string
	amount      int64
	parent      string
	mobile      string
	status      Status
	code        string
	message     string
	state       string // StatePending, StateHeld, ... (StateExpired is derived)
	reference   string
	token       string // issued by this consent
	usedToken   string // the token this debit used (own token for a consent)
	tokenExpiry time.Time
	holdExpiry  time.Time
}

// simToken is a provider_token issued after consent.
type simToken struct {
	expiry time.Time
}

// effectiveState is t.state with the clock applied: a hold past its expiry
// is Expired.
func (t *simTxn) effectiveState(now time.Time) string {
	if t.state == StateHeld && !now.Before(t.holdExpiry) {
		return StateExpired
	}
	return t.state
}

// fail makes t a failed transaction with code and message.
func (t *simTxn) fail(code, msg string) {
	t.status, t.code, t.message, t.state = StatusFailed, code, msg, StateFailed
}

// reply is the answer describing t (transact, validate and query).
func (t *simTxn) reply(now time.Time) simReply {
	if t.status == StatusFailed {
		rep := failReply(http.StatusOK, t.code, t.message)
		rep.body.Data.ProviderResponse = &ProviderResponse{Reference: t.reference,
			TransactionStatus: StateFailed, Amount: t.amount}
		return rep
	}
	pr := &ProviderResponse{Reference: t.reference, TransactionStatus: t.effectiveState(now), Amount: t.amount}
	if t.token != "" {
		pr.ProviderToken = t.token
		pr.TokenExpiry = formatExpiry(t.tokenExpiry)
	}
	if !t.holdExpiry.IsZero() {
		pr.HoldExpiry = formatExpiry(t.holdExpiry)
	}
	return simReply{status: http.StatusOK, body: Response{Status: string(t.status), Message: t.message,
		Data: ResponseData{ProviderResponseCode: t.code, ProviderResponse: pr}}}
}

// okReply is a Successful answer about t with its current state.
func okReply(t *simTxn, now time.Time, msg string) simReply {
	return simReply{status: http.StatusOK, body: Response{Status: string(StatusSuccessful), Message: msg,
		Data: ResponseData{ProviderResponseCode: CodeSuccess, ProviderResponse: &ProviderResponse{
			Reference: t.reference, TransactionStatus: t.effectiveState(now), Amount: t.amount}}}}
}
