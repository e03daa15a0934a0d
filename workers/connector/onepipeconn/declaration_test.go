package onepipeconn

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
)

// TestDeclaration: the connector declares the onepipe provider, with no
// charge capability, and its five operations with the rules of the package
// doc.
func TestDeclaration(t *testing.T) {
	t.Parallel()
	if Declaration.Name != events.ProviderOnePipe || Declaration.Sale || Declaration.Refund || Declaration.Void {
		t.Fatalf("declaration %+v", Declaration)
	}
	reg := connector.NewRegistry(New(connectortest.Deps(t), "http://127.0.0.1:1", time.Second)) // panics on a rule without its Recover
	for op, rule := range map[string]connector.Recovery{
		OpConsent: connector.QueryFirst, OpValidate: connector.QueryFirst, OpHold: connector.QueryFirst,
		OpCapture: connector.QueryFirst, OpRelease: connector.Repeat,
	} {
		_, o, ok := reg.Op(events.ProviderOnePipe, op)
		if !ok || o.Recovery != rule {
			t.Errorf("operation %s: %v %v, want %v", op, ok, o.Recovery, rule)
		}
	}
}
