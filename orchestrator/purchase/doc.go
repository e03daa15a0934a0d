// Package purchase is the prepaid utility token purchase lifecycle
// (contract §3 purchase, provider "utility"): a purchase buys tokens
// exactly once, whatever the network does. The decisions are pure
// functions: Start(settings, now) and Decide(state, input, now) return the
// purchase's next state and the effects to carry out, with no I/O and no
// clock reads. Lifecycle registers them with the engine.
//
//	purchase.create ──► submitted ── tokens ─────────────────────► completed
//	                        │    ──── 400 ───────────────────────► declined (provider_declined + code)
//	                        │    ──── 404 (see below) ───────────► declined | sent again
//	                        └──── time-out, 5xx, lost connection,
//	                              failed call, DUPLICATE_RECORD,
//	                              answer without tokens ─────────► retrying
//	retrying ── retry timer ──► POST /tokenPurchases/{id}/retry (same id, same body)
//	         ── tokens ──► completed · 400 ──► declined · 404 ──► declined | sent again
//	         ── still unknown ──► retrying (next delay) · past the horizon ──► failed (retries_exhausted)
//
// Submitted, not pending: Create commits the purchase with its random v4
// purchase id and its whole request (Request: meter, amount, utility type,
// msisdn, tenders, request time) and the first call's work item in one
// transaction, and the engine emits one event per transition with no input
// for "the call was sent". The purchase is therefore created directly in
// submitted (first event purchase.submitted): its id is committed before
// the first call, which is what pending → submitted stands for. pending is
// never stored; it is still counted in flight, for safety.
//
// Same id, always. Every attempt sends the identical request: the purchase
// id is the transaction's, the request is a snapshot taken at creation. The
// connector's recovery rule for the purchase is RetrySameID: a call that
// may have reached the provider (its worker died) is recovered through the
// retry endpoint, which answers the tokens already issued. A second
// purchase with the same id is refused DUPLICATE_RECORD by the provider,
// which here means "it has it": the purchase is retried on the retry
// endpoint rather than declined. A purchase never produces two token sets:
// once completed, any later result is ignored (lifecycle.ErrIgnored), so
// its tokens are the first set, shown on every read and on every replay of
// its create command (the engine answers a replay with the same
// transaction).
//
// Back-off: durable timers (TimerRetry) on the merchant's schedule,
// snapshotted into the purchase at creation (Settings, from the merchant's
// provider_settings.utility; default 2s, 5s, 15s, 1m, 5m, then every 5m),
// up to the horizon (default 1h after creation): the last retry is made at
// the horizon, and a purchase still without a certain answer then fails
// retries_exhausted. That is the alert: the purchase.failed event carries
// reason retries_exhausted with a message saying tokens may exist at the
// provider and must be checked; the lifecycle also counts it
// (switchyard_purchase_retries_exhausted_total) and logs it at error level
// (Lifecycle.Log). A call that failed before reaching the provider (401,
// connection refused) is retried too: on a retry the original may still
// have reached the provider, and the result does not say which call it was.
//
// 404 on a retry: the provider never received the purchase. With the
// merchant's resend_on_not_found it is sent again, once, as a normal
// purchase with the SAME id (a late-arriving original is then refused as a
// duplicate, never vended twice); otherwise, or on a second 404, it is
// declined with a reason saying so.
//
// Dual message (the merchant's dual_message): a completed purchase sends a
// confirmation advice (OpConfirm); a purchase that ends without tokens
// (declined or failed) sends a reversal advice (OpReverse), which the
// provider remembers, so a late original is refused. Advices are
// store-and-forward: repeated (the connector's Repeat rule, same advice id:
// AdviceID) on durable timers (TimerAdvice) on the same schedule, with no
// horizon, until the provider accepts (2xx: delivered) or refuses (400:
// declined) it. The advice does not change the purchase's status; it is
// shown on the transaction (advice: op, status, attempts, code).
//
// Secrets: the meter's track2 data is sealed in the transaction's details
// (Track2 opens it for the connector) while a purchase call may need it
// (submitted, retrying), dropped after, and shown masked; tokens are not
// secrets and are shown in full.
package purchase
