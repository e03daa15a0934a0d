// Package code is the payment-code lifecycle (contract §3 code, provider
// "codes"): a code a consumer pays by QR, NFC or in an app, made at the
// provider, changed, blocked, deleted, and ended by its expiry or, for a
// use-once code, by its payment (orchestrator/payment, a child of the
// code).
//
// Decide is the pure state machine: the code's next state and the effects
// to carry out, with no I/O and no clock reads. Start decides creation.
// Lifecycle registers them; Pending tells the connector
// (workers/connector/codesconn) what to send.
//
//	code.create ── valid (seed 002's rules, before any call) ──► pending ── Call create
//	            (the expiry resolved here: default now + 30 min, "never" = none)
//	pending ── ok ──────────► active (the provider's code; timer code_expiry at the expiry)
//	        ── declined ────► failed (provider_declined, the provider's status as provider_code)
//	        ── failed ──────► failed (provider_error)
//	        ── unknown ─────► failed (provider_timeout): never repeated, see below
//	active  ── code.block ──► Call block ──── ok ──► blocked
//	blocked ── code.unblock ► Call unblock ── ok ──► active
//	active | blocked ── code.delete ─────► Call delete ── ok (or 431) ──► deleted (timer cancelled)
//	                ── code.update, code.set_amount ► Call update | set_amount
//	                     ── ok ──► same status, the new values; the expiry timer moved
//	                               (cancelled for never); event code.updated
//	                ── code_expiry ──► expired
//	                ── a believed payment (payment.record), use_once ──► used
//	a change ── declined, failed ──► dropped: status unchanged, reason set, event code.change_failed
//	         ── unknown ──► asked again after lifecycle.BackOff (Policy.MaxAttempts times),
//	                        then dropped as above (provider_timeout)
//	code_expiry on used, deleted, expired, failed: ignored
//
// One change at a time: a command that changes the code while another
// change (or the create) is in flight is invalid_state; a command from a
// status that does not take it (block a blocked code, unblock an active
// one, change a used, expired, deleted or failed one) is invalid_state.
//
// A create whose outcome is unknown (a time-out, or a crash after the call
// and before its result was committed) is never repeated: the provider has
// no lookup by merchant reference and its create is not idempotent, so a
// second create could make a second payable code. The code fails
// (provider_timeout); a code the provider may have made was never shown to
// anyone and lapses at the expiry the create sent (30 minutes by default).
// A create that was answered is committed with its result, never lost.
//
// Events that are not status changes (effect.Emit): code.updated,
// code.change_failed ({"op", "reason"}), and, written by a payment on its
// parent, code.paid and code.payment_unexpected.
package code
