package api

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestKeyCache(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	m := uuid.New()
	tests := []struct {
		name    string
		expires time.Time     // the key's own expiry (zero: none)
		clear   bool          // a rotation or revocation between the read and the put
		at      time.Duration // when the cache is asked, after t0
		want    bool
	}{
		{"fresh", time.Time{}, false, 29 * time.Second, true},
		{"trusted for the ttl only", time.Time{}, false, 30 * time.Second, false},
		{"not past the key's expiry", t0.Add(5 * time.Second), false, 5 * time.Second, false},
		{"before the key's expiry", t0.Add(5 * time.Second), false, 4 * time.Second, true},
		{"a read that began before a clear is not kept", time.Time{}, true, time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newKeyCache(30 * time.Second)
			_, gen, ok := c.get([]byte("h"), t0)
			if ok {
				t.Fatal("empty cache hit")
			}
			if tt.clear {
				c.clear()
			}
			c.put([]byte("h"), m, tt.expires, gen, t0)
			got, _, ok := c.get([]byte("h"), t0.Add(tt.at))
			if ok != tt.want || (ok && got != m) {
				t.Fatalf("get = %v, %v; want hit %v", got, ok, tt.want)
			}
		})
	}
	c := newKeyCache(time.Minute)
	_, gen, _ := c.get([]byte("h"), t0)
	c.put([]byte("h"), m, time.Time{}, gen, t0)
	c.clear()
	if _, _, ok := c.get([]byte("h"), t0); ok {
		t.Fatal("clear kept an entry")
	}
}
