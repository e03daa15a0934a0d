package natsauth

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// conn is a connection the responder authorized, until its JWT expires.
type conn struct {
	server  string // server id
	cid     uint64
	hash    string // of its API key
	expires time.Time
}

// tracker remembers the live connections of each key, so that those of a
// key that stopped working can be closed.
type tracker struct {
	mu    sync.Mutex
	conns []conn
}

func newTracker() *tracker { return &tracker{} }

func (t *tracker) add(c conn) {
	t.mu.Lock()
	t.conns = append(t.conns, c)
	t.mu.Unlock()
}

// live drops the connections whose JWT has expired (the server has closed
// them) and returns the others by key hash.
func (t *tracker) live(now time.Time) map[string][]conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := t.conns[:0]
	out := map[string][]conn{}
	for _, c := range t.conns {
		if c.expires.After(now) {
			kept = append(kept, c)
			out[c.hash] = append(out[c.hash], c)
		}
	}
	t.conns = kept
	return out
}

// forget drops the connections of hash.
func (t *tracker) forget(hash string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := t.conns[:0]
	for _, c := range t.conns {
		if c.hash != hash {
			kept = append(kept, c)
		}
	}
	t.conns = kept
}

func (r *Responder) recheckLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.changed:
			r.recheck(ctx)
		}
	}
}

// recheck closes, through the system account, the connections of every
// key that no longer works.
func (r *Responder) recheck(ctx context.Context) {
	for hash, conns := range r.conns.live(r.cfg.Now()) {
		k, err := r.cfg.Keys.Lookup(ctx, []byte(hash))
		if err == nil && !k.ExpiresAt.IsZero() {
			r.recheckAt(hash, k.ExpiresAt) // a rotated key: its connections end with its overlap
		}
		if !errors.Is(err, ErrUnknownKey) {
			continue // still valid, or the database is unreachable: the JWT's expiry bounds it
		}
		for _, c := range conns {
			r.kick(c)
		}
		r.conns.forget(hash)
	}
}

// recheckAt arranges one recheck just after a key's expiry.
func (r *Responder) recheckAt(hash string, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.scheduled[hash].Equal(at) {
		return
	}
	r.scheduled[hash] = at
	time.AfterFunc(time.Until(at)+10*time.Millisecond, func() {
		r.mu.Lock()
		delete(r.scheduled, hash)
		r.mu.Unlock()
		r.Changed()
	})
}

func (r *Responder) kick(c conn) {
	req, _ := json.Marshal(map[string]uint64{"cid": c.cid})
	if _, err := r.cfg.System.Request("$SYS.REQ.SERVER."+c.server+".KICK", req, 2*time.Second); err != nil {
		r.cfg.Log.Debug("natsauth: close connection", "cid", c.cid, "err", err)
		return
	}
	r.cfg.Log.Info("natsauth: closed a connection of a key that stopped working", "cid", c.cid)
}
