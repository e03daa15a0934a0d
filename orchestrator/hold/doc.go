// Package hold is the hold lifecycle (contract §3 consent / hold, provider
// onepipe): funds held with a granted consent's provider token, then
// captured (in whole or in part), released, or released by their expiry.
//
// Decide is the pure state machine: the hold's next state and the effects
// to carry out, with no I/O and no clock reads. Start decides creation from
// the consent (the hold's parent, locked by the engine before the hold is
// written). Lifecycle registers them.
//
//	hold.create ── consent granted, token not expired at now ──► pending ── Call hold
//	            ── consent not granted ───► command.rejected invalid_state (data.consent_id)
//	            ── token expired ─────────► command.rejected consent_expired (data.consent_id)
//	pending   ── ok ───────────► held (hold_expires_at from Result.Data; timer hold_expiry at it)
//	          ── declined ─────► failed (provider_declined, the provider's code)
//	          ── failed, not found ─► failed (provider_error)
//	held      ── hold.release ─► releasing ── Call release; the expiry timer cancelled
//	          ── hold.capture ─► capturing ── Call capture of details "capture"
//	                             {"amount": …} (default all; more than held:
//	                             amount_exceeds_refundable); the expiry timer cancelled
//	          ── hold_expiry ──► releasing (reason hold_expired) ── Call release
//	releasing ── ok ───────────► released, or expired after hold_expiry
//	capturing ── ok ───────────► captured
//	          ── declined, failed ─► held again (the provider's reason; expiry timer set again)
//	pending | capturing ── unknown, retry later ──► same status, retry timer; its call
//	          recovers by the operation's rule (query first: effect.Call.Recover)
//	releasing ── anything but ok ─► retried on the back-off until released: a hold
//	          is never left open at the provider by giving up
//
// hold.release and hold.capture are taken only while held. The engine locks
// the hold's row for each command, so of a release and a capture sent at
// once, whichever commits first moves the hold out of held and the other is
// invalid_state.
//
// A hold keeps no secret: its connector opens the provider token of its
// parent consent (consent.ProviderToken).
package hold
