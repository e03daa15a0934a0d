package refund

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Operations a worker carries out for a refund (on the refund transaction;
// the connector finds the charge through its parent).
const (
	OpVoid   = "void"
	OpRefund = "refund"
)

// TimerRetry is the durable back-off timer of a void or refund whose
// outcome is unknown, or that the provider asked to retry later.
const TimerRetry = "retry"

// State is what the refund state machine knows of one refund.
type State struct {
	Status            string         `json:"-"`
	ProviderReference string         `json:"-"`
	Reason            *events.Reason `json:"-"`
	// Method is how the refund is (or was) carried out: void or refund.
	Method       string    `json:"method,omitempty"`
	RetryOp      string    `json:"retry_op,omitempty"`
	RetryAttempt int       `json:"retry_attempt,omitempty"`
	RetrySince   time.Time `json:"retry_since,omitempty"`
}

// Charge is what a refund's decisions read of its parent charge, and may
// change: its status and the amounts refunded and reserved by refunds.
type Charge struct {
	Status   string
	Currency string
	Amount   decimal.Decimal
	Refunded decimal.Decimal
	Reserved decimal.Decimal
}

// Refundable is what is left to refund: the amount less what was refunded
// and what refunds in progress hold.
func (c Charge) Refundable() decimal.Decimal {
	return c.Amount.Sub(c.Refunded).Sub(c.Reserved)
}

// Family is a refund with its charge, as one decision sees them.
type Family struct {
	Refund State
	Amount decimal.Decimal // the refund's amount
	Charge Charge
}

// The shared inputs a refund takes (orchestrator/lifecycle).
type (
	Input         = lifecycle.Input
	Result        = lifecycle.Result
	TimerFired    = lifecycle.TimerFired
	ParentSettled = lifecycle.ParentSettled
)

// Awaits reports whether a refund in state s still waits for the result of
// op: a void while voiding, a refund while refunding.
func Awaits(s State, op string) bool {
	switch op {
	case OpVoid:
		return s.Status == events.StatusVoiding
	case OpRefund:
		return s.Status == events.StatusRefunding
	}
	return false
}
