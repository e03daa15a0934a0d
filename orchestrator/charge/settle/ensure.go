package settle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// Ensure gives every merchant without a cut-off timer one at its next
// cut-off after now (merchants made before settlement existed, or whose
// timer was lost), and returns how many it set. A node runs it when it
// starts: one query, and one insert when any is missing.
func Ensure(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	missing, err := st.MerchantsWithoutTimer(ctx, TimerKind)
	if err != nil || len(missing) == 0 {
		return 0, err
	}
	due := make(map[uuid.UUID]time.Time, len(missing))
	var bad []error // a merchant whose stored schedule is broken does not hold up the others
	for _, m := range missing {
		sched, err := ParseSchedule(m.BatchCutoff, m.BatchTimeZone)
		if err != nil {
			bad = append(bad, fmt.Errorf("settle: merchant %s: %w", m.ID, err))
			continue
		}
		due[m.ID] = sched.Next(now)
	}
	n, err := st.MerchantTimersAdd(ctx, TimerKind, due)
	return n, errors.Join(append(bad, err)...)
}
