package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPurchaseCreateValidate: purchase.create names each bad field; a good
// one parses its amount in its currency.
func TestPurchaseCreateValidate(t *testing.T) {
	good := `{"provider":"utility","meter":{"meter_id":"04004444884"},"amount":"50.00","currency":"ZAR",
		"utility_type":"electricity","msisdn":"+27821234567","tenders":[{"tender_type":"CASH","amount":"50.00"}],
		"reference":"pos-1","metadata":{"till":"3"}}`
	with := func(field string, v any) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(good), &m)
		if v == nil {
			delete(m, field)
		} else {
			m[field] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	for _, tc := range []struct {
		name, data, field string
	}{
		{"good", good, ""},
		{"provider defaults to utility", with("provider", nil), ""},
		{"track2 meter", with("meter", map[string]any{"track2": "6004000000000000001=2512"}), ""},
		{"no msisdn or tenders", with("tenders", nil), ""},
		{"other provider", with("provider", "processone"), "data.provider"},
		{"no meter", with("meter", nil), "data.meter"},
		{"empty meter", with("meter", map[string]any{}), "data.meter"},
		{"both meter ids", with("meter", map[string]any{"meter_id": "1", "track2": "2"}), "data.meter"},
		{"bad meter id", with("meter", map[string]any{"meter_id": "12 34"}), "data.meter.meter_id"},
		{"bad track2", with("meter", map[string]any{"track2": strings.Repeat("9", 100)}), "data.meter.track2"},
		{"unknown meter field", with("meter", map[string]any{"meter_id": "1", "colour": "red"}), "data.meter.colour"},
		{"no amount", with("amount", nil), "data.amount"},
		{"zero amount", with("amount", "0"), "data.amount"},
		{"float amount", with("amount", 50.5), "data.amount"},
		{"too many places", with("amount", "1.005"), "data.amount"},
		{"no currency", with("currency", nil), "data.currency"},
		{"no utility type", with("utility_type", nil), "data.utility_type"},
		{"unknown utility type", with("utility_type", "sunshine"), "data.utility_type"},
		{"bad msisdn", with("msisdn", "12ab"), "data.msisdn"},
		{"tenders not a list", with("tenders", map[string]any{"a": 1}), "data.tenders"},
		{"tender not an object", with("tenders", []any{1}), "data.tenders[0]"},
		{"tender with a clear card number", with("tenders", []any{map[string]any{"tender_type": "CARD", "card_number": "4111111111111111"}}),
			"data.tenders[0].card_number"},
		{"bad reference", with("reference", "a b"), "data.reference"},
		{"unknown field", with("colour", "red"), "data.colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d PurchaseCreateData
			err := Decode(json.RawMessage(tc.data), &d)
			if err == nil {
				_, err = d.Validate()
			}
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("error %v, want one naming %s", err, tc.field)
			}
			if strings.Contains(fe.Message, "4111111111111111") || strings.Contains(fe.Message, "6004000000000000001") {
				t.Fatalf("the message repeats a secret: %s", fe.Message)
			}
		})
	}
}

// TestPurchaseCreateAmount: the amount parses exactly, as a decimal.
func TestPurchaseCreateAmount(t *testing.T) {
	d := PurchaseCreateData{Meter: json.RawMessage(`{"meter_id":"1"}`), Amount: "12.34", Currency: "ZAR", UtilityType: "water"}
	amt, err := d.Validate()
	if err != nil || amt.String() != "12.34" || d.Provider != ProviderUtility {
		t.Fatalf("amount %s, provider %q, err %v", amt, d.Provider, err)
	}
}

// TestMaskedMeter: a meter shows its id, never its track2 data.
func TestMaskedMeter(t *testing.T) {
	m := UtilityMeter{Track2: "6004000000000000001=25121010000000000"}
	got := m.Masked()
	if strings.Contains(got.Track2, "600400000") || got.Track2 == "" || got.MeterID != "" {
		t.Fatalf("masked %+v", got)
	}
	if !strings.HasSuffix(got.Track2, "0000") {
		t.Fatalf("masked %q, want it to end with the last 4", got.Track2)
	}
	if id := (UtilityMeter{MeterID: "0400"}).Masked(); id.MeterID != "0400" || id.Track2 != "" {
		t.Fatalf("a meter id is not secret: %+v", id)
	}
}

