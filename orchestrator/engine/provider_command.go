package engine

import (
	"context"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
)

// HandleProviderCommand applies an internal command (lifecycle.Command.
// Internal: payment.record) that Switchyard made from a verified provider
// callback, for merchant merchantID. It takes no merchant command (those
// come through HandleCommand), so a callback can only record what a
// provider may say. Idempotency, rejections and errors are HandleCommand's.
func (e *Engine) HandleProviderCommand(ctx context.Context, merchantID uuid.UUID, cmd *events.Command) (Outcome, error) {
	return e.handle(ctx, merchantID, cmd, true)
}
