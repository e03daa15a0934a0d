package store

import (
	"context"
	"log/slog"
	"time"
)

// Listen holds a LISTEN on channel and turns each notification into a
// non-blocking send on wake, reconnecting after a second when the connection
// is lost, until ctx ends. Callers keep a polling fallback: a notification
// can be missed while the listener reconnects. With a Waker it also
// subscribes there: writers with a Waker wake through it, writers without
// one (another process, an operator command) through NOTIFY.
func (s *Store) Listen(ctx context.Context, channel string, wake chan<- struct{}, log *slog.Logger) {
	if s.waker != nil {
		stop, err := s.waker.Subscribe(channel, wake)
		if err != nil {
			log.Warn("could not subscribe to wake-ups; LISTEN and polling only", "channel", channel, "err", err)
		} else {
			defer stop()
		}
	}
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, channel, wake)
		if ctx.Err() == nil {
			log.Warn("listener lost; polling until it is back", "channel", channel, "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, channel string, wake chan<- struct{}) error {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	defer func() {
		if ctx.Err() != nil {
			conn.Conn().Close(context.Background()) // drop the LISTEN with the connection
		}
	}()
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
		select {
		case wake <- struct{}{}:
		default:
		}
	}
}
