// Package intake consumes PAY_COMMANDS with a durable pull consumer and hands
// each command to the engine. A message is erased from PAY_COMMANDS (a secure
// delete) and acknowledged only after the command's effect, or its
// rejection, has committed in PostgreSQL: PAY_COMMANDS is a work queue, and
// the card data a command carries does not rest in it once applied.
//
// Failures: a command that cannot be parsed or validated is rejected
// (command.rejected, committed) and acknowledged, never retried. A command
// that fails for infrastructure reasons (database down) is not acknowledged:
// JetStream redelivers it after the consumer's BackOff, at most MaxDeliver
// times. On the last delivery a failing command is rejected with
// undeliverable_command, published straight to PAY_EVENTS (the database may
// be the thing that is down), logged at error level and counted, and then
// terminated: never silently dropped.
package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/trace"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/tracing"
)

// Consumer settings, set explicitly rather than left to server defaults.
const (
	ConsumerName = "switchyard-intake"
	AckWait      = 30 * time.Second
	MaxDeliver   = 8
)

// BackOff is the server's redelivery schedule of a command that was not
// acknowledged in time (its instance died or hung). It is AckWait at every
// step, on purpose: nats-server uses BackOff[0] in place of AckWait, and it
// measures a NakWithDelay from the BackOff step of the delivery, so any other
// schedule would stretch the RetryDelays below (a delay d on delivery n
// becomes d - AckWait + BackOff[n-1]). The real back-off of a failing
// command is RetryDelays.
var BackOff = constantBackOff(AckWait, MaxDeliver-1)

func constantBackOff(d time.Duration, n int) []time.Duration {
	b := make([]time.Duration, n)
	for i := range b {
		b[i] = d
	}
	return b
}

// RetryDelays is the schedule of a command that failed for infrastructure
// reasons (database down): it is negatively acknowledged with these delays
// until MaxDeliver deliveries have been made.
var RetryDelays = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute}

// Config configures intake.
type Config struct {
	Engine      *engine.Engine
	JetStream   jetstream.JetStream
	Log         *slog.Logger
	Concurrency int // commands handled at once (default 64)
	// RetryDelays overrides the package's RetryDelays (tests).
	RetryDelays []time.Duration
	// TracerProvider makes the span of each command, the child of the
	// traceparent its message carries (default: no spans of its own).
	TracerProvider trace.TracerProvider
}

// Intake is the command consumer.
type Intake struct {
	cfg                     Config
	tracer                  trace.Tracer
	pool                    *broker.Pool
	eraser                  eraser
	handled, rejected, dead atomic.Int64
}

// New returns an Intake.
func New(cfg Config) *Intake {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 64
	}
	if len(cfg.RetryDelays) == 0 {
		cfg.RetryDelays = RetryDelays
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	in := &Intake{cfg: cfg, tracer: tracing.Tracer(cfg.TracerProvider)}
	in.eraser.js = cfg.JetStream
	in.pool = broker.NewPool(cfg.JetStream, broker.PoolConfig{Stream: events.StreamCommands, Consumer: ConsumerConfig(),
		Concurrency: cfg.Concurrency, Handle: in.handle, Log: cfg.Log})
	return in
}

// ConsumerConfig is the durable consumer's configuration.
func ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable: ConsumerName, AckPolicy: jetstream.AckExplicitPolicy, AckWait: AckWait,
		MaxDeliver: MaxDeliver, BackOff: BackOff, FilterSubject: events.CommandRoot + ".>",
		DeliverPolicy: jetstream.DeliverAllPolicy, MaxAckPending: 4096,
	}
}

// Run consumes until ctx ends, recreating the consumer (and PAY_COMMANDS)
// when it is lost.
func (in *Intake) Run(ctx context.Context) error {
	return in.pool.Run(ctx)
}

// Ready is nil while intake's consumer is in place, else a short reason
// (the consumer is lost and not yet recreated).
func (in *Intake) Ready(context.Context) error {
	if err := in.pool.Ready(); err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	return nil
}

// Stats returns commands handled, rejected and dead-lettered.
func (in *Intake) Stats() (handled, rejected, dead int64) {
	return in.handled.Load(), in.rejected.Load(), in.dead.Load()
}

