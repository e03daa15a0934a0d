package purchase

import (
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Operations a worker carries out for a purchase (workers/connector/
// utilityconn declares their recovery rules).
const (
	// OpPurchase is POST /tokenPurchases/{id}; its Recover (RetrySameID)
	// is POST /tokenPurchases/{id}/retry with the same request.
	OpPurchase = "purchase"
	// OpConfirm is the confirmation advice of a dual-message purchase that
	// has its tokens; repeated with the same advice id (AdviceID).
	OpConfirm = "confirm"
	// OpReverse is the reversal advice of a dual-message purchase that
	// ended without tokens; repeated with the same advice id.
	OpReverse = "reverse"
)

// Durable timers of a purchase.
const (
	// TimerRetry: the next retry of a purchase whose outcome is unknown.
	TimerRetry = "retry"
	// TimerAdvice: the next attempt of an advice the provider has not
	// accepted or refused yet.
	TimerAdvice = "advice"
)

// Advice statuses (events.PurchaseAdvice.Status).
const (
	AdvicePending   = "pending"   // its call is due
	AdviceRetrying  = "retrying"  // waiting for TimerAdvice
	AdviceDelivered = "delivered" // the provider accepted it (2xx)
	AdviceDeclined  = "declined"  // the provider refused it (400)
)

// State is what the purchase state machine knows of one purchase.
type State struct {
	Status string         `json:"-"`
	Reason *events.Reason `json:"-"`
	// Settings are the merchant's utility settings as they were when the
	// purchase was created.
	Settings Settings `json:"settings"`
	// Since is when the purchase was created: the retry horizon counts
	// from it.
	Since time.Time `json:"since"`
	// Attempt counts the retries scheduled.
	Attempt int `json:"attempt,omitempty"`
	// Resent: after a 404 on a retry, the purchase was sent again as a
	// normal purchase with the same id (once).
	Resent bool `json:"resent,omitempty"`
	// Tokens are the tokens of a completed purchase: its only set.
	Tokens []events.UtilityToken `json:"tokens,omitempty"`
	// Meter is the meter as shown: track2 data masked.
	Meter events.UtilityMeter `json:"meter"`
	// Advice is a dual-message purchase's advice, once it has one.
	Advice *events.PurchaseAdvice `json:"advice,omitempty"`
}

// The shared inputs a purchase takes (orchestrator/lifecycle).
type (
	Input      = lifecycle.Input
	Result     = lifecycle.Result
	TimerFired = lifecycle.TimerFired
)

// Awaits reports whether a purchase in state s still waits for the result
// of op: the purchase (or its retry) while submitted or retrying, an advice
// while it is pending.
func Awaits(s State, op string) bool {
	switch op {
	case OpPurchase:
		return awaitsPurchase(s.Status)
	case OpConfirm, OpReverse:
		return s.Advice != nil && s.Advice.Op == op && s.Advice.Status == AdvicePending
	}
	return false
}

func awaitsPurchase(status string) bool {
	return status == events.StatusSubmitted || status == events.StatusRetrying
}
