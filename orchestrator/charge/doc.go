// Package charge is the charge lifecycle as a pure state machine:
// Decide(state, input, now, policy) returns the next state and the effects to
// carry out, with no I/O and no clock reads.
//
// The ono//connect charge (card present):
//
//	           charge.create
//	                │
//	                ▼            declined / failed
//	            pending ─────────────────────────────► declined | failed
//	  approved │      │ time-out, 504, 5xx (may have happened)
//	           ▼      └───────────────────────┐
//	      authorized ── charge.reject ──────► reversing ── reject ok / 404 ──► reversed
//	           │   └── confirm_deadline ────►    ▲  │
//	charge.confirm                               │  └── 409 / unknown: retry with back-off ≤ 1 h, then failed
//	           ▼                                 │
//	      confirming ── ok ──► confirmed         │
//	           │  409 / unknown: retry with back-off ≤ 1 h, then reverse
//	           └─────────────────────────────────┘
//
// A charge call whose outcome is unknown is never repeated: the charge is
// reversed by its reference (the provider's clientTransactionId), reason
// provider_timeout. Confirm and reject are idempotent at the provider (same
// transaction id), so an unknown outcome of either is retried like a 409.
// A reversal by reference that hears "not found" asks again, with back-off,
// AbsenceChecks times before it concludes the charge never landed: a charge
// whose answer was lost may still reach the provider after the first 404.
// A charge.reject that arrives while the charge call is in flight is
// remembered and carried out as soon as the provider's answer is known.
package charge
