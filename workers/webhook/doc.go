// Package webhook delivers merchant events to their webhook endpoints
// (contract §5): a Dispatcher turns each event of PAY_EVENTS into one
// delivery per matching endpoint, and a Deliverer makes the attempts.
//
// Dispatcher: a durable pull consumer ("webhooks") on PAY_EVENTS. For an
// event it reads the merchant's enabled endpoints (one indexed read; the
// lists are cached for CacheFor, 1 s by default, so a new endpoint may miss
// the events of its first second), and in one transaction inserts a delivery
// per matching endpoint (ON CONFLICT … DO NOTHING on webhook_deliveries_once)
// with its work item; the message is acknowledged after the commit, so a
// redelivered event meets its deliveries and creates nothing. An endpoint
// gets the events published after it was created.
//
// Deliverer: claims webhook_delivery work items. Per endpoint, a
// concurrency limit (max_in_flight) and a rate limit (rate_per_second, a
// token bucket per instance, in memory: N instances may send N times the
// rate) decide how many of its items a claim may take; an endpoint at its
// limit is left out of the claim, so its backlog never delays other
// endpoints. Each attempt is one POST (10 s in all, no redirects, the SSRF
// guard at dial time unless AllowPrivate), and its outcome (attempt row,
// delivery, endpoint health, work item finished or due again) is one
// transaction fenced by the claim: a lost lease writes nothing, and the next
// claim sends again with the same webhook-id.
//
//	pending --2xx--> delivered
//	pending --410 / schedule run out / endpoint gone--> failed
//	pending --other failure--> pending (next attempt per Schedule or Retry-After)
//	delivered, failed --retry / replay--> pending
//
// Retries live in PostgreSQL (work_items.available_at), never in a sleeping
// goroutine.
package webhook
