package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentileNearestRank(t *testing.T) {
	// 1..100 ms: the p-th percentile is exactly p ms.
	var s []time.Duration
	for i := 100; i >= 1; i-- {
		s = append(s, ms(i))
	}
	got := summarize(s)
	want := latencySummary{N: 100, Mean: 50500 * time.Microsecond, P50: ms(50), P90: ms(90), P99: ms(99), Max: ms(100)}
	if got != want {
		t.Fatalf("summarize(1..100 ms) = %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		sample []time.Duration
		p      float64
		want   time.Duration
	}{
		{[]time.Duration{ms(7)}, 50, ms(7)},
		{[]time.Duration{ms(7)}, 99, ms(7)},
		{[]time.Duration{ms(1), ms(2)}, 50, ms(1)},
		{[]time.Duration{ms(1), ms(2)}, 51, ms(2)},
		{[]time.Duration{ms(1), ms(2), ms(3), ms(4)}, 75, ms(3)},
		{[]time.Duration{ms(1), ms(2), ms(3), ms(4)}, 76, ms(4)},
		{[]time.Duration{ms(1), ms(2), ms(3), ms(4)}, 100, ms(4)},
		{[]time.Duration{ms(1), ms(2), ms(3), ms(4)}, 0.1, ms(1)},
		{nil, 50, 0},
	} {
		if got := percentile(c.sample, c.p); got != c.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", c.sample, c.p, got, c.want)
		}
	}
}

// TestPercentileExactRanks checks whole ranks stay whole for sample sizes
// where p/100·n in floating point lands just above an integer (0.29·100).
func TestPercentileExactRanks(t *testing.T) {
	for n := 1; n <= 1000; n++ {
		s := make([]time.Duration, n)
		for i := range s {
			s[i] = time.Duration(i + 1)
		}
		for p := 1; p <= 100; p++ {
			rank := (p*n + 99) / 100 // integer ceil(p·n/100)
			if got := percentile(s, float64(p)); got != time.Duration(rank) {
				t.Fatalf("n=%d p=%d: got rank %d, want %d", n, p, got, rank)
			}
		}
	}
}

func TestSummarizeSortsAnyOrder(t *testing.T) {
	s := make([]time.Duration, 10001)
	for i := range s {
		s[i] = ms(i)
	}
	rand.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	got := summarize(s)
	if got.P50 != ms(5000) || got.P90 != ms(9000) || got.P99 != ms(9900) || got.Max != ms(10000) {
		t.Fatalf("summarize(shuffled 0..10000 ms) = %+v", got)
	}
	if z := summarize(nil); z != (latencySummary{}) {
		t.Fatalf("summarize(nil) = %+v, want zero", z)
	}
}
