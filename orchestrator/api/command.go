package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/orchestrator/tracing"
)

const maxBody = 1 << 20

// command is the handler of a lifecycle's route: the request becomes the
// route's command, with the {id} path value as its PathID field.
func (a *API) command(rt lifecycle.Route) func(http.ResponseWriter, *http.Request, uuid.UUID) {
	return func(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
		var fromPath map[string]any
		if rt.PathID != "" {
			fromPath = map[string]any{rt.PathID: r.PathValue("id")}
		}
		a.submit(w, r, mid, rt.Command, fromPath)
	}
}

// submit turns a request into a command, publishes it to PAY_COMMANDS and
// answers with its outcome.
func (a *API) submit(w http.ResponseWriter, r *http.Request, mid uuid.UUID, typ string, fromPath map[string]any) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > events.MaxIDLength {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "Idempotency-Key", "an Idempotency-Key header (1-255 characters) is required")
		return
	}
	data, err := commandData(r, fromPath)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, fieldReason(err))
		return
	}
	cmd := &events.Command{SpecVersion: events.SpecVersion, ID: key, Source: "http", Type: typ,
		DataContentType: "application/json", Data: data}
	wait := preferWait(r)
	ctx := r.Context()
	if first, err := a.cfg.Engine.Store().CommandGet(ctx, mid, key); err == nil {
		if !bytes.Equal(first.DataHash, engine.CommandHash(cmd)) {
			problem(w, http.StatusUnprocessableEntity, events.ReasonIdempotencyConflict, "Idempotency-Key",
				"this Idempotency-Key was used with another request")
			return
		}
		if a.replay(ctx, w, mid, key) {
			return
		}
		a.answer(w, r, mid, first, wait)
		return
	} else if !errors.Is(err, store.ErrNotFound) {
		a.internal(w, err)
		return
	}
	flight := mid.String() + "/" + key
	if _, busy := a.inflight.LoadOrStore(flight, struct{}{}); busy {
		problem(w, http.StatusConflict, "request_in_flight", "Idempotency-Key", "a request with this Idempotency-Key is still in flight")
		return
	}
	defer a.inflight.Delete(flight)
	rec, err := a.publishAndWait(ctx, mid, cmd)
	if err != nil {
		a.internal(w, err)
		return
	}
	if rec == nil { // not committed yet: the command is durable in JetStream
		a.accepted(w, mid, cmd)
		return
	}
	if !bytes.Equal(rec.DataHash, engine.CommandHash(cmd)) {
		// Another request with this key and another body got there first.
		problem(w, http.StatusUnprocessableEntity, events.ReasonIdempotencyConflict, "Idempotency-Key",
			"this Idempotency-Key was used with another request")
		return
	}
	a.answer(w, r, mid, rec, wait)
}

// commandData reads the JSON object body and merges the path's fields.
func commandData(r *http.Request, fromPath map[string]any) (json.RawMessage, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, events.Invalid("body", "could not be read")
	}
	if len(body) > maxBody {
		return nil, events.Invalid("body", "larger than 1 MiB")
	}
	m := map[string]any{}
	if len(bytes.TrimSpace(body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil || m == nil {
			return nil, events.Invalid("body", "must be a JSON object")
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return nil, events.Invalid("body", "must be one JSON object with nothing after it")
		}
	}
	for k, v := range fromPath {
		m[k] = v
	}
	b, err := json.Marshal(m)
	return b, err
}

func preferWait(r *http.Request) time.Duration {
	for _, part := range strings.Split(r.Header.Get("Prefer"), ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "wait="); ok {
			n, err := strconv.Atoi(v)
			if err == nil && n > 0 {
				return time.Duration(min(n, 30)) * time.Second
			}
		}
	}
	return 0
}

