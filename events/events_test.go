package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseCommand(t *testing.T) {
	good := `{"specversion":"1.0","id":"c-1","source":"pos","type":"charge.create","data":{"a":1}}`
	tests := []struct {
		name, body, field string
	}{
		{"valid", good, ""},
		{"malformed", `{"specversion":`, "envelope"},
		{"trailing", good + `{}`, "envelope"},
		{"wrong specversion", `{"specversion":"0.3","id":"c","source":"s","type":"t","data":{}}`, "specversion"},
		{"no id", `{"specversion":"1.0","source":"s","type":"t","data":{}}`, "id"},
		{"blank id", `{"specversion":"1.0","id":"  ","source":"s","type":"t","data":{}}`, "id"},
		{"no source", `{"specversion":"1.0","id":"c","type":"t","data":{}}`, "source"},
		{"no type", `{"specversion":"1.0","id":"c","source":"s","data":{}}`, "type"},
		{"null data", `{"specversion":"1.0","id":"c","source":"s","type":"t","data":null}`, "data"},
		{"xml", `{"specversion":"1.0","id":"c","source":"s","type":"t","datacontenttype":"text/xml","data":{}}`, "datacontenttype"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCommand([]byte(tt.body))
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in, cur, want string
		ok            bool
	}{
		{"10.50", "ZAR", "10.5", true},
		{"10", "ZAR", "10", true},
		{"0.01", "USD", "0.01", true},
		{"10.001", "ZAR", "", false},
		{"1000", "JPY", "1000", true},
		{"1000.5", "JPY", "", false},
		{"1.234", "KWD", "1.234", true},
		{"0", "ZAR", "", false},
		{"-1", "ZAR", "", false},
		{"1e3", "ZAR", "", false},
		{" 1", "ZAR", "", false},
		{"", "ZAR", "", false},
		{"1000000000000", "ZAR", "", false},
		{"10.00", "XXX", "", false},
	}
	for _, tt := range tests {
		d, err := ParseAmount("amount", tt.in, tt.cur, false)
		if (err == nil) != tt.ok || (tt.ok && d.String() != tt.want) {
			t.Errorf("ParseAmount(%q, %s) = %v, %v", tt.in, tt.cur, d, err)
		}
	}
}

func TestMinorUnits(t *testing.T) {
	d, _ := ParseAmount("a", "10.51", "ZAR", false)
	if ToMinor(d, "ZAR") != 1051 || FormatAmount(d, "ZAR") != "10.51" {
		t.Fatal(ToMinor(d, "ZAR"), FormatAmount(d, "ZAR"))
	}
	j, _ := ParseAmount("a", "500", "JPY", false)
	if ToMinor(j, "JPY") != 500 || FormatAmount(j, "JPY") != "500" {
		t.Fatal(ToMinor(j, "JPY"))
	}
}

func TestCanonicalHashIgnoresFormatting(t *testing.T) {
	a, _ := DataHash(json.RawMessage(`{"b":1,"a":{"y":"2","x":1.50}}`))
	b, _ := DataHash(json.RawMessage(`{ "a": {"x":1.50, "y":"2"}, "b": 1 }`))
	c, _ := DataHash(json.RawMessage(`{"b":1,"a":{"y":"2","x":1.5}}`))
	if !bytes.Equal(a, b) {
		t.Fatal("same data, different hash")
	}
	if bytes.Equal(a, c) {
		t.Fatal("1.50 and 1.5 are different data as written")
	}
}

func TestSubjects(t *testing.T) {
	s := CommandSubject("m-1", ChargeCreate)
	m, typ, err := ParseCommandSubject(s)
	if err != nil || m != "m-1" || typ != ChargeCreate {
		t.Fatalf("%s → %s %s %v", s, m, typ, err)
	}
	for _, bad := range []string{"pay.cmd", "pay.cmd.m", "pay.evt.m.charge.create", "pay.cmd..x"} {
		if _, _, err := ParseCommandSubject(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if EventSubject("m", "charge.authorized") != "pay.evt.m.charge.authorized" {
		t.Fatal(EventSubject("m", "charge.authorized"))
	}
}

func TestChargeCreateValidate(t *testing.T) {
	base := func() ChargeCreateData {
		return ChargeCreateData{Provider: "onoconnect", Amount: "1.00", Currency: "ZAR", Reference: "r-1",
			PaymentMethod: json.RawMessage(`{"type":"card"}`)}
	}
	tests := []struct {
		field string
		mod   func(*ChargeCreateData)
	}{
		{"", func(*ChargeCreateData) {}},
		{"data.provider", func(d *ChargeCreateData) { d.Provider = "" }},
		{"data.provider", func(d *ChargeCreateData) { d.Provider = "paypal" }},
		{"data.currency", func(d *ChargeCreateData) { d.Currency = "zar" }},
		{"data.amount", func(d *ChargeCreateData) { d.Amount = "1.001" }},
		{"data.reference", func(d *ChargeCreateData) { d.Reference = "" }},
		{"data.reference", func(d *ChargeCreateData) { d.Reference = "has space" }},
		{"data.payment_method", func(d *ChargeCreateData) { d.PaymentMethod = nil }},
		{"data.payment_method", func(d *ChargeCreateData) { d.PaymentMethod = json.RawMessage(`"card"`) }},
		{"data.metadata", func(d *ChargeCreateData) {
			d.Metadata = map[string]string{}
			for i := 0; i < 51; i++ {
				d.Metadata[string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
			}
		}},
	}
	for _, tt := range tests {
		d := base()
		tt.mod(&d)
		_, err := d.Validate()
		var fe *FieldError
		if tt.field == "" && err != nil || tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field) {
			t.Errorf("want field %q, got %v", tt.field, err)
		}
	}
}

func TestDecodeNamesUnknownAndMistypedFields(t *testing.T) {
	var d ChargeCreateData
	err := Decode(json.RawMessage(`{"amount":10}`), &d)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "data.amount" {
		t.Fatalf("mistyped: %v", err)
	}
	err = Decode(json.RawMessage(`{"amout":"10"}`), &d)
	if !errors.As(err, &fe) || fe.Field != "data.amout" {
		t.Fatalf("unknown: %v", err)
	}
}

func TestRejectedIsDeterministic(t *testing.T) {
	cmd := &Command{ID: "c-1", Type: ChargeCreate}
	r := Reason{Code: ReasonInvalidRequest, Field: "data.amount", Message: "is required"}
	a := Rejected("m-1", cmd, "", r, "rejected", time.Unix(0, 0))
	b := Rejected("m-1", cmd, "", r, "rejected", time.Unix(5, 0))
	other := Rejected("m-1", cmd, "", r, "conflict", time.Unix(0, 0))
	if a.ID != b.ID || a.ID == other.ID {
		t.Fatalf("ids %s %s %s", a.ID, b.ID, other.ID)
	}
	if a.Type != CommandRejected || a.CausationID != "c-1" || a.Data.CommandType != ChargeCreate || a.Data.Reason.Field != "data.amount" {
		t.Fatalf("%+v", a)
	}
}
