package engine

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// referenceConstraint is the unique index of a merchant's references within
// a transaction type.
const referenceConstraint = "transactions_reference"

// dispatch applies a command through the lifecycle that takes its type.
func (e *Engine) dispatch(ctx context.Context, tx pgx.Tx, m *store.Merchant, cmd *events.Command, rec *store.Command, fromProvider bool) (uuid.UUID, error) {
	l, creates, ok := e.cfg.Lifecycles.ByCommand(cmd.Type)
	if !ok {
		return uuid.Nil, reject(events.ReasonInvalidRequest, "type", "unknown command type %q", cmd.Type)
	}
	if internal := e.cfg.Lifecycles.Internal(cmd.Type); internal != fromProvider {
		if internal {
			return uuid.Nil, reject(events.ReasonInvalidRequest, "type", "%q is not a merchant command", cmd.Type)
		}
		return uuid.Nil, reject(events.ReasonInvalidRequest, "type", "%q is not a provider command", cmd.Type)
	}
	p, err := l.Parse(cmd.Type, cmd.Data)
	if err != nil {
		if _, ok := asRejection(err); ok {
			return uuid.Nil, err
		}
		return uuid.Nil, reject(events.ReasonInvalidRequest, "data", "%v", err)
	}
	if creates {
		return e.create(ctx, tx, l, m, cmd, rec, p)
	}
	return e.act(ctx, tx, l, m, cmd, rec, p, fromProvider)
}

// create makes the transaction of a creating command, with its parent
// locked first when it has one.
func (e *Engine) create(ctx context.Context, tx pgx.Tx, l lifecycle.Lifecycle, m *store.Merchant, cmd *events.Command,
	rec *store.Command, p lifecycle.Parsed) (uuid.UUID, error) {
	id := TransactionID(m.ID, cmd.ID)
	rec.TransactionID = &id
	var parent *store.Txn
	if !p.Parent.IsZero() {
		var err error
		if parent, _, err = e.lockRef(ctx, tx, m, p.Parent); err != nil && !(p.Parent.Optional && isNotFound(err)) {
			return uuid.Nil, err
		}
	}
	t := &store.Txn{ID: id, MerchantID: m.ID, Type: l.Type()}
	if parent != nil {
		t.ParentID = &parent.ID
	}
	parentPrev := statusOf(parent)
	c := &lifecycle.Creation{Txn: t, Parsed: p, Merchant: m, Parent: parent, Now: e.now(), Seal: e.seal}
	effs, err := l.Create(c)
	if err != nil {
		return uuid.Nil, err
	}
	if t.Metadata == nil {
		t.Metadata = map[string]string{}
	}
	lifecycle.SetDetail(t, detailCausation, cmd.ID)
	keepTraceParent(ctx, t, false)
	journal(t, e.now(), commandCause(cmd), "", effs)
	var b store.Batch
	recordCommand(&b, rec)
	if parent != nil && parentChanged(c.ParentChanged, c.ParentEvents) {
		journalParent(parent, t, e.now(), commandCause(cmd), parentPrev, c.ParentEvents)
		e.queueParent(&b, parent, parentPrev, cmd.ID, traceOf(ctx, t), c.ParentEvents)
	}
	// A rejection rolls the whole transaction back, command record included.
	if err := e.write(ctx, tx, &b, t, true, true, effs, cmd.ID); err != nil {
		if r := constraintRejection(err, t); r != nil {
			return uuid.Nil, r
		}
		return id, err
	}
	return id, nil
}

// constraintRejection turns the violation of a constraint that guards the
// merchant's input into the rejection it stands for: a reference already
// used, or a refund beyond what is refundable (a lifecycle checks it first;
// the constraint holds under any concurrency). Other errors give nil.
func constraintRejection(err error, t *store.Txn) error {
	switch {
	case store.IsUniqueViolation(err, referenceConstraint):
		return reject(events.ReasonDuplicateReference, "data.reference", "reference %q is used by another %s", t.Reference, t.Type)
	case store.IsCheckViolation(err, store.RefundedWithinAmount):
		return reject(events.ReasonAmountExceedsRefund, "data.amount", "the amount exceeds what is refundable")
	}
	return nil
}

