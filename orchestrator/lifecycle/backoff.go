package lifecycle

import (
	"time"

	"github.com/cenkalti/backoff/v4"
)

// BackOff is the delay before attempt n (1-based) of a durable retry:
// exponential from initial, doubling, capped at max, without jitter so that
// a lifecycle's schedule is a pure function of the attempt.
func BackOff(n int, initial, max time.Duration) time.Duration {
	b := &backoff.ExponentialBackOff{
		InitialInterval: initial, Multiplier: 2, MaxInterval: max,
		RandomizationFactor: 0, MaxElapsedTime: 0, Stop: backoff.Stop, Clock: backoff.SystemClock,
	}
	b.Reset()
	d := b.NextBackOff()
	for i := 1; i < n; i++ {
		d = b.NextBackOff()
	}
	return d
}
