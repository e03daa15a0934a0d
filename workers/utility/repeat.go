package utility

import (
	"context"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/switchyard/switchyard/workers/provider"
)

// RepeatAdvice calls send until the provider answers 202 (nil) or 400 (a
// KindDeclined error, returned as is), as the provider requires of advices.
// Every other outcome — time-out, reset, refused connection, 404, 5xx — is
// repeated after the back-off b; when b gives up or ctx ends, the last error
// is returned. A nil b means an exponential back-off capped at 30 s that
// never gives up on its own.
func RepeatAdvice(ctx context.Context, b backoff.BackOff, send func(context.Context) error) error {
	if b == nil {
		eb := backoff.NewExponentialBackOff()
		eb.MaxInterval = 30 * time.Second
		eb.MaxElapsedTime = 0
		b = eb
	}
	var last error
	op := func() error {
		err := send(ctx)
		if err == nil || provider.IsDeclined(err) {
			last = err
			return nil
		}
		last = err
		if ctx.Err() != nil {
			return backoff.Permanent(err)
		}
		return err
	}
	if err := backoff.Retry(op, backoff.WithContext(b, ctx)); err != nil && last == nil {
		return err
	}
	return last
}

// ConfirmUntilFinal sends the confirmation advice until it is accepted or
// declined (see RepeatAdvice).
func (c *Client) ConfirmUntilFinal(ctx context.Context, b backoff.BackOff, purchaseID string, adv ConfirmationAdvice) error {
	adv.Advice = c.fillAdvice(purchaseID, adv.Advice)
	return RepeatAdvice(ctx, b, func(ctx context.Context) error { return c.Confirm(ctx, purchaseID, adv) })
}

// ReverseUntilFinal sends the reversal advice until it is accepted or
// declined (see RepeatAdvice).
func (c *Client) ReverseUntilFinal(ctx context.Context, b backoff.BackOff, purchaseID string, adv ReversalAdvice) error {
	adv.Advice = c.fillAdvice(purchaseID, adv.Advice)
	return RepeatAdvice(ctx, b, func(ctx context.Context) error { return c.Reverse(ctx, purchaseID, adv) })
}
