package utilityconn

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
)

// TestDeclaration: the connector declares the utility provider and its
// three operations with the rules of the package doc: the purchase is
// retried with the same id, the advices repeated.
func TestDeclaration(t *testing.T) {
	t.Parallel()
	if Declaration.Name != events.ProviderUtility {
		t.Fatalf("declaration %+v", Declaration)
	}
	reg := connector.NewRegistry(New(connectortest.Deps(t), "http://127.0.0.1:1", time.Second)) // panics on a rule without its Recover
	for op, rule := range map[string]connector.Recovery{
		OpPurchase: connector.RetrySameID, OpConfirm: connector.Repeat, OpReverse: connector.Repeat,
	} {
		_, o, ok := reg.Op(events.ProviderUtility, op)
		if !ok || o.Recovery != rule {
			t.Errorf("operation %s: %v %v, want %v", op, ok, o.Recovery, rule)
		}
	}
}
