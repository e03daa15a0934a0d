package hold

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
)

// The transitions, one constructor each.

// releasing: the hold is released at the provider, by hold.release or, with
// reason hold_expired, by its expiry.
func releasing(s State, reason *events.Reason) (State, []effect.Effect) {
	s.Status, s.Op, s.Attempt, s.Reason = events.StatusReleasing, OpRelease, 0, reason
	return s, []effect.Effect{effect.Call{Op: OpRelease}}
}

// released: released, or expired when the release came from the expiry.
func released(s State) (State, []effect.Effect) {
	s.Status, s.Op, s.Attempt = events.StatusReleased, "", 0
	if s.Reason != nil && s.Reason.Code == events.ReasonHoldExpired {
		s.Status = events.StatusExpired
	}
	return s, nil
}

// armExpiry sets the expiry timer of a held hold at hold_expires_at (none
// when the provider gave no expiry).
func armExpiry(s State) []effect.Effect {
	if s.HoldExpiresAt == nil {
		return nil
	}
	return []effect.Effect{effect.SetTimer{Kind: TimerExpiry, At: *s.HoldExpiresAt}}
}
