package charge

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Operations a worker carries out for a charge.
const (
	OpCharge  = "charge"
	OpConfirm = "confirm"
	OpReject  = "reject"
)

// Timer kinds.
const (
	TimerConfirmDeadline = "confirm_deadline"
	TimerRetry           = "retry"
)

// State is what the charge state machine knows of one charge.
type State struct {
	Status            string         `json:"-"`
	ProviderReference string         `json:"-"`
	Reason            *events.Reason `json:"-"`
	RejectRequested   bool           `json:"reject_requested,omitempty"`
	RejectByReference bool           `json:"reject_by_reference,omitempty"`
	// Absences counts the "not found" answers a reversal by reference has
	// heard so far (see Policy.AbsenceDelays).
	Absences     int       `json:"absences,omitempty"`
	RetryOp      string    `json:"retry_op,omitempty"`
	RetryAttempt int       `json:"retry_attempt,omitempty"`
	RetrySince   time.Time `json:"retry_since,omitempty"`
	ConfirmBy    time.Time `json:"confirm_by,omitempty"`
	// Sale: the provider's charges are one-step sales (see sale.go),
	// fixed when the charge is created from the provider's declaration.
	Sale        bool      `json:"sale,omitempty"`
	SucceededAt time.Time `json:"succeeded_at,omitempty"`
	SettledAt   time.Time `json:"settled_at,omitempty"`
}

// Policy holds the timings a merchant and the operator choose.
type Policy struct {
	ConfirmDeadline time.Duration // authorized → reversed after this (default 15m)
	RetryWindow     time.Duration // 409s are retried for at most this long (1h)
	RetryInitial    time.Duration // first back-off interval (1s)
	RetryMax        time.Duration // longest back-off interval (5m)
	// AbsenceDelays spaces the checks of a reversal by reference that hears
	// "not found": after the n-th 404 it asks again after AbsenceDelays[n-1],
	// and only a 404 after the last delay concludes that the charge never
	// landed. A charge whose answer was lost (a time-out, a 504: "upstream is
	// slow") may still be on its way to the provider, so the checks are
	// spread over minutes (default 5s, 30s, 2m).
	AbsenceDelays []time.Duration
}

// DefaultAbsenceDelays is Policy.AbsenceDelays' default.
var DefaultAbsenceDelays = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute}

// WithDefaults fills the zero fields.
func (p Policy) WithDefaults() Policy {
	if p.ConfirmDeadline <= 0 {
		p.ConfirmDeadline = 15 * time.Minute
	}
	if p.RetryWindow <= 0 {
		p.RetryWindow = time.Hour
	}
	if p.RetryInitial <= 0 {
		p.RetryInitial = time.Second
	}
	if p.RetryMax <= 0 {
		p.RetryMax = 5 * time.Minute
	}
	if len(p.AbsenceDelays) == 0 {
		p.AbsenceDelays = DefaultAbsenceDelays
	}
	return p
}

// Input is a command, a provider result or a timer.
type Input = lifecycle.Input

// Commands.
type (
	Confirm struct{}
	Reject  struct{}
)

// The inputs and outcomes every lifecycle shares (orchestrator/lifecycle).
type (
	Result        = lifecycle.Result
	Outcome       = lifecycle.Outcome
	TimerFired    = lifecycle.TimerFired
	CallCancelled = lifecycle.CallCancelled
)

const (
	OK         = lifecycle.OK
	Declined   = lifecycle.Declined
	Failed     = lifecycle.Failed
	Unknown    = lifecycle.Unknown
	RetryLater = lifecycle.RetryLater
	NotFound   = lifecycle.NotFound
)

// ErrInvalidState is returned for a command the charge cannot take in its
// status; the caller answers it with command.rejected invalid_state.
var ErrInvalidState = lifecycle.ErrInvalidState

// ErrIgnored is returned for a stale result or timer: nothing changes.
var ErrIgnored = lifecycle.ErrIgnored

// Start is the state of a new charge and the effect that follows charge.create.
func Start() (State, []effect.Effect) {
	return State{Status: events.StatusPending}, []effect.Effect{effect.Call{Op: OpCharge}}
}

// Decide returns the state after input and the effects to carry out.
func Decide(s State, in Input, now time.Time, p Policy) (State, []effect.Effect, error) {
	p = p.WithDefaults()
	if s.Sale {
		return decideSale(s, in, now, p)
	}
	switch in := in.(type) {
	case Confirm:
		return onConfirm(s)
	case Reject:
		return onReject(s)
	case Result:
		return onResult(s, in, now, p)
	case TimerFired:
		return onTimer(s, in, now, p)
	case CallCancelled:
		return onCancelled(s, in)
	case lifecycle.Settle, lifecycle.ParentSettled:
		return s, nil, ErrIgnored // settlement is for sales
	}
	return s, nil, fmt.Errorf("charge: unknown input %T", in)
}

