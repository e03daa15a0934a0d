package codesconn

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/simulator"
)

// TestDeclaration: each operation declares its rule; only create is never
// repeated (no lookup by merchant reference, no idempotency at the provider).
func TestDeclaration(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	for name, rule := range map[string]connector.Recovery{
		OpCreate: connector.ReportUnknown, OpUpdate: connector.Repeat, OpSetAmount: connector.Repeat,
		OpBlock: connector.Repeat, OpUnblock: connector.Repeat, OpDelete: connector.Repeat, OpVerify: connector.Repeat,
	} {
		if got := r.op(t, name).Recovery; got != rule {
			t.Errorf("%s: %v, want %v", name, got, rule)
		}
	}
	if n := len(r.conn.Operations); n != 7 {
		t.Errorf("%d operations, want 7", n)
	}
}

// TestCreate: the code the provider issued is the transaction's provider
// reference, and its expiry comes back in Data (null for never).
func TestCreate(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := spec("10.50")
	txn := r.created(t, s)
	if len(txn.ProviderReference) != 10 {
		t.Fatalf("provider reference %q, want the 10-digit code", txn.ProviderReference)
	}
	d, err := r.c.clientFor(t.Context(), txn)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Get(t.Context(), txn.ProviderReference)
	if err != nil {
		t.Fatal(err)
	}
	if got.MerchantReference != s.Reference || !got.Amount.Equal(s.Amount) || got.ShortDescription != s.ShortDescription || !got.UseOnce {
		t.Fatalf("the provider holds %+v, want %+v", got, s)
	}

	never := spec("0")
	never.Expires = nil
	res := r.call(t, OpCreate, r.codeTxn(never))
	want(t, "create never", res, lifecycle.OK, "")
	var data map[string]any
	if err := json.Unmarshal(res.Data, &data); err != nil {
		t.Fatal(err)
	}
	if v, ok := data["expires_at"]; !ok || v != nil || data["code"] != res.ProviderReference {
		t.Fatalf("data %s: want the code and expires_at null", res.Data)
	}
}

// TestCreateExpiry: the expiry sent is the one the lifecycle resolved, and
// the one answered comes back in Data.
func TestCreateExpiry(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := spec("5")
	res := r.call(t, OpCreate, r.codeTxn(s))
	want(t, "create", res, lifecycle.OK, "")
	var data struct {
		Code      string     `json:"code"`
		ExpiresAt *time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal(res.Data, &data); err != nil || data.ExpiresAt == nil {
		t.Fatalf("data %s: %v", res.Data, err)
	}
	if !data.ExpiresAt.Equal(*s.Expires) {
		t.Fatalf("expires_at %v, want %v", data.ExpiresAt, s.Expires)
	}
}

// TestChanges: update, set_amount, block, unblock and delete reach the
// provider, and a repeat of each changes nothing more (Repeat); a delete
// answered 431 (already gone) is OK.
func TestChanges(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := spec("10")
	txn := r.created(t, s)
	cl, err := r.c.clientFor(t.Context(), txn)
	if err != nil {
		t.Fatal(err)
	}
	status := func() string {
		d, err := cl.Get(t.Context(), txn.ProviderReference)
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}

	later := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Millisecond)
	s.ShortDescription, s.Expires = "A new description", &later
	r.setSpec(txn, s)
	res := r.call(t, OpUpdate, txn)
	want(t, "update", res, lifecycle.OK, "")
	var data struct {
		ExpiresAt *time.Time `json:"expires_at"`
	}
	if err := json.Unmarshal(res.Data, &data); err != nil || data.ExpiresAt == nil || !data.ExpiresAt.Equal(later) {
		t.Fatalf("update data %s (%v), want expires_at %s", res.Data, err, later)
	}
	if d, _ := cl.Get(t.Context(), txn.ProviderReference); d.ShortDescription != s.ShortDescription {
		t.Fatalf("description %q after update", d.ShortDescription)
	}

	s.Amount = decimal.RequireFromString("25.75")
	r.setSpec(txn, s)
	want(t, "set_amount", r.call(t, OpSetAmount, txn), lifecycle.OK, "")
	if d, _ := cl.Get(t.Context(), txn.ProviderReference); !d.Amount.Equal(s.Amount) {
		t.Fatalf("amount %s after set_amount", d.Amount)
	}

	for _, step := range []struct{ op, status string }{
		{OpBlock, "BLOCKED"}, {OpBlock, "BLOCKED"}, {OpUnblock, "ACTIVE"}, {OpUnblock, "ACTIVE"},
	} {
		want(t, step.op, r.call(t, step.op, txn), lifecycle.OK, "")
		if got := status(); got != step.status {
			t.Fatalf("after %s: %s, want %s", step.op, got, step.status)
		}
	}
	want(t, "delete", r.call(t, OpDelete, txn), lifecycle.OK, "")
	want(t, "delete again (431: already gone)", r.call(t, OpDelete, txn), lifecycle.OK, "")
	if n := r.sim.CodeCount(); n != 0 {
		t.Fatalf("%d codes left after delete", n)
	}
}

