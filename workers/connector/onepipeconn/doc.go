// Package onepipeconn is the OnePipe connector (the "hold funds" service).
// New builds, per merchant, an onepipe.Client from the --onepipe-url base
// URL and the merchant's sealed provider account
// {"api_key": "...", "secret": "..."} (the API key is the bearer token, the
// secret signs every request and encrypts auth.secure), and keeps it; the
// connector's Prepare loads the account, so a merchant without one fails
// before anything is recorded as sent.
//
// It registers no operation yet: the consent → hold → release lifecycle
// (issue #8's follow-ups) brings them. Each will declare the rule below,
// which comes from the provider (shared seed 004 and package onepipe):
//
//	operation  call                            recovery
//	consent    Consent (/transact)             QueryFirst
//	validate   Validate (/transact/validate)   QueryFirst
//	hold       Hold (/transact)                QueryFirst
//	capture    Capture (/transact, collect)    QueryFirst
//	release    Release (/transact/reverse)     Repeat
//
// QueryFirst, the OnePipe way: an operation's transaction_ref and
// request_ref are derived from the transaction and the operation (never
// from the attempt). When an earlier attempt was recorded as sent, Recover
// asks Query by that transaction_ref with a fresh request_ref (OnePipe
// answers a request_ref it has seen with its first answer, whatever the
// body, so a query reusing the call's request_ref would get the call's
// answer back, not the transaction's state):
//
//   - found: its status is the result (Successful, WaitingForOTP,
//     PendingValidation, or its own decline);
//   - code 25, not found (onepipe.ErrNotFound): it never arrived; Recover
//     makes the call again with its original request_ref and
//     transaction_ref (a duplicate transaction_ref is refused with code 94,
//     so this can never hold twice);
//   - anything else (time-out, 502/503/504): unknown, asked again on the
//     next claim.
//
// Release is Repeat: releasing a released or expired hold answers
// Successful.
package onepipeconn
