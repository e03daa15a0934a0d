package engine_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Two more toy lifecycles: a toycode (created open, with a reference; its
// toycode.ping emits "toycode.pinged" without a status change) and a
// toypay, made only by an internal command, child of the toycode its
// reference names when there is one; it emits "toycode.paid" on its parent.
const (
	toyCode       = "toycode"
	toyCodeCreate = "toycode.create"
	toyCodePing   = "toycode.ping"
	toyPay        = "toypay"
	toyPayRecord  = "toypay.record"
)

type toyCodeData struct {
	Reference     string `json:"reference,omitempty"`
	TransactionID string `json:"transaction_id,omitempty"`
}

type ping struct{}

type toyCodeLifecycle struct{ noShow }

func (toyCodeLifecycle) Type() string { return toyCode }
func (toyCodeLifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: toyCodeCreate, Creates: true}, {Type: toyCodePing}}
}
func (toyCodeLifecycle) Parse(cmdType string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d toyCodeData
	if err := json.Unmarshal(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	if cmdType == toyCodePing {
		return lifecycle.Parsed{Target: lifecycle.Ref{ID: uuid.MustParse(d.TransactionID), Field: "data.transaction_id"}, Input: ping{}}, nil
	}
	return lifecycle.Parsed{Data: d.Reference}, nil
}
func (toyCodeLifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	c.Txn.Status, c.Txn.Provider, c.Txn.Currency, c.Txn.Reference = "open", "toy", "ZAR", c.Parsed.Data.(string)
	return nil, nil
}
func (toyCodeLifecycle) Decide(_ *store.Txn, in lifecycle.Input, _ *lifecycle.Env) ([]effect.Effect, error) {
	if _, ok := in.(ping); !ok {
		return nil, lifecycle.ErrIgnored
	}
	return []effect.Effect{effect.Emit{Kind: "pinged", Detail: json.RawMessage(`{"n":1}`)}, effect.Emit{Kind: "pinged", Detail: json.RawMessage(`{"n":2}`)}}, nil
}

type toyPayLifecycle struct{ noShow }

func (toyPayLifecycle) Type() string { return toyPay }
func (toyPayLifecycle) Commands() []lifecycle.Command {
	return []lifecycle.Command{{Type: toyPayRecord, Creates: true, Internal: true}}
}
func (toyPayLifecycle) Parse(_ string, data json.RawMessage) (lifecycle.Parsed, error) {
	var d toyCodeData
	if err := json.Unmarshal(data, &d); err != nil {
		return lifecycle.Parsed{}, err
	}
	return lifecycle.Parsed{Parent: lifecycle.Ref{Reference: d.Reference, Type: toyCode, Field: "data.reference", Optional: true}}, nil
}
func (toyPayLifecycle) Create(c *lifecycle.Creation) ([]effect.Effect, error) {
	c.Txn.Status, c.Txn.Provider, c.Txn.Currency = "recorded", "toy", "ZAR"
	if c.Parent != nil {
		c.ParentEvents = []effect.Emit{{Kind: "paid", Detail: json.RawMessage(`{"payment_id":"` + c.Txn.ID.String() + `"}`)}}
	}
	return nil, nil
}
func (toyPayLifecycle) Decide(*store.Txn, lifecycle.Input, *lifecycle.Env) ([]effect.Effect, error) {
	return nil, lifecycle.ErrIgnored
}

func setupCodes(t *testing.T) (*lifecycletest.Harness, uuid.UUID) {
	t.Parallel()
	h := lifecycletest.New(t, toyCodeLifecycle{}, toyPayLifecycle{})
	return h, h.Command(toyCodeCreate, toyCodeData{Reference: "code-1"})
}

// detailOf reads an event's data.detail.
func detailOf(t *testing.T, ev store.Event) string {
	t.Helper()
	var env events.Event
	if err := json.Unmarshal(ev.Envelope, &env); err != nil {
		t.Fatal(err)
	}
	if env.Sequence != ev.Sequence || env.Type != ev.Type {
		t.Fatalf("envelope %d %s, row %d %s", env.Sequence, env.Type, ev.Sequence, ev.Type)
	}
	if len(env.Data.Detail) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, env.Data.Detail); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestEmitWritesEvents: an Emit is one more event of the transaction, with
// the next sequence numbers and its detail, although the status is the same.
func TestEmitWritesEvents(t *testing.T) {
	h, codeID := setupCodes(t)
	if out, err := h.Handle(h.NewCommand(toyCodePing, toyCodeData{TransactionID: codeID.String()})); err != nil || out.Rejected != nil {
		t.Fatalf("ping: %+v %v", out, err)
	}
	h.ExpectEvents(codeID, "toycode.open", "toycode.pinged", "toycode.pinged")
	evs := h.Events(codeID)
	for i, want := range []string{"", `{"n":1}`, `{"n":2}`} {
		if evs[i].Sequence != i+1 || detailOf(t, evs[i]) != want {
			t.Fatalf("event %d: sequence %d detail %s, want %d %s", i, evs[i].Sequence, detailOf(t, evs[i]), i+1, want)
		}
	}
	if got := h.Txn(codeID); got.EventSeq != 3 || got.Version != 2 {
		t.Fatalf("code at event_seq %d version %d, want 3 and 2", got.EventSeq, got.Version)
	}
}

// TestParentEventsWithChild: the events a child's creation asks of its
// parent are written on the parent in the same commit.
func TestParentEventsWithChild(t *testing.T) {
	h, codeID := setupCodes(t)
	out, err := h.Engine.HandleProviderCommand(t.Context(), h.Merchant, h.NewCommand(toyPayRecord, toyCodeData{Reference: "code-1"}))
	if err != nil || out.Rejected != nil {
		t.Fatalf("record: %+v %v", out, err)
	}
	pay := h.ExpectStatus(out.TransactionID, "recorded")
	if pay.ParentID == nil || *pay.ParentID != codeID {
		t.Fatalf("payment's parent %v, want %s", pay.ParentID, codeID)
	}
	h.ExpectEvents(codeID, "toycode.open", "toycode.paid")
	if got, want := detailOf(t, h.Events(codeID)[1]), `{"payment_id":"`+pay.ID.String()+`"}`; got != want {
		t.Fatalf("detail %s, want %s", got, want)
	}
	if got := h.Txn(codeID); got.Version != 2 || got.EventSeq != 2 {
		t.Fatalf("parent at version %d event_seq %d, want 2 and 2", got.Version, got.EventSeq)
	}
}

// TestOptionalParentMissing: a child whose optional parent ref names
// nothing is created without a parent.
func TestOptionalParentMissing(t *testing.T) {
	h, codeID := setupCodes(t)
	out, err := h.Engine.HandleProviderCommand(t.Context(), h.Merchant, h.NewCommand(toyPayRecord, toyCodeData{Reference: "nobody"}))
	if err != nil || out.Rejected != nil {
		t.Fatalf("record for an unknown code: %+v %v, want it recorded", out, err)
	}
	if pay := h.ExpectStatus(out.TransactionID, "recorded"); pay.ParentID != nil {
		t.Fatalf("payment has parent %s", pay.ParentID)
	}
	h.ExpectEvents(codeID, "toycode.open")
}

// TestInternalCommand: an internal command is refused from a merchant
// (invalid_request on type) and taken from a provider callback; a
// merchant's command is not taken through the provider's door.
func TestInternalCommand(t *testing.T) {
	h, codeID := setupCodes(t)
	out, err := h.Handle(h.NewCommand(toyPayRecord, toyCodeData{Reference: "code-1"}))
	if err != nil || out.Rejected == nil || out.Rejected.Code != events.ReasonInvalidRequest || out.Rejected.Field != "type" {
		t.Fatalf("internal command from a merchant: %+v %v, want invalid_request on type", out.Rejected, err)
	}
	h.ExpectEvents(codeID, "toycode.open")
	out, err = h.Engine.HandleProviderCommand(t.Context(), h.Merchant, h.NewCommand(toyCodePing, toyCodeData{TransactionID: codeID.String()}))
	if err != nil || out.Rejected == nil || out.Rejected.Code != events.ReasonInvalidRequest || out.Rejected.Field != "type" {
		t.Fatalf("merchant command through the provider: %+v %v, want invalid_request on type", out.Rejected, err)
	}
	h.ExpectEvents(codeID, "toycode.open")
}
