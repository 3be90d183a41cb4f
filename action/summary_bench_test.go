package action

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

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
	gh, client := newFakeGitHub(b, "")
	_ = gh
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
	if _, err := st.Accept(ctx, store.Delivery{ID: "d", InstallationID: 1, RepoID: 99, Number: 1, Owner: "acme", Repo: "widgets"}); err != nil {
		b.Fatal(err)
	}
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
	sum := &Summarizer{Store: st, GitHub: client, Logger: testLogger(b)}
	sc := TeamScope{Installation: 1, Name: "acme/widgets", Repos: []string{"acme/widgets"}, Target: "acme/widgets"}
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
