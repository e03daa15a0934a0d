package natsauth_test

import (
	"testing"

	"github.com/nats-io/nats.go"
)

// BenchmarkConnect measures connections authorized per second (each a
// callout round trip and one PostgreSQL lookup). The callout runs once per
// connection: messages on an authorized connection never reach it.
func BenchmarkConnect(b *testing.B) {
	env := setup(b)
	for b.Loop() {
		nc, err := nats.Connect(env.url, nats.UserInfo(env.a.ID, env.a.APIKey), nats.CustomInboxPrefix("_INBOX_"+env.a.ID))
		if err != nil {
			b.Fatal(err)
		}
		nc.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conns/s")
}
