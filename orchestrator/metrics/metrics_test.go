package metrics

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	r := New()
	r.Help("switchyard_commands_total", "Commands handled.")
	r.Inc("switchyard_commands_total", "outcome", "accepted")
	r.Add("switchyard_commands_total", 2, "outcome", "rejected")
	r.Gauge("switchyard_outbox_pending", "Rows not yet published.", func(context.Context) (float64, error) { return 7, nil })
	var b bytes.Buffer
	r.WriteText(context.Background(), &b)
	want := []string{
		"# HELP switchyard_commands_total Commands handled.",
		"# TYPE switchyard_commands_total counter",
		`switchyard_commands_total{outcome="accepted"} 1`,
		`switchyard_commands_total{outcome="rejected"} 2`,
		"# TYPE switchyard_outbox_pending gauge",
		"switchyard_outbox_pending 7",
	}
	for _, w := range want {
		if !strings.Contains(b.String(), w+"\n") {
			t.Errorf("missing %q in\n%s", w, b.String())
		}
	}
	if strings.Count(b.String(), "# TYPE switchyard_commands_total") != 1 {
		t.Error("TYPE repeated per series")
	}
}
