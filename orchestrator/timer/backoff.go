package timer

import "time"

// backoff is how long a timer waits after its failures-th failure in a row:
// lo, doubled per failure, capped at hi.
func backoff(failures int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < failures && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}
