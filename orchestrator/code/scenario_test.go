package code_test

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/lifecycle/lifecycletest"
	"github.com/switchyard/switchyard/orchestrator/payment"
)

const codes = events.ProviderCodes

func setup(t *testing.T) *lifecycletest.Harness {
	t.Parallel()
	return lifecycletest.New(t, code.New(), payment.New())
}

func createData() map[string]any {
	return map[string]any{"amount": "10.50", "currency": "ZAR", "reference": "order-1", "short_description": "Basket of Goods"}
}

func with(d map[string]any, kv ...any) map[string]any {
	out := maps.Clone(d)
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func on(id uuid.UUID, kv ...any) map[string]any {
	return with(map[string]any{"transaction_id": id.String()}, kv...)
}

// createdAnswer is the connector's answer to a create that made code 8227541409.
func createdAnswer(expires *time.Time) lifecycle.Result {
	exp := "null"
	if expires != nil {
		exp = `"` + expires.UTC().Format(time.RFC3339) + `"`
	}
	return lifecycle.Result{Outcome: lifecycle.OK, ProviderReference: "8227541409", Data: json.RawMessage(`{"code":"8227541409","expires_at":` + exp + `}`)}
}

// activeCode creates a code and answers its create.
func activeCode(h *lifecycletest.Harness, data map[string]any) uuid.UUID {
	id := h.Command(events.CodeCreate, data)
	exp := code.Spec{}
	if s, err := code.Pending(h.Txn(id)); err == nil {
		exp = s
	}
	h.Provider(codes, code.OpCreate).Returns(createdAnswer(exp.Expires))
	h.RunWork()
	h.ExpectStatus(id, events.StatusActive)
	return id
}

// TestCreateValidation: each of seed 002's rules is checked before any
// call, and a command that breaks one is rejected naming the field.
func TestCreateValidation(t *testing.T) {
	h := setup(t)
	basket := []map[string]any{{"destination": "27832006283", "item_type": "AIRTIME", "amount": "5.00"}}
	ok := with(createData(), "use_once", false, "limit_basket", basket)
	for _, tc := range []struct {
		name  string
		data  map[string]any
		field string
	}{
		{"short description of 4", with(createData(), "short_description", "Shoe"), "data.short_description"},
		{"short description of 46", with(createData(), "short_description", strings.Repeat("x", 46)), "data.short_description"},
		{"4 sms numbers", with(createData(), "sms_notify", []string{"27832006283", "27832006284", "27832006285", "27832006286"}), "data.sms_notify"},
		{"sms number not international", with(createData(), "sms_notify", []string{"0832006283"}), "data.sms_notify"},
		{"6 email addresses", with(createData(), "email_notify", []string{"a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io", "f@x.io"}), "data.email_notify"},
		{"not an email address", with(createData(), "email_notify", []string{"nobody"}), "data.email_notify"},
		{"rrn2 of 11 digits", with(createData(), "rrn2", "00000000001"), "data.rrn2"},
		{"rrn2 with letters", with(createData(), "rrn2", "00000000000A"), "data.rrn2"},
		{"limit basket on a use-once code", with(ok, "use_once", true), "data.limit_basket"},
		{"limit basket by default use-once", with(createData(), "limit_basket", basket), "data.limit_basket"},
		{"limit basket with a variable amount", with(ok, "amount", "0"), "data.limit_basket"},
		{"limit basket with partial payments", with(ok, "request_partial_payment", true), "data.limit_basket"},
		{"basket item type", with(ok, "limit_basket", []map[string]any{{"destination": "27832006283", "item_type": "DATA", "amount": "5.00"}}), "data.limit_basket"},
		{"basket destination", with(ok, "limit_basket", []map[string]any{{"destination": "083", "item_type": "AIRTIME", "amount": "5.00"}}), "data.limit_basket"},
		{"basket amount", with(ok, "limit_basket", []map[string]any{{"destination": "27832006283", "item_type": "AIRTIME", "amount": "0"}}), "data.limit_basket"},
		{"tip without partial payment", with(createData(), "request_tip", true), "data.request_tip"},
		{"negative amount", with(createData(), "amount", "-1"), "data.amount"},
		{"amount with 3 decimals", with(createData(), "amount", "10.505"), "data.amount"},
		{"expiry in the past", with(createData(), "expires_at", time.Now().Add(-24*time.Hour*365*10).Format(time.RFC3339)), "data.expires_at"},
		{"expiry not a time", with(createData(), "expires_at", "tomorrow"), "data.expires_at"},
		{"no reference", with(createData(), "reference", ""), "data.reference"},
		{"no currency", with(createData(), "currency", ""), "data.currency"},
		{"another provider", with(createData(), "provider", "onepipe"), "data.provider"},
	} {
		r := h.Rejected(events.CodeCreate, tc.data)
		if r.Code != events.ReasonInvalidRequest || r.Field != tc.field {
			t.Errorf("%s: %s on %q (%s), want invalid_request on %s", tc.name, r.Code, r.Field, r.Message, tc.field)
		}
	}
	h.ExpectCalls() // nothing reached the provider
	for _, d := range []map[string]any{ok, with(createData(), "amount", "0", "request_partial_payment", true, "request_tip", true, "expires_at", "never",
		"sms_notify", []string{"27832006283", "+27832229174", "27832229175"}, "email_notify", []string{"a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io"},
		"rrn2", "000000000042", "reference", "order-2")} {
		h.ExpectStatus(h.Command(events.CodeCreate, d), events.StatusPending)
	}
}

// TestExpiryByDefault: a code created without an expiry lives 30 minutes:
// its durable timer moves it to expired then, and not before.
func TestExpiryByDefault(t *testing.T) {
	h := setup(t)
	id := h.Command(events.CodeCreate, createData())
	spec, err := code.Pending(h.Txn(id))
	if err != nil || spec.Expires == nil || !spec.Expires.Equal(h.Now().Add(30*time.Minute).Truncate(time.Millisecond)) || !spec.UseOnce {
		t.Fatalf("pending spec %+v %v, want an expiry 30 minutes from now and use_once", spec, err)
	}
	h.Provider(codes, code.OpCreate).Returns(createdAnswer(spec.Expires))
	h.RunWork()
	txn := h.ExpectStatus(id, events.StatusActive)
	if r := h.Engine.Resource(txn); r.Code != "8227541409" || r.ExpiresAt == nil || !r.ExpiresAt.Equal(*spec.Expires) {
		t.Fatalf("resource code %q expires %v", r.Code, r.ExpiresAt)
	}
	h.Advance(30*time.Minute - time.Second)
	if n := h.FireTimers(); n != 0 {
		t.Fatalf("%d timers fired before the expiry", n)
	}
	h.Advance(time.Second)
	if n := h.FireTimers(); n != 1 {
		t.Fatalf("%d timers fired at the expiry, want 1", n)
	}
	h.ExpectStatus(id, events.StatusExpired)
	h.ExpectEvents(id, "code.pending", "code.active", "code.expired")
	h.ExpectCalls("codes/create")
}

// TestExpiryMovedByUpdate: an update of the expiry moves the timer; an
// update to never removes it.
func TestExpiryMovedByUpdate(t *testing.T) {
	h := setup(t)
	id := activeCode(h, createData())
	later := h.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	h.Command(events.CodeUpdate, on(id, "expires_at", later.Format(time.RFC3339)))
	if s, _ := code.Pending(h.Txn(id)); s.Expires == nil || !s.Expires.Equal(later) {
		t.Fatalf("pending update's expiry %v, want %v", s.Expires, later)
	}
	h.Provider(codes, code.OpUpdate).Returns(lifecycle.Result{Outcome: lifecycle.OK, Data: json.RawMessage(`{"expires_at":"` + later.Format(time.RFC3339) + `"}`)})
	h.RunWork()
	if at, set := expiryTimer(h, t, id); !set || !at.Equal(later) {
		t.Fatalf("the expiry timer is due at %v (%v), want %v", at, set, later)
	}
	h.Advance(31 * time.Minute)
	if n := h.FireTimers(); n != 0 {
		t.Fatalf("%d timers fired at the old expiry", n)
	}
	h.ExpectStatus(id, events.StatusActive)
	h.Command(events.CodeUpdate, on(id, "expires_at", "never"))
	h.Provider(codes, code.OpUpdate).Returns(lifecycle.Result{Outcome: lifecycle.OK, Data: json.RawMessage(`{"expires_at":null}`)})
	h.RunWork()
	if at, set := expiryTimer(h, t, id); set {
		t.Fatalf("the expiry timer is due at %v after the update to never", at)
	}
	h.ExpectEvents(id, "code.pending", "code.active", "code.updated", "code.updated")
}

// TestProviderErrorStatuses: each of the provider's error statuses fails a
// create with provider_declined, the status as provider_code and the
// connector's message; on a change, it drops the change and says so.
func TestProviderErrorStatuses(t *testing.T) {
	h := setup(t)
	for i, status := range []int{400, 403, 431, 439, 440, 512, 513} {
		id := h.Command(events.CodeCreate, with(createData(), "reference", "order-"+strconv.Itoa(i)))
		msg := "message for " + strconv.Itoa(status)
		h.Provider(codes, code.OpCreate).Returns(lifecycle.Result{Outcome: lifecycle.Declined, Code: strconv.Itoa(status), Message: msg})
		h.RunWork()
		txn := h.ExpectStatus(id, events.StatusFailed)
		if r := txn.Reason; r == nil || r.Code != events.ReasonProviderDeclined || r.ProviderCode != strconv.Itoa(status) || r.Message != msg {
			t.Fatalf("%d: reason %+v", status, r)
		}
	}
	id := activeCode(h, with(createData(), "reference", "order-b"))
	h.Command(events.CodeBlock, on(id))
	h.Provider(codes, code.OpBlock).Returns(lifecycle.Result{Outcome: lifecycle.Declined, Code: "513", Message: "The code does not belong to the merchant."})
	h.RunWork()
	txn := h.ExpectStatus(id, events.StatusActive)
	if r := txn.Reason; r == nil || r.Code != events.ReasonProviderDeclined || r.ProviderCode != "513" {
		t.Fatalf("declined block: reason %+v", r)
	}
	h.ExpectEvents(id, "code.pending", "code.active", "code.change_failed")
}

// TestCreateUnknownNeverRepeated: a create whose outcome is unknown fails
// with provider_timeout and is never sent again.
func TestCreateUnknownNeverRepeated(t *testing.T) {
	h := setup(t)
	id := h.Command(events.CodeCreate, createData())
	h.Provider(codes, code.OpCreate).Returns(lifecycle.Result{Outcome: lifecycle.Unknown, Message: "timeout"})
	h.RunWork()
	txn := h.ExpectStatus(id, events.StatusFailed)
	if txn.Reason == nil || txn.Reason.Code != events.ReasonProviderTimeout {
		t.Fatalf("reason %+v, want provider_timeout", txn.Reason)
	}
	h.Advance(time.Hour)
	h.FireTimers()
	h.RunWork()
	h.ExpectCalls("codes/create")
}

// TestChangesOneAtATime: block, unblock and delete move the code on the
// provider's ok; a second change while one is in flight, and a change from
// a status that does not take it, are invalid_state; delete cancels the
// expiry timer.
func TestChangesOneAtATime(t *testing.T) {
	h := setup(t)
	id := activeCode(h, createData())
	h.Command(events.CodeBlock, on(id))
	for _, cmd := range []string{events.CodeBlock, events.CodeUnblock, events.CodeDelete} {
		if r := h.Rejected(cmd, on(id)); r.Code != events.ReasonInvalidState || !strings.Contains(r.Message, "in flight") {
			t.Fatalf("%s with block in flight: %+v", cmd, r)
		}
	}
	if r := h.Rejected(events.CodeSetAmount, on(id, "amount", "12.00")); r.Code != events.ReasonInvalidState {
		t.Fatalf("set_amount with block in flight: %+v", r)
	}
	h.Provider(codes, code.OpBlock).Returns(lifecycle.Result{Outcome: lifecycle.OK})
	h.RunWork()
	h.ExpectStatus(id, events.StatusBlocked)
	if r := h.Rejected(events.CodeBlock, on(id)); r.Code != events.ReasonInvalidState {
		t.Fatalf("block a blocked code: %+v", r)
	}
	h.Command(events.CodeUnblock, on(id))
	h.Provider(codes, code.OpUnblock).Returns(lifecycle.Result{Outcome: lifecycle.OK})
	h.RunWork()
	h.ExpectStatus(id, events.StatusActive)
	h.Command(events.CodeSetAmount, on(id, "amount", "0"))
	h.Provider(codes, code.OpSetAmount).Returns(lifecycle.Result{Outcome: lifecycle.OK})
	h.RunWork()
	if r := h.Engine.Resource(h.ExpectStatus(id, events.StatusActive)); r.Amount != "0.00" {
		t.Fatalf("amount %s after set_amount 0", r.Amount)
	}
	h.Command(events.CodeDelete, on(id))
	h.Provider(codes, code.OpDelete).Returns(lifecycle.Result{Outcome: lifecycle.OK})
	h.RunWork()
	h.ExpectStatus(id, events.StatusDeleted)
	if at, set := expiryTimer(h, t, id); set {
		t.Fatalf("the expiry timer is due at %v after the delete", at)
	}
	if r := h.Rejected(events.CodeUnblock, on(id)); r.Code != events.ReasonInvalidState {
		t.Fatalf("unblock a deleted code: %+v", r)
	}
	h.ExpectEvents(id, "code.pending", "code.active", "code.blocked", "code.active", "code.updated", "code.deleted")
	h.ExpectCalls("codes/create", "codes/block", "codes/unblock", "codes/set_amount", "codes/delete")
}

// expiryTimer returns when code id's expiry timer is due, if it is set.
func expiryTimer(h *lifecycletest.Harness, t *testing.T, id uuid.UUID) (time.Time, bool) {
	t.Helper()
	timers, err := h.Store.TimersDue(t.Context(), h.Now().AddDate(10, 0, 0), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range timers {
		if tm.OwnerID == id && tm.Kind == code.TimerExpiry {
			return tm.DueAt, true
		}
	}
	return time.Time{}, false
}