// publishAndWait publishes cmd and waits for intake to commit it; a nil
// record means it was not committed within CommitWait.
func (a *API) publishAndWait(ctx context.Context, mid uuid.UUID, cmd *events.Command) (*store.Command, error) {
	b, _ := json.Marshal(cmd)
	msg := &nats.Msg{Subject: events.CommandSubject(mid.String(), cmd.Type), Data: b, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, cmd.ID)
	tracing.InjectNATS(ctx, msg.Header)
	wake, cancel := a.waiters.add(mid.String() + "/" + cmd.ID)
	defer cancel()
	if _, err := a.cfg.JetStream.PublishMsg(ctx, msg); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(a.cfg.CommitWait)
	return pollUntil(ctx, wake, deadline, func() (*store.Command, bool, error) {
		rec, err := a.cfg.Engine.Store().CommandGet(ctx, mid, cmd.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, false, nil
		}
		return rec, err == nil, err
	})
}

// pollUntil re-checks cond whenever wake fires, every 100ms, until it holds
// or the deadline passes.
func pollUntil[T any](ctx context.Context, wake <-chan struct{}, deadline time.Time, cond func() (T, bool, error)) (T, error) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		v, ok, err := cond()
		if ok || err != nil {
			return v, err
		}
		if time.Now().After(deadline) {
			var zero T
			return zero, nil
		}
		select {
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		case <-wake:
		case <-tick.C:
		}
	}
}

// answer replies to a committed command (its rejection, or the
// transaction) and keeps that reply as the first answer to its request.
func (a *API) answer(w http.ResponseWriter, r *http.Request, mid uuid.UUID, rec *store.Command, wait time.Duration) {
	ans, err := a.render(r.Context(), mid, rec, wait)
	if err != nil {
		a.internal(w, err)
		return
	}
	a.replyFirst(r.Context(), w, mid, rec.ID, ans)
}

// render builds the answer to a committed command.
func (a *API) render(ctx context.Context, mid uuid.UUID, rec *store.Command, wait time.Duration) (*store.HTTPAnswer, error) {
	if rec.Outcome == store.OutcomeRejected {
		return problemAnswer(0, events.Reason{Code: rec.ReasonCode, Field: rec.ReasonField, Message: rec.ReasonMessage}), nil
	}
	if rec.TransactionID == nil {
		return jsonAnswer(http.StatusAccepted, map[string]string{"command_id": rec.ID}), nil
	}
	t, err := a.waitSettled(ctx, mid, *rec.TransactionID, wait)
	if err != nil {
		return nil, err
	}
	ans := jsonAnswer(http.StatusAccepted, a.cfg.Engine.Resource(t))
	ans.Location = "/v1/transactions/" + t.ID.String()
	return ans, nil
}

func (a *API) waitSettled(ctx context.Context, mid, id uuid.UUID, wait time.Duration) (*store.Txn, error) {
	wake, cancel := a.waiters.add(id.String())
	defer cancel()
	var last *store.Txn
	_, err := pollUntil(ctx, wake, time.Now().Add(wait), func() (*store.Txn, bool, error) {
		t, err := a.cfg.Engine.Store().TransactionGet(ctx, mid, id)
		if err != nil {
			return nil, false, err
		}
		last = t
		return t, wait == 0 || !a.cfg.Engine.Lifecycles().InFlight(t.Type, t.Status), nil
	})
	return last, err
}

// accepted answers a command that is durable in JetStream but not committed yet.
func (a *API) accepted(w http.ResponseWriter, mid uuid.UUID, cmd *events.Command) {
	body := map[string]string{"command_id": cmd.ID, "status": "accepted"}
	if _, creates, _ := a.cfg.Engine.Lifecycles().ByCommand(cmd.Type); creates {
		id := engine.TransactionID(mid, cmd.ID).String()
		body["transaction_id"] = id
		w.Header().Set("Location", "/v1/transactions/"+id)
	}
	writeJSON(w, http.StatusAccepted, body)
}

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return events.Invalid("body", "%v", err)
	}
	return nil
}

func fieldReason(err error) events.Reason {
	var fe *events.FieldError
	if errors.As(err, &fe) {
		return events.Reason{Code: events.ReasonInvalidRequest, Field: fe.Field, Message: fe.Message}
	}
	return events.Reason{Code: events.ReasonInvalidRequest, Message: err.Error()}
}
