package main

import (
	"math"
	"slices"
	"time"
)

// latencySummary describes a full sample of latencies: exact order
// statistics, not a histogram's approximation.
type latencySummary struct {
	N    int
	Mean time.Duration
	P50  time.Duration
	P90  time.Duration
	P99  time.Duration
	Max  time.Duration
}

// summarize sorts sample in place and summarizes it.
func summarize(sample []time.Duration) latencySummary {
	slices.Sort(sample)
	s := latencySummary{N: len(sample)}
	if len(sample) == 0 {
		return s
	}
	var sum time.Duration
	for _, d := range sample {
		sum += d
	}
	s.Mean = sum / time.Duration(len(sample))
	s.P50 = percentile(sample, 50)
	s.P90 = percentile(sample, 90)
	s.P99 = percentile(sample, 99)
	s.Max = sample[len(sample)-1]
	return s
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of a
// sorted sample: the smallest value with at least p% of the sample at or
// below it. It is always one of the sample's values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// p·n first: for whole p it is exact, so a whole rank stays whole.
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	return sorted[min(max(rank, 1), len(sorted))-1]
}
