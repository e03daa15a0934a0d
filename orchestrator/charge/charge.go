package charge

import (
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
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
	RetryOp           string         `json:"retry_op,omitempty"`
	RetryAttempt      int            `json:"retry_attempt,omitempty"`
	RetrySince        time.Time      `json:"retry_since,omitempty"`
	ConfirmBy         time.Time      `json:"confirm_by,omitempty"`
}

// Policy holds the timings a merchant and the operator choose.
type Policy struct {
	ConfirmDeadline time.Duration // authorized → reversed after this (default 15m)
	RetryWindow     time.Duration // 409s are retried for at most this long (1h)
	RetryInitial    time.Duration // first back-off interval (1s)
	RetryMax        time.Duration // longest back-off interval (5m)
	// AbsenceChecks is how many times a reversal by reference must hear
	// "not found" before the charge is taken never to have landed: a charge
	// whose answer was lost may still be on its way to the provider, and a
	// single 404 would let it land after we gave up on it (default 3).
	AbsenceChecks int
}

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
	if p.AbsenceChecks <= 0 {
		p.AbsenceChecks = 3
	}
	return p
}

// Input is a command, a provider result or a timer.
type Input interface{ isInput() }

// Commands.
type (
	Confirm struct{}
	Reject  struct{}
)

// Result is a worker's report of a provider call.
type Result struct {
	Op                string
	Outcome           Outcome
	ProviderReference string // ono transactionId, on a charge
	Code              string // provider code (ISO response code)
	Message           string
}

// Outcome classifies a provider call.
type Outcome int

const (
	OK         Outcome = iota + 1
	Declined           // the provider said no
	Failed             // failed, known to have moved nothing
	Unknown            // may have happened
	RetryLater         // 409: try again later
	NotFound           // the provider does not know the charge
)

// TimerFired is a durable timer coming due.
type TimerFired struct{ Kind string }

func (Confirm) isInput()    {}
func (Reject) isInput()     {}
func (Result) isInput()     {}
func (TimerFired) isInput() {}

// ErrInvalidState is returned for a command the charge cannot take in its
// status; the caller answers it with command.rejected invalid_state.
var ErrInvalidState = errors.New("invalid state")

// ErrIgnored is returned for a stale result or timer: nothing changes.
var ErrIgnored = errors.New("input does not apply")

// Start is the state of a new charge and the effect that follows charge.create.
func Start() (State, []effect.Effect) {
	return State{Status: events.StatusPending}, []effect.Effect{effect.Call{Op: OpCharge}}
}

// Decide returns the state after input and the effects to carry out.
func Decide(s State, in Input, now time.Time, p Policy) (State, []effect.Effect, error) {
	p = p.WithDefaults()
	switch in := in.(type) {
	case Confirm:
		return onConfirm(s)
	case Reject:
		return onReject(s)
	case Result:
		return onResult(s, in, now, p)
	case TimerFired:
		return onTimer(s, in, now, p)
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
		s.RejectRequested = true
		return s, nil, nil
	case events.StatusAuthorized:
		s = reversing(s, events.ReasonMerchantRejected, "rejected by the merchant", false)
		return s, []effect.Effect{effect.CancelTimer{Kind: TimerConfirmDeadline}, effect.Call{Op: OpReject}}, nil
	}
	return invalid(s, "reject")
}

func reversing(s State, code, msg string, byRef bool) State {
	s.Status = events.StatusReversing
	s.Reason = &events.Reason{Code: code, Message: msg}
	s.RejectByReference = byRef
	s.RetryOp, s.RetryAttempt, s.RetrySince = "", 0, time.Time{}
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
	default:
		s.Status = events.StatusFailed
		s.Reason = &events.Reason{Code: events.ReasonProviderError, Message: codeMessage(r)}
		return s, nil, nil
	}
}

func onRejectResult(s State, r Result, now time.Time, p Policy) (State, []effect.Effect, error) {
	if r.Outcome == NotFound && s.RejectByReference && s.RetryAttempt+1 < p.AbsenceChecks {
		// Not there yet: ask again after a back-off before believing it.
		if next, effs, ok := retry(s, OpReject, now, p); ok {
			return next, effs, nil
		}
	}
	switch r.Outcome {
	case OK, NotFound:
		s.Status = events.StatusReversed
		s.RetryOp, s.RetryAttempt, s.RetrySince = "", 0, time.Time{}
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
	b := &backoff.ExponentialBackOff{
		InitialInterval: p.RetryInitial, Multiplier: 2, MaxInterval: p.RetryMax,
		RandomizationFactor: 0, MaxElapsedTime: 0, Stop: backoff.Stop, Clock: backoff.SystemClock,
	}
	b.Reset()
	d := b.NextBackOff()
	for i := 1; i < n; i++ {
		d = b.NextBackOff()
	}
	return d
}

func onTimer(s State, t TimerFired, now time.Time, p Policy) (State, []effect.Effect, error) {
	switch {
	case t.Kind == TimerConfirmDeadline && s.Status == events.StatusAuthorized:
		s = reversing(s, events.ReasonConfirmDeadline, "no confirm or reject before the confirm deadline", false)
		return s, []effect.Effect{effect.Call{Op: OpReject}}, nil
	case t.Kind == TimerRetry && s.RetryOp == OpConfirm && s.Status == events.StatusConfirming:
		return s, []effect.Effect{effect.Call{Op: OpConfirm}}, nil
	case t.Kind == TimerRetry && s.RetryOp == OpReject && s.Status == events.StatusReversing:
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