func (in *Intake) handle(ctx context.Context, m jetstream.Msg) {
	merchant, cmd, reason := parse(m)
	ctx, span := in.tracer.Start(tracing.ExtractNATS(ctx, m.Headers()), spanName(cmd),
		trace.WithSpanKind(trace.SpanKindConsumer))
	defer span.End()
	if merchant == uuid.Nil {
		// No merchant to answer: the subject is outside the contract.
		in.cfg.Log.WarnContext(ctx, "command on a malformed subject terminated", "subject", m.Subject(), "reason", reason.Message)
		in.erase(ctx, m)
		_ = m.Term()
		return
	}
	if len(cmd.ID) > events.MaxIDLength {
		// No idempotency key to record it under: answer it without a record.
		in.rejected.Add(1)
		if reason == nil {
			reason = &events.Reason{Code: events.ReasonInvalidRequest, Field: "id",
				Message: fmt.Sprintf("longer than %d characters", events.MaxIDLength)}
		}
		in.answerDirect(ctx, m, merchant, cmd, *reason, "overlong-id")
		return
	}
	out, err := in.apply(ctx, merchant, cmd, reason)
	if errors.Is(err, engine.ErrUnknownMerchant) {
		in.rejected.Add(1)
		in.answerDirect(ctx, m, merchant, cmd, events.Reason{Code: events.ReasonUnauthorized,
			Message: "no merchant " + merchant.String()}, "unknown")
		return
	}
	if err != nil {
		in.retryOrGiveUp(ctx, m, merchant, cmd, err)
		return
	}
	in.handled.Add(1)
	outcome := "accepted"
	switch {
	case out.Rejected != nil:
		in.rejected.Add(1)
		outcome = "rejected"
	case out.Duplicate:
		outcome = "duplicate"
	default:
		in.observeFirstEvent(m, cmd.Type)
	}
	metrics.Default.Inc("switchyard_commands_total", "outcome", outcome)
	in.settle(ctx, m, cmd.ID)
}

// spanName is "intake <command type>"; the type comes from the merchant, so
// it is bounded.
func spanName(cmd *events.Command) string {
	if cmd == nil || cmd.Type == "" {
		return "intake"
	}
	return "intake " + events.Truncate(cmd.Type, 64)
}

// observeFirstEvent records how long an accepted command took from its
// publication (the stream's timestamp) to the commit of its first event.
// The label is the command type when a lifecycle takes it, else "other":
// types come from merchants and must not grow the label set.
func (in *Intake) observeFirstEvent(m jetstream.Msg, typ string) {
	meta, err := m.Metadata()
	if err != nil || meta == nil {
		return
	}
	if _, _, ok := in.cfg.Engine.Lifecycles().ByCommand(typ); !ok {
		typ = "other"
	}
	metrics.Default.Observe(metrics.CommandFirstEventSeconds, time.Since(meta.Timestamp).Seconds(), "type", typ)
}

// settle erases an applied command, then acknowledges it. The erase is the
// one request: the ack after it is not waited for (the message is gone, and
// a redelivery would be answered from the idempotency record anyway). When
// the erase fails the ack still removes the message from the work queue.
func (in *Intake) settle(ctx context.Context, m jetstream.Msg, id string) {
	if in.erase(ctx, m) {
		_ = m.Ack()
		return
	}
	if err := m.DoubleAck(ctx); err != nil {
		// The effect has committed; a redelivery is answered from the
		// idempotency record, so a lost ack costs nothing.
		in.cfg.Log.DebugContext(ctx, "ack failed", "command", id, "err", err)
	}
}

// erase securely deletes m from PAY_COMMANDS; false (logged) when it could
// not.
func (in *Intake) erase(ctx context.Context, m jetstream.Msg) bool {
	if err := in.eraser.erase(ctx, m); err != nil {
		in.cfg.Log.WarnContext(ctx, "could not erase an applied command; acknowledging it removes it", "subject", m.Subject(), "err", err)
		return false
	}
	return true
}

