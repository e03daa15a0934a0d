package onepipesim

import "net/http"

// validate handles POST /v2/transact/validate: the OTP (or validation
// answer) in auth.secure completes a consent that waits for it. A wrong OTP
// fails the consent for good.
func (s *Simulator) validate(req *Request) simReply {
	t, ok := s.txns[req.Transaction.TransactionRef]
	switch {
	case !ok:
		return failReply(http.StatusOK, CodeNotFound, "transaction not found")
	case t.status != StatusWaitingForOTP && t.status != StatusPendingValidation:
		return failReply(http.StatusOK, CodeInvalidState, "transaction is not awaiting validation")
	}
	otp, err := decryptSecure(s.opts.Secret, req.Auth.Secure)
	switch {
	case err != nil:
		return failReply(http.StatusOK, CodeFormat, "auth.secure is not a valid encrypted OTP")
	case otp != s.opts.OTP:
		t.fail(CodeWrongOTP, "Invalid OTP")
	default:
		s.complete(t)
	}
	return t.reply(s.now())
}

// query handles POST /v2/transact/query: the transaction's own answer, with
// its current state in provider_response.transaction_status.
func (s *Simulator) query(req *Request) simReply {
	t, ok := s.txns[req.Transaction.TransactionRef]
	if !ok {
		return failReply(http.StatusOK, CodeNotFound, "transaction not found")
	}
	return t.reply(s.now())
}

// reverse handles POST /v2/transact/reverse: releases a hold, reverses a
// collection. Releasing a hold already released or expired succeeds (nothing
// is held any more); a captured hold cannot be released.
func (s *Simulator) reverse(req *Request) simReply {
	t, ok := s.txns[req.Transaction.TransactionRef]
	if !ok {
		return failReply(http.StatusOK, CodeNotFound, "transaction not found")
	}
	now := s.now()
	switch t.effectiveState(now) {
	case StateHeld:
		t.state = StateReleased
		return okReply(t, now, "Hold released")
	case StateReleased, StateExpired:
		return okReply(t, now, "Hold already released")
	case StateCollected:
		t.state = StateReversed
		return okReply(t, now, "Transaction reversed")
	case StateReversed:
		return okReply(t, now, "Transaction already reversed")
	case StateCaptured:
		return failReply(http.StatusOK, CodeInvalidState, "hold already captured")
	default:
		return failReply(http.StatusOK, CodeInvalidState, "transaction was not completed")
	}
}

// options handles /v2/transact/options: the auth types of this service.
func (s *Simulator) options(*Request) simReply {
	return simReply{status: http.StatusOK, body: Response{Status: string(StatusSuccessful),
		Message: "Options retrieved", Data: ResponseData{ProviderResponseCode: CodeSuccess,
			ProviderResponse: &ProviderResponse{Options: []string{AuthCard, AuthBankAccount, AuthWallet, AuthProviderToken}}}}}
}