func invalid(s State, what string) (State, []effect.Effect, error) {
	return s, nil, fmt.Errorf("%w: cannot %s a charge that is %s", ErrInvalidState, what, s.Status)
}

func onConfirm(s State) (State, []effect.Effect, error) {
	if s.Status != events.StatusAuthorized {
		return invalid(s, "confirm")
	}
	s.Status = events.StatusConfirming
	return s, []effect.Effect{effect.CancelTimer{Kind: TimerConfirmDeadline}, effect.Call{Op: OpConfirm}}, nil
}

func onReject(s State) (State, []effect.Effect, error) {
	switch s.Status {
	case events.StatusPending:
		if s.RejectRequested {
			return invalid(s, "reject again")
		}
		// If no worker has sent the charge yet, the engine cancels it and
		// reports CallCancelled; otherwise the reversal follows its result.
		s.RejectRequested = true
		return s, []effect.Effect{effect.CancelCall{Op: OpCharge}}, nil
	case events.StatusAuthorized:
		s = reversing(s, events.ReasonMerchantRejected, "rejected by the merchant", false)
		return s, []effect.Effect{effect.CancelTimer{Kind: TimerConfirmDeadline}, effect.Call{Op: OpReject}}, nil
	}
	return invalid(s, "reject")
}

// onCancelled ends a charge rejected before its call was sent: nothing
// reached the provider, so there is nothing to reverse there.
func onCancelled(s State, c CallCancelled) (State, []effect.Effect, error) {
	if c.Op != OpCharge || s.Status != events.StatusPending || !s.RejectRequested {
		return s, nil, ErrIgnored
	}
	s.Status = events.StatusReversed
	s.Reason = &events.Reason{Code: events.ReasonMerchantRejected, Message: "rejected by the merchant before the charge was sent"}
	return s, nil, nil
}

func reversing(s State, code, msg string, byRef bool) State {
	s.Status = events.StatusReversing
	s.Reason = &events.Reason{Code: code, Message: msg}
	s.RejectByReference = byRef
	s.RetryOp, s.RetryAttempt, s.RetrySince, s.Absences = "", 0, time.Time{}, 0
	return s
}

func onResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch {
	case r.Op == OpCharge && s.Status == events.StatusPending:
		return onChargeResult(s, r, now, p)
	case r.Op == OpConfirm && s.Status == events.StatusConfirming:
		return onConfirmResult(s, r, now, p)
	case r.Op == OpReject && s.Status == events.StatusReversing:
		return onRejectResult(s, r, now, p)
	case r.Op == OpCharge && r.Outcome == OK:
		return onLateSuccess(s, r)
	}
	return s, nil, ErrIgnored
}

// onLateSuccess takes a charge approval that arrives after the charge was
// given up (a worker that stalled past its lease, a reversal by reference
// that heard "not found" before the charge landed). The fact is recorded,
// never dropped: a charge already reversed or failed is reversed again by
// the provider's id; one being reversed by reference learns the id.
func onLateSuccess(s State, r Result) (State, []effect.Effect, error) {
	switch s.Status {
	case events.StatusReversed, events.StatusFailed:
		s.ProviderReference = r.ProviderReference
		s = reversing(s, events.ReasonLateSuccess, "the provider approved the charge after it was given up; reversing it", false)
		return s, []effect.Effect{effect.Call{Op: OpReject}}, nil
	case events.StatusReversing:
		if s.ProviderReference == "" && r.ProviderReference != "" {
			s.ProviderReference = r.ProviderReference
			return s, nil, nil
		}
	}
	return s, nil, ErrIgnored
}

func onChargeResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch r.Outcome {
	case OK:
		s.ProviderReference = r.ProviderReference
		if s.RejectRequested {
			s = reversing(s, events.ReasonMerchantRejected, "rejected by the merchant while the charge was in flight", false)
			return s, []effect.Effect{effect.Call{Op: OpReject}}, nil
		}
		s.Status = events.StatusAuthorized
		s.ConfirmBy = now.Add(p.ConfirmDeadline)
		return s, []effect.Effect{effect.SetTimer{Kind: TimerConfirmDeadline, At: s.ConfirmBy}}, nil
	case Declined:
		s.Status = events.StatusDeclined
		s.Reason = &events.Reason{Code: events.ReasonProviderDeclined, Message: r.Message, ProviderCode: r.Code}
		return s, nil, nil
	case Failed, NotFound:
		s.Status = events.StatusFailed
		s.Reason = &events.Reason{Code: events.ReasonProviderError, Message: r.Message, ProviderCode: r.Code}
		return s, nil, nil
	default: // Unknown, RetryLater: the charge may have happened. Never repeat it.
		s = reversing(s, events.ReasonProviderTimeout, "the provider did not answer the charge; reversing by reference", true)
		return s, []effect.Effect{effect.Call{Op: OpReject, ByReference: true}}, nil
	}
}

func onConfirmResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch r.Outcome {
	case OK:
		s.Status = events.StatusConfirmed
		s.RetryOp, s.RetryAttempt, s.RetrySince = "", 0, time.Time{}
		return s, []effect.Effect{effect.CancelTimer{Kind: TimerRetry}}, nil
	case RetryLater, Unknown:
		if next, effs, ok := retry(s, OpConfirm, now, p); ok {
			return next, effs, nil
		}
		s = reversing(s, events.ReasonRetriesExhausted, "confirm still refused after the retry window; reversing", false)
		return s, []effect.Effect{effect.Call{Op: OpReject}}, nil
	default: // refused (400, 401, 404): the money is still held; release it
		s = reversing(s, events.ReasonProviderError, "confirm refused: "+codeMessage(r)+"; reversing", false)
		s.Reason.ProviderCode = r.Code
		return s, []effect.Effect{effect.CancelTimer{Kind: TimerRetry}, effect.Call{Op: OpReject}}, nil
	}
}

func onRejectResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	if r.Outcome == NotFound && s.RejectByReference && s.Absences < len(p.AbsenceDelays) {
		// Not there yet: the charge may still land. Ask again later.
		s.Absences++
		at := now.Add(p.AbsenceDelays[s.Absences-1])
		return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: at, Attempt: s.Absences}}, nil
	}
	switch r.Outcome {
	case OK, NotFound:
		s.Status = events.StatusReversed
		s.RetryOp, s.RetryAttempt, s.RetrySince, s.Absences = "", 0, time.Time{}, 0
		return s, []effect.Effect{effect.CancelTimer{Kind: TimerRetry}}, nil
	case RetryLater, Unknown:
		if next, effs, ok := retry(s, OpReject, now, p); ok {
			return next, effs, nil
		}
		s.Status = events.StatusFailed
		s.Reason = &events.Reason{Code: events.ReasonRetriesExhausted, Message: "reversal not accepted within the retry window"}
		return s, nil, nil
	default:
		s.Status = events.StatusFailed
		s.Reason = &events.Reason{Code: events.ReasonProviderError, Message: "reversal refused: " + codeMessage(r)}
		return s, nil, nil
	}
}

// retry schedules the next attempt of op, or reports false when the retry
// window is spent.
func retry(s State, op string, now time.Time, p Policy) (State, []effect.Effect, bool) {
	if s.RetryOp != op {
		s.RetryOp, s.RetryAttempt, s.RetrySince = op, 0, now
	}
	if now.Sub(s.RetrySince) >= p.RetryWindow {
		return s, nil, false
	}
	s.RetryAttempt++
	at := now.Add(RetryDelay(s.RetryAttempt, p))
	return s, []effect.Effect{effect.SetTimer{Kind: TimerRetry, At: at, Attempt: s.RetryAttempt}}, true
}

// RetryDelay is the back-off before attempt n (1-based): exponential from
// RetryInitial, doubling, capped at RetryMax, without jitter so that the
// schedule is a pure function.
func RetryDelay(n int, p Policy) time.Duration {
	return lifecycle.BackOff(n, p.RetryInitial, p.RetryMax)
}

func onTimer(s State, t TimerFired, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch {
	case t.Kind == TimerConfirmDeadline && s.Status == events.StatusAuthorized:
		s = reversing(s, events.ReasonConfirmDeadline, "no confirm or reject before the confirm deadline", false)
		return s, []effect.Effect{effect.Call{Op: OpReject}}, nil
	case t.Kind == TimerRetry && s.Status == events.StatusConfirming:
		return s, []effect.Effect{effect.Call{Op: OpConfirm}}, nil
	case t.Kind == TimerRetry && s.Status == events.StatusReversing:
		return s, []effect.Effect{effect.Call{Op: OpReject, ByReference: s.RejectByReference}}, nil
	}
	return s, nil, ErrIgnored
}

func codeMessage(r Result) string {
	switch {
	case r.Code != "" && r.Message != "":
		return r.Code + ": " + r.Message
	case r.Code != "":
		return r.Code
	}
	return r.Message
}

// Awaits reports whether a charge in state s still waits for the result of
// op. A worker holding work for an op the charge no longer awaits removes
// it without calling: a charge call is wanted while the charge is pending
// (a reject that arrives first is handled by cancelling the unsent call, so
// the queued call is never judged stale by a version that moved), a confirm
// while confirming, a reversal while reversing.
func Awaits(s State, op string) bool {
	switch op {
	case OpCharge:
		return s.Status == events.StatusPending
	case OpConfirm:
		return s.Status == events.StatusConfirming
	case OpReject:
		return s.Status == events.StatusReversing
	}
	return false
}
