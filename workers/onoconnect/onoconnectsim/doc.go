// Package onoconnectsim is an in-memory ono//connect (API 2.0.0): the
// charge, confirm and reject calls of package onoconnect's client, served by
// [Simulator.Handler]. It decodes and encodes requests with its own types,
// never the client's, so that a drift in the client's JSON fails the
// client's tests against it. Production packages do not import it; the
// simulator host (workers/simhost) and tests do.
//
// [Simulator] keeps charges in memory (one mutex, maps by transactionId, by
// merchant+clientTransactionId and by clientTransactionId) and is wrapped
// with the shared fault harness (workers/simulator). Its lifecycle:
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
// # Choices where the seed is silent (the rest are in package onoconnect)
//
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
//   - Memory: at most Options.MaxCharges references (default
//     DefaultMaxCharges) are kept; the oldest is forgotten first.
package onoconnectsim
