package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// maxTimelineChildren bounds the children a timeline lists.
const maxTimelineChildren = 100

// Timeline is GET /v1/transactions/{id}/timeline: everything that happened
// to a transaction, in order, from the records each part keeps: the
// commands that named it, its transitions with what caused them and what
// was decided (calls, timers, retries: the engine's journal), its events,
// every provider call (request and response redacted, with latency), every
// webhook attempt for its events; its parent and children, and the timers
// still set.
type Timeline struct {
	Transaction   *events.Transaction `json:"transaction"`
	Parent        *Related            `json:"parent,omitempty"`
	Children      []Related           `json:"children"`
	PendingTimers []PendingTimer      `json:"pending_timers"`
	Entries       []TimelineEntry     `json:"entries"`
}

// Related is a linked transaction (parent or child).
type Related struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Status    string    `json:"status"`
	Amount    string    `json:"amount"`
	CreatedAt time.Time `json:"created_at"`
}

// PendingTimer is a durable timer still set on the transaction.
type PendingTimer struct {
	Kind    string    `json:"kind"`
	DueAt   time.Time `json:"due_at"`
	Attempt int       `json:"attempt"`
}

// TimelineEntry is one thing that happened; Kind says which field is set.
type TimelineEntry struct {
	At             time.Time               `json:"at"`
	Kind           string                  `json:"kind"` // command, transition, event, provider_call, webhook_attempt
	Command        *TimelineCommand        `json:"command,omitempty"`
	Transition     *engine.JournalEntry    `json:"transition,omitempty"`
	Event          *TimelineEvent          `json:"event,omitempty"`
	ProviderCall   *TimelineProviderCall   `json:"provider_call,omitempty"`
	WebhookAttempt *TimelineWebhookAttempt `json:"webhook_attempt,omitempty"`
}

// TimelineCommand is a command that named the transaction.
type TimelineCommand struct {
	ID      string         `json:"id"`
	Type    string         `json:"type"`
	Outcome string         `json:"outcome"`
	Reason  *events.Reason `json:"reason,omitempty"`
}

// TimelineEvent is one of the transaction's events.
type TimelineEvent struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Sequence    int    `json:"sequence"`
	CausationID string `json:"causation_id,omitempty"`
}

// TimelineProviderCall is one attempt of one provider operation.
type TimelineProviderCall struct {
	Provider  string          `json:"provider"`
	Operation string          `json:"operation"`
	Attempt   int             `json:"attempt"`
	Outcome   string          `json:"outcome"`
	Code      string          `json:"code,omitempty"`
	LatencyMS int64           `json:"latency_ms"`
	Exchanges json.RawMessage `json:"exchanges"`
}

// TimelineWebhookAttempt is one attempt to deliver one of its events.
type TimelineWebhookAttempt struct {
	DeliveryID   string `json:"delivery_id"`
	EndpointID   string `json:"endpoint_id"`
	EventID      string `json:"event_id"`
	EventType    string `json:"event_type"`
	Attempt      int    `json:"attempt"`
	StatusCode   *int   `json:"status_code,omitempty"`
	LatencyMS    int    `json:"latency_ms"`
	Error        string `json:"error,omitempty"`
	ResponseHead string `json:"response_head,omitempty"`
}

// kindOrder orders entries at the same instant: cause before effect.
var kindOrder = map[string]int{"command": 0, "provider_call": 1, "transition": 2, "event": 3, "webhook_attempt": 4}

func (a *API) getTimeline(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
		return
	}
	tl, err := a.timeline(r.Context(), mid, id)
	if errors.Is(err, store.ErrNotFound) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	writeJSON(w, http.StatusOK, tl)
}

