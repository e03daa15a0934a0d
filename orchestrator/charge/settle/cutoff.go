package settle

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
)

// Cutoff is a time of day, local to a merchant's time zone, at which its
// batch closes.
type Cutoff struct{ Hour, Minute int }

// ParseCutoff parses "HH:MM" (24-hour clock, two digits each).
func ParseCutoff(s string) (Cutoff, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != len("15:04") {
		return Cutoff{}, fmt.Errorf("%q is not a time of day HH:MM (00:00 to 23:59)", s)
	}
	return Cutoff{Hour: t.Hour(), Minute: t.Minute()}, nil
}

// String is "HH:MM".
func (c Cutoff) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// Schedule is a merchant's daily batch cut-off in its time zone.
type Schedule struct {
	Cutoff   Cutoff
	Location *time.Location
}

// Defaults of a merchant's schedule.
const (
	DefaultCutoff   = "00:00"
	DefaultTimeZone = "UTC"
)

// ParseSchedule parses a cut-off "HH:MM" and an IANA time zone name, empty
// for the defaults (00:00 UTC). Errors are *events.FieldError naming
// settlement.batch_cutoff or settlement.time_zone.
func ParseSchedule(cutoff, zone string) (Schedule, error) {
	if cutoff == "" {
		cutoff = DefaultCutoff
	}
	if zone == "" {
		zone = DefaultTimeZone
	}
	c, err := ParseCutoff(cutoff)
	if err != nil {
		return Schedule{}, events.Invalid("settlement.batch_cutoff", "%s", err)
	}
	if zone == "Local" {
		return Schedule{}, events.Invalid("settlement.time_zone", "must be an IANA time zone name, such as \"Africa/Johannesburg\"")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Schedule{}, events.Invalid("settlement.time_zone", "%q is not an IANA time zone name, such as \"Africa/Johannesburg\"", zone)
	}
	return Schedule{Cutoff: c, Location: loc}, nil
}

// Next is the schedule's first cut-off strictly after after.
func (s Schedule) Next(after time.Time) time.Time { return NextCutoff(after, s.Cutoff, s.Location) }

// NextCutoff returns the first cut-off c in loc strictly after after: the
// next moment the wall clock in loc reads c, once per local day. On a day a
// DST gap skips c, the cut-off is the moment the clock jumps past it; on a
// day an overlap reads c twice, it is the first reading.
func NextCutoff(after time.Time, c Cutoff, loc *time.Location) time.Time {
	y, m, d := after.In(loc).Date()
	for day := d - 1; ; day++ {
		if at := cutoffOn(y, m, day, c, loc); at.After(after) {
			return at
		}
	}
}

// cutoffOn returns the cut-off c of local date y-m-d (d may overflow the
// month, as time.Date normalises it).
func cutoffOn(y int, m time.Month, d int, c Cutoff, loc *time.Location) time.Time {
	want := time.Date(y, m, d, c.Hour, c.Minute, 0, 0, time.UTC) // the wall clock sought
	t := time.Date(y, m, d, c.Hour, c.Minute, 0, 0, loc)         // correct in one of the zones around it
	start, end := t.ZoneBounds()
	switch w := wall(t, loc); {
	case w.After(want): // a gap skipped it; t is read after the jump
		return start
	case w.Before(want): // a gap skipped it; t is read before the jump
		return end
	}
	if start.IsZero() {
		return t
	}
	// An overlap may read it earlier too, in the zone before t's.
	_, off := start.Add(-time.Nanosecond).Zone()
	if earlier := want.Add(-time.Duration(off) * time.Second); earlier.Before(start) && wall(earlier, loc).Equal(want) {
		return earlier
	}
	return t
}

// wall is t's wall clock in loc, as a UTC value.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// PrevCutoff returns the last cut-off c in loc at or before at.
func PrevCutoff(at time.Time, c Cutoff, loc *time.Location) time.Time {
	y, m, d := at.In(loc).Date()
	for day := d + 1; ; day-- {
		if t := cutoffOn(y, m, day, c, loc); !t.After(at) {
			return t
		}
	}
}
