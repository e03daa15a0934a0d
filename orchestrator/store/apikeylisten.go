package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// ListenAPIKeys calls changed whenever an API key may have been rotated or
// revoked: on every notification of APIKeyChannel, and each time the
// listener (re)connects, since notifications sent while it was away are
// lost. It holds its own connection, outside the pool, so that it takes
// nothing from the requests, and reconnects after a second until ctx ends.
func (s *Store) ListenAPIKeys(ctx context.Context, changed func(), log *slog.Logger) {
	for ctx.Err() == nil {
		err := s.listenAPIKeysOnce(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		log.Warn("api key listener lost; cached keys expire by themselves until it is back", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (s *Store) listenAPIKeysOnce(ctx context.Context, changed func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+APIKeyChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	changed() // anything sent before this LISTEN was missed
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		changed()
	}
}