// TestParseUtilitySettings: per-merchant utility settings, every bad
// field named under its prefix.
func TestParseUtilitySettings(t *testing.T) {
	const p = "provider_settings.utility"
	for _, tc := range []struct {
		name, raw, field string
		want             UtilitySettings
	}{
		{name: "empty", raw: `{}`},
		{name: "all", raw: `{"retry_schedule":["1s","3s"],"retry_every":"2m","retry_horizon":"30m","resend_on_not_found":true,"dual_message":true}`,
			want: UtilitySettings{RetrySchedule: []string{"1s", "3s"}, RetryEvery: "2m", RetryHorizon: "30m", ResendOnNotFound: true, DualMessage: true}},
		{name: "not an object", raw: `[1]`, field: p},
		{name: "unknown field", raw: `{"retries":3}`, field: p + ".retries"},
		{name: "bad schedule entry", raw: `{"retry_schedule":["1s","soon"]}`, field: p + ".retry_schedule[1]"},
		{name: "zero schedule entry", raw: `{"retry_schedule":["0s"]}`, field: p + ".retry_schedule[0]"},
		{name: "long schedule", raw: `{"retry_schedule":["1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s","1s"]}`,
			field: p + ".retry_schedule"},
		{name: "bad every", raw: `{"retry_every":"-5m"}`, field: p + ".retry_every"},
		{name: "every too long", raw: `{"retry_every":"25h"}`, field: p + ".retry_every"},
		{name: "bad horizon", raw: `{"retry_horizon":"x"}`, field: p + ".retry_horizon"},
		{name: "horizon too long", raw: `{"retry_horizon":"200h"}`, field: p + ".retry_horizon"},
		{name: "flag not a bool", raw: `{"dual_message":"yes"}`, field: p + ".dual_message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseUtilitySettings(p, json.RawMessage(tc.raw))
			if tc.field != "" {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != tc.field {
					t.Fatalf("error %v, want one naming %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.RetrySchedule, ",") != strings.Join(tc.want.RetrySchedule, ",") || got.RetryEvery != tc.want.RetryEvery ||
				got.RetryHorizon != tc.want.RetryHorizon || got.ResendOnNotFound != tc.want.ResendOnNotFound || got.DualMessage != tc.want.DualMessage {
				t.Fatalf("settings %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestUtilityTokenJSON: a token's fields travel in snake case, money as
// decimal strings.
func TestUtilityTokenJSON(t *testing.T) {
	tok := UtilityToken{Token: "1234 5678 9012 3456 7890", TokenType: "STD", Units: "32.5", ReceiptNumber: "R1",
		Amount: "43.48", Tax: "6.52", TaxRate: "15", Currency: "ZAR",
		DebtCharges:    []UtilityCharge{{Description: "arrears", Amount: "5.00", Tax: "0.75", Currency: "ZAR", Balance: "100.00", ReceiptNumber: "D1"}},
		ServiceCharges: []UtilityCharge{{Description: "fixed", Amount: "1.00", Currency: "ZAR"}},
		SlipLines:      []string{"TOKEN 1234"}}
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"token":`, `"token_type":`, `"units":"32.5"`, `"receipt_number":`, `"amount":"43.48"`, `"tax":"6.52"`,
		`"tax_rate":"15"`, `"debt_charges":`, `"service_charges":`, `"slip_lines":`, `"balance":"100.00"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s lacks %s", b, k)
		}
	}
	var back UtilityToken
	if err := json.Unmarshal(b, &back); err != nil || back.Token != tok.Token || back.DebtCharges[0].Balance != "100.00" {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}

var _ = time.Second

// TestBoundTokens: whatever the provider sends, the tokens a purchase keeps
// (and its events carry) are bounded in number and length; tokens within
// the bounds are kept as they are.
func TestBoundTokens(t *testing.T) {
	small := []UtilityToken{{Token: "1234", Units: "1", SlipLines: []string{"a"}, DebtCharges: []UtilityCharge{{Description: "d"}}}}
	if got := BoundTokens(small); len(got) != 1 || got[0].Token != "1234" || got[0].SlipLines[0] != "a" || got[0].DebtCharges[0].Description != "d" {
		t.Fatalf("bounded %+v", got)
	}
	long := strings.Repeat("<", 10000)
	var lines []string
	var charges []UtilityCharge
	for range 1000 {
		lines = append(lines, long)
		charges = append(charges, UtilityCharge{Description: long, Amount: long, Tax: long, Currency: long, Balance: long, ReceiptNumber: long})
	}
	var huge []UtilityToken
	for range 1000 {
		huge = append(huge, UtilityToken{Token: long, TokenType: long, Units: long, ReceiptNumber: long, Amount: long, Tax: long,
			TaxRate: long, Currency: long, DebtCharges: charges, ServiceCharges: charges, SlipLines: lines})
	}
	b, _ := json.Marshal(BoundTokens(huge))
	if len(b) > 512<<10 {
		t.Fatalf("bounded tokens are %d bytes of JSON, want at most 512 KiB", len(b))
	}
	if len(huge[0].Token) != 10000 {
		t.Fatal("BoundTokens changed its argument")
	}
}
