package lifecycletest

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/engine"
)

// NewCommand returns a command of cmdType with a fresh id. data is sent as
// is when it is a json.RawMessage, marshalled otherwise.
func (h *Harness) NewCommand(cmdType string, data any) *events.Command {
	h.t.Helper()
	raw, ok := data.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			h.t.Fatalf("lifecycletest: %s data: %v", cmdType, err)
		}
	}
	h.mu.Lock()
	h.nextCmd++
	id := fmt.Sprintf("cmd-%d", h.nextCmd)
	h.mu.Unlock()
	return &events.Command{SpecVersion: events.SpecVersion, ID: id, Source: "lifecycletest", Type: cmdType,
		DataContentType: "application/json", Data: raw}
}

// Handle applies cmd for the harness's merchant, as intake does
// (engine.HandleCommand).
func (h *Harness) Handle(cmd *events.Command) (engine.Outcome, error) {
	return h.HandleAs(h.Merchant, cmd)
}

// HandleAs applies cmd for merchantID.
func (h *Harness) HandleAs(merchantID uuid.UUID, cmd *events.Command) (engine.Outcome, error) {
	return h.Engine.HandleCommand(h.t.Context(), merchantID, cmd)
}

// Command applies a command that must be accepted, and returns the id of the
// transaction it created or acted on.
func (h *Harness) Command(cmdType string, data any) uuid.UUID {
	h.t.Helper()
	out, err := h.Handle(h.NewCommand(cmdType, data))
	if err != nil {
		h.t.Fatalf("lifecycletest: %s: %v", cmdType, err)
	}
	if out.Rejected != nil {
		h.t.Fatalf("lifecycletest: %s rejected: %s (field %q): %s", cmdType, out.Rejected.Code, out.Rejected.Field, out.Rejected.Message)
	}
	return out.TransactionID
}

// Rejected applies a command that must be rejected, and returns the reason.
func (h *Harness) Rejected(cmdType string, data any) events.Reason {
	h.t.Helper()
	out, err := h.Handle(h.NewCommand(cmdType, data))
	if err != nil {
		h.t.Fatalf("lifecycletest: %s: %v", cmdType, err)
	}
	if out.Rejected == nil {
		h.t.Fatalf("lifecycletest: %s accepted (transaction %s), want it rejected", cmdType, out.TransactionID)
	}
	return *out.Rejected
}