// act applies an acting command to the transaction it names.
func (e *Engine) act(ctx context.Context, tx pgx.Tx, l lifecycle.Lifecycle, m *store.Merchant, cmd *events.Command,
	rec *store.Command, p lifecycle.Parsed, fromProvider bool) (uuid.UUID, error) {
	if p.Target.Type == "" {
		p.Target.Type = l.Type()
	}
	t, parent, err := e.lockRef(ctx, tx, m, p.Target)
	if err != nil {
		return uuid.Nil, err
	}
	rec.TransactionID = &t.ID
	if t.Type != l.Type() {
		return uuid.Nil, reject(events.ReasonNotFound, p.Target.Field, "no %s %s", l.Type(), t.ID)
	}
	env := e.env(m, parent)
	prev, parentPrev := t.Status, statusOf(parent)
	effs, err := e.decide(ctx, tx, l, t, p.Input, env)
	if errors.Is(err, lifecycle.ErrInvalidState) {
		return t.ID, reject(events.ReasonInvalidState, "", "%s", strings.TrimPrefix(err.Error(), "invalid state: "))
	}
	if err != nil {
		return t.ID, err
	}
	if err := mergeMetadata(t, p.Metadata); err != nil {
		return t.ID, err
	}
	lifecycle.SetDetail(t, detailCausation, cmd.ID)
	keepTraceParent(ctx, t, fromProvider)
	journal(t, e.now(), commandCause(cmd), prev, effs)
	var b store.Batch
	recordCommand(&b, rec)
	if parentChanged(env.ParentChanged, env.ParentEvents) && parent != nil {
		journalParent(parent, t, e.now(), commandCause(cmd), parentPrev, env.ParentEvents)
		e.queueParent(&b, parent, parentPrev, cmd.ID, traceOf(ctx, t), env.ParentEvents)
	}
	if err := e.write(ctx, tx, &b, t, false, t.Status != prev, effs, cmd.ID); err != nil {
		if r := constraintRejection(err, t); r != nil {
			return t.ID, r
		}
		return t.ID, err
	}
	return t.ID, nil
}

// lockRef resolves a reference and locks the transaction it names, with its
// parent (parent first). A transaction of another merchant, or none, is a
// not_found rejection naming ref's field.
func (e *Engine) lockRef(ctx context.Context, tx pgx.Tx, m *store.Merchant, ref lifecycle.Ref) (t, parent *store.Txn, err error) {
	id := ref.ID
	if id == uuid.Nil {
		id, err = store.TransactionIDByReference(ctx, tx, m.ID, ref.Type, ref.Reference)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, reject(events.ReasonNotFound, ref.Field, "no %s with reference %q", ref.Type, ref.Reference)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	t, parent, err = store.TransactionLock(ctx, tx, m.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		what := ref.Type
		if what == "" {
			what = "transaction"
		}
		return nil, nil, reject(events.ReasonNotFound, ref.Field, "no %s %s", what, id)
	}
	return t, parent, err
}

// mergeMetadata adds a command's metadata to the transaction's: later keys
// win, and the result keeps the contract's bounds.
func mergeMetadata(t *store.Txn, add map[string]string) error {
	if len(add) == 0 {
		return nil
	}
	merged := make(map[string]string, len(t.Metadata)+len(add))
	for k, v := range t.Metadata {
		merged[k] = v
	}
	for k, v := range add {
		merged[k] = v
	}
	if len(merged) > events.MaxMetadataKeys {
		return reject(events.ReasonInvalidRequest, "data.metadata", "the %s would have more than %d metadata keys", t.Type, events.MaxMetadataKeys)
	}
	t.Metadata = merged
	return nil
}
