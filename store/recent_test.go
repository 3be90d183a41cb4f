package store

import (
	"strconv"
	"testing"
	"time"
)

func TestRecentWrites(t *testing.T) {
	var r recentWrites
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	if !r.due("k", t0, time.Minute) {
		t.Fatal("a write never made is not due")
	}
	r.made(t0, "k")
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{t0, false},
		{t0.Add(59 * time.Second), false},
		{t0.Add(time.Minute), true},       // the interval is up
		{t0.Add(-time.Second), true},      // the clock went back
		{t0.Add(10 * time.Second), false}, // still remembered
	} {
		if got := r.due("k", tc.at, time.Minute); got != tc.want {
			t.Errorf("due at %v = %v, want %v", tc.at.Sub(t0), got, tc.want)
		}
	}
	if !r.due("other", t0, time.Minute) {
		t.Error("another write is due")
	}
	// Full: everything is forgotten, and what comes next remembered.
	for i := range recentWritesMax {
		r.made(t0, strconv.Itoa(i))
	}
	if len(r.at) > recentWritesMax {
		t.Fatalf("%d writes remembered, want at most %d", len(r.at), recentWritesMax)
	}
	r.made(t0, "last")
	if r.due("last", t0, time.Minute) || !r.due("k", t0, time.Minute) {
		t.Error("after filling up, the newest write is forgotten or the oldest kept")
	}
}
