package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// patchMetadata answers PATCH /v1/transactions/{id}/metadata: a JSON merge
// patch of the transaction's metadata ({"k":"v"} sets k, {"k":null}
// removes it), committed with its <type>.metadata_updated event and
// answered 200 with the transaction. Like every changing request it needs
// an Idempotency-Key, recorded as a command: a repeat returns the first
// answer, the same key with another body or transaction is 422. A patch
// the engine refuses (bounds) is not recorded: a repeat is checked again.
func (a *API) patchMetadata(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > events.MaxIDLength {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "Idempotency-Key", "an Idempotency-Key header (1-255 characters) is required")
		return
	}
	patch, err := metadataPatch(r)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	u := &engine.MetadataUpdate{MerchantID: mid, TransactionID: id, Key: key, Patch: patch}
	ctx := r.Context()
	if a.answeredBefore(ctx, w, u) {
		return
	}
	flight := mid.String() + "/" + key
	if _, busy := a.inflight.LoadOrStore(flight, struct{}{}); busy {
		problem(w, http.StatusConflict, "request_in_flight", "Idempotency-Key", "a request with this Idempotency-Key is still in flight")
		return
	}
	defer a.inflight.Delete(flight)
	t, err := a.cfg.Engine.UpdateMetadata(ctx, u)
	var fe *events.FieldError
	switch {
	case errors.Is(err, store.ErrNotFound):
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such transaction")
	case errors.As(err, &fe):
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
	case errors.Is(err, engine.ErrRequestRecorded):
		if !a.answeredBefore(ctx, w, u) {
			a.internal(w, err)
		}
	case err != nil:
		a.internal(w, err)
	default:
		a.replyFirst(ctx, w, mid, key, jsonAnswer(http.StatusOK, a.cfg.Engine.Resource(t)))
	}
}

// answeredBefore answers u when its Idempotency-Key is recorded: 422 when
// the record is of another request, else the first answer (or, when none
// was kept, the transaction as it is, kept from now on).
func (a *API) answeredBefore(ctx context.Context, w http.ResponseWriter, u *engine.MetadataUpdate) bool {
	first, err := a.cfg.Engine.Store().CommandGet(ctx, u.MerchantID, u.Key)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if err != nil {
		a.internal(w, err)
		return true
	}
	if !bytes.Equal(first.DataHash, engine.CommandHash(u.Command())) {
		problem(w, http.StatusUnprocessableEntity, events.ReasonIdempotencyConflict, "Idempotency-Key",
			"this Idempotency-Key was used with another request")
		return true
	}
	if a.replay(ctx, w, u.MerchantID, u.Key) {
		return true
	}
	t, err := a.cfg.Engine.Store().TransactionGet(ctx, u.MerchantID, u.TransactionID)
	if err != nil {
		a.internal(w, err)
		return true
	}
	a.replyFirst(ctx, w, u.MerchantID, u.Key, jsonAnswer(http.StatusOK, a.cfg.Engine.Resource(t)))
	return true
}

// metadataPatch reads the body: one JSON object whose values are strings
// (set) or null (remove), naming at least one key.
func metadataPatch(r *http.Request) (engine.MetadataPatch, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, events.Invalid("body", "could not be read")
	}
	if len(body) > maxBody {
		return nil, events.Invalid("body", "larger than 1 MiB")
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, events.Invalid("body", "must be a JSON object of metadata keys to set (a string) or remove (null)")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, events.Invalid("body", "must be one JSON object with nothing after it")
	}
	if len(raw) == 0 {
		return nil, events.Invalid("body", "names no metadata key to set or remove")
	}
	patch := make(engine.MetadataPatch, len(raw))
	for k, v := range raw {
		if string(v) == "null" {
			patch[k] = nil
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, events.Invalid("metadata."+k, "must be a string, or null to remove the key")
		}
		patch[k] = &s
	}
	return patch, nil
}
