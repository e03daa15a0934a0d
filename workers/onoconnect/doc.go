// Package onoconnect is the ono//connect (API 2.0.0) connector: a client for
// its charge lifecycle. The in-memory simulator of the same API is package
// onoconnectsim; this package does not import it.
//
// # Client
//
// [Client] speaks POST /v2/charges, /v2/charges/{transactionId}/confirm,
// /v2/charges/{transactionId}/reject and
// /v2/charges/byClientTransactionId/{clientTransactionId}/reject, with the
// X-MerchantId and X-TransactionToken headers, through a provider.Caller
// (a time-out on every call). Failures come back as *provider.Error:
//
//	Charge   200 + isoResponseCode "00"      → (resp, nil)
//	         200 + any other code             → (resp, KindDeclined, Code = isoResponseCode)
//	         4xx (400, 401, ...)              → KindFailed
//	         5xx (500 too), time-out, reset,  → KindUnknown: never repeat the charge,
//	         unreadable 200                      reverse it with RejectByReference
//	Confirm  200 → nil (also when already confirmed); 409 → KindRetryLater;
//	Reject   404 → KindFailed Code "not_found"; other 4xx → KindFailed;
//	         5xx, time-out, reset → KindUnknown
//
// A 404 from RejectByReference means the charge never landed: nothing to
// reverse.
//
// # Choices where the seed is silent, ambiguous or garbled
//
//   - Reject by reference: the seed's path is missing; we use
//     POST /v2/charges/byClientTransactionId/{clientTransactionId}/reject.
//     Its request body is shown (copied from reject) with a required
//     transactionId the caller by definition does not have: the client sends
//     {"clientTransactionId": ...}; the simulator accepts any JSON object or
//     an empty body.
//   - Confirm/reject bodies: the client always sends transactionId; the
//     simulator accepts an empty body or one without it, but a transactionId
//     that differs from the path's is a 400.
//   - A 200 charge is approved only when isoResponseCode is "00"
//     (chargeResult is informative). A 200 without transactionId or
//     isoResponseCode is treated as unknown.
//   - Charge 500: the seed says "do not retry" without saying nothing
//     happened, so the client treats it as unknown, like 502/503/504.
//     Other 4xx statuses than 400/401 are failed, other non-200 statuses
//     unknown. Confirm/reject 5xx are unknown too (both are idempotent).
//   - Duplicate clientTransactionId for the same merchant: 400 with error
//     "duplicate_reference" (KindFailed); the first charge is untouched. The
//     same reference under another merchant is a different charge.
//   - Reject of a declined charge answers 200 and the charge stays
//     "declined" (no money moved, nothing to reverse). Confirm of a declined
//     charge answers 409 (not in a confirmable state).
//   - A charge, confirm or reject for another merchant's transaction is 404.
//   - Error bodies are not in the seed; the simulator sends
//     {"error":"<code>","message":"<text>"} and the client copies error (or
//     code) and message into provider.Error when present.
//   - Authentication: X-MerchantId and X-TransactionToken must be non-empty;
//     any token is accepted unless one is configured. X-MerchantId is not
//     checked to be a UUID. The body's merchantId must equal X-MerchantId
//     (400 otherwise, "not linked to a merchant").
//   - Validation (400): amountInCents > 0, currency three letters (any case:
//     the sample uses "zar"), clientTransactionId 1..128 bytes,
//     paymentMethodInfo, deviceInfo and appInfo JSON objects; their contents
//     are not checked, and never echoed or logged unmasked.
package onoconnect
