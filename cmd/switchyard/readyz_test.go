package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/broker/brokertest"
)

// waitReadyz polls /readyz until it answers status with a body containing
// want.
func (e *env) waitReadyz(status int, want string) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var code int
	var body json.RawMessage
	for time.Now().Before(deadline) {
		body = nil
		code = e.do("GET", "/readyz", "", "", "", &body)
		if code == status && strings.Contains(string(body), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("readyz: %d %s, want %d with %q", code, body, status, want)
}

// TestReadyzWhileIntakeConsumerLost: PAY_COMMANDS deleted under a running
// instance that cannot recreate it (the account may hold one stream only)
// makes /readyz 503 naming the lost consumer; once it can, the instance
// recreates stream and consumer, /readyz is 200 again and a command sent
// afterwards is handled.
func TestReadyzWhileIntakeConsumerLost(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	srv := brokertest.StartServer(t)
	e := newEnvOn(t, allRoles, srv.URL())
	e.waitReadyz(http.StatusOK, "ready")
	m := e.newMerchant("15m")
	limit := func(streams int) {
		t.Helper()
		err := srv.Server.GlobalAccount().UpdateJetStreamLimits(map[string]server.JetStreamAccountLimits{
			"": {MaxMemory: -1, MaxStore: -1, MaxStreams: streams, MaxConsumers: -1, MaxAckPending: -1}})
		if err != nil {
			t.Fatal(err)
		}
	}
	limit(1)
	if err := e.js.DeleteStream(t.Context(), events.StreamCommands); err != nil {
		t.Fatal(err)
	}
	e.waitReadyz(http.StatusServiceUnavailable, "intake: consumer switchyard-intake on PAY_COMMANDS is lost")
	limit(-1)
	e.waitReadyz(http.StatusOK, "ready")
	id := natsTransport{}.create(m, uuid.NewString(), chargeData("ref-after", "10.00"))
	m.waitStatus(id, events.StatusAuthorized)
}
