package brokertest

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/orchestrator/broker"
)

// ReadTimeout bounds one ReadAll: counting, then reading every message.
const ReadTimeout = 30 * time.Second

// Start starts an embedded JetStream server (file store under t.TempDir(),
// a free port on 127.0.0.1), declares Switchyard's streams on it with
// broker.EnsureStreams, and shuts it down when the test ends. It returns the
// client URL.
func Start(t testing.TB) (url string) {
	t.Helper()
	return StartServer(t).URL()
}

// StartServer is Start returning the server itself, for tests that change
// it under a running client (account limits, shutdown).
func StartServer(t testing.TB) *broker.Embedded {
	t.Helper()
	srv, err := broker.StartEmbedded(broker.EmbeddedOptions{StoreDir: t.TempDir(), Port: -1})
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	t.Cleanup(srv.Shutdown)
	nc, err := broker.Connect(srv.URL(), "brokertest")
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	if err := broker.EnsureStreams(t.Context(), js); err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	return srv
}

// Connect connects to url, named after the test unless opts name it
// otherwise, and closes the connection when the test ends (before a server
// from an earlier Start is shut down).
func Connect(t testing.TB, url string, opts ...nats.Option) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(url, append([]nats.Option{nats.Name(t.Name())}, opts...)...)
	if err != nil {
		t.Fatalf("brokertest: connect %s: %v", url, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("brokertest: %v", err)
	}
	return nc, js
}

// ReadAll reads every message of stream on subjects (on all its subjects
// when none is given) in stream order with an ordered consumer, up to the
// one that leaves nothing pending. It fails the test on any error or when
// the messages are not all read within ReadTimeout.
func ReadAll(t testing.TB, js jetstream.JetStream, stream string, subjects ...string) []jetstream.Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), ReadTimeout)
	defer cancel()
	want, err := count(ctx, js, stream, subjects)
	if err != nil {
		t.Fatalf("brokertest: count %s %v: %v", stream, subjects, err)
	}
	if want == 0 {
		return nil
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: subjects})
	if err != nil {
		t.Fatalf("brokertest: read %s: %v", stream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		t.Fatalf("brokertest: read %s: %v", stream, err)
	}
	defer it.Stop()
	out := make([]jetstream.Msg, 0, want)
	for {
		m, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			t.Fatalf("brokertest: read %s %v after %d of %d messages: %v", stream, subjects, len(out), want, err)
		}
		out = append(out, m)
		meta, err := m.Metadata()
		if err != nil {
			t.Fatalf("brokertest: read %s: %v", stream, err)
		}
		if meta.NumPending == 0 {
			return out
		}
	}
}

// count is how many messages stream holds on subjects (on all of them when
// none is given).
func count(ctx context.Context, js jetstream.JetStream, stream string, subjects []string) (uint64, error) {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return 0, err
	}
	if len(subjects) == 0 {
		info, err := s.Info(ctx)
		if err != nil {
			return 0, err
		}
		return info.State.Msgs, nil
	}
	var n uint64
	for _, subj := range subjects {
		info, err := s.Info(ctx, jetstream.WithSubjectFilter(subj))
		if err != nil {
			return 0, err
		}
		for _, c := range info.State.Subjects {
			n += c
		}
	}
	return n, nil
}
