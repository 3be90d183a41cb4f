package recognizer

import (
	"errors"
	"fmt"
	"time"

	// Summaries compute weeks in teams' time zones: embed the zone
	// database so results never depend on the host's.
	_ "time/tzdata"
)

// Week is an ISO week in a time zone.
type Week struct {
	Year, Num int
	// Loc is the time zone the week's days are counted in; nil means UTC.
	Loc *time.Location
}

// ParseWeek reads an ISO week such as "2026-W47"; loc nil means UTC. It
// refuses anything else, including week 53 of a year that has only 52.
func ParseWeek(s string, loc *time.Location) (Week, error) {
	bad := func(why string) (Week, error) {
		return Week{}, fmt.Errorf("week %q: %s (want YYYY-Www, e.g. 2026-W47)", s, why)
	}
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' {
		return bad("malformed")
	}
	year, ok1 := wkDigits(s[:4])
	num, ok2 := wkDigits(s[6:])
	if !ok1 || !ok2 {
		return bad("malformed")
	}
	if year < 1 {
		return bad("year out of range")
	}
	if num < 1 || num > wkWeeksIn(year) {
		return bad(fmt.Sprintf("%d has no week %d", year, num))
	}
	return Week{Year: year, Num: num, Loc: loc}, nil
}

func wkDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// wkWeeksIn is the number of ISO weeks in year: 53 when Dec 28 (always in
// the year's last week) falls in week 53.
func wkWeeksIn(year int) int {
	_, n := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return n
}

// WeekOf is the ISO week that t falls in, on loc's calendar (nil: UTC).
func WeekOf(t time.Time, loc *time.Location) Week {
	y, n := t.In(wkLoc(loc)).ISOWeek()
	return Week{Year: y, Num: n, Loc: loc}
}

func wkLoc(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// String names the week as ISO 8601 does: "2026-W47".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// monday is the civil date (at midnight UTC) of the week's Monday.
func (w Week) monday() time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, time.UTC)
	back := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDate(0, 0, -back+(w.Num-1)*7)
}

// Start is the week's Monday at 00:00 local time, as an instant (the first
// valid instant after it when midnight is skipped by a transition).
func (w Week) Start() time.Time {
	m := w.monday()
	return wkLocal(m.Year(), m.Month(), m.Day(), 0, 0, wkLoc(w.Loc))
}

// End is the next week's Start: the end of the week, exclusive. A week
// across a daylight-saving transition is 23 or 25 hours off 7×24.
func (w Week) End() time.Time { return w.Next().Start() }

// Prev is the week before.
func (w Week) Prev() Week { return w.shift(-7) }

// Next is the week after.
func (w Week) Next() Week { return w.shift(7) }

func (w Week) shift(days int) Week {
	y, n := w.monday().AddDate(0, 0, days).ISOWeek()
	return Week{Year: y, Num: n, Loc: w.Loc}
}

// wkLocal is the instant at which loc's clocks read the given date and
// time. A time skipped by a transition (spring forward) becomes the first
// valid instant after it, the transition itself; a time that happens twice
// (fall back) is its first occurrence. time.Date guarantees neither.
func wkLocal(y int, mo time.Month, d, h, mi int, loc *time.Location) time.Time {
	wall := time.Date(y, mo, d, h, mi, 0, 0, time.UTC) // the clock reading, as if UTC
	clock := func(t time.Time) time.Time {
		_, off := t.In(loc).Zone()
		return t.Add(time.Duration(off) * time.Second)
	}
	// The instant is wall minus the offset in force then, and offsets
	// stay within ±18h: those in force around wall cover every candidate.
	var offs []int
	for _, probe := range []time.Duration{-36 * time.Hour, -18 * time.Hour, 0, 18 * time.Hour, 36 * time.Hour} {
		_, off := wall.Add(probe).In(loc).Zone()
		seen := false
		for _, o := range offs {
			seen = seen || o == off
		}
		if !seen {
			offs = append(offs, off)
		}
	}
	var first, lo, hi time.Time
	for _, off := range offs {
		t := wall.Add(-time.Duration(off) * time.Second)
		if clock(t).Equal(wall) && (first.IsZero() || t.Before(first)) {
			first = t
		}
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if hi.IsZero() || t.After(hi) {
			hi = t
		}
	}
	if !first.IsZero() {
		return first
	}
	// In a gap: clocks read before wall at lo and after it at hi. The
	// first instant reading wall or later is the transition.
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if !mid.After(lo) {
			break
		}
		if clock(mid).Before(wall) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// SummaryDue is when the summary of week w is due: the first occurrence of
// cfg's weekday at cfg's hour (local to cfg.Timezone; empty means UTC) on
// or after w.End(). 09:00 local stays 09:00 local across daylight-saving
// transitions; a local time skipped by one moves to the first valid
// instant after it, and one that happens twice takes the first occurrence.
func SummaryDue(w Week, cfg SummaryConfig) (time.Time, error) {
	loc, err := wkSchedule(cfg)
	if err != nil {
		return time.Time{}, err
	}
	return wkDue(w, cfg.Weekday, cfg.Hour, 0, loc), nil
}

// wkDue is SummaryDue to the minute.
func wkDue(w Week, day time.Weekday, hour, minute int, loc *time.Location) time.Time {
	end := w.End()
	e := end.In(loc)
	base := time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
	for i := 0; ; i++ {
		d := base.AddDate(0, 0, i)
		if d.Weekday() != day {
			continue
		}
		if t := wkLocal(d.Year(), d.Month(), d.Day(), hour, minute, loc); !t.Before(end) {
			return t
		}
	}
}

func wkSchedule(cfg SummaryConfig) (*time.Location, error) {
	if cfg.Weekday < time.Sunday || cfg.Weekday > time.Saturday {
		return nil, fmt.Errorf("summary schedule: weekday %d out of range", int(cfg.Weekday))
	}
	if cfg.Hour < 0 || cfg.Hour > 23 {
		return nil, fmt.Errorf("summary schedule: hour %d out of range 0-23", cfg.Hour)
	}
	if cfg.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return nil, fmt.Errorf("summary schedule: time zone %q: %w", cfg.Timezone, err)
	}
	return loc, nil
}

// LatestDueWeek is the most recent week, on cfg.Timezone's calendar, whose
// summary is due at or before now, so a scheduler that was down can still
// post the summary it missed.
func LatestDueWeek(now time.Time, cfg SummaryConfig) (Week, error) {
	loc, err := wkSchedule(cfg)
	if err != nil {
		return Week{}, err
	}
	// The current week's summary is due after it ends, so never yet; a
	// summary is due within eight days of its week's end.
	w := WeekOf(now, loc).Prev()
	for range 4 {
		if !wkDue(w, cfg.Weekday, cfg.Hour, 0, loc).After(now) {
			return w, nil
		}
		w = w.Prev()
	}
	return Week{}, errors.New("summary schedule: no week due") // unreachable
}
