package processonesim

import "time"

// nextWallClock returns the first moment strictly after after at which the
// wall clock in loc reads the time of day c, once per local day: on a day a
// DST gap skips c, the moment the clock jumps past it; on a day an overlap
// reads c twice, the first reading. (The orchestrator's
// orchestrator/charge/settle.NextCutoff follows the same rule; simulators
// import nothing of the orchestrator, and cmd/switchyard's tests check that
// the two agree.)
func nextWallClock(after time.Time, c time.Duration, loc *time.Location) time.Time {
	y, m, d := after.In(loc).Date()
	for day := d - 1; ; day++ {
		if at := wallClockOn(y, m, day, c, loc); at.After(after) {
			return at
		}
	}
}

// wallClockOn returns when the wall clock in loc reads c on local date
// y-m-d (d may overflow the month).
func wallClockOn(y int, m time.Month, d int, c time.Duration, loc *time.Location) time.Time {
	want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(c)
	t := time.Date(y, m, d, int(c/time.Hour), int(c%time.Hour/time.Minute), 0, 0, loc)
	start, end := t.ZoneBounds()
	switch w := wallOf(t, loc); {
	case w.After(want): // skipped by a gap; t reads after the jump
		return start
	case w.Before(want): // skipped by a gap; t reads before the jump
		return end
	}
	if start.IsZero() {
		return t
	}
	_, off := start.Add(-time.Nanosecond).Zone() // an overlap may read it earlier, in the zone before t's
	if earlier := want.Add(-time.Duration(off) * time.Second); earlier.Before(start) && wallOf(earlier, loc).Equal(want) {
		return earlier
	}
	return t
}

func wallOf(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}
