package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/merchant"
)

// setSettlement is PATCH /v1/admin/merchants/{id}/settlement, body
// {"batch_cutoff":"18:00","time_zone":"Africa/Johannesburg"} (a field left
// out keeps its value): it changes when the merchant's daily batch closes
// and moves its cut-off timer in the same commit.
func (a *API) setSettlement(w http.ResponseWriter, r *http.Request) {
	mid, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such merchant")
		return
	}
	var body merchant.Settlement
	if err := decodeBody(r, &body); err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	settled, err := merchant.SetSettlement(r.Context(), a.cfg.Engine.Store(), mid, body)
	var fe *events.FieldError
	switch {
	case errors.As(err, &fe): // named in the body of this route, without the "settlement." of the merchant body
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, strings.TrimPrefix(fe.Field, "settlement."), fe.Message)
	case errors.Is(err, merchant.ErrNotFound):
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such merchant")
	case err != nil:
		a.internal(w, err)
	default:
		a.cfg.Log.Info("merchant settlement changed", "merchant", mid, "batch_cutoff", settled.BatchCutoff,
			"time_zone", settled.TimeZone, "next_cutoff", settled.NextCutoff)
		writeJSON(w, http.StatusOK, settled)
	}
}
