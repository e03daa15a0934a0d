package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Problem is an RFC 9457 problem detail with the contract's reason code.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
}

var statusOf = map[string]int{
	events.ReasonInvalidRequest:        http.StatusBadRequest,
	events.ReasonNotFound:              http.StatusNotFound,
	events.ReasonInvalidState:          http.StatusConflict,
	events.ReasonIdempotencyConflict:   http.StatusUnprocessableEntity,
	events.ReasonDuplicateReference:    http.StatusConflict,
	events.ReasonAmountExceedsRefund:   http.StatusUnprocessableEntity,
	events.ReasonUnsupportedByProvider: http.StatusUnprocessableEntity,
	events.ReasonConsentExpired:        http.StatusUnprocessableEntity,
	events.ReasonUnauthorized:          http.StatusUnauthorized,
	events.ReasonUndeliverableCommand:  http.StatusServiceUnavailable,
}

func writeProblem(w http.ResponseWriter, status int, r events.Reason) {
	writeAnswer(w, problemAnswer(status, r), false)
}

// problemAnswer renders the problem of reason r as a whole answer; status 0
// is the reason code's own status.
func problemAnswer(status int, r events.Reason) *store.HTTPAnswer {
	if status == 0 {
		status = statusOf[r.Code]
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	p := Problem{Type: "https://switchyard.dev/problems/" + r.Code, Title: http.StatusText(status), Status: status,
		Detail: r.Message, Code: r.Code, Field: httpField(r.Field)}
	b, _ := json.Marshal(p)
	return &store.HTTPAnswer{Status: status, ContentType: "application/problem+json", Body: append(b, '\n')}
}

// jsonAnswer renders v as a whole JSON answer (as writeJSON writes it).
func jsonAnswer(status int, v any) *store.HTTPAnswer {
	b, _ := json.Marshal(v)
	return &store.HTTPAnswer{Status: status, ContentType: "application/json", Body: append(b, '\n')}
}

// writeAnswer writes a whole answer; replayed marks the kept first answer
// returned to a repeat of its request.
func writeAnswer(w http.ResponseWriter, a *store.HTTPAnswer, replayed bool) {
	w.Header().Set("Content-Type", a.ContentType)
	if a.Location != "" {
		w.Header().Set("Location", a.Location)
	}
	if replayed {
		w.Header().Set(headerReplayed, "true")
	}
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

// httpField names a field as the HTTP client sent it. A command's reasons
// name fields of its envelope (data.amount, as NATS clients see them in
// command.rejected); over HTTP the request body is the command's data, so
// data.amount is the body's amount and data itself is the body.
func httpField(field string) string {
	if field == "data" {
		return "body"
	}
	if f, ok := strings.CutPrefix(field, "data."); ok {
		return f
	}
	return field
}

func problem(w http.ResponseWriter, status int, code, field, detail string) {
	writeProblem(w, status, events.Reason{Code: code, Field: field, Message: detail})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
