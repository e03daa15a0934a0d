package hold

import (
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Start is a new hold of consent c at now: pending, its hold call due. A
// consent not granted is invalid_state, one whose token has expired
// consent_expired (both on data.consent_id).
func Start(c Consent, now time.Time) (State, []effect.Effect, error) {
	switch {
	case c.Status != events.StatusGranted:
		return State{}, nil, lifecycle.Reject(events.ReasonInvalidState, "data.consent_id",
			"the consent is %s; a hold needs a granted consent", c.Status)
	case !c.TokenExpiresAt.IsZero() && !now.Before(c.TokenExpiresAt):
		return State{}, nil, lifecycle.Reject(events.ReasonConsentExpired, "data.consent_id",
			"the consent's token expired at %s; ask the customer for a new consent", c.TokenExpiresAt.UTC().Format(time.RFC3339))
	}
	return State{Status: events.StatusPending, Op: OpHold}, []effect.Effect{effect.Call{Op: OpHold}}, nil
}
