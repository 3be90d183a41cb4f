package main

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/internal/payload"
)

// BenchmarkThanksToReply measures, through the whole app, the time from a
// signed /thanks delivery to the reply's POST reaching a GitHub that takes
// 200 ms to answer each write; it reports the median and the 90th
// percentile. Deliveries go one at a time (write pacing is set to 1 ms),
// from different people (no per-person limit), after one warm-up delivery
// that fetches the installation token and the configuration.
func BenchmarkThanksToReply(b *testing.B) {
	e := newEnvWith(b, serveConfig{Role: "all"}, func(o *fakegithub.Options) { o.WriteLatency = 200 * time.Millisecond })
	arrived := make(chan time.Time, 1)
	e.gh.OnCreate(func(ctx context.Context, c fakegithub.Comment) { arrived <- time.Now() })
	var lat []time.Duration
	thanks := func(i int) []byte {
		return payload.IssueComment(payload.CommentOpts{ID: int64(5000 + i), Author: fmt.Sprintf("dev%d", i), Body: "/thanks @bob for the review"})
	}
	if code := send(b, e.url, "issue_comment", "lat-warmup", thanks(0), testSecret); code != 202 {
		b.Fatalf("warm-up answered %d", code)
	}
	<-arrived
	i := 0
	for b.Loop() {
		i++
		body := thanks(i)
		start := time.Now()
		if code := send(b, e.url, "issue_comment", fmt.Sprintf("lat-%d", i), body, testSecret); code != 202 {
			b.Fatalf("delivery answered %d", code)
		}
		select {
		case at := <-arrived:
			lat = append(lat, at.Sub(start))
		case <-time.After(10 * time.Second):
			b.Fatal("no reply within 10s")
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*9/10].Milliseconds()), "p90-ms")
}
