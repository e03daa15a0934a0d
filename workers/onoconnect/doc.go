// Package onoconnect is the ono//connect (API 2.0.0) connector: a client for
// its charge lifecycle and an in-memory simulator of the same API.
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
// # Simulator
//
// [Simulator] keeps charges in memory (one mutex, maps by transactionId, by
// merchant+clientTransactionId and by clientTransactionId) and is wrapped
// with the shared fault harness (simulator.Wrap). Its lifecycle:
//
//	charge ──► approved ──confirm──► confirmed   (confirm again: 200; reject: 409)
//	   │          └──────reject───► rejected    (reject again: 200; confirm: 409)
//	   └─────► declined                         (confirm: 409; reject: 200, stays declined)
//
// Knobs of its own, besides the harness's /_sim/faults and /_sim/requests:
//
//	GET|POST|DELETE /_sim/config   {"declines":{"1234":"05"},"default_declines":true,
//	                                "confirm_conflicts":2,"transaction_token":""}
//	GET    /_sim/charges/{clientTransactionId}   {"received":1,"status":"approved"}
//	DELETE /_sim/charges                         forget every charge
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
//   - Declines: a configured amountInCents → ISO code table first (a "00"
//     entry approves), then the default rule: amountInCents % 100 == 51 →
//     "51" Not sufficient funds, == 5 → "05" Do not honour. Messages are the
//     ISO 8583 texts.
//   - confirm_conflicts N: every charge created while N is set answers its
//     first N confirms of an approved charge with 409.
//   - loginDevice: X-MerchantId and a "terminal" object are required (400
//     otherwise, the seed lists no 401); the answer's transactionToken is
//     the configured token or "sim_" plus a new id.
//   - ChargeCount counts every POST /v2/charges whose body names the
//     reference, counted before the fault harness (so 5xx, lost, delayed
//     and dropped calls count); Status is that of the latest charge with
//     the reference, over all merchants.
//   - Memory: at most SimOptions.MaxCharges references (default
//     DefaultMaxCharges) are kept; the oldest is forgotten first.
package onoconnect
