package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/switchyard/switchyard/events"
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
	if status == 0 {
		status = statusOf[r.Code]
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	p := Problem{Type: "https://switchyard.dev/problems/" + r.Code, Title: http.StatusText(status), Status: status,
		Detail: r.Message, Code: r.Code, Field: httpField(r.Field)}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
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
