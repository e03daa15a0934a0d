package onepipesim

import (
	"net/http"
	"strings"
)

// transact handles POST /v2/transact: consent (card, bank.account, wallet),
// hold or collect with a provider_token, and capture (collect whose parent
// is a hold).
func (s *Simulator) transact(req *Request) simReply {
	tr := req.Transaction
	if _, dup := s.txns[tr.TransactionRef]; dup {
		return failReply(http.StatusOK, CodeDuplicate, "duplicate transaction_ref")
	}
	if req.RequestType != RequestCollect && req.RequestType != RequestHoldFunds {
		return failReply(http.StatusOK, CodeNotPermitted, "request_type must be collect or hold_funds")
	}
	t := &simTxn{ref: tr.TransactionRef, requestType: req.RequestType, authType: req.Auth.Type,
		amount: tr.Amount, parent: tr.TransactionRefParent, reference: s.newID(), state: StatePending}
	if tr.Customer != nil {
		t.mobile = tr.Customer.MobileNo
	}
	s.txns[t.ref] = t
	switch {
	case tr.Amount <= 0:
		t.fail(CodeInvalidAmount, "transaction.amount must be a positive number of minor units")
	case req.Auth.Type == AuthCard || req.Auth.Type == AuthBankAccount || req.Auth.Type == AuthWallet:
		s.consent(t, req.Auth.Secure)
	case req.Auth.Type == AuthProviderToken && t.parent != "" && t.requestType == RequestCollect:
		s.capture(t, req.Auth.Secure)
	case req.Auth.Type == AuthProviderToken:
		s.tokenDebit(t, req.Auth.Secure)
	default:
		t.fail(CodeNotPermitted, "auth.type not supported: use card, bank.account, wallet or provider_token")
	}
	return t.reply(s.now())
}

// secureFields is how many ';'-separated fields each consent auth.type takes.
var secureFields = map[string]int{AuthCard: 4, AuthBankAccount: 2, AuthWallet: 1}

// consent checks the customer's details and asks for the OTP (or validation),
// unless OTP override is on.
func (s *Simulator) consent(t *simTxn, secure string) {
	plain, err := decryptSecure(s.opts.Secret, secure)
	if err != nil || !wellFormed(plain, secureFields[t.authType]) {
		t.fail(CodeFormat, "auth.secure is not a valid encrypted "+t.authType)
		return
	}
	if t.amount%100 == 51 {
		t.fail(CodeInsufficientFunds, "Insufficient funds")
		return
	}
	switch {
	case s.opts.OTPOverride:
		s.complete(t)
	case s.opts.ConsentStatus == StatusPendingValidation:
		t.status, t.code, t.message = StatusPendingValidation, CodePendingValidation,
			"Please enter the validation code sent to you"
	default:
		t.status, t.code, t.message = StatusWaitingForOTP, CodeWaitingForOTP,
			"Please enter the OTP sent to "+maskMobile(t.mobile)
	}
}

func wellFormed(plain string, fields int) bool {
	parts := strings.Split(plain, ";")
	if fields == 0 || len(parts) != fields {
		return false
	}
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			return false
		}
	}
	return true
}

func maskMobile(m string) string {
	if len(m) < 8 {
		return "your phone"
	}
	return m[:6] + strings.Repeat("*", len(m)-8) + m[len(m)-2:]
}

// complete makes a consent Successful: a provider_token, and for hold_funds a
// hold of the consent amount.
func (s *Simulator) complete(t *simTxn) {
	now := s.now()
	t.status, t.code, t.message = StatusSuccessful, CodeSuccess, "Transaction processed successfully"
	t.token = "tok-" + s.newID()
	t.tokenExpiry = now.Add(s.opts.TokenTTL)
	t.usedToken = t.token
	s.tokens[t.token] = &simToken{expiry: t.tokenExpiry}
	s.settle(t)
}

// settle records a successful debit: a hold (hold_funds) or a collection.
func (s *Simulator) settle(t *simTxn) {
	t.status, t.code, t.message = StatusSuccessful, CodeSuccess, "Transaction processed successfully"
	if t.requestType == RequestHoldFunds {
		t.state = StateHeld
		t.holdExpiry = s.now().Add(s.opts.HoldTTL)
		return
	}
	t.state = StateCollected
}

// token decrypts and checks a provider_token; it fails t and returns "" when
// the token is unknown or expired.
func (s *Simulator) token(t *simTxn, secure string) string {
	tok, err := decryptSecure(s.opts.Secret, secure)
	if err != nil {
		t.fail(CodeFormat, "auth.secure is not a valid encrypted provider_token")
		return ""
	}
	rec, ok := s.tokens[tok]
	switch {
	case !ok:
		t.fail(CodeInvalidToken, "Invalid provider_token")
		return ""
	case !s.now().Before(rec.expiry):
		t.fail(CodeExpired, "provider_token has expired")
		return ""
	}
	return tok
}

// tokenDebit places a hold (hold_funds) or collects (collect) with a token.
func (s *Simulator) tokenDebit(t *simTxn, secure string) {
	if t.usedToken = s.token(t, secure); t.usedToken == "" {
		return
	}
	if t.amount%100 == 51 {
		t.fail(CodeInsufficientFunds, "Insufficient funds")
		return
	}
	s.settle(t)
}

// capture collects from the parent hold: at most its amount, while it is
// held and not expired, with the token it was placed with.
func (s *Simulator) capture(t *simTxn, secure string) {
	tok, err := decryptSecure(s.opts.Secret, secure)
	if err != nil {
		t.fail(CodeFormat, "auth.secure is not a valid encrypted provider_token")
		return
	}
	h, ok := s.txns[t.parent]
	now := s.now()
	switch {
	case !ok:
		t.fail(CodeNotFound, "transaction_ref_parent not found")
	case h.requestType != RequestHoldFunds || h.status != StatusSuccessful:
		t.fail(CodeInvalidState, "transaction_ref_parent is not a hold")
	case h.effectiveState(now) == StateExpired:
		t.fail(CodeExpired, "hold has expired")
	case h.state != StateHeld:
		t.fail(CodeInvalidState, "hold is "+strings.ToLower(h.state))
	case tok != h.usedToken:
		t.fail(CodeInvalidToken, "provider_token does not match the hold")
	case t.amount > h.amount:
		t.fail(CodeInvalidAmount, "amount exceeds the held amount")
	default:
		h.state = StateCaptured
		t.status, t.code, t.message, t.state = StatusSuccessful, CodeSuccess, "Transaction processed successfully", StateCollected
	}
}
