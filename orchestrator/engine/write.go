package engine

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// write persists t (inserted when isNew, else updated under its version
// guard), one event when its status changed (or it is new), and the effects,
// together with whatever b already holds (the command's record), in one
// round trip.
func (e *Engine) write(ctx context.Context, tx pgx.Tx, b *store.Batch, t *store.Txn, isNew, emit bool, effs []effect.Effect, causation string) error {
	t.UpdatedAt = e.now()
	if isNew {
		t.CreatedAt, t.Version = t.UpdatedAt, 1
	} else {
		t.Version++
	}
	emits := emitsOf(effs)
	first := t.EventSeq + 1
	t.EventSeq += len(emits)
	if emit {
		t.EventSeq++
	}
	if isNew {
		b.TransactionInsert(t)
	} else {
		b.TransactionUpdate(t)
	}
	tp := traceOf(ctx, t)
	e.queueEmits(b, t, first, emits, causation, tp)
	if emit {
		e.queueEvent(b, t, causation, tp)
	}
	for _, eff := range effs {
		e.queueEffect(b, t, eff)
	}
	if err := b.Send(ctx, tx); err != nil {
		return err
	}
	if emit {
		e.observe(t, isNew)
	}
	return nil
}

// queueParent queues the update of the parent a child's transition changed,
// with the parent's event when its status moved from prev; its events carry
// traceparent tp (the child's).
func (e *Engine) queueParent(b *store.Batch, t *store.Txn, prev, causation, tp string, emits []effect.Emit) {
	emit := t.Status != prev
	t.UpdatedAt = e.now()
	t.Version++
	first := t.EventSeq + 1
	t.EventSeq += len(emits)
	if emit {
		t.EventSeq++
	}
	b.TransactionUpdate(t)
	e.queueEmits(b, t, first, emits, causation, tp)
	if emit {
		e.queueEvent(b, t, causation, tp)
		e.observe(t, false)
	}
}

func (e *Engine) queueEffect(b *store.Batch, t *store.Txn, eff effect.Effect) {
	switch eff := eff.(type) {
	case effect.Call:
		b.WorkInsert(store.WorkItem{Kind: store.WorkProviderCall, TransactionID: t.ID, MerchantID: t.MerchantID, Provider: t.Provider, Op: eff.Op,
			ByReference: eff.ByReference, Recover: eff.Recover, Version: t.Version})
	case effect.SetTimer:
		b.TimerSet(t.MerchantID, t.ID, eff.Kind, eff.At, eff.Attempt)
	case effect.CancelTimer:
		b.TimerCancel(t.MerchantID, t.ID, eff.Kind)
	}
}

// queueEvent adds the event of t's current status to the history and outbox.
func (e *Engine) queueEvent(b *store.Batch, t *store.Txn, causation, tp string) {
	e.queueEventOf(b, t, events.EventType(t.Type, t.Status), t.EventSeq, nil, causation, tp)
}

// queueEventOf adds event typ of t, numbered seq, to the history and
// outbox; detail, when set, is its data.detail; tp, when set, its
// traceparent.
func (e *Engine) queueEventOf(b *store.Batch, t *store.Txn, typ string, seq int, detail json.RawMessage, causation, tp string) {
	ev := events.Event{
		SpecVersion: events.SpecVersion, ID: uuid.NewString(), Source: events.Source,
		Type: typ, Subject: t.ID.String(), Time: t.UpdatedAt,
		DataContentType: "application/json", MerchantID: t.MerchantID.String(), Sequence: seq,
		CausationID: causation, TraceParent: tp,
		Data: events.EventData{Transaction: e.Resource(t), Reason: t.Reason, Detail: detail},
	}
	payload, _ := json.Marshal(ev)
	evID := uuid.MustParse(ev.ID)
	b.EventInsert(t.MerchantID, t.ID, seq, evID, ev.Type, causation, payload)
	b.OutboxInsert(store.OutboxRow{MerchantID: t.MerchantID, PartitionKey: t.ID.String(), Subject: events.EventSubject(ev.MerchantID, ev.Type),
		MsgID: ev.ID, Payload: payload})
}

// queueRejected adds a command.rejected event to the outbox. Its id is
// derived from the command, so a re-send is dropped by the stream's
// duplicate window.
func (e *Engine) queueRejected(b *store.Batch, merchantID uuid.UUID, cmd *events.Command, txnID uuid.UUID, reason events.Reason, salt string) {
	key, subject := merchantID.String(), ""
	if txnID != uuid.Nil {
		key, subject = txnID.String(), txnID.String()
	}
	ev := events.Rejected(merchantID.String(), cmd, subject, reason, salt, e.now())
	payload, _ := json.Marshal(ev)
	b.OutboxInsert(store.OutboxRow{MerchantID: merchantID, PartitionKey: key, Subject: events.EventSubject(ev.MerchantID, ev.Type),
		MsgID: ev.ID, Payload: payload})
}
