package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// hostile is what a merchant can put in a command: the characters JSON
// escapes the most (each '<' becomes the six bytes \u003c).
func hostile(n int) string { return strings.Repeat("<", n) }

// echoLimit is what any one echoed value may cost in an event's JSON: the
// longest bound (a command id, 255 bytes) escaped six-fold, plus slack.
const echoLimit = 6*MaxIDLength + 64

// TestEchoedInputIsBounded: every place that copies a command's input into
// a rejection keeps it short, however long the input.
func TestEchoedInputIsBounded(t *testing.T) {
	huge := hostile(900 << 10)
	var fe *FieldError
	err := Decode(json.RawMessage(`{"`+huge+`":1}`), &ChargeCreateData{})
	if !errors.As(err, &fe) {
		t.Fatalf("unknown field: %v", err)
	}
	if !strings.HasPrefix(fe.Field, "data.<<<") || len(fe.Field) > MaxFieldLength {
		t.Errorf("unknown field named %.40q… (%d bytes), want data.<<<… of at most %d bytes", fe.Field, len(fe.Field), MaxFieldLength)
	}
	cases := map[string]error{
		"unknown provider": func() error {
			_, err := (&ChargeCreateData{Provider: huge}).Validate()
			return err
		}(),
		"malformed envelope": func() error { _, err := ParseCommand([]byte(`{"id":"` + huge)); return err }(),
		"long id":            func() error { _, err := ParseCommand([]byte(`{"specversion":"1.0","id":"` + huge + `"}`)); return err }(),
		"invalid":            Invalid("data."+huge, "value %q", huge),
	}
	for name, err := range cases {
		if !errors.As(err, &fe) {
			t.Fatalf("%s: %v", name, err)
		}
		if len(fe.Field) > MaxFieldLength || len(fe.Message) > MaxMessageLength {
			t.Errorf("%s: field %d bytes, message %d bytes; want at most %d and %d", name, len(fe.Field), len(fe.Message), MaxFieldLength, MaxMessageLength)
		}
	}
}

// TestRejectedIsBounded: a command.rejected answering a hostile command (id,
// type, reason all huge) stays a few kilobytes, and still names the command.
func TestRejectedIsBounded(t *testing.T) {
	huge := hostile(900 << 10)
	cmd := &Command{ID: huge, Type: huge}
	r := Reason{Code: huge, Field: "data." + huge, Message: huge, ProviderCode: huge}
	ev := Rejected("m-1", cmd, "", r, "rejected", time.Unix(0, 0))
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if max := 6 * echoLimit; len(b) > max {
		t.Fatalf("command.rejected is %d bytes of JSON, want at most %d", len(b), max)
	}
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(back.CausationID, "<<<") || !strings.HasPrefix(back.Data.Reason.Field, "data.<<<") {
		t.Errorf("causation %.20q, field %.20q: want the beginning of each kept", back.CausationID, back.Data.Reason.Field)
	}
	other := Rejected("m-1", &Command{ID: huge + "x", Type: huge}, "", r, "rejected", time.Unix(0, 0))
	if other.ID == ev.ID {
		t.Error("two commands whose ids differ only after the cut share an event id")
	}
}

// TestReasonJSONIsBounded: a transaction's reason, whatever a provider put
// in it, is bounded on the wire.
func TestReasonJSONIsBounded(t *testing.T) {
	huge := hostile(1 << 20)
	b, err := json.Marshal(Transaction{Reason: &Reason{Code: "provider_declined", Message: huge, ProviderCode: huge}})
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 3*echoLimit {
		t.Fatalf("transaction with a provider's 1 MiB message is %d bytes of JSON", len(b))
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 10, "abcdefg…"},
		{"ééééé", 8, "éé…"},                // é is 2 bytes: cut before a rune, never inside one
		{"a€€€", 9, "a€…"},                 // € is 3 bytes
		{"abc\xff\xfe\xfd\xfc", 6, "abc…"}, // invalid UTF-8 counts as one-byte runes
		{"abcdef", 2, ""},                  // no room for the marker
	}
	for _, tt := range tests {
		got := Truncate(tt.in, tt.max)
		if got != tt.want || len(got) > tt.max {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if again := Truncate(got, tt.max); again != got {
			t.Errorf("Truncate is not idempotent on %q: %q", got, again)
		}
	}
}
