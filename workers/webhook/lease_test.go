package webhook_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/workers/webhook"
)

// An instance that stops mid-attempt writes nothing; once the lease runs
// out another instance sends again, with the same webhook-id.
func TestStoppedMidAttemptIsSentAgainWithSameID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := make(chan struct{})
	var once sync.Once
	rc := newReceiver(t, func(n int, _ http.ResponseWriter, r *http.Request) {
		if n == 1 {
			once.Do(func() { close(first) })
			<-r.Context().Done() // the first instance never gets an answer
		}
	})
	e := b.newEndpoint(t, rc.srv.URL)
	cfg := b.config()
	cfg.AttemptTimeout, cfg.Lease = time.Second, 2*time.Second
	ev := b.publish(t, "charge.succeeded")

	del, err := webhook.NewDeliverer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	disp, err := webhook.NewDispatcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = disp.Run(ctx); done <- struct{}{} }()
	go func() { _ = del.Run(ctx); done <- struct{}{} }()
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		t.Fatal("no first attempt")
	}
	cancel() // the instance stops mid-attempt
	<-done
	<-done
	if _, attempts, _, _ := b.delivery(t, e.ID, ev); attempts != 0 {
		t.Fatalf("the stopped attempt was recorded: attempts %d", attempts)
	}

	b.run(t, cfg) // another instance
	b.waitDelivery(t, e.ID, ev, store.DeliveryDelivered, 10*time.Second)
	got := rc.requests()
	if len(got) != 2 || got[0].Header.Get("webhook-id") != ev.String() || got[1].Header.Get("webhook-id") != ev.String() {
		t.Errorf("requests %d; webhook-ids must both be %s", len(got), ev)
	}
	if _, attempts, _, _ := b.delivery(t, e.ID, ev); attempts != 1 {
		t.Errorf("attempts recorded: %d, want 1", attempts)
	}
}

// An endpoint deleted before an attempt gets nothing: the delivery fails,
// saying why.
func TestDeletedEndpointIsNotSent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rc := newReceiver(t, nil)
	e := b.newEndpoint(t, rc.srv.URL)
	cfg := b.config()
	disp, err := webhook.NewDispatcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { _ = disp.Run(ctx); close(stopped) }()
	ev := b.publish(t, "charge.succeeded")
	waitFor(t, 10*time.Second, "the delivery", func() bool { _, _, _, ok := b.delivery(t, e.ID, ev); return ok })
	cancel()
	<-stopped
	if _, err := b.st.Pool.Exec(t.Context(), `UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	b.run(t, cfg)
	b.waitDelivery(t, e.ID, ev, store.DeliveryFailed, 10*time.Second)
	if _, attempts, last, _ := b.delivery(t, e.ID, ev); attempts != 0 || last != "endpoint deleted" {
		t.Errorf("attempts %d, last error %q", attempts, last)
	}
	if len(rc.requests()) != 0 {
		t.Error("a deleted endpoint was sent to")
	}
}
