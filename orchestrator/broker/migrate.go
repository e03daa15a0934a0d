package broker

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrRetentionChanged: a stream exists with another retention than
// Switchyard declares, which nats-server cannot change in place.
var ErrRetentionChanged = errors.New("stream retention changed")

// retentionError is EnsureStreams' one error for a stream declared with
// another retention (PAY_COMMANDS before it became a work queue).
func retentionError(name string, have, want jetstream.RetentionPolicy) error {
	return fmt.Errorf("%w: %s has %s retention, Switchyard needs %s and nats-server cannot change it in place. "+
		"Stop publishers, let intake drain the stream (its consumer has no pending and no ack-pending messages), "+
		"delete the stream (nats stream rm %s), then start again: it is recreated. See deploy/README.md "+
		"(switchyard dev does this by itself when the stream is drained)", ErrRetentionChanged, name, have, want, name)
}

// checkRetention fails with retentionError when stream name exists with
// another retention than want.
func checkRetention(ctx context.Context, js jetstream.JetStream, want jetstream.StreamConfig) error {
	s, err := js.Stream(ctx, want.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stream %s: %w", want.Name, err)
	}
	if have := s.CachedInfo().Config.Retention; have != want.Retention {
		return retentionError(want.Name, have, want.Retention)
	}
	return nil
}

// MigrateDrained deletes stream when it was declared with another retention
// than Switchyard's and consumer has drained it (no pending, no ack-pending
// messages; with no consumer, the stream must hold no message), so that
// EnsureStreams recreates it. To be sure nothing arrives between the check
// and the delete, the stream is sealed (it then refuses publishes) and
// checked again. It reports whether it deleted the stream; a stream not
// drained is left as it was, with EnsureStreams' error and the counts.
func MigrateDrained(ctx context.Context, js jetstream.JetStream, stream, consumer string) (bool, error) {
	want, ok := declared(stream)
	if !ok {
		return false, fmt.Errorf("stream %s: not one of Switchyard's", stream)
	}
	err := checkRetention(ctx, js, want)
	if !errors.Is(err, ErrRetentionChanged) {
		return false, err
	}
	if derr := drained(ctx, js, stream, consumer); derr != nil {
		return false, fmt.Errorf("%w (not drained: %w)", err, derr)
	}
	if err := seal(ctx, js, stream); err != nil {
		return false, err
	}
	if derr := drained(ctx, js, stream, consumer); derr != nil {
		return false, fmt.Errorf("stream %s was sealed for its migration, then found not drained (%w): "+
			"a command arrived meanwhile; its data is still in the stream", stream, derr)
	}
	if err := js.DeleteStream(ctx, stream); err != nil {
		return false, fmt.Errorf("stream %s: delete for migration: %w", stream, err)
	}
	return true, nil
}

func declared(name string) (jetstream.StreamConfig, bool) {
	for _, cfg := range StreamConfigs() {
		if cfg.Name == name {
			return cfg, true
		}
	}
	return jetstream.StreamConfig{}, false
}

// drained is nil when consumer has nothing pending or awaiting ack on
// stream, or, with no such consumer, when stream holds no message.
func drained(ctx context.Context, js jetstream.JetStream, stream, consumer string) error {
	c, err := js.Consumer(ctx, stream, consumer)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		s, err := js.Stream(ctx, stream)
		if err != nil {
			return err
		}
		if n := s.CachedInfo().State.Msgs; n > 0 {
			return fmt.Errorf("no consumer %s and %d messages", consumer, n)
		}
		return nil
	}
	if err != nil {
		return err
	}
	info := c.CachedInfo()
	if info.NumPending > 0 || info.NumAckPending > 0 {
		return fmt.Errorf("consumer %s: %d pending, %d awaiting ack", consumer, info.NumPending, info.NumAckPending)
	}
	return nil
}

// seal makes stream refuse every further publish.
func seal(ctx context.Context, js jetstream.JetStream, stream string) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return err
	}
	cfg := s.CachedInfo().Config
	cfg.Sealed = true
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("stream %s: seal for migration: %w", stream, err)
	}
	return nil
}
