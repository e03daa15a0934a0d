package purchase

import (
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// MetricRetriesExhausted counts purchases failed retries_exhausted.
const MetricRetriesExhausted = metrics.PurchaseRetriesExhaustedTotal

// Lifecycle registers the purchase state machine (orchestrator/lifecycle).
type Lifecycle struct {
	// Log receives the alert of a purchase that failed retries_exhausted
	// (default: discarded).
	Log *slog.Logger
}

// New returns the purchase lifecycle.
func New() *Lifecycle { return &Lifecycle{} }

var _ lifecycle.Lifecycle = (*Lifecycle)(nil)

// Type is "purchase".
func (*Lifecycle) Type() string { return events.TypePurchase }

// Commands: purchase.create creates a purchase; nothing acts on one.
func (*Lifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: events.PurchaseCreate, Creates: true}}
}

// Routes are contract §4's purchase route.
func (*Lifecycle) Routes() []lifecycle.Route {
	return []lifecycle.Route{{Pattern: "POST /v1/purchases", Command: events.PurchaseCreate}}
}

// InFlight: a purchase moves on its own until it completes, is declined or
// fails (a retry may be an hour away: Prefer: wait returns at its bound).
func (*Lifecycle) InFlight(status string) bool {
	return status == events.StatusPending || awaitsPurchase(status)
}

// Final: completed, declined and failed end a purchase (an advice may still
// be delivered after, without a new status).
func (*Lifecycle) Final(status string) bool {
	switch status {
	case events.StatusCompleted, events.StatusDeclined, events.StatusFailed:
		return true
	}
	return false
}

// Parse validates purchase.create.
func (*Lifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	if cmdType != events.PurchaseCreate {
		return lifecycle.Parsed{}, errors.New("purchase: not a purchase command: " + cmdType)
	}
	var d events.PurchaseCreateData
	if err := events.Decode(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	if _, err := d.Validate(); err != nil {
		return lifecycle.Parsed{}, err
	}
	return lifecycle.Parsed{Data: &d}, nil
}

// Create fills a new purchase: a random v4 purchase id and the whole
// request, committed with the transaction before the first call; the
// meter's track2 data sealed apart; the merchant's utility settings kept.
func (l *Lifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	d := c.Parsed.Data.(*events.PurchaseCreateData)
	amount, err := d.Validate()
	if err != nil {
		return nil, err
	}
	meter, err := d.ParseMeter()
	if err != nil {
		return nil, err
	}
	settings, err := SettingsOf(c.Merchant.ProviderSettings[events.ProviderUtility])
	if err != nil {
		return nil, err
	}
	t := c.Txn
	t.Provider, t.Amount, t.Currency, t.Reference, t.Metadata = d.Provider, amount, d.Currency, d.Reference, d.Metadata
	req := Snapshot{PurchaseID: uuid.New(), RequestedAt: c.Now.UTC().Truncate(time.Millisecond), Meter: RequestMeter{MeterID: meter.MeterID},
		Amount: events.FormatAmount(amount, d.Currency), Currency: d.Currency, UtilityType: d.UtilityType, MSISDN: d.MSISDN, Tenders: d.Tenders}
	t.ProviderReference = req.PurchaseID.String()
	lifecycle.SetDetail(t, detailRequest, req)
	if meter.Track2 != "" {
		c.Seal(t, detailTrack2, purposeTrack2, []byte(meter.Track2))
	}
	s, effs := Start(settings, c.Now)
	s.Meter = meter.Masked()
	setState(t, s)
	return effs, nil
}

// Decide runs the purchase machine (Decide) on t. A purchase that fails
// retries_exhausted is counted and alerted (see the package doc).
func (l *Lifecycle) Decide(t *store.Txn, in lifecycle.Input, env *lifecycle.Env) ([]effect.Effect, error) {
	prev := state(t)
	next, effs, err := Decide(prev, in, env.Now)
	if err != nil {
		return nil, err
	}
	setState(t, next)
	if exhausted(next) && !exhausted(prev) {
		l.alert(t, next)
	}
	return effs, nil
}

func exhausted(s State) bool {
	return s.Status == events.StatusFailed && s.Reason != nil && s.Reason.Code == events.ReasonRetriesExhausted
}

// alert counts a purchase whose retries are exhausted and logs it at error
// level (ids only: no meter data, no tokens).
func (l *Lifecycle) alert(t *store.Txn, s State) {
	metrics.Default.Inc(MetricRetriesExhausted)
	if l.Log != nil {
		l.Log.Error("purchase retries exhausted: tokens may exist at the provider; check it",
			"merchant", t.MerchantID, "transaction", t.ID, "purchase_id", t.ProviderReference,
			"retries", s.Attempt, "horizon", s.Settings.Horizon)
	}
}

// Awaits reports whether t still waits for the result of op.
func (*Lifecycle) Awaits(t *store.Txn, op string) bool { return Awaits(state(t), op) }

// Show adds the purchase's tokens, its meter (track2 masked) and its
// advice.
func (*Lifecycle) Show(t *store.Txn, r *events.Transaction) {
	s := state(t)
	r.Tokens = s.Tokens
	if s.Meter != (events.UtilityMeter{}) {
		m := s.Meter
		r.Meter = &m
	}
	r.Advice = s.Advice
}

// state reads the machine's state out of a row.
func state(t *store.Txn) State {
	var s State
	lifecycle.Detail(t, detailState, &s)
	s.Status, s.Reason = t.Status, t.Reason
	return s
}

// setState writes the machine's state into a row. The sealed track2 data
// is dropped once no purchase call can need it (advices do not carry it).
func setState(t *store.Txn, s State) {
	t.Status, t.Reason = s.Status, s.Reason
	lifecycle.SetDetail(t, detailState, s)
	if !awaitsPurchase(s.Status) {
		delete(t.Details, detailTrack2)
	}
}
