package merchant

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/switchyard/switchyard/events"
)

// TestSpecProviderSettings: provider_settings are checked with the field
// of each mistake named; the utility provider's are its retry schedule and
// flags, and no other provider takes settings yet.
func TestSpecProviderSettings(t *testing.T) {
	for _, tc := range []struct {
		name, settings, field string
	}{
		{"none", ``, ""},
		{"utility", `{"utility":{"retry_schedule":["2s","5s","15s","1m","5m"],"retry_every":"5m","retry_horizon":"1h","resend_on_not_found":false,"dual_message":false}}`, ""},
		{"utility, empty", `{"utility":{}}`, ""},
		{"unknown provider", `{"acme":{}}`, "provider_settings.acme"},
		{"provider without settings", `{"processone":{"retry_every":"5m"}}`, "provider_settings.processone"},
		{"bad delay", `{"utility":{"retry_schedule":["2s","later"]}}`, "provider_settings.utility.retry_schedule[1]"},
		{"unknown setting", `{"utility":{"retry_forever":true}}`, "provider_settings.utility.retry_forever"},
		{"not an object", `{"utility":"fast"}`, "provider_settings.utility"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"name":"Shop"`
			if tc.settings != "" {
				body += `,"provider_settings":` + tc.settings
			}
			var s Spec
			if err := json.Unmarshal([]byte(body+"}"), &s); err != nil {
				t.Fatal(err)
			}
			_, err := s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var fe *events.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("error %v, want one naming %s", err, tc.field)
			}
		})
	}
}
