package settle_test

import (
	"testing"
	"time"

	"github.com/switchyard/switchyard/orchestrator/charge/settle"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestNextCutoff: the next wall-clock HH:MM in the zone strictly after a
// moment, once per local day; a time a DST gap skips happens when the clock
// jumps past it, and one an overlap repeats happens at its first reading.
func TestNextCutoff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, zone, cutoff, after, want string
	}{
		{"utc same day", "UTC", "18:00", "2026-03-10T17:59:00Z", "2026-03-10T18:00:00Z"},
		{"utc strictly after", "UTC", "18:00", "2026-03-10T18:00:00Z", "2026-03-11T18:00:00Z"},
		{"utc midnight", "UTC", "00:00", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"},
		{"johannesburg before", "Africa/Johannesburg", "18:00", "2026-06-01T15:00:00Z", "2026-06-01T16:00:00Z"},
		{"johannesburg at", "Africa/Johannesburg", "18:00", "2026-06-01T16:00:00Z", "2026-06-02T16:00:00Z"},
		{"johannesburg after local midnight", "Africa/Johannesburg", "00:30", "2026-06-01T22:10:00Z", "2026-06-01T22:30:00Z"},
		{"new york winter", "America/New_York", "18:00", "2026-01-15T12:00:00Z", "2026-01-15T23:00:00Z"},
		// 2026-03-08 02:00 EST → 03:00 EDT: that day is 23 hours long.
		{"new york spring day", "America/New_York", "18:00", "2026-03-07T23:00:00Z", "2026-03-08T22:00:00Z"},
		{"new york gap: at the jump", "America/New_York", "02:30", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z"},
		{"new york after the gap", "America/New_York", "02:30", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"},
		{"new york gap start", "America/New_York", "02:00", "2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z"},
		// 2026-11-01 02:00 EDT → 01:00 EST: 01:30 is read twice.
		{"new york overlap: first reading", "America/New_York", "01:30", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"},
		{"new york overlap: not twice", "America/New_York", "01:30", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"},
		{"new york overlap: between readings", "America/New_York", "01:30", "2026-11-01T06:00:00Z", "2026-11-02T06:30:00Z"},
		{"new york fall day", "America/New_York", "18:00", "2026-10-31T22:00:00Z", "2026-11-01T23:00:00Z"},
		// Santiago moves its clocks at local midnight (2026-09-06 00:00 -04 →
		// 01:00 -03; 2026-04-05 00:00 -03 → 2026-04-04 23:00 -04).
		{"santiago midnight gap", "America/Santiago", "00:00", "2026-09-05T12:00:00Z", "2026-09-06T04:00:00Z"},
		{"santiago overlap before midnight", "America/Santiago", "23:30", "2026-04-04T12:00:00Z", "2026-04-05T02:30:00Z"},
		{"santiago overlap: not twice", "America/Santiago", "23:30", "2026-04-05T02:30:00Z", "2026-04-06T03:30:00Z"},
		{"santiago midnight after overlap", "America/Santiago", "00:00", "2026-04-04T12:00:00Z", "2026-04-05T04:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := settle.ParseCutoff(tc.cutoff)
			if err != nil {
				t.Fatal(err)
			}
			loc := mustLoad(t, tc.zone)
			got := settle.NextCutoff(utc(tc.after), c, loc)
			if want := utc(tc.want); !got.Equal(want) {
				t.Fatalf("NextCutoff(%s, %s, %s) = %s (%s), want %s (%s)", tc.after, tc.cutoff, tc.zone,
					got.UTC().Format(time.RFC3339), got.In(loc).Format(time.RFC3339), tc.want, want.In(loc).Format(time.RFC3339))
			}
		})
	}
}

// TestNextCutoffEveryDay: over two years of every zone in the table, the
// cut-offs follow one another once per local day, each strictly later, and
// PrevCutoff walks them back.
func TestNextCutoffEveryDay(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"UTC", "Africa/Johannesburg", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Europe/London"} {
		loc := mustLoad(t, zone)
		for _, cut := range []string{"00:00", "01:30", "02:00", "02:30", "18:00", "23:59"} {
			c, _ := settle.ParseCutoff(cut)
			at := utc("2025-12-31T12:00:00Z")
			prevDay := ""
			for range 2 * 366 {
				next := settle.NextCutoff(at, c, loc)
				if !next.After(at) {
					t.Fatalf("%s %s: NextCutoff(%s) = %s, not after", zone, cut, at, next)
				}
				if day := next.In(loc).Format(time.DateOnly); day == prevDay {
					t.Fatalf("%s %s: two cut-offs on %s (%s)", zone, cut, day, next)
				}
				prevDay = next.In(loc).Format(time.DateOnly)
				if p := settle.PrevCutoff(next, c, loc); !p.Equal(next) {
					t.Fatalf("%s %s: PrevCutoff(%s) = %s, want itself", zone, cut, next, p)
				}
				if p := settle.PrevCutoff(next.Add(-time.Nanosecond), c, loc); at.Year() > 2025 && !p.Equal(at) {
					t.Fatalf("%s %s: PrevCutoff(just before %s) = %s, want %s", zone, cut, next, p, at)
				}
				if gap := next.Sub(at); at.Year() > 2025 && (gap < 22*time.Hour || gap > 26*time.Hour) {
					t.Fatalf("%s %s: %s after %s", zone, cut, gap, at)
				}
				at = next
			}
		}
	}
}

func TestParseSchedule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cutoff, zone string
		field        string // of the error; "" for none
	}{
		{"18:00", "Africa/Johannesburg", ""},
		{"", "", ""}, // defaults: 00:00 UTC
		{"00:00", "UTC", ""},
		{"23:59", "America/New_York", ""},
		{"24:00", "UTC", "settlement.batch_cutoff"},
		{"6pm", "UTC", "settlement.batch_cutoff"},
		{"8:00", "UTC", "settlement.batch_cutoff"},
		{"18:60", "UTC", "settlement.batch_cutoff"},
		{"18:00", "Mars/Olympus_Mons", "settlement.time_zone"},
		{"18:00", "Local", "settlement.time_zone"},
		{"18:00", "../../etc/passwd", "settlement.time_zone"},
	} {
		s, err := settle.ParseSchedule(tc.cutoff, tc.zone)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("ParseSchedule(%q, %q): %v", tc.cutoff, tc.zone, err)
		case tc.field != "" && (err == nil || !hasField(err, tc.field)):
			t.Errorf("ParseSchedule(%q, %q) = %v, want an error naming %s", tc.cutoff, tc.zone, err, tc.field)
		case tc.field == "" && tc.cutoff == "" && (s.Cutoff.String() != "00:00" || s.Location.String() != "UTC"):
			t.Errorf("default schedule = %s %s", s.Cutoff, s.Location)
		}
	}
}
