// Package onepipeconn is the OnePipe connector (the "hold funds" service).
// New builds, per merchant, an onepipe.Client from the --onepipe-url base
// URL and the merchant's sealed provider account
// {"api_key": "...", "secret": "..."} (the API key is the bearer token, the
// secret signs every request and encrypts auth.secure), and keeps it; the
// connector's Prepare loads the account, so a merchant without one fails
// before anything is recorded as sent. Declaration is what it can do:
// consents and holds (lifecycles orchestrator/consent and
// orchestrator/hold), no charge.
//
// Its operations, and the rule each declares, which comes from the
// provider (shared seed 004 and package onepipe):
//
//	operation  on         call                                   names              recovery
//	consent    a consent  Consent (/transact, hold_funds)        the consent's ref  QueryFirst
//	validate   a consent  Validate (/transact/validate)          the consent's ref  QueryFirst
//	release    a consent  Release (/transact/reverse)            the consent's ref  Repeat
//	hold       a hold     Hold (/transact, hold_funds, token)    the hold's ref     QueryFirst
//	capture    a hold     Capture (/transact, collect, parent)   its own ref        QueryFirst
//	release    a hold     Release (/transact/reverse)            the hold's ref     Repeat
//
// Refs: a consent's ref is TransactionRef(id, "consent"), a hold's
// TransactionRef(id, "hold"), a capture's TransactionRef(id, "capture");
// every operation's request_ref is RequestRef(transaction id, op); none is
// derived from the attempt. A repeat is answered by OnePipe with the first answer
// (it keeps answers by request_ref) and acts once, and a second
// transaction under one transaction_ref is refused (code 94). A capture
// names the hold's ref as transaction_ref_parent.
//
// What each call reads, at the moment it is made, and nothing else:
//
//   - consent: t.Amount (the verification amount), the auth the consent
//     lifecycle sealed (details "auth_sealed", purpose "onepipe.auth",
//     AuthDetails JSON), the customer (details "customer", optional);
//   - validate: the OTP it sealed (details "otp_sealed", "onepipe.otp");
//   - hold: t.Amount and the provider token of its consent, the row
//     t.ParentID names (details "provider_token_sealed",
//     "onepipe.provider_token");
//   - capture: the amount the hold lifecycle wrote (details "capture",
//     {"amount": "<decimal>"}) and the consent's token.
//
// auth.secure (the TripleDES of the auth, the OTP or the token under the
// merchant's secret) is computed by the client for each call and kept
// nowhere; the provider-call record redacts secure, otp and provider_token
// (provider.Redact). A call whose transaction lacks what it needs never
// could be made: Failed, nothing sent, with code invalid_auth,
// otp_unavailable, token_unavailable or invalid_capture.
//
// Results (outcome.go, the one table):
//
//	Successful                 OK; a token comes back as Result.Secret (never Data),
//	                           Data {"token_expires_at"} (consent, validate),
//	                           {"hold_expires_at"} (hold), {"transaction_status"} (release)
//	WaitingForOTP              OK, Code "WaitingForOTP", the provider's prompt as Message
//	PendingValidation          OK, Code "PendingValidation", the prompt as Message
//	Failed                     Declined, the provider's code (55 wrong OTP, 54 expired, ...)
//	Failed 94 to a call        answered by the query (an earlier attempt exists)
//	refused, 4xx, 500          Failed (nothing happened)
//	time-out, reset, 502-504,
//	unreadable answer          Unknown
//
// QueryFirst, the OnePipe way: when an earlier attempt was recorded as
// sent, Recover asks Query by the operation's transaction_ref with a fresh
// request_ref of its own (OnePipe answers a request_ref it has seen with its
// first answer, whatever the body, so a query reusing the call's
// request_ref would get the call's answer back, not the transaction's
// state):
//
//   - found: its status is the result, as above (a validate's query names
//     the consent: still WaitingForOTP or PendingValidation means the
//     validate never arrived, and it is made);
//   - code 25, not found (onepipe.ErrNotFound): it never arrived; Recover
//     makes the call with its original request_ref and transaction_ref;
//   - anything else (time-out, 5xx, a query refused): unknown, asked again
//     on the next claim.
//
// Release is Repeat: releasing a released or expired hold answers
// Successful (transaction_status Released or Expired); a captured hold
// cannot be released (Declined 12).
package onepipeconn
