package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// view serves a lifecycle's read-only route (lifecycle.View) for the
// merchant's transaction {id} of type v.Type: 404 for another merchant's or
// another type's, 400 naming a bad parameter, 409 when there is nothing to
// show yet.
func (a *API) view(v lifecycle.TypedView) merchantHandler {
	return func(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
		notFound := func() { problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such "+v.Type) }
		id, err := uuid.Parse(r.PathValue("id"))
		if err != nil {
			notFound()
			return
		}
		t, err := a.cfg.Engine.Store().TransactionGet(r.Context(), mid, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && t.Type != v.Type) {
			notFound()
			return
		}
		if err != nil {
			a.internal(w, err)
			return
		}
		ct, body, err := v.Render(t, r.URL.Query())
		var fe *events.FieldError
		switch {
		case errors.As(err, &fe):
			problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, fe.Field, fe.Message)
		case errors.Is(err, lifecycle.ErrInvalidState):
			problem(w, http.StatusConflict, events.ReasonInvalidState, "id", strings.TrimPrefix(err.Error(), lifecycle.ErrInvalidState.Error()+": "))
		case err != nil:
			a.internal(w, fmt.Errorf("%s of %s: %w", v.Pattern, id, err))
		default:
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write(body)
		}
	}
}
