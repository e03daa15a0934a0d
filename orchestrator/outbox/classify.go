package outbox

import (
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// jsErrCodeHeaderExceedsMaximum is nats-server's JSStreamHeaderExceedsMaximumErr.
const jsErrCodeHeaderExceedsMaximum jetstream.ErrorCode = 10097

// permanent reports whether publishing a row failed for a reason that
// retrying the same bytes cannot fix: the row is over the server's max
// payload or the stream's max message size, or its subject is invalid.
// Anything else (no PubAck in time, no stream responding, connection lost)
// is transient.
func permanent(err error) bool {
	if errors.Is(err, nats.ErrMaxPayload) || errors.Is(err, nats.ErrBadSubject) {
		return true
	}
	var api *jetstream.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode {
		case jetstream.JSErrCodeStreamMessageExceedsMaximum, jsErrCodeHeaderExceedsMaximum:
			return true
		}
	}
	return false
}

// sequenced reports whether a row is a transaction's event, which carries
// the transaction's sequence; the other rows are command.rejected events,
// which have none (their partition key is the merchant, or the transaction
// they were about).
func sequenced(row store.OutboxRow) bool {
	return !strings.HasSuffix(row.Subject, "."+events.CommandRejected)
}

// merchantOf reads the merchant id out of pay.evt.<merchant_id>.<type>, or
// returns "".
func merchantOf(subject string) string {
	rest, ok := strings.CutPrefix(subject, events.EventRoot+".")
	if !ok {
		return ""
	}
	m, _, _ := strings.Cut(rest, ".")
	if _, err := uuid.Parse(m); err != nil {
		return ""
	}
	return m
}
