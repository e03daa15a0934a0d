package natsauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/secret"
)

// CalloutSubject is where nats-server sends authorization requests.
const CalloutSubject = "$SYS.REQ.USER.AUTH"

// queueGroup lets several responders share the requests.
const queueGroup = "switchyard-auth"

// Config configures a Responder.
type Config struct {
	// NATS is connected as an auth_users user of the callout account.
	NATS *nats.Conn
	// System, when set, is connected to the system account: the responder
	// closes there the live connections of keys that stopped working.
	System *nats.Conn
	// Issuer is the account key pair whose public key is the server's
	// auth_callout issuer; it signs the answers and the user JWTs.
	Issuer nkeys.KeyPair
	// Account is where merchants are placed (default broker.MerchantAccount).
	Account string
	Keys    Keys
	// TTL bounds a user JWT (default 5 minutes): the longest a connection
	// of a revoked key lives when System is not set.
	TTL     time.Duration
	Limit   Limit
	Workers int // concurrent lookups (default 16)
	Log     *slog.Logger
	Now     func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Account == "" {
		c.Account = broker.MerchantAccount
	}
	if c.TTL <= 0 {
		c.TTL = 5 * time.Minute
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Limit = c.Limit.withDefaults()
	return c
}

func (c Config) validate() error {
	switch {
	case c.NATS == nil:
		return errors.New("natsauth: Config.NATS is required")
	case c.Issuer == nil:
		return errors.New("natsauth: Config.Issuer is required")
	case c.Keys == nil:
		return errors.New("natsauth: Config.Keys is required")
	}
	if pub, err := c.Issuer.PublicKey(); err != nil || !nkeys.IsValidPublicAccountKey(pub) {
		return fmt.Errorf("natsauth: the issuer must be an account key pair (%v)", err)
	}
	return nil
}

// Responder answers nats-server's authorization requests.
type Responder struct {
	cfg     Config
	lim     *limiter
	conns   *tracker
	sem     chan struct{}
	wg      sync.WaitGroup
	sub     *nats.Subscription
	changed chan struct{}
	cancel  context.CancelFunc

	mu        sync.Mutex
	scheduled map[string]time.Time // key hash → expiry a recheck waits for
}

// New checks cfg and returns a Responder; Start starts it.
func New(cfg Config) (*Responder, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	metrics.Default.Help("switchyard_nats_auth_total", "NATS authorization requests, by outcome: ok, refused, limited (too many failures of that merchant id).")
	return &Responder{cfg: cfg, lim: newLimiter(cfg.Limit), conns: newTracker(), sem: make(chan struct{}, cfg.Workers),
		changed: make(chan struct{}, 1), scheduled: map[string]time.Time{}}, nil
}

// Start subscribes to the callout subject and, with a system connection,
// starts closing connections of keys that stopped working when Changed is
// called.
func (r *Responder) Start(ctx context.Context) error {
	ctx, r.cancel = context.WithCancel(context.WithoutCancel(ctx))
	sub, err := r.cfg.NATS.QueueSubscribe(CalloutSubject, queueGroup, func(m *nats.Msg) {
		r.sem <- struct{}{}
		r.wg.Add(1)
		go func() {
			defer func() { <-r.sem; r.wg.Done() }()
			r.handle(ctx, m)
		}()
	})
	if err != nil {
		r.cancel()
		return fmt.Errorf("natsauth: subscribe %s: %w", CalloutSubject, err)
	}
	if err := r.cfg.NATS.Flush(); err != nil {
		_ = sub.Unsubscribe()
		r.cancel()
		return fmt.Errorf("natsauth: subscribe %s: %w", CalloutSubject, err)
	}
	r.sub = sub
	if r.cfg.System != nil {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.recheckLoop(ctx)
		}()
	}
	return nil
}

// Stop unsubscribes and waits for the requests in hand.
func (r *Responder) Stop() {
	if r.sub != nil {
		_ = r.sub.Unsubscribe()
	}
	if r.cancel != nil {
		r.cancel()
	}
	r.wg.Wait()
}

// Changed tells the responder that API keys may have been revoked or
// rotated (store.ListenAPIKeys calls it); it never blocks.
func (r *Responder) Changed() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

func (r *Responder) handle(ctx context.Context, m *nats.Msg) {
	req, err := jwt.DecodeAuthorizationRequestClaims(string(m.Data))
	if err != nil {
		r.cfg.Log.Warn("natsauth: undecodable authorization request", "err", err)
		return // the server times the connection out
	}
	resp := jwt.NewAuthorizationResponseClaims(req.UserNkey)
	resp.Audience = req.Server.ID
	userJWT, outcome := r.authorize(ctx, req)
	metrics.Default.Inc("switchyard_nats_auth_total", "outcome", outcome)
	if outcome == "ok" {
		resp.Jwt = userJWT
	} else {
		resp.Error = "not authorized"
	}
	tok, err := resp.Encode(r.cfg.Issuer)
	if err != nil {
		r.cfg.Log.Error("natsauth: encode response", "err", err)
		return
	}
	if err := m.Respond([]byte(tok)); err != nil {
		r.cfg.Log.Warn("natsauth: respond", "err", err)
	}
}

// authorize checks the merchant id and key of req (never logged) and
// returns a signed user JWT, with the outcome ok, refused or limited.
func (r *Responder) authorize(ctx context.Context, req *jwt.AuthorizationRequestClaims) (string, string) {
	id, key := req.ConnectOptions.Username, req.ConnectOptions.Password
	if !validMerchantID(id) || key == "" {
		return "", "refused"
	}
	now := r.cfg.Now()
	if !r.lim.allowed(id, now) {
		return "", "limited"
	}
	hash := secret.HashAPIKey(key)
	k, err := r.cfg.Keys.Lookup(ctx, hash)
	if err != nil && !errors.Is(err, ErrUnknownKey) {
		r.cfg.Log.Warn("natsauth: key lookup failed", "merchant_id", id, "err", err)
		return "", "refused"
	}
	if err != nil || k.MerchantID != id {
		r.lim.failed(id, now)
		r.cfg.Log.Info("natsauth: refused", "merchant_id", id, "host", req.ClientInformation.Host)
		return "", "refused"
	}
	expires := now.Add(r.cfg.TTL)
	if !k.ExpiresAt.IsZero() && k.ExpiresAt.Before(expires) {
		expires = k.ExpiresAt
	}
	tok, err := r.userJWT(req.UserNkey, id, expires)
	if err != nil {
		r.cfg.Log.Error("natsauth: encode user JWT", "err", err)
		return "", "refused"
	}
	r.conns.add(conn{server: req.Server.ID, cid: req.ClientInformation.ID, hash: string(hash), expires: expires})
	return tok, "ok"
}

func (r *Responder) userJWT(userNkey, merchantID string, expires time.Time) (string, error) {
	uc := jwt.NewUserClaims(userNkey)
	uc.Name = merchantID
	uc.Audience = r.cfg.Account // the target account, outside operator mode
	uc.Expires = expires.Unix()
	uc.Permissions = Permissions(merchantID)
	return uc.Encode(r.cfg.Issuer)
}

// validMerchantID accepts a merchant id in its canonical form only, so that
// no subject wildcard or separator reaches the permissions.
func validMerchantID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}
