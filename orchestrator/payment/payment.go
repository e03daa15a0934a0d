package payment

import (
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// OpVerify is GET /code/{code} of the payment's code (Repeat, read-only):
// ok when the provider's record confirms the payment, declined
// (not_confirmed) when it contradicts it.
const OpVerify = "verify"

// TimerRetry: the next verify after an unknown outcome.
const TimerRetry = "retry"

// Verdict is what a transition means for the payment's code.
type Verdict int

const (
	// None: nothing for the code (yet).
	None Verdict = iota
	// Paid: the code takes the payment and emits code.paid.
	Paid
	// Unexpected: the code emits code.payment_unexpected.
	Unexpected
)

// State is what the payment state machine knows of one payment.
type State struct {
	Status  string `json:"-"`
	Op      string `json:"op,omitempty"`
	Attempt int    `json:"attempt,omitempty"`
}

// Code is what Decide knows of the payment's code: its status, "" when the
// payment has no code (its reference named none).
type Code struct{ Status string }

// The shared inputs a payment takes (orchestrator/lifecycle).
type (
	Input      = lifecycle.Input
	Result     = lifecycle.Result
	TimerFired = lifecycle.TimerFired
)
