package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
)

// MaxCallbackBody bounds a provider callback's body.
const MaxCallbackBody = 64 << 10

// ProviderCallback turns one provider callback (POST
// /v1/provider-callbacks/{provider}, body read and bounded) into the
// merchant it is for and the command it makes, after checking it is the
// provider's (a signature). A *CallbackError is answered as that problem;
// any other error is an internal failure, answered 503 so that the
// provider tries again. The implementations live with their connectors
// (workers/connector/...), wired in cmd/switchyard: the orchestrator
// imports no worker.
type ProviderCallback func(ctx context.Context, r *http.Request, body []byte) (merchantID uuid.UUID, cmd *events.Command, err error)

// CallbackError is a callback refused for a reason the provider is told:
// 401 bad or missing signature, 400 unreadable body, 404 unknown merchant.
type CallbackError struct {
	Status  int
	Code    string // the problem's code (events.ReasonUnauthorized, ...)
	Message string
}

func (e *CallbackError) Error() string {
	return fmt.Sprintf("provider callback: %d %s: %s", e.Status, e.Code, e.Message)
}

// callbackReceived is the answer to a callback whose command is committed
// (or was already: a repeat of the same callback).
type callbackReceived struct {
	Received bool `json:"received"`
}

// providerCallback serves POST /v1/provider-callbacks/{provider}: the
// provider's ProviderCallback makes the command, the engine applies it as a
// provider's (engine.HandleProviderCommand), and 200 {"received": true}
// answers once it is committed, also for a repeat. A command the engine
// rejects (committed as command.rejected) is answered as that problem.
func (a *API) providerCallback(w http.ResponseWriter, r *http.Request) {
	cb, ok := a.cfg.Callbacks[r.PathValue("provider")]
	if !ok {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "provider", "no callbacks for this provider")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxCallbackBody))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, events.ReasonInvalidRequest, "body",
			fmt.Sprintf("a callback body is at most %d bytes", MaxCallbackBody))
		return
	}
	merchantID, cmd, err := cb(r.Context(), r, body)
	var ce *CallbackError
	if errors.As(err, &ce) {
		problem(w, ce.Status, ce.Code, "", ce.Message)
		return
	}
	if err != nil {
		a.internal(w, fmt.Errorf("provider callback %s: %w", r.PathValue("provider"), err))
		return
	}
	a.applyCallback(w, r, merchantID, cmd)
}

// applyCallback applies a callback's command and answers.
func (a *API) applyCallback(w http.ResponseWriter, r *http.Request, merchantID uuid.UUID, cmd *events.Command) {
	out, err := a.cfg.Engine.HandleProviderCommand(r.Context(), merchantID, cmd)
	if errors.Is(err, engine.ErrUnknownMerchant) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "merchant", "no such merchant")
		return
	}
	if err != nil {
		a.internal(w, fmt.Errorf("provider callback %s: %w", r.PathValue("provider"), err))
		return
	}
	if out.Rejected != nil {
		writeProblem(w, 0, *out.Rejected)
		return
	}
	writeJSON(w, http.StatusOK, callbackReceived{Received: true})
}
