package code

import (
	"encoding/json"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
)

// The transitions, one constructor each.

// changing: the change op is in flight, next (for update, set_amount)
// kept until its result.
func changing(s State, op string, next *Spec) (State, []effect.Effect, error) {
	s.Op, s.Next, s.Attempt = op, next, 0
	return s, []effect.Effect{effect.Call{Op: op}}, nil
}

// created: active, with the provider's code and expiry (when it gave one),
// the expiry timer set (none for a code that never expires).
func created(s State, r Result) (State, []effect.Effect) {
	d := readResultData(r.Data)
	s.ProviderReference = r.ProviderReference
	if s.ProviderReference == "" {
		s.ProviderReference = d.Code
	}
	if d.HasExpiry {
		s.Spec.Expires = d.Expires
	}
	s.Status, s.Op, s.Attempt, s.Reason = events.StatusActive, "", 0, nil
	return s, []effect.Effect{expiryTimer(s.Spec.Expires)}
}

// applied: the provider took the change in flight.
func applied(s State, r Result) (State, []effect.Effect) {
	op := s.Op
	s.Op, s.Attempt, s.Reason = "", 0, nil
	switch op {
	case OpBlock:
		s.Status = events.StatusBlocked
		return s, nil
	case OpUnblock:
		s.Status = events.StatusActive
		return s, nil
	case OpDelete:
		s.Status, s.Next = events.StatusDeleted, nil
		return s, []effect.Effect{effect.CancelTimer{Kind: TimerExpiry}}
	}
	if s.Next != nil {
		s.Spec = *s.Next
	}
	s.Next = nil
	if d := readResultData(r.Data); d.HasExpiry {
		s.Spec.Expires = d.Expires
	}
	detail, _ := json.Marshal(map[string]any{"op": op, "expires_at": s.Spec.Expires})
	return s, []effect.Effect{expiryTimer(s.Spec.Expires), effect.Emit{Kind: EventUpdated, Detail: detail}}
}

// changeFailed: the change is dropped, the code as it was, with the
// reason; the merchant learns it from a code.change_failed event.
func changeFailed(s State, reason *events.Reason) (State, []effect.Effect) {
	op := s.Op
	s.Op, s.Next, s.Attempt, s.Reason = "", nil, 0, reason
	detail, _ := json.Marshal(map[string]any{"op": op, "reason": reason})
	return s, []effect.Effect{effect.Emit{Kind: EventChangeFailed, Detail: detail}}
}

// expiryTimer sets the expiry timer at expires, or cancels it for a code
// that never expires (an update may have moved it to never).
func expiryTimer(expires *time.Time) effect.Effect {
	if expires == nil {
		return effect.CancelTimer{Kind: TimerExpiry}
	}
	return effect.SetTimer{Kind: TimerExpiry, At: *expires}
}

// resultData is what the codes connector returns: the code (create) and
// its expiry (RFC 3339, or null for never) when the provider gave one.
type resultData struct {
	Code      string
	Expires   *time.Time
	HasExpiry bool
}

func readResultData(raw json.RawMessage) resultData {
	var d struct {
		Code      string          `json:"code"`
		ExpiresAt json.RawMessage `json:"expires_at"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &d) != nil {
		return resultData{}
	}
	out := resultData{Code: d.Code}
	switch {
	case len(d.ExpiresAt) == 0:
	case string(d.ExpiresAt) == "null":
		out.HasExpiry = true
	default:
		var at time.Time
		if json.Unmarshal(d.ExpiresAt, &at) == nil && !at.IsZero() {
			at = at.UTC()
			out.Expires, out.HasExpiry = &at, true
		}
	}
	return out
}
