// Package consent is the consent lifecycle (contract §3 consent / hold,
// provider onepipe): a customer's consent, asked with a small verification
// hold, to have funds held later with the provider's token.
//
// Decide is the pure state machine: it returns the consent's next state and
// the effects to carry out, with no I/O and no clock reads. Lifecycle
// registers it, and seals what the machine never sees (the auth, the OTP,
// the provider token).
//
//	consent.create ──► pending ── Call consent (hold_funds of the verification amount)
//	pending ── WaitingForOTP ──────► awaiting_otp        (the prompt in reason.message)
//	        ── PendingValidation ──► awaiting_validation (the prompt in reason.message)
//	        ── Successful ─────────► granted
//	        ── declined ───────────► failed (provider_declined, with the provider's code)
//	        ── failed, not found ──► failed (provider_error)
//	awaiting_otp | awaiting_validation ── consent.validate ──► pending ── Call validate
//	        (pending again while the provider checks the answer: Prefer: wait
//	        waits for the outcome)
//	        ── Successful ─────────► granted
//	        ── declined (a wrong OTP) ─► failed (provider_declined, the provider's code)
//	        ── asked again ────────► awaiting_*, at most Policy.OTPAttempts (3) answers,
//	                                 then failed
//	pending, validating ── unknown, retry later ──► same status, retry timer; its
//	        call queries the provider first (effect.Call.Recover)
//	granted ── Call release of the verification hold (Repeat): released, or
//	        retried on the release timer (Policy.ReleaseAttempts), then left
//	        failed for an operator; the consent stays granted either way.
//
// consent.validate is taken only while the consent awaits the customer
// (awaiting_otp, awaiting_validation); otherwise, a validation in flight
// included, it is invalid_state.
//
// Secrets (none is ever shown, logged or published):
//   - the auth (card, bank account or wallet) is sealed at create under
//     DetailAuth (purpose PurposeAuth) and dropped once the consent is
//     granted or failed; Auth opens it for the connector;
//   - the OTP (or value) of consent.validate is sealed under DetailOTP
//     (PurposeOTP) while the validate call is awaited, dropped when its
//     answer is known; OTP opens it;
//   - the provider token, from the granting Result.Secret, is sealed under
//     DetailProviderToken (PurposeProviderTok); ProviderToken opens it for
//     a hold's calls. token_expires_at comes in Result.Data as
//     {"token_expires_at": RFC 3339} and is shown.
//
// The consent shows its auth masked (a card's BIN, last 4 and expiry; an
// account's last 4) as payment_method.
package consent
