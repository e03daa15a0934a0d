package processoneconn

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/connectortest"
)

// TestDeclaration: what the connector declares it can do is what it has
// operations for, each recovered by query first.
func TestDeclaration(t *testing.T) {
	t.Parallel()
	d := Declaration
	if d.Name != events.ProviderProcessOne || !d.Sale || !d.SavesPaymentMethods || !d.Void || !d.Refund || d.ReleaseAuthorized {
		t.Fatalf("declaration %+v", d)
	}
	for _, typ := range []string{events.PaymentCard, events.PaymentToken, events.PaymentBankAccount} {
		if !d.Takes(typ) {
			t.Errorf("does not take %s", typ)
		}
	}
	if d.Takes("wallet") {
		t.Error("takes any payment method")
	}
	conn := New(connectortest.Deps(t), "http://127.0.0.1:1", time.Second)
	reg := connector.NewRegistry(conn) // panics on an operation without its Recover
	for _, op := range []string{OpCharge, OpVoid, OpRefund} {
		_, o, ok := reg.Op(events.ProviderProcessOne, op)
		if !ok || o.Recovery != connector.QueryFirst {
			t.Errorf("operation %s: %v %v", op, ok, o.Recovery)
		}
	}
}