func (a *API) timeline(ctx context.Context, mid, id uuid.UUID) (*Timeline, error) {
	st := a.cfg.Engine.Store()
	t, err := st.TransactionGet(ctx, mid, id)
	if err != nil {
		return nil, err
	}
	tl := &Timeline{Transaction: a.cfg.Engine.Resource(t), Children: []Related{}, PendingTimers: []PendingTimer{}}
	if err := a.timelineLinks(ctx, tl, t); err != nil {
		return nil, err
	}
	cmds, err := st.CommandsOf(ctx, mid, id)
	if err != nil {
		return nil, err
	}
	for _, c := range cmds {
		tc := &TimelineCommand{ID: c.ID, Type: c.Type, Outcome: c.Outcome}
		if c.Outcome == store.OutcomeRejected {
			tc.Reason = &events.Reason{Code: c.ReasonCode, Field: c.ReasonField, Message: c.ReasonMessage}
		}
		tl.Entries = append(tl.Entries, TimelineEntry{At: c.CreatedAt, Kind: "command", Command: tc})
	}
	for _, j := range engine.Journal(t) {
		tl.Entries = append(tl.Entries, TimelineEntry{At: j.At, Kind: "transition", Transition: &j})
	}
	evs, err := st.TransactionEvents(ctx, mid, id)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(evs))
	for _, e := range evs {
		ids = append(ids, e.EventID)
		tl.Entries = append(tl.Entries, TimelineEntry{At: eventTime(e), Kind: "event",
			Event: &TimelineEvent{ID: e.EventID.String(), Type: e.Type, Sequence: e.Sequence, CausationID: e.CausationID}})
	}
	calls, err := st.ProviderCalls(ctx, mid, id)
	if err != nil {
		return nil, err
	}
	for _, c := range calls {
		tl.Entries = append(tl.Entries, TimelineEntry{At: c.StartedAt, Kind: "provider_call", ProviderCall: &TimelineProviderCall{
			Provider: c.Provider, Operation: c.Operation, Attempt: c.Attempt, Outcome: c.Outcome, Code: c.Code,
			LatencyMS: c.Latency.Milliseconds(), Exchanges: c.Exchanges}})
	}
	attempts, err := st.WebhookAttemptsOfEvents(ctx, mid, ids)
	if err != nil {
		return nil, err
	}
	for _, at := range attempts {
		tl.Entries = append(tl.Entries, TimelineEntry{At: at.StartedAt, Kind: "webhook_attempt", WebhookAttempt: &TimelineWebhookAttempt{
			DeliveryID: at.DeliveryID.String(), EndpointID: at.EndpointID.String(), EventID: at.EventID.String(), EventType: at.EventType,
			Attempt: at.Attempt, StatusCode: at.StatusCode, LatencyMS: at.LatencyMS, Error: at.Error, ResponseHead: at.ResponseHead}})
	}
	sort.SliceStable(tl.Entries, func(i, j int) bool {
		a, b := tl.Entries[i], tl.Entries[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return kindOrder[a.Kind] < kindOrder[b.Kind]
	})
	if tl.Entries == nil {
		tl.Entries = []TimelineEntry{}
	}
	return tl, nil
}

// timelineLinks fills the parent, the children and the timers still set.
func (a *API) timelineLinks(ctx context.Context, tl *Timeline, t *store.Txn) error {
	st := a.cfg.Engine.Store()
	if t.ParentID != nil {
		p, err := st.TransactionGet(ctx, t.MerchantID, *t.ParentID)
		if err != nil {
			return err
		}
		tl.Parent = &Related{ID: p.ID.String(), Type: p.Type, Status: p.Status, Amount: events.FormatAmount(p.Amount, p.Currency),
			CreatedAt: p.CreatedAt}
	}
	children, err := st.ChildrenOf(ctx, t.MerchantID, t.ID, maxTimelineChildren)
	if err != nil {
		return err
	}
	for _, c := range children {
		tl.Children = append(tl.Children, Related{ID: c.ID.String(), Type: c.Type, Status: c.Status,
			Amount: events.FormatAmount(c.Amount, c.Currency), CreatedAt: c.CreatedAt})
	}
	timers, err := st.TimersOf(ctx, t.MerchantID, t.ID)
	if err != nil {
		return err
	}
	for _, p := range timers {
		tl.PendingTimers = append(tl.PendingTimers, PendingTimer{Kind: p.Kind, DueAt: p.DueAt, Attempt: p.Attempt})
	}
	return nil
}

// eventTime is when the event happened (its envelope's time, the
// transition's own clock), else when its row was written.
func eventTime(e store.Event) time.Time {
	var env struct {
		Time time.Time `json:"time"`
	}
	if json.Unmarshal(e.Envelope, &env) == nil && !env.Time.IsZero() {
		return env.Time
	}
	return e.CreatedAt
}
