package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// EachActivity reads a repository's activity a page at a time, and a page
// boundary inside a run of entries from one millisecond neither skips nor
// repeats any of them.
func TestEachActivityPagesThroughTies(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	var cmds redistest.Recorder
	st.Client().AddHook(&cmds)
	// 2,500 entries in one millisecond, across three pages, one of them
	// all in it.
	acts, tie := tiedActivity(300, 2500, 800)
	if _, err := st.Accept(ctx, store.Delivery{ID: "d", InstallationID: 7, RepoID: 99, Number: 1,
		Owner: "acme", Repo: "widgets", Activity: acts}); err != nil {
		t.Fatal(err)
	}

	collect := func(from, to time.Time) ([]recognizer.Activity, int) {
		t.Helper()
		cmds.Take()
		var got []recognizer.Activity
		if err := st.EachActivity(ctx, 7, 99, from, to, func(a recognizer.Activity) error {
			if got = append(got, a); len(got) > len(acts) {
				return fmt.Errorf("read more than the %d entries written", len(acts))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got, redistest.Count(cmds.Take(), "zrangebyscore")
	}
	got, reads := collect(time.Time{}, time.Time{})
	if reads != 4 {
		t.Errorf("read %d entries in %d pages; want 4", len(got), reads)
	}
	seen := map[int]bool{}
	for i, a := range got {
		if seen[a.Number] {
			t.Fatalf("entry %d read twice", a.Number)
		}
		seen[a.Number] = true
		if i > 0 && a.At.Before(got[i-1].At) {
			t.Fatalf("entry %d at %v read after one at %v: not oldest first", a.Number, a.At, got[i-1].At)
		}
	}
	if len(seen) != len(acts) {
		t.Fatalf("read %d distinct entries of %d", len(seen), len(acts))
	}

	// [from, to): the tie and what follows it, up to the last entry.
	last := acts[len(acts)-1].At
	got, _ = collect(tie, last)
	if len(got) != 2500+799 || !got[0].At.Equal(tie) || !got[len(got)-1].At.Before(last) {
		t.Errorf("[tie, last) read %d entries; want %d", len(got), 2500+799)
	}

	// An error from fn stops the reading and comes back.
	stop := errors.New("enough")
	n := 0
	err := st.EachActivity(ctx, 7, 99, time.Time{}, time.Time{}, func(recognizer.Activity) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("EachActivity = %v after %d entries; want %v after 10", err, n, stop)
	}
}

// Writes between two pages of EachActivity: a trim that drops the entries
// the first page ended with makes the next skip none of the rest, and a
// new entry in the millisecond a page ended with is read once, as is
// every entry before it.
func TestEachActivityBetweenPages(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	rdb := st.Client()
	const key = "kudos:{inst:7}:activity:99"
	// 20 entries in one millisecond across the first page's end.
	acts, tie := tiedActivity(990, 20, 500)
	for _, between := range []struct {
		name  string
		write func() error
		want  int // entries read
	}{
		// Trimmed up to and including the tie: the tie's 10 unread
		// entries go with it, and all 500 after are still read.
		{"trim", func() error { return rdb.ZRemRangeByScore(ctx, key, "-inf", fmt.Sprint(tie.UnixMilli())).Err() }, 1000 + 500},
		// A late entry in the tie's millisecond, sorting first.
		{"late write", func() error {
			return rdb.ZAdd(ctx, key, redis.Z{Score: float64(tie.UnixMilli()), Member: `{"kind":"comment","number":-1,"at":"` + tie.Format(time.RFC3339Nano) + `"}`}).Err()
		}, len(acts) + 1},
	} {
		t.Run(between.name, func(t *testing.T) {
			if err := rdb.Del(ctx, key).Err(); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Accept(ctx, store.Delivery{ID: "d-" + between.name, InstallationID: 7, RepoID: 99, Number: 1,
				Owner: "acme", Repo: "widgets", Activity: acts}); err != nil {
				t.Fatal(err)
			}
			seen := map[int]bool{}
			n := 0
			err := st.EachActivity(ctx, 7, 99, time.Time{}, time.Time{}, func(a recognizer.Activity) error {
				if seen[a.Number] {
					return fmt.Errorf("entry %d read twice", a.Number)
				}
				seen[a.Number] = true
				if n++; n == 1000 { // the first page's last entry
					return between.write()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != between.want {
				t.Errorf("read %d entries; want %d", n, between.want)
			}
		})
	}
}

// tiedActivity is before entries a millisecond apart, then ties entries
// in one millisecond (tie), then after entries a millisecond apart, all
// within the last hour and each numbered by its place in the list.
func tiedActivity(before, ties, after int) (acts []recognizer.Activity, tie time.Time) {
	base := time.Now().UTC().Truncate(time.Millisecond).Add(-time.Hour)
	tie = base.Add(time.Duration(before+1) * time.Millisecond)
	add := func(at time.Time) {
		n := len(acts)
		acts = append(acts, recognizer.Activity{Kind: recognizer.KindReview, Repo: "acme/widgets", Number: n,
			Login: "bob", URL: fmt.Sprintf("https://github.com/acme/widgets/pull/%d#pullrequestreview-%d", n, n), At: at})
	}
	for i := range before {
		add(base.Add(time.Duration(i) * time.Millisecond))
	}
	for range ties {
		add(tie)
	}
	for i := range after {
		add(tie.Add(time.Duration(i+1) * time.Millisecond))
	}
	return acts, tie
}
