package brokertest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
)

// TestReadAll: a stream is read back whole and in order, or only on the
// subjects asked for; an empty stream reads as nothing without waiting.
func TestReadAll(t *testing.T) {
	t.Parallel()
	_, js := brokertest.Connect(t, brokertest.Start(t))
	if got := brokertest.ReadAll(t, js, events.StreamEvents); got != nil {
		t.Fatalf("empty PAY_EVENTS read as %d messages", len(got))
	}
	var all, ofA []string
	for i := range 7 {
		merchant := []string{"a", "b"}[i%3%2]
		subj := events.EventSubject(merchant, "charge.pending")
		body := fmt.Sprintf("%s-%d", merchant, i)
		if _, err := js.Publish(t.Context(), subj, []byte(body), jetstream.WithMsgID(body)); err != nil {
			t.Fatal(err)
		}
		all = append(all, body)
		if merchant == "a" {
			ofA = append(ofA, body)
		}
	}
	tests := []struct {
		name     string
		subjects []string
		want     []string
	}{
		{name: "whole stream", want: all},
		{name: "one merchant", subjects: []string{events.MerchantEvents("a")}, want: ofA},
		{name: "no match", subjects: []string{events.MerchantEvents("c")}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range brokertest.ReadAll(t, js, events.StreamEvents, tt.subjects...) {
			got = append(got, string(m.Data()))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: read %v, want %v", tt.name, got, tt.want)
		}
	}
}
