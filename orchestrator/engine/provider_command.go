package engine

import (
	"context"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
)

// HandleProviderCommand applies a command made by a provider's verified
// callback (an internal command such as payment.record).
//
// STUB (helper "codeconn"): helper "codelife" owns this file; its version
// also accepts the internal commands HandleCommand refuses. The lead takes
// codelife's at merge.
func (e *Engine) HandleProviderCommand(ctx context.Context, merchantID uuid.UUID, cmd *events.Command) (Outcome, error) {
	return e.HandleCommand(ctx, merchantID, cmd)
}