// parse reads the merchant from the subject and the envelope from the body.
// A parse failure comes back as a reason with a best-effort command.
func parse(m jetstream.Msg) (uuid.UUID, *events.Command, *events.Reason) {
	mid, typ, err := events.ParseCommandSubject(m.Subject())
	if err != nil {
		return uuid.Nil, nil, &events.Reason{Code: events.ReasonInvalidRequest, Message: err.Error()}
	}
	merchant, err := uuid.Parse(mid)
	if err != nil {
		return uuid.Nil, nil, &events.Reason{Code: events.ReasonInvalidRequest, Message: "merchant id in subject is not a UUID"}
	}
	cmd, err := events.ParseCommand(m.Data())
	if cmd == nil {
		cmd = &events.Command{}
	}
	if cmd.ID == "" {
		cmd.ID = m.Headers().Get(jetstream.MsgIDHeader)
	}
	if cmd.ID == "" {
		meta, _ := m.Metadata()
		if meta != nil {
			cmd.ID = fmt.Sprintf("stream-seq-%d", meta.Sequence.Stream)
		}
	}
	if cmd.Type == "" {
		cmd.Type = typ
	}
	if err != nil {
		var fe *events.FieldError
		if errors.As(err, &fe) {
			return merchant, cmd, &events.Reason{Code: events.ReasonInvalidRequest, Field: fe.Field, Message: fe.Message}
		}
		return merchant, cmd, &events.Reason{Code: events.ReasonInvalidRequest, Message: err.Error()}
	}
	if cmd.Type != typ {
		return merchant, cmd, &events.Reason{Code: events.ReasonInvalidRequest, Field: "type",
			Message: fmt.Sprintf("type %q does not match the subject's %q", cmd.Type, typ)}
	}
	return merchant, cmd, nil
}

func (in *Intake) apply(ctx context.Context, merchant uuid.UUID, cmd *events.Command, reason *events.Reason) (engine.Outcome, error) {
	if reason != nil {
		if len(cmd.Data) == 0 {
			cmd.Data = json.RawMessage("null")
		}
		return in.cfg.Engine.Reject(ctx, merchant, cmd, *reason)
	}
	return in.cfg.Engine.HandleCommand(ctx, merchant, cmd)
}

// retryOrGiveUp leaves a failing command for redelivery or, on its last
// delivery, rejects it without the database and terminates it.
func (in *Intake) retryOrGiveUp(ctx context.Context, m jetstream.Msg, merchant uuid.UUID, cmd *events.Command, err error) {
	meta, _ := m.Metadata()
	if meta == nil || meta.NumDelivered < MaxDeliver {
		in.cfg.Log.WarnContext(ctx, "command failed; will be redelivered", "command", cmd.ID, "type", cmd.Type, "err", err)
		delays := in.cfg.RetryDelays
		delay := delays[len(delays)-1]
		if meta != nil && int(meta.NumDelivered) <= len(delays) {
			delay = delays[meta.NumDelivered-1]
		}
		_ = m.NakWithDelay(delay)
		return
	}
	in.dead.Add(1)
	metrics.Default.Inc("switchyard_commands_total", "outcome", "undeliverable")
	in.cfg.Log.ErrorContext(ctx, "command given up after the last delivery", "command", cmd.ID, "type", cmd.Type,
		"merchant", merchant, "deliveries", meta.NumDelivered, "err", err)
	in.answerDirect(ctx, m, merchant, cmd, events.Reason{Code: events.ReasonUndeliverableCommand,
		Message: "the command could not be processed after " + fmt.Sprint(meta.NumDelivered) + " attempts; send it again with the same id"}, "dead")
}

// answerDirect publishes command.rejected straight to PAY_EVENTS, without
// the database (which has no record to keep, or is the thing that is down),
// then terminates the message. If even that fails the message is left for
// redelivery: never silently dropped.
func (in *Intake) answerDirect(ctx context.Context, m jetstream.Msg, merchant uuid.UUID, cmd *events.Command, reason events.Reason, salt string) {
	ev := events.Rejected(merchant.String(), cmd, "", reason, salt, time.Now())
	b, _ := json.Marshal(ev)
	msg := &nats.Msg{Subject: events.EventSubject(merchant.String(), events.CommandRejected), Data: b, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, ev.ID)
	if _, perr := in.cfg.JetStream.PublishMsg(ctx, msg); perr != nil {
		in.cfg.Log.ErrorContext(ctx, "could not publish command.rejected; leaving the command for redelivery", "command", cmd.ID, "err", perr)
		_ = m.NakWithDelay(in.cfg.RetryDelays[len(in.cfg.RetryDelays)-1])
		return
	}
	in.erase(ctx, m)
	_ = m.TermWithReason(reason.Code)
}
