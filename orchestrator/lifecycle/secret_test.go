package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// A Result's Secret never shows: not with fmt's verbs, not in JSON, not in
// a slog line.
func TestSecretNeverShows(t *testing.T) {
	r := Result{Op: "consent", Outcome: OK, Secret: NewSecret([]byte("tok-SUPERSECRET"))}
	var log bytes.Buffer
	slog.New(slog.NewTextHandler(&log, nil)).Info("result", "secret", r.Secret, "result", r)
	js, _ := json.Marshal(r)
	for _, s := range []string{fmt.Sprint(r), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r), fmt.Sprintf("%v", r.Secret), string(js), log.String()} {
		if strings.Contains(s, "SUPERSECRET") {
			t.Fatalf("the secret shows: %s", s)
		}
	}
	if string(r.Secret.Reveal()) != "tok-SUPERSECRET" || r.Secret.IsZero() || !(Secret{}).IsZero() {
		t.Fatal("Reveal / IsZero")
	}
}
