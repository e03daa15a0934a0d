package events

import (
	"encoding/json"
	"unicode/utf8"
)

// Bounds on what an event echoes back of its input (a command's field names
// and values, a provider's message), in bytes before JSON escaping. JSON
// escapes a byte to at most six ('<' becomes \u003c), so none of these can
// make an event grow by more than six times its bound, and the largest event
// the input limits allow stays far below NATS's 1 MiB max payload (see
// TestLargestEventFits in orchestrator/engine).
const (
	MaxFieldLength       = 128 // reason.field: "data." and the start of the name
	MaxMessageLength     = 512 // reason.message
	MaxCodeLength        = 64  // reason.code, reason.provider_code
	MaxCommandTypeLength = 64  // command_type of command.rejected
)

// Truncated ends a value that Truncate cut short.
const Truncated = "…"

// Truncate returns s when it is at most max bytes long; otherwise its
// longest prefix that ends on a UTF-8 boundary and, with Truncated appended,
// fits in max bytes. The result is never longer than max, so truncating it
// again changes nothing.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if max < len(Truncated) {
		return ""
	}
	cut := max - len(Truncated)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + Truncated
}

// Bounded returns r with every field cut to its bound.
func (r Reason) Bounded() Reason {
	r.Code = Truncate(r.Code, MaxCodeLength)
	r.Field = Truncate(r.Field, MaxFieldLength)
	r.Message = Truncate(r.Message, MaxMessageLength)
	r.ProviderCode = Truncate(r.ProviderCode, MaxCodeLength)
	return r
}

// reasonJSON has Reason's fields without its methods.
type reasonJSON Reason

// MarshalJSON writes r bounded (see Bounded): a reason carries a provider's
// message or an echo of a command's input, and whatever its source, no
// reason on the wire or in a table is longer than the bounds.
func (r Reason) MarshalJSON() ([]byte, error) {
	return json.Marshal(reasonJSON(r.Bounded()))
}
