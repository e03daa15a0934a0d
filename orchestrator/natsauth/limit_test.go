package natsauth_test

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/natsauth"
)

// countingKeys counts the database lookups of the real store.
type countingKeys struct {
	natsauth.Keys
	n atomic.Int64
}

func (c *countingKeys) Lookup(ctx context.Context, hash []byte) (natsauth.Key, error) {
	c.n.Add(1)
	return c.Keys.Lookup(ctx, hash)
}

// TestFailuresLimited: past Limit.Failures wrong keys, a merchant id is
// refused without a lookup, even with its right key, until the window ends;
// the metric counts each outcome.
func TestFailuresLimited(t *testing.T) {
	t.Parallel()
	keys := &countingKeys{}
	b := setup(t, func(c *natsauth.Config) {
		keys.Keys = c.Keys
		c.Keys, c.Limit = keys, natsauth.Limit{Failures: 3, Window: 2 * time.Second}
	})
	refused, limited := authTotal(t, "refused"), authTotal(t, "limited")
	start := time.Now()
	for range 3 {
		if _, err := b.connectMerchant(t, b.a.ID, "sk_wrong"); !isAuthError(err) {
			t.Fatalf("wrong key: %v", err)
		}
	}
	before := keys.n.Load()
	if _, err := b.connectMerchant(t, b.a.ID, b.a.APIKey); !isAuthError(err) {
		t.Fatalf("right key within the limit's window: %v", err)
	}
	if time.Since(start) >= 2*time.Second {
		t.Skip("machine too slow for a 2 s window")
	}
	if keys.n.Load() != before {
		t.Fatal("a limited merchant id reached the database")
	}
	if _, err := b.connectMerchant(t, b.b.ID, b.b.APIKey); err != nil {
		t.Fatalf("another merchant is not limited: %v", err)
	}
	if got := authTotal(t, "refused") - refused; got < 3 {
		t.Fatalf("refused counted %d, want ≥ 3", got)
	}
	if got := authTotal(t, "limited") - limited; got < 1 {
		t.Fatalf("limited counted %d, want ≥ 1", got)
	}
	eventually(t, "the window to end", func() bool {
		_, err := b.connectMerchant(t, b.a.ID, b.a.APIKey)
		return err == nil
	})
}

func authTotal(t testing.TB, outcome string) int {
	t.Helper()
	var buf bytes.Buffer
	metrics.Default.WriteText(context.Background(), &buf)
	m := regexp.MustCompile(`switchyard_nats_auth_total\{outcome="` + outcome + `"\} (\d+)`).FindSubmatch(buf.Bytes())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
