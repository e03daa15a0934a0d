package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/merchant"
)

// rotateKey is POST /v1/admin/merchants/{id}/api-keys, body {"overlap":"24h"}
// (optional): it issues a new API key, shown once, and the merchant's
// other keys keep working for the overlap (none by default).
func (a *API) rotateKey(w http.ResponseWriter, r *http.Request) {
	mid, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such merchant")
		return
	}
	var body struct {
		Overlap string `json:"overlap"`
	}
	if err := decodeOptionalBody(r, &body); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	overlap, err := merchant.ParseOverlap(body.Overlap)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	rotated, err := merchant.RotateKey(r.Context(), a.cfg.Engine.Store(), mid, overlap)
	if errors.Is(err, merchant.ErrNotFound) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such merchant")
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	a.cfg.Log.Info("api key rotated", "merchant", mid, "prefix", rotated.Prefix, "previous_keys_expire_at", rotated.PreviousKeysExpireAt)
	writeJSON(w, http.StatusCreated, rotated)
}

// revokeKey is DELETE /v1/admin/merchants/{id}/api-keys/{prefix}: the key
// stops working now, on every instance.
func (a *API) revokeKey(w http.ResponseWriter, r *http.Request) {
	mid, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such merchant")
		return
	}
	prefix := r.PathValue("prefix")
	err = merchant.RevokeKey(r.Context(), a.cfg.Engine.Store(), mid, prefix)
	if errors.Is(err, merchant.ErrNotFound) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "prefix", "the merchant has no unrevoked key with this prefix")
		return
	}
	if err != nil {
		a.internal(w, err)
		return
	}
	a.cfg.Log.Info("api key revoked", "merchant", mid, "prefix", prefix)
	w.WriteHeader(http.StatusNoContent)
}

// decodeOptionalBody decodes a JSON object into v; an empty body leaves v
// as it is.
func decodeOptionalBody(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return events.Invalid("body", "could not be read")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return events.Invalid("body", "%v", err)
	}
	if dec.More() {
		return events.Invalid("body", "must hold one JSON object and nothing after it")
	}
	return nil
}