// TestErrorStatuses: each of the provider's error statuses is a decline
// with the status as its code and a message of its own; a time-out, a
// dropped connection and other 5xx are unknown.
func TestErrorStatuses(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	base := r.created(t, spec("10"))
	ops := []string{OpCreate, OpUpdate, OpSetAmount, OpBlock, OpUnblock, OpDelete}
	messages := map[string]string{}
	for _, status := range []int{400, 403, 431, 439, 440, 512, 513} {
		for _, op := range ops {
			if op == OpDelete && status == 431 {
				continue // already gone: OK (TestChanges)
			}
			r.sim.Harness().Arm(simulator.Fault{Path: "/code/", Status: status})
			txn := base
			if op == OpCreate {
				txn = r.codeTxn(spec("10"))
			}
			res := r.call(t, op, txn)
			code := decimal.NewFromInt(int64(status)).String()
			want(t, op, res, lifecycle.Declined, code)
			if res.Message == "" {
				t.Fatalf("%s %d: no message", op, status)
			}
			if m, ok := messages[code]; ok && m != res.Message {
				t.Fatalf("%s %d: message %q, another op said %q", op, status, res.Message, m)
			}
			messages[code] = res.Message
		}
	}
	seen := map[string]string{}
	for code, m := range messages {
		if other, dup := seen[m]; dup {
			t.Errorf("%s and %s share the message %q", code, other, m)
		}
		seen[m] = code
	}
	for _, f := range []simulator.Fault{{Path: "/code/", Status: 500}, {Path: "/code/", Status: 503}, {Path: "/code/", Status: 504},
		{Path: "/code/", Drop: true}, {Path: "/code/", Lose: true}} {
		for _, op := range ops {
			r.sim.Harness().Arm(f)
			txn := base
			if op == OpCreate {
				txn = r.codeTxn(spec("10"))
			}
			want(t, op+" "+fmtFault(f), r.call(t, op, txn), lifecycle.Unknown, codeOf(f))
		}
	}
}

func fmtFault(f simulator.Fault) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// codeOf is the code an unknown result carries: the status when there was one.
func codeOf(f simulator.Fault) string {
	if f.Status == 0 {
		return ""
	}
	return decimal.NewFromInt(int64(f.Status)).String()
}

// TestRealDeclines: the simulator's own refusals (not armed faults) come
// through as declines: a bad spec is 440, an unknown code 431.
func TestRealDeclines(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	bad := spec("10")
	bad.RRN2 = "123"
	want(t, "create with a bad rrn2", r.call(t, OpCreate, r.codeTxn(bad)), lifecycle.Declined, "440")
	gone := r.codeTxn(spec("10"))
	gone.ProviderReference = "1234567890"
	want(t, "block of an unknown code", r.call(t, OpBlock, gone), lifecycle.Declined, "431")
}

// TestCreateUnanswered: a create that times out after the provider made
// the code is Unknown (the executor, by ReportUnknown, never repeats it).
func TestCreateUnanswered(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.sim.Harness().Arm(simulator.Fault{Path: "/code/create", Drop: true})
	res := r.call(t, OpCreate, r.codeTxn(spec("10")))
	want(t, "dropped create", res, lifecycle.Unknown, "")
	if n := r.sim.CodeCount(); n != 1 {
		t.Fatalf("%d codes at the provider, want the orphan", n)
	}
}
