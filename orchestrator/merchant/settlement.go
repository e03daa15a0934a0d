package merchant

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/charge/settle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// Settlement is when a merchant's daily batch closes: the merchant body's
// "settlement" object (an empty field: its default), and the body of PATCH
// /v1/admin/merchants/{id}/settlement (an empty field: unchanged).
type Settlement struct {
	BatchCutoff string `json:"batch_cutoff,omitempty"` // "HH:MM", local; default "00:00"
	TimeZone    string `json:"time_zone,omitempty"`    // IANA; default "UTC"
}

// Settled is a merchant's settlement as stored, with its next cut-off.
type Settled struct {
	BatchCutoff string    `json:"batch_cutoff"`
	TimeZone    string    `json:"time_zone"`
	NextCutoff  time.Time `json:"next_cutoff"`
}

// schedule validates s (nil: the defaults); errors are *events.FieldError
// naming settlement.batch_cutoff or settlement.time_zone.
func (s *Settlement) schedule() (settle.Schedule, error) {
	if s == nil {
		return settle.ParseSchedule("", "")
	}
	return settle.ParseSchedule(s.BatchCutoff, s.TimeZone)
}

func settledOf(sched settle.Schedule, now time.Time) Settled {
	return Settled{BatchCutoff: sched.Cutoff.String(), TimeZone: sched.Location.String(), NextCutoff: sched.Next(now).UTC()}
}

// SetSettlement changes a merchant's batch cut-off and time zone (a field
// left empty keeps its current value) and moves its cut-off timer to the
// next cut-off, in one commit. Errors are *events.FieldError for a bad
// setting, ErrNotFound for no such merchant.
func SetSettlement(ctx context.Context, st *store.Store, id uuid.UUID, s Settlement) (*Settled, error) {
	var settled Settled
	err := st.MerchantSettlementUpdate(ctx, id, func(cur store.MerchantSchedule) (store.MerchantSchedule, store.MerchantTimer, error) {
		if s.BatchCutoff == "" {
			s.BatchCutoff = cur.BatchCutoff
		}
		if s.TimeZone == "" {
			s.TimeZone = cur.BatchTimeZone
		}
		sched, err := s.schedule()
		if err != nil {
			return cur, store.MerchantTimer{}, err
		}
		settled = settledOf(sched, time.Now())
		return store.MerchantSchedule{ID: id, BatchCutoff: settled.BatchCutoff, BatchTimeZone: settled.TimeZone},
			store.MerchantTimer{Kind: settle.TimerKind, Due: settled.NextCutoff}, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("merchant %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("set settlement of merchant %s: %w", id, err)
	}
	return &settled, nil
}
