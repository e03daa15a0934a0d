package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/metrics"
)

// eraser erases applied commands from PAY_COMMANDS with a secure delete
// (STREAM.MSG.DELETE without no_erase: nats-server overwrites the record
// with random bytes in an unencrypted file store). In the work-queue stream
// the acknowledgement alone would remove the message from the index but
// leave its bytes in the block file until the block is compacted or emptied;
// so intake erases first and acknowledges after. One request per command:
// the erase replaces the DoubleAck round trip, the ack that follows is not
// waited for.
type eraser struct {
	js     jetstream.JetStream
	stream atomic.Pointer[jetstream.Stream] // looked up once, by name
}

// erase securely deletes m from PAY_COMMANDS. A message already gone counts
// as erased.
func (e *eraser) erase(ctx context.Context, m jetstream.Msg) error {
	meta, err := m.Metadata()
	if err != nil {
		return fmt.Errorf("erase: %w", err)
	}
	s, err := e.handle(ctx)
	if err != nil {
		return err
	}
	err = (*s).SecureDeleteMsg(ctx, meta.Sequence.Stream)
	if absent(err) {
		// Already erased (a redelivery), or removed by the stream's limits.
		metrics.Default.Inc("switchyard_commands_erased_total", "outcome", "absent")
		return nil
	}
	if err != nil {
		metrics.Default.Inc("switchyard_commands_erased_total", "outcome", "failed")
		return fmt.Errorf("erase %d: %w", meta.Sequence.Stream, err)
	}
	metrics.Default.Inc("switchyard_commands_erased_total", "outcome", "erased")
	return nil
}

// absent: the server answered that the message (or its stream) is not
// there. It answers a refused delete with a description only ("no message
// found", "sequence N not found"), which nats.go wraps as
// ErrMsgDeleteUnsuccessful.
func absent(err error) bool {
	return errors.Is(err, jetstream.ErrMsgDeleteUnsuccessful) && strings.Contains(err.Error(), "not found") ||
		errors.Is(err, jetstream.ErrMsgDeleteUnsuccessful) && strings.Contains(err.Error(), "no message found") ||
		errors.Is(err, jetstream.ErrStreamNotFound)
}

// handle is the stream's handle; it addresses the stream by name, so it
// stays valid when the stream is recreated.
func (e *eraser) handle(ctx context.Context) (*jetstream.Stream, error) {
	if s := e.stream.Load(); s != nil {
		return s, nil
	}
	s, err := e.js.Stream(ctx, events.StreamCommands)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	e.stream.Store(&s)
	return &s, nil
}
