package outbox

import (
	"time"

	"github.com/switchyard/switchyard/orchestrator/metrics"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// observeLag records, for each row a committed pass published, the time
// from its creation to now: its age when claimed, by the database's clock,
// plus the time since the claim, by the relay's, so that neither clock's
// skew against the other counts.
func observeLag(rows []store.OutboxRow, published []int64, claimed time.Time) {
	if len(published) == 0 {
		return
	}
	since := time.Since(claimed)
	done := make(map[int64]bool, len(published))
	for _, id := range published {
		done[id] = true
	}
	for _, row := range rows {
		if done[row.ID] {
			metrics.Default.Observe(metrics.OutboxLagSeconds, (row.Age + since).Seconds())
		}
	}
}
