package lifecycle

import (
	"fmt"

	"github.com/switchyard/switchyard/events"
)

// Rejection is a business refusal of a command (a code of contract §3 other
// than invalid_request, which a *events.FieldError says): Parse, Create and
// Decide return it, and the engine records command.rejected with it.
type Rejection struct{ Reason events.Reason }

func (r *Rejection) Error() string { return "rejected: " + r.Reason.Code + ": " + r.Reason.Message }

// Reject returns a *Rejection.
func Reject(code, field, format string, args ...any) error {
	return &Rejection{Reason: events.Reason{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}}
}
