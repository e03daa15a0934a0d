package webhook

import (
	"fmt"
	"net/http"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// outcome is what an attempt leads to: the attempt row (nil when nothing
// was sent), the delivery's new state, the endpoint's health and the work
// item's fate. decide builds it; record writes it.
type outcome struct {
	Attempt  *store.WebhookAttempt
	Delivery store.WebhookDelivery
	RetryIn  *time.Duration // nil: the work item is finished; else due again after it
	Healthy  bool           // clear failing_since
	Failing  bool           // set failing_since if unset
	Disable  string         // disable the endpoint with this reason ("": no)
}

// policy is what decide needs besides the attempt.
type policy struct {
	Schedule     []time.Duration
	DisableAfter time.Duration
	Rand         func() float64
}

// unusable says why an endpoint takes no attempt ("" when it does).
func unusable(e store.WebhookEndpoint) string {
	switch {
	case e.DeletedAt != nil:
		return "endpoint deleted"
	case e.Status != "enabled":
		return "endpoint disabled"
	}
	return ""
}

// skipped is the outcome of a delivery whose endpoint takes no attempt: the
// delivery fails (replayable) with why, nothing is sent.
func skipped(t *store.WebhookTarget, why string) outcome {
	d := t.Delivery
	d.Status, d.NextAttemptAt, d.LastError = store.DeliveryFailed, nil, why
	return outcome{Delivery: d}
}

// decide turns an attempt's result into its outcome, at now.
func decide(t *store.WebhookTarget, r result, now time.Time, p policy) outcome {
	d := t.Delivery
	d.Attempts++
	a := &store.WebhookAttempt{MerchantID: d.MerchantID, DeliveryID: d.ID, Attempt: d.Attempts, StartedAt: r.Started,
		LatencyMS: int(r.Latency / time.Millisecond), ResponseHead: r.Head, Error: r.Err}
	d.LastError, d.LastStatus = r.Err, nil
	if r.StatusCode != 0 {
		code := r.StatusCode
		a.StatusCode, d.LastStatus = &code, &code
	}
	o := outcome{Attempt: a}
	switch {
	case r.StatusCode >= 200 && r.StatusCode < 300:
		d.Status, d.NextAttemptAt, d.DeliveredAt, d.LastError = store.DeliveryDelivered, nil, &now, ""
		o.Healthy = true
	case r.StatusCode == http.StatusGone:
		d.Status, d.NextAttemptAt, d.LastError = store.DeliveryFailed, nil, "410 Gone"
		o.Disable = "410 Gone from " + t.Endpoint.URL
	default:
		o.Failing = true
		if d.LastError == "" {
			d.LastError = fmt.Sprintf("HTTP %d", r.StatusCode)
		}
		d = retryOrFail(d, r, now, p, &o)
		if t.Endpoint.FailingSince != nil && now.Sub(*t.Endpoint.FailingSince) >= p.DisableAfter {
			o.Disable = "failing for " + days(p.DisableAfter)
		}
	}
	o.Delivery = d
	return o
}

// retryOrFail schedules the next attempt of a failed one (Retry-After of a
// 429 or 503 first, else the schedule), or fails the delivery when the
// schedule has run out.
func retryOrFail(d store.WebhookDelivery, r result, now time.Time, p policy, o *outcome) store.WebhookDelivery {
	wait, ok := NextDelay(p.Schedule, d.Attempts, p.Rand())
	if ok && (r.StatusCode == http.StatusTooManyRequests || r.StatusCode == http.StatusServiceUnavailable) {
		if ra, found := RetryAfter(r.RetryAfter, now); found {
			wait = ra
		}
	}
	if !ok {
		d.Status, d.NextAttemptAt = store.DeliveryFailed, nil
		return d
	}
	at := now.Add(wait)
	d.NextAttemptAt, o.RetryIn = &at, &wait
	return d
}

// days writes d as "5 days" when it is whole days, else as a duration.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		n := int(d / (24 * time.Hour))
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	}
	return d.String()
}
