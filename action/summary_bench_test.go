package action

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// BenchmarkSummary100k builds one team's weekly summary from 100,000
// recognitions recorded in Redis that week, and reports the Redis memory
// each recognition takes.
func BenchmarkSummary100k(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	rdb := redistest.Start(b).Client(b)
	st := store.New(rdb, store.Options{})
	_, sum, sc := widgetsSummary(b, st)
	week, _ := recognizer.ParseWeek("2026-W47", time.UTC)
	used := func() int64 {
		info, err := rdb.Info(ctx, "memory").Result()
		if err != nil {
			b.Fatal(err)
		}
		for _, line := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
				n, _ := strconv.ParseInt(v, 10, 64)
				return n
			}
		}
		b.Fatal("no used_memory in INFO")
		return 0
	}
	before := used()
	// Seen as one delivery would record it, so the summary finds the repo.
	keepActivity(b, st, "d", nil)
	batch := make([]recognizer.Record, 0, 1000)
	for i := range n {
		at := week.Start().Add(time.Duration(i) * (7 * 24 * time.Hour / n))
		batch = append(batch, recognizer.Record{
			ID: fmt.Sprintf("%020x", i), Kind: recognizer.KindThanks, At: at, Week: "2026-W47",
			Repo: "acme/widgets", Number: 1000 + i%500, Giver: fmt.Sprintf("dev%03d", i%300), Recipient: fmt.Sprintf("dev%03d", (i*7+1)%300),
			ArtifactURL: fmt.Sprintf("https://github.com/acme/widgets/pull/%d#pullrequestreview-%d", 1000+i%500, 5000000+i),
			Reason:      "the careful review of the retry loop", Values: []string{"craft"}, Evidence: []string{},
		})
		if len(batch) == cap(batch) {
			// Kept as posting replies keeps them (here without items).
			if err := st.Posted(ctx, 1, 99, nil, "", batch, "", nil); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	perRec := float64(used()-before) / n
	b.ResetTimer()
	var s recognizer.Summary
	for b.Loop() {
		var err error
		if s, err = sum.Build(ctx, sc, week); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if s.Empty || s.Stats.Givers != 300 {
		b.Fatalf("summary of %d recognitions: empty %v, %d givers", n, s.Empty, s.Stats.Givers)
	}
	b.ReportMetric(perRec, "redis-bytes/recognition")
	b.ReportMetric(float64(len(s.Body)), "summary-bytes")
}

// BenchmarkSummaryEarlierActivity builds a weekly summary of a repository
// that keeps 100,000 entries of activity from the twelve weeks before
// (reviews, review comments, comments and merges by 300 people) and
// 2,000 in the week. "paged" is Summarizer.Build, which reads the earlier
// entries a page at a time and keeps only what the summary reads;
// "all-at-once" reads the summary's activity as Build did before: every
// entry up to the week's end in one ZRANGEBYSCORE, each then decoded,
// and builds the same summary from all of them. peak-heap-MB is the most
// heap in use while one build runs, sampled every 100 µs.
func BenchmarkSummaryEarlierActivity(b *testing.B) {
	const earlierN, weekN = 100_000, 2_000
	ctx := context.Background()
	rdb := redistest.Start(b).Client(b)
	st := store.New(rdb, store.Options{})
	_, sum, sc := widgetsSummary(b, st)
	week := recognizer.WeekOf(time.Now(), time.UTC).Prev()
	from := week.Start().Add(-12 * 7 * 24 * time.Hour)
	kinds := []recognizer.ContributionKind{recognizer.KindReview, recognizer.KindReviewComment, recognizer.KindComment, recognizer.KindMerged}
	act := func(i int, at time.Time) recognizer.Activity {
		n := 1000 + i/20
		return recognizer.Activity{Kind: kinds[i%len(kinds)], Repo: "acme/widgets", Number: n,
			Login: fmt.Sprintf("dev%03d", i%300), Author: fmt.Sprintf("dev%03d", (i/20)%300),
			URL: fmt.Sprintf("https://github.com/acme/widgets/pull/%d#discussion_r%d", n, 100000+i), At: at, Title: "Tidy the retry loop"}
	}
	batch := make([]recognizer.Activity, 0, 1000)
	for i := range earlierN + weekN {
		at := from.Add(time.Duration(i) * (12 * 7 * 24 * time.Hour / earlierN))
		if i >= earlierN {
			at = week.Start().Add(time.Duration(i-earlierN) * (7 * 24 * time.Hour / weekN))
		}
		if batch = append(batch, act(i, at)); len(batch) == cap(batch) {
			keepActivity(b, st, fmt.Sprint("d", i), batch)
			batch = batch[:0]
		}
	}
	paged := func() recognizer.Summary {
		s, err := sum.Build(ctx, sc, week)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	allAtOnce := func() recognizer.Summary {
		raw, err := rdb.ZRangeByScore(ctx, "kudos:{inst:1}:activity:99",
			&redis.ZRangeBy{Min: "-inf", Max: "(" + strconv.FormatInt(week.End().UnixMilli(), 10)}).Result()
		if err != nil {
			b.Fatal(err)
		}
		all := make([]recognizer.Activity, len(raw))
		for i, r := range raw {
			if err := json.Unmarshal([]byte(r), &all[i]); err != nil {
				b.Fatal(err)
			}
		}
		return summaryOfAll(sc, week, all)
	}
	if p, a := paged(), allAtOnce(); p != a || !strings.Contains(p.Body, "Merged this week") {
		b.Fatalf("the paged summary differs from the one built from all activity:\n%s\nwant:\n%s", p.Body, a.Body)
	}
	for _, c := range []struct {
		name  string
		build func() recognizer.Summary
	}{{"paged", paged}, {"all-at-once", allAtOnce}} {
		b.Run(c.name, func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				runtime.GC()
				stop := sampleHeap(&peak)
				c.build()
				stop()
			}
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
		})
	}
}

// sampleHeap records in peak the most heap in use, sampled every 100 µs,
// until the returned stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
