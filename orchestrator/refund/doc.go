// Package refund is the refund lifecycle: a refund is a child transaction
// of a charge, and the orchestrator, not the merchant, decides how the
// money goes back. The decisions are pure functions: Start(charge,
// provider, amount) and Decide(family, provider, input, now, policy) return
// the refund's next state, the charge's changed facts (status, refunded and
// reserved amounts) and the effects to carry out, with no I/O and no clock
// reads. Lifecycle registers them with the engine, which locks the charge
// before the refund and writes both, with the charge's event when its
// status moved, in one commit.
//
// They branch on what the charge's provider declares (lifecycle.Provider:
// Void, Refund, ReleaseAuthorized), never on its name:
//
//	refund.create ──(charge succeeded, all of it, provider voids)──────────► voiding
//	      │  ──────(charge succeeded, in part; or provider cannot void)────► deferred
//	      │  ──────(charge settled / partially refunded)───────────────────► refunding
//	      │  ──────(charge authorized, all of it, provider releases)───────► voiding
//	      └──────── anything else: command.rejected (nothing changes)
//
//	deferred  ── ParentSettled (charge settled) ─────────────────────────► refunding
//	voiding   ── void ok ──────────────────────────────► succeeded (method void; charge voided)
//	          ── BatchHasBeenClosed (charge → settled) ─► refunding
//	refunding ── refund ok ────────────────────────────► succeeded (method refund; charge
//	          │                                          refunded or partially_refunded)
//	          ── BatchHasNotBeenClosed (charge → succeeded) ─► voiding (all of it) | deferred
//	voiding | refunding ── declined, failed, not found ──► failed (reservation released)
//	                    ── unknown, retry later ─────────► same status, retry timer;
//	                       the timer's call queries the provider by CallbackId first
//	                       (effect.Call.Recover); after the retry window (1 h):
//	                       failed retries_exhausted, reservation KEPT
//	failed (retries_exhausted) ── a late approval of its operation ──► succeeded
//
// Reservation: a refund reserves its amount on the charge when it is
// created (reserved_amount); pending, deferred and in-flight refunds all
// count, so "all that is refundable" is the amount less what is refunded or
// reserved, and a full refund asked for while a partial one is deferred is
// a partial refund of the rest. Success moves the amount from reserved to
// refunded; a refusal releases it. The charge's row lock orders concurrent
// refunds, and the check constraint transactions_refunded_within_amount
// refuses any excess (amount_exceeds_refundable) whatever the concurrency.
//
// A void or refund whose outcome stays unknown past the retry window keeps
// its reservation: it may have happened at the provider, and releasing the
// amount would let it be refunded twice. The refund is failed
// (retries_exhausted, with a message saying so) for an operator to settle;
// an approval that arrives later (a worker that stalled past its lease) is
// still recorded, since the reservation is still there to move.
//
// A refund is created directly in voiding, refunding or deferred: the
// decision needs nothing a later step would learn, so there is no pending
// step (pending is still counted as in flight, for safety).
//
// BatchHasNotBeenClosed on a refund of a charge already partly refunded
// contradicts an earlier refund's success (its batch had closed): rather
// than defer a refund to a settlement that will never be announced again,
// it fails with the provider's code and releases its amount.
package refund
