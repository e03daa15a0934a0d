// Package payment is the lifecycle of a payment on a payment code (type
// "payment", provider "codes"): made only from a verified provider
// callback (payment.record, an internal command taken by
// engine.HandleProviderCommand), a child of the code its merchant
// reference names, checked with the provider before it is believed.
//
// Decide is the pure state machine; Lifecycle registers it and applies its
// verdict to the parent code (orchestrator/code.TakePayment) in the same
// commit.
//
//	payment.record ──► pending ── Call verify (GET /code/{code}, read-only)
//	pending ── ok, the code active ──────► succeeded; the code emits code.paid
//	                                        (a use_once code becomes used)
//	        ── ok, the code not active (blocked, deleted, expired, used,
//	           failed, pending) or unknown ─► unexpected (payment_unexpected);
//	                                        the code (if any) emits code.payment_unexpected
//	        ── declined, failed, not found ─► unconfirmed (not_confirmed); the code
//	                                        (if any) emits code.payment_unexpected
//	        ── unknown ──► verify again after lifecycle.BackOff (Policy.MaxAttempts
//	                       times), then unconfirmed
//
// A payment is never lost and never silently accepted: whatever the code,
// the callback is recorded, and only a payment the provider confirms on an
// active code succeeds. A callback delivered twice counts once: the
// callback route derives the command id from the merchant and the
// provider's payment id, and the engine drops the repeat. Nothing secret
// arrives in a callback; PayerReference (the provider's rrn) is kept.
package payment
