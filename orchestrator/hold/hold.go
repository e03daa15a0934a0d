package hold

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Operations a worker carries out for a hold (workers/connector/
// onepipeconn declares their recovery rules); the connector finds the
// consent, and its token, through the hold's parent.
const (
	// OpHold is the hold_funds /v2/transact with the consent's token
	// (QueryFirst).
	OpHold = "hold"
	// OpCapture is the collect /v2/transact with the hold as parent, of
	// the amount in the hold's details (CaptureAmount; QueryFirst).
	OpCapture = "capture"
	// OpRelease is /v2/transact/reverse of the hold (Repeat).
	OpRelease = "release"
)

// Durable timers of a hold.
const (
	// TimerExpiry: the hold reaches hold_expires_at while held; it is
	// released and becomes expired.
	TimerExpiry = "hold_expiry"
	// TimerRetry: the next attempt of a call whose outcome is unknown (the
	// provider is queried first where the operation says so).
	TimerRetry = "retry"
)

// State is what the hold state machine knows of one hold.
type State struct {
	Status            string         `json:"-"`
	Reason            *events.Reason `json:"-"`
	ProviderReference string         `json:"-"`
	// CaptureAmount is the amount being (or that was) captured, as the
	// details' "capture" object keeps it.
	CaptureAmount string `json:"-"`
	// Op is the provider call the hold waits for, "" when none.
	Op string `json:"op,omitempty"`
	// Attempt counts the retries of Op scheduled after unknown outcomes.
	Attempt int `json:"attempt,omitempty"`
	// HoldExpiresAt is when the provider lets the hold lapse.
	HoldExpiresAt *time.Time `json:"hold_expires_at,omitempty"`
	// CaptureReference is the provider's id of the capture.
	CaptureReference string `json:"capture_reference,omitempty"`
}

// Consent is what a hold's creation reads of its consent.
type Consent struct {
	Status         string
	TokenExpiresAt time.Time // zero: the provider gave no expiry
}

// Release is hold.release as Decide sees it.
type Release struct{}

// Capture is hold.capture as Decide sees it: Amount, when Given, else all
// that is held.
type Capture struct {
	Amount decimal.Decimal
	Given  bool
}

// The shared inputs a hold takes (orchestrator/lifecycle).
type (
	Input      = lifecycle.Input
	Result     = lifecycle.Result
	TimerFired = lifecycle.TimerFired
)

// Awaits reports whether a hold in state s still waits for the result of
// op.
func Awaits(s State, op string) bool { return op != "" && s.Op == op }
