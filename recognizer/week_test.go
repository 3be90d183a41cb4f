package recognizer

import (
	"testing"
	"time"
)

func wkTestLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func wkUTC(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestWeekOfISOBoundaries(t *testing.T) {
	cases := []struct {
		date time.Time
		want string
	}{
		{wkUTC(2019, 12, 29, 12, 0), "2019-W52"},
		{wkUTC(2019, 12, 30, 0, 0), "2020-W01"}, // Monday of 2020's week 1
		{wkUTC(2020, 12, 27, 23, 59), "2020-W52"},
		{wkUTC(2020, 12, 28, 0, 0), "2020-W53"},
		{wkUTC(2020, 12, 31, 12, 0), "2020-W53"},
		{wkUTC(2021, 1, 1, 12, 0), "2020-W53"},
		{wkUTC(2021, 1, 3, 23, 59), "2020-W53"},
		{wkUTC(2021, 1, 4, 0, 0), "2021-W01"},
		{wkUTC(2024, 12, 29, 12, 0), "2024-W52"},
		{wkUTC(2024, 12, 30, 0, 0), "2025-W01"},
		{wkUTC(2025, 12, 28, 23, 59), "2025-W52"},
		{wkUTC(2025, 12, 29, 0, 0), "2026-W01"},
		{wkUTC(2026, 1, 1, 0, 0), "2026-W01"},
		{wkUTC(2026, 1, 4, 23, 59), "2026-W01"},
		{wkUTC(2026, 1, 5, 0, 0), "2026-W02"},
		{wkUTC(2026, 11, 22, 12, 0), "2026-W47"},
		{wkUTC(2026, 12, 28, 0, 0), "2026-W53"},
		{wkUTC(2027, 1, 1, 12, 0), "2026-W53"},
		{wkUTC(2027, 1, 3, 23, 59), "2026-W53"},
		{wkUTC(2027, 1, 4, 0, 0), "2027-W01"},
	}
	for _, c := range cases {
		if got := WeekOf(c.date, time.UTC).String(); got != c.want {
			t.Errorf("WeekOf(%s) = %s, want %s", c.date.Format(time.DateTime), got, c.want)
		}
	}
}

func TestWeekOfUsesTheZonesCalendar(t *testing.T) {
	ny := wkTestLoc(t, "America/New_York")
	tokyo := wkTestLoc(t, "Asia/Tokyo")
	// Monday 2026-01-05 02:00 UTC: still Sunday in New York, Monday in Tokyo.
	at := wkUTC(2026, 1, 5, 2, 0)
	if got := WeekOf(at, ny).String(); got != "2026-W01" {
		t.Errorf("New York: %s, want 2026-W01", got)
	}
	if got := WeekOf(at, tokyo).String(); got != "2026-W02" {
		t.Errorf("Tokyo: %s, want 2026-W02", got)
	}
	if got := WeekOf(at, nil); got.String() != "2026-W02" || got.Loc != nil {
		t.Errorf("nil zone: %+v, want 2026-W02 in UTC", got)
	}
}

func TestParseWeek(t *testing.T) {
	cases := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "2026-W47", want: "2026-W47"},
		{in: "2026-W01", want: "2026-W01"},
		{in: "2026-W53", want: "2026-W53"},
		{in: "2020-W53", want: "2020-W53"},
		{in: "2015-W53", want: "2015-W53"},
		{in: "2025-W53", wantErr: true},
		{in: "2021-W53", wantErr: true},
		{in: "2026-W54", wantErr: true},
		{in: "2026-W00", wantErr: true},
		{in: "0000-W01", wantErr: true},
		{in: "2026-w47", wantErr: true},
		{in: "2026W47", wantErr: true},
		{in: "2026-W4", wantErr: true},
		{in: "2026-W470", wantErr: true},
		{in: "26-W47", wantErr: true},
		{in: " 2026-W47", wantErr: true},
		{in: "2026-W4x", wantErr: true},
		{in: "+026-W47", wantErr: true},
		{in: "2026-11-16", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, c := range cases {
		w, err := ParseWeek(c.in, time.UTC)
		if c.wantErr {
			if err == nil {
				t.Errorf("ParseWeek(%q) = %v, want an error", c.in, w)
			}
			continue
		}
		if err != nil || w.String() != c.want {
			t.Errorf("ParseWeek(%q) = %v, %v; want %s", c.in, w, err, c.want)
		}
	}
}

func TestWeekStartPrevNext(t *testing.T) {
	cases := []struct {
		week       string
		start      time.Time
		prev, next string
	}{
		{"2020-W01", wkUTC(2019, 12, 30, 0, 0), "2019-W52", "2020-W02"},
		{"2020-W53", wkUTC(2020, 12, 28, 0, 0), "2020-W52", "2021-W01"},
		{"2021-W01", wkUTC(2021, 1, 4, 0, 0), "2020-W53", "2021-W02"},
		{"2025-W01", wkUTC(2024, 12, 30, 0, 0), "2024-W52", "2025-W02"},
		{"2026-W01", wkUTC(2025, 12, 29, 0, 0), "2025-W52", "2026-W02"},
		{"2026-W47", wkUTC(2026, 11, 16, 0, 0), "2026-W46", "2026-W48"},
		{"2026-W53", wkUTC(2026, 12, 28, 0, 0), "2026-W52", "2027-W01"},
	}
	for _, c := range cases {
		w, err := ParseWeek(c.week, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !w.Start().Equal(c.start) {
			t.Errorf("%s.Start() = %s, want %s", c.week, w.Start(), c.start)
		}
		if !w.End().Equal(c.start.AddDate(0, 0, 7)) {
			t.Errorf("%s.End() = %s, want %s", c.week, w.End(), c.start.AddDate(0, 0, 7))
		}
		if got := w.Prev().String(); got != c.prev {
			t.Errorf("%s.Prev() = %s, want %s", c.week, got, c.prev)
		}
		if got := w.Next().String(); got != c.next {
			t.Errorf("%s.Next() = %s, want %s", c.week, got, c.next)
		}
	}
}

// Every week, in zones either side of UTC, starts on a Monday at midnight,
// contains its own bounds and nothing of its neighbours.
func TestWeekBoundsRoundTrip(t *testing.T) {
	for _, name := range []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "Pacific/Auckland", "America/Sao_Paulo"} {
		loc := wkTestLoc(t, name)
		w := Week{Year: 2019, Num: 1, Loc: loc}
		for range 10 * 53 {
			start, end := w.Start(), w.End()
			if ls := start.In(loc); ls.Weekday() != time.Monday || ls.Hour() != 0 || ls.Minute() != 0 {
				t.Fatalf("%s %s starts %s", name, w, ls)
			}
			if got := WeekOf(start, loc); got.String() != w.String() {
				t.Fatalf("%s: WeekOf(%s.Start()) = %s", name, w, got)
			}
			if got := WeekOf(end.Add(-time.Nanosecond), loc); got.String() != w.String() {
				t.Fatalf("%s: WeekOf(%s.End()-1ns) = %s", name, w, got)
			}
			if got := WeekOf(end, loc); got.String() != w.Next().String() {
				t.Fatalf("%s: WeekOf(%s.End()) = %s", name, w, got)
			}
			if !w.Next().Prev().Start().Equal(start) {
				t.Fatalf("%s: %s.Next().Prev() = %s", name, w, w.Next().Prev())
			}
			if d := end.Sub(start); d < 167*time.Hour || d > 169*time.Hour {
				t.Fatalf("%s: %s lasts %s", name, w, d)
			}
			w = w.Next()
		}
	}
}

func TestWeekLengthAcrossDST(t *testing.T) {
	cases := []struct {
		zone, week string
		want       time.Duration
	}{
		{"America/New_York", "2026-W09", 168 * time.Hour},
		{"America/New_York", "2026-W10", 167 * time.Hour}, // Mar 8: spring forward
		{"America/New_York", "2026-W11", 168 * time.Hour},
		{"America/New_York", "2026-W43", 168 * time.Hour},
		{"America/New_York", "2026-W44", 169 * time.Hour}, // Nov 1: fall back
		{"America/New_York", "2026-W45", 168 * time.Hour},
		{"Europe/Berlin", "2026-W12", 168 * time.Hour},
		{"Europe/Berlin", "2026-W13", 167 * time.Hour}, // Mar 29
		{"Europe/Berlin", "2026-W14", 168 * time.Hour},
		{"Europe/Berlin", "2026-W42", 168 * time.Hour},
		{"Europe/Berlin", "2026-W43", 169 * time.Hour}, // Oct 25
		{"Europe/Berlin", "2026-W44", 168 * time.Hour},
		{"UTC", "2026-W13", 168 * time.Hour},
		{"UTC", "2026-W43", 168 * time.Hour},
	}
	for _, c := range cases {
		loc := wkTestLoc(t, c.zone)
		w, err := ParseWeek(c.week, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.End().Sub(w.Start()); got != c.want {
			t.Errorf("%s %s lasts %s, want %s", c.zone, c.week, got, c.want)
		}
		for _, b := range []time.Time{w.Start(), w.End()} {
			if l := b.In(loc); l.Weekday() != time.Monday || l.Hour() != 0 || l.Minute() != 0 {
				t.Errorf("%s %s bound at %s, want Monday 00:00 local", c.zone, c.week, l)
			}
		}
	}
}

func TestWeekLocalTimeGapsAndRepeats(t *testing.T) {
	berlin := wkTestLoc(t, "Europe/Berlin")
	ny := wkTestLoc(t, "America/New_York")
	sp := wkTestLoc(t, "America/Sao_Paulo")
	cases := []struct {
		name        string
		y           int
		m           time.Month
		d, h, mi    int
		loc         *time.Location
		want        time.Time
		wantLocalHM string
	}{
		{"Berlin ordinary", 2026, 3, 28, 2, 30, berlin, wkUTC(2026, 3, 28, 1, 30), "02:30"},
		{"Berlin gap moves to the transition", 2026, 3, 29, 2, 30, berlin, wkUTC(2026, 3, 29, 1, 0), "03:00"},
		{"Berlin gap start", 2026, 3, 29, 2, 0, berlin, wkUTC(2026, 3, 29, 1, 0), "03:00"},
		{"Berlin after gap", 2026, 3, 29, 3, 0, berlin, wkUTC(2026, 3, 29, 1, 0), "03:00"},
		{"Berlin repeat takes the first", 2026, 10, 25, 2, 30, berlin, wkUTC(2026, 10, 25, 0, 30), "02:30"},
		{"Berlin repeat start", 2026, 10, 25, 2, 0, berlin, wkUTC(2026, 10, 25, 0, 0), "02:00"},
		{"New York gap", 2026, 3, 8, 2, 30, ny, wkUTC(2026, 3, 8, 7, 0), "03:00"},
		{"New York repeat takes the first", 2026, 11, 1, 1, 30, ny, wkUTC(2026, 11, 1, 5, 30), "01:30"},
		// Brazil skipped midnight: Nov 4 2018 began at 01:00.
		{"Sao Paulo midnight gap", 2018, 11, 4, 0, 0, sp, wkUTC(2018, 11, 4, 3, 0), "01:00"},
	}
	for _, c := range cases {
		got := wkLocal(c.y, c.m, c.d, c.h, c.mi, c.loc)
		if !got.Equal(c.want) || got.In(c.loc).Format("15:04") != c.wantLocalHM {
			t.Errorf("%s: %s (%s local), want %s (%s local)", c.name, got.UTC(), got.In(c.loc).Format("15:04 MST"), c.want, c.wantLocalHM)
		}
	}
}

func TestSummaryDueAcrossDST(t *testing.T) {
	monday9 := func(zone string) SummaryConfig {
		return SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: zone}
	}
	cases := []struct {
		name string
		week string
		cfg  SummaryConfig
		want time.Time
	}{
		{"default UTC", "2026-W47", SummaryConfig{Weekday: time.Monday, Hour: 9}, wkUTC(2026, 11, 23, 9, 0)},
		{"NY before spring forward", "2026-W09", monday9("America/New_York"), wkUTC(2026, 3, 2, 14, 0)},
		{"NY across spring forward", "2026-W10", monday9("America/New_York"), wkUTC(2026, 3, 9, 13, 0)},
		{"NY before fall back", "2026-W43", monday9("America/New_York"), wkUTC(2026, 10, 26, 13, 0)},
		{"NY across fall back", "2026-W44", monday9("America/New_York"), wkUTC(2026, 11, 2, 14, 0)},
		{"Berlin before spring forward", "2026-W12", monday9("Europe/Berlin"), wkUTC(2026, 3, 23, 8, 0)},
		{"Berlin across spring forward", "2026-W13", monday9("Europe/Berlin"), wkUTC(2026, 3, 30, 7, 0)},
		{"Berlin before fall back", "2026-W42", monday9("Europe/Berlin"), wkUTC(2026, 10, 19, 7, 0)},
		{"Berlin across fall back", "2026-W43", monday9("Europe/Berlin"), wkUTC(2026, 10, 26, 8, 0)},
		{"Monday midnight is the week's end", "2026-W47", SummaryConfig{Weekday: time.Monday, Hour: 0, Timezone: "UTC"}, wkUTC(2026, 11, 23, 0, 0)},
		{"Friday 17:00", "2026-W47", SummaryConfig{Weekday: time.Friday, Hour: 17, Timezone: "Asia/Tokyo"}, wkUTC(2026, 11, 27, 8, 0)},
		// Sunday 02:00 Berlin: skipped on Mar 29 2026 (moves to 03:00
		// CEST), twice on Oct 25 2026 (the first, still CEST).
		{"Berlin Sunday 02:00 skipped", "2026-W12", SummaryConfig{Weekday: time.Sunday, Hour: 2, Timezone: "Europe/Berlin"}, wkUTC(2026, 3, 29, 1, 0)},
		{"Berlin Sunday 02:00 repeated", "2026-W42", SummaryConfig{Weekday: time.Sunday, Hour: 2, Timezone: "Europe/Berlin"}, wkUTC(2026, 10, 25, 0, 0)},
	}
	for _, c := range cases {
		w, err := ParseWeek(c.week, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.cfg.Timezone != "" {
			w.Loc = wkTestLoc(t, c.cfg.Timezone)
		}
		got, err := SummaryDue(w, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !got.Equal(c.want) {
			t.Errorf("%s: SummaryDue(%s) = %s, want %s", c.name, c.week, got.UTC(), c.want)
		}
		if got.Before(w.End()) {
			t.Errorf("%s: due %s before the week ends %s", c.name, got, w.End())
		}
		if c.cfg.Hour == 9 {
			loc := wkLoc(w.Loc)
			if l := got.In(loc); l.Hour() != 9 || l.Minute() != 0 || l.Weekday() != time.Monday {
				t.Errorf("%s: due %s local, want Monday 09:00", c.name, l)
			}
		}
	}
}

// A schedule at 02:30 on Sundays (to the minute, which the configuration
// cannot yet say) in Berlin meets both 2026 transitions.
func TestSummaryDueSunday0230Berlin(t *testing.T) {
	berlin := wkTestLoc(t, "Europe/Berlin")
	cases := []struct {
		week      string
		want      time.Time
		wantLocal string
	}{
		{"2026-W11", wkUTC(2026, 3, 22, 1, 30), "2026-03-22 02:30 CET"},
		{"2026-W12", wkUTC(2026, 3, 29, 1, 0), "2026-03-29 03:00 CEST"},   // nonexistent: first valid instant after
		{"2026-W42", wkUTC(2026, 10, 25, 0, 30), "2026-10-25 02:30 CEST"}, // ambiguous: first occurrence
		{"2026-W43", wkUTC(2026, 11, 1, 1, 30), "2026-11-01 02:30 CET"},
	}
	for _, c := range cases {
		w, _ := ParseWeek(c.week, berlin)
		got := wkDue(w, time.Sunday, 2, 30, berlin)
		if !got.Equal(c.want) || got.In(berlin).Format("2006-01-02 15:04 MST") != c.wantLocal {
			t.Errorf("%s: due %s (%s), want %s (%s)", c.week, got.UTC(), got.In(berlin).Format("2006-01-02 15:04 MST"), c.want, c.wantLocal)
		}
	}
}

func TestSummaryDueErrors(t *testing.T) {
	w := Week{Year: 2026, Num: 47}
	for _, cfg := range []SummaryConfig{
		{Weekday: time.Monday, Hour: 9, Timezone: "Mars/Olympus_Mons"},
		{Weekday: time.Monday, Hour: 24},
		{Weekday: time.Monday, Hour: -1},
		{Weekday: 7, Hour: 9},
	} {
		if _, err := SummaryDue(w, cfg); err == nil {
			t.Errorf("SummaryDue(%+v): no error", cfg)
		}
		if _, err := LatestDueWeek(wkUTC(2026, 11, 23, 9, 0), cfg); err == nil {
			t.Errorf("LatestDueWeek(%+v): no error", cfg)
		}
	}
}

func TestLatestDueWeek(t *testing.T) {
	berlin := SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "Europe/Berlin"}
	sunday := SummaryConfig{Weekday: time.Sunday, Hour: 18, Timezone: "America/New_York"}
	// 2026-W47's summary is due Monday Nov 23 09:00 CET = 08:00 UTC.
	due := wkUTC(2026, 11, 23, 8, 0)
	cases := []struct {
		name string
		now  time.Time
		cfg  SummaryConfig
		want string
	}{
		{"just before", due.Add(-time.Second), berlin, "2026-W46"},
		{"at", due, berlin, "2026-W47"},
		{"just after", due.Add(time.Second), berlin, "2026-W47"},
		{"days later, a missed run", wkUTC(2026, 11, 29, 22, 0), berlin, "2026-W47"},
		{"a week later", wkUTC(2026, 11, 30, 8, 0), berlin, "2026-W48"},
		{"across spring forward, before", wkUTC(2026, 3, 30, 6, 59), berlin, "2026-W12"},
		{"across spring forward, at", wkUTC(2026, 3, 30, 7, 0), berlin, "2026-W13"},
		{"across the new year", wkUTC(2027, 1, 4, 8, 0), berlin, "2026-W53"},
		{"across the new year, before", wkUTC(2027, 1, 4, 7, 59), berlin, "2026-W52"},
		// Sunday 18:00 in New York: W47's is due Sunday Nov 29 (23:00 UTC).
		{"late weekday, before", wkUTC(2026, 11, 29, 22, 59), sunday, "2026-W46"},
		{"late weekday, at", wkUTC(2026, 11, 29, 23, 0), sunday, "2026-W47"},
	}
	for _, c := range cases {
		got, err := LatestDueWeek(c.now, c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.String() != c.want {
			t.Errorf("%s: LatestDueWeek(%s) = %s, want %s", c.name, c.now, got, c.want)
		}
		d, err := SummaryDue(got, c.cfg)
		if err != nil || d.After(c.now) {
			t.Errorf("%s: %s is due %s, after now %s (%v)", c.name, got, d, c.now, err)
		}
		if d, _ := SummaryDue(got.Next(), c.cfg); !d.After(c.now) {
			t.Errorf("%s: %s is due too, at %s", c.name, got.Next(), d)
		}
	}
}
