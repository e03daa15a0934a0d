package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// headerReplayed marks an answer that is the kept first answer to an
// earlier request with the same Idempotency-Key and body.
const headerReplayed = "Idempotent-Replayed"

// A repeat of a finished request returns the first answer (contract §4):
// the status, Content-Type, Location and body the first request got, byte
// for byte, not the transaction as it is by then. A request is finished once
// its command is committed; the answer it then gets (its rejection, or the
// transaction after any Prefer: wait) is kept in PostgreSQL by (merchant,
// Idempotency-Key). A 202 "accepted, not committed yet" is not kept: the
// first repeat after the commit gets, and keeps, a finished answer. When two
// requests with one key answer at once, the first kept answer wins and both
// return it.

// replay writes the kept first answer for key, if there is one.
func (a *API) replay(ctx context.Context, w http.ResponseWriter, mid uuid.UUID, key string) bool {
	prev, err := a.cfg.Engine.Store().HTTPAnswerGet(ctx, mid, key)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			a.internal(w, err)
			return true
		}
		return false
	}
	writeAnswer(w, prev, true)
	return true
}

// replyFirst keeps ans as the first answer for key, unless one was kept
// already, and writes the kept one. An answer over the size bound is written
// but not kept (a repeat then renders its own).
func (a *API) replyFirst(ctx context.Context, w http.ResponseWriter, mid uuid.UUID, key string, ans *store.HTTPAnswer) {
	if len(ans.Body) > store.MaxHTTPAnswerBody {
		a.cfg.Log.Warn("answer too large to keep for repeats", "bytes", len(ans.Body))
		writeAnswer(w, ans, false)
		return
	}
	kept, first, err := a.cfg.Engine.Store().HTTPAnswerKeepFirst(ctx, mid, key, ans)
	if err != nil {
		a.internal(w, err)
		return
	}
	writeAnswer(w, kept, !first)
}
