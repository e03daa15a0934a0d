// Package charge is the charge lifecycle as a pure state machine:
// Decide(state, input, now, policy) returns the next state and the effects to
// carry out, with no I/O and no clock reads.
//
// The ono//connect charge (card present):
//
//	           charge.create
//	                │    charge.reject before the call was sent
//	                │    (the unsent call is cancelled) ─────────► reversed
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
//	           │  refused (400, 401, 404): reverse     │
//	           └─────────────────────────────────┘
//
//	  reversed | failed ── a late approval of the charge ──► reversing (late_success, by id)
//
// A charge call whose outcome is unknown is never repeated: the charge is
// reversed by its reference (the provider's clientTransactionId), reason
// provider_timeout. Confirm and reject are idempotent at the provider (same
// transaction id), so an unknown outcome of either is retried like a 409.
// A reversal by reference that hears "not found" asks again after each of
// Policy.AbsenceDelays (default 5s, 30s, 2m) before it concludes the charge
// never landed: a charge whose answer was lost may still reach the provider
// after the first 404. If it lands even later, its approval (reported by
// the worker that made the call) moves the charge back to reversing, reason
// late_success, and it is reversed by the provider's id.
// A charge.reject that arrives before the call was sent cancels it: the
// charge ends reversed (merchant_rejected) with no provider call. One that
// arrives while the call is in flight is remembered and carried out as soon
// as the provider's answer is known.
package charge
