package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// schedClock is the scheduler's injected clock; tests move it by hand.
type schedClock struct {
	mu  sync.Mutex
	now time.Time
}

func newSchedClock(t time.Time) *schedClock { return &schedClock{now: t} }

func (c *schedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *schedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// summaryPost is one call of a SummaryJob.
type summaryPost struct {
	Team string
	Week string
	At   time.Time // the scheduler's clock when Post was called
}

// fakeSummaryIssues stands in for GitHub: Post looks for the week's issue
// before opening one, as the real SummaryJob must.
type fakeSummaryIssues struct {
	clock  *schedClock
	mu     sync.Mutex
	issues map[string]int // inst/team/week → issue number
	next   int
	calls  []summaryPost
}

func newFakeSummaryIssues(clock *schedClock) *fakeSummaryIssues {
	return &fakeSummaryIssues{clock: clock, issues: map[string]int{}, next: 100}
}

func (g *fakeSummaryIssues) Post(_ context.Context, t SummaryTarget, week recognizer.Week) (string, int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, summaryPost{Team: t.Team, Week: week.String(), At: g.clock.Now()})
	key := fmt.Sprintf("%d/%s/%s", t.Installation, t.Team, week)
	n, ok := g.issues[key]
	if !ok {
		g.next++
		n = g.next
		g.issues[key] = n
	}
	return fmt.Sprintf("https://github.com/acme/summaries/issues/%d", n), n, nil
}

func (g *fakeSummaryIssues) Calls() []summaryPost {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]summaryPost(nil), g.calls...)
}

func (g *fakeSummaryIssues) Issues() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.issues)
}

func newSummaryStore(t *testing.T) *store.Store {
	t.Helper()
	return store.New(redistest.Start(t).Client(t), store.Options{})
}

func newTestScheduler(t *testing.T, st SchedulerStore, clock *schedClock, owner string, post SummaryJob, targets ...SummaryTarget) *Scheduler {
	t.Helper()
	s, err := NewScheduler(SchedulerOptions{
		Store:   st,
		Targets: func(context.Context) ([]SummaryTarget, error) { return targets, nil },
		Post:    post,
		Now:     clock.Now,
		Owner:   owner,
		Logger:  testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var mondayNineUTC = recognizer.SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "UTC"}

// weekOf names the ISO week that the civil date y-m-d falls in.
func weekOf(y int, m time.Month, d int) string {
	return recognizer.WeekOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC), time.UTC).String()
}

// markPosted records a week's summary as posted, as the last run left it.
func markPosted(t *testing.T, st *store.Store, tg SummaryTarget, week string) {
	t.Helper()
	if err := st.SummaryPosted(context.Background(), tg.Installation, tg.Team, week, "https://github.com/acme/summaries/issues/1", 1); err != nil {
		t.Fatal(err)
	}
}

func tickAt(t *testing.T, s *Scheduler, clock *schedClock, at time.Time) int {
	t.Helper()
	clock.Set(at)
	n, err := s.Tick(context.Background())
	if err != nil {
		t.Fatalf("Tick at %s: %v", at.Format(time.RFC3339), err)
	}
	return n
}

func TestSchedulerPostsOnceWhenDue(t *testing.T) {
	ctx := context.Background()
	st := newSummaryStore(t)
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	// Last week's summary (the week of Feb 23, due Mon Mar 2) went out.
	markPosted(t, st, tg, weekOf(2026, 2, 23))
	due := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC) // Monday
	clock := newSchedClock(due.Add(-time.Minute))
	gh := newFakeSummaryIssues(clock)
	s := newTestScheduler(t, st, clock, "r1", gh.Post, tg)

	for _, at := range []time.Time{due.Add(-24 * time.Hour), due.Add(-time.Minute), due.Add(-time.Nanosecond)} {
		if n := tickAt(t, s, clock, at); n != 0 || len(gh.Calls()) != 0 {
			t.Fatalf("at %s, before the due time: posted %d (calls %v); want nothing", at, n, gh.Calls())
		}
	}
	if n := tickAt(t, s, clock, due); n != 1 {
		t.Fatalf("at the due instant posted %d; want 1", n)
	}
	calls := gh.Calls()
	if len(calls) != 1 || calls[0].Week != weekOf(2026, 3, 2) || calls[0].Team != "platform" {
		t.Fatalf("Post calls = %+v; want one, for platform's week of Mar 2 (%s)", calls, weekOf(2026, 3, 2))
	}
	posted, url, num, err := st.SummaryState(ctx, 7, "platform", weekOf(2026, 3, 2))
	if err != nil || !posted || num != 101 || url != "https://github.com/acme/summaries/issues/101" {
		t.Fatalf("recorded state = %v, %q, %d, %v; want posted as #101", posted, url, num, err)
	}
	// Later Ticks in the same week post nothing more.
	for _, at := range []time.Time{due, due.Add(time.Minute), due.Add(3 * 24 * time.Hour), due.Add(7*24*time.Hour - time.Minute)} {
		if n := tickAt(t, s, clock, at); n != 0 {
			t.Fatalf("Tick at %s posted %d again", at, n)
		}
	}
	if len(gh.Calls()) != 1 {
		t.Fatalf("Post called %d times; want once", len(gh.Calls()))
	}
	// The next week's is due the next Monday.
	if n := tickAt(t, s, clock, due.Add(7*24*time.Hour)); n != 1 {
		t.Fatalf("next Monday posted %d; want 1", n)
	}
	if c := gh.Calls(); len(c) != 2 || c[1].Week != weekOf(2026, 3, 9) {
		t.Fatalf("Post calls = %+v; want the week of Mar 9 second", c)
	}
}

func TestSchedulerPostsAMissedSummaryOnce(t *testing.T) {
	st := newSummaryStore(t)
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	markPosted(t, st, tg, weekOf(2026, 2, 23))
	due := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)
	clock := newSchedClock(due)
	gh := newFakeSummaryIssues(clock)
	s := newTestScheduler(t, st, clock, "r1", gh.Post, tg)

	if n := tickAt(t, s, clock, due.Add(-time.Hour)); n != 0 {
		t.Fatalf("posted %d before the due time", n)
	}
	// Every worker was down at the due time; the clock jumps 3 days on.
	late := due.Add(3 * 24 * time.Hour)
	if n := tickAt(t, s, clock, late); n != 1 {
		t.Fatalf("first Tick after the outage posted %d; want the missed summary", n)
	}
	if n := tickAt(t, s, clock, late.Add(time.Minute)); n != 0 {
		t.Fatalf("second Tick after the outage posted %d again", n)
	}
	if c := gh.Calls(); len(c) != 1 || c[0].Week != weekOf(2026, 3, 2) || !c[0].At.Equal(late) {
		t.Fatalf("Post calls = %+v; want the week of Mar 2 once, at %s", c, late)
	}
}

func TestSchedulerDoesNotBackfillOldWeeks(t *testing.T) {
	st := newSummaryStore(t)
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	markPosted(t, st, tg, weekOf(2026, 2, 23))
	clock := newSchedClock(time.Time{})
	gh := newFakeSummaryIssues(clock)
	s := newTestScheduler(t, st, clock, "r1", gh.Post, tg)

	// Down from before Mar 9 until after Mar 23: the summaries of the
	// weeks of Mar 2, 9 and 16 were all due; only the latest is posted.
	if n := tickAt(t, s, clock, time.Date(2026, 3, 24, 10, 0, 0, 0, time.UTC)); n != 1 {
		t.Fatalf("posted %d; want only the latest due week", n)
	}
	if n := tickAt(t, s, clock, time.Date(2026, 3, 24, 10, 1, 0, 0, time.UTC)); n != 0 {
		t.Fatalf("posted %d more on the next Tick", n)
	}
	if c := gh.Calls(); len(c) != 1 || c[0].Week != weekOf(2026, 3, 16) {
		t.Fatalf("Post calls = %+v; want the week of Mar 16 (%s) only", c, weekOf(2026, 3, 16))
	}
}

func TestSchedulerTwoReplicasPostOnce(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	// Each replica has its own connection to the same Redis.
	st1 := store.New(srv.Client(t), store.Options{})
	st2 := store.New(srv.Client(t), store.Options{})
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	markPosted(t, st1, tg, weekOf(2026, 2, 23))
	clock := newSchedClock(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	gh := newFakeSummaryIssues(clock)

	entered := make(chan string, 2)
	release := make(chan struct{})
	post := func(owner string) SummaryJob {
		return func(ctx context.Context, t SummaryTarget, w recognizer.Week) (string, int, error) {
			entered <- owner
			<-release // posting takes a moment
			return gh.Post(ctx, t, w)
		}
	}
	s1 := newTestScheduler(t, st1, clock, "r1", post("r1"), tg)
	s2 := newTestScheduler(t, st2, clock, "r2", post("r2"), tg)

	type result struct {
		n   int
		err error
	}
	results := make(chan result, 2)
	start := make(chan struct{})
	for _, s := range []*Scheduler{s1, s2} {
		go func() {
			<-start
			n, err := s.Tick(ctx)
			results <- result{n, err}
		}()
	}
	close(start)
	var winner string
	select {
	case winner = <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("no replica started posting")
	}
	// While the winner is still posting, the other replica's Tick ends
	// without posting.
	select {
	case r := <-results:
		if r.n != 0 || r.err != nil {
			t.Fatalf("the losing replica's Tick = %d, %v; want 0, nil", r.n, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the losing replica's Tick waited for the winner")
	}
	close(release)
	r := <-results
	if r.n != 1 || r.err != nil {
		t.Fatalf("the winning replica's Tick = %d, %v; want 1, nil", r.n, r.err)
	}
	select {
	case other := <-entered:
		t.Fatalf("both %s and %s ran Post", winner, other)
	default:
	}
	if c := gh.Calls(); len(c) != 1 {
		t.Fatalf("Post calls = %+v; want exactly one", c)
	}
	// Neither posts it again.
	for _, s := range []*Scheduler{s1, s2} {
		if n, err := s.Tick(ctx); n != 0 || err != nil {
			t.Fatalf("Tick after the post = %d, %v", n, err)
		}
	}
	if posted, _, num, _ := st2.SummaryState(ctx, 7, "platform", weekOf(2026, 3, 2)); !posted || num != 101 {
		t.Fatalf("state = %v #%d; want posted as #101", posted, num)
	}
}

func TestSchedulerRetriesAfterDyingMidPost(t *testing.T) {
	ctx := context.Background()
	st := newSummaryStore(t)
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	markPosted(t, st, tg, weekOf(2026, 2, 23))
	clock := newSchedClock(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	gh := newFakeSummaryIssues(clock)

	// The first replica opens the issue on GitHub, then dies before
	// recording it.
	died := errors.New("killed before recording the summary")
	dying := newTestScheduler(t, st, clock, "r1", func(ctx context.Context, t SummaryTarget, w recognizer.Week) (string, int, error) {
		if _, _, err := gh.Post(ctx, t, w); err != nil {
			return "", 0, err
		}
		return "", 0, died
	}, tg)
	n, err := dying.Tick(ctx)
	if n != 0 || !errors.Is(err, died) {
		t.Fatalf("dying Tick = %d, %v; want 0 and the failure", n, err)
	}
	if !strings.Contains(err.Error(), `"platform"`) || !strings.Contains(err.Error(), weekOf(2026, 3, 2)) {
		t.Errorf("error %q does not say which team and week failed", err)
	}
	if gh.Issues() != 1 {
		t.Fatalf("issues = %d; want the one the dying replica opened", gh.Issues())
	}
	if posted, _, _, _ := st.SummaryState(ctx, 7, "platform", weekOf(2026, 3, 2)); posted {
		t.Fatal("summary recorded as posted though the replica died first")
	}

	// A new replica (restarted process) posts it again; Post finds the
	// issue the dead one opened instead of opening another.
	restarted := newTestScheduler(t, st, clock, "r2", gh.Post, tg)
	if n, err := restarted.Tick(ctx); n != 1 || err != nil {
		t.Fatalf("restarted Tick = %d, %v; want the summary posted", n, err)
	}
	if c := gh.Calls(); len(c) != 2 || c[1].Week != weekOf(2026, 3, 2) {
		t.Fatalf("Post calls = %+v; want the scheduler to retry the week of Mar 2", c)
	}
	if gh.Issues() != 1 {
		t.Fatalf("issues = %d; want one: the retry found the existing issue", gh.Issues())
	}
	if posted, _, num, _ := st.SummaryState(ctx, 7, "platform", weekOf(2026, 3, 2)); !posted || num != 101 {
		t.Fatalf("state = %v #%d; want posted as the first issue, #101", posted, num)
	}
	if n, _ := restarted.Tick(ctx); n != 0 || len(gh.Calls()) != 2 {
		t.Fatalf("posted again after recording (%d, calls %d)", n, len(gh.Calls()))
	}
}

func TestSchedulerWaitsOutADeadReplicasLease(t *testing.T) {
	ctx := context.Background()
	st := newSummaryStore(t)
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	markPosted(t, st, tg, weekOf(2026, 2, 23))
	clock := newSchedClock(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	gh := newFakeSummaryIssues(clock)
	// A replica took the lease and was killed without releasing it.
	if ok, err := st.SummaryLock(ctx, 7, "platform", weekOf(2026, 3, 2), "dead", 50*time.Millisecond); !ok || err != nil {
		t.Fatalf("SummaryLock = %v, %v", ok, err)
	}
	s := newTestScheduler(t, st, clock, "r2", gh.Post, tg)
	if n, err := s.Tick(ctx); n != 0 || err != nil || len(gh.Calls()) != 0 {
		t.Fatalf("Tick while the lease is held = %d, %v (calls %d); want nothing, no error", n, err, len(gh.Calls()))
	}
	// Once the lease runs out, the next Tick posts.
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := s.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dead replica's lease never ran out")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if len(gh.Calls()) != 1 {
		t.Fatalf("Post calls = %d; want 1", len(gh.Calls()))
	}
}

// TestSchedulerAcrossDaylightSavingTime checks that 09:00 local stays
// 09:00 local on both sides of the 2026 US and EU transitions.
func TestSchedulerAcrossDaylightSavingTime(t *testing.T) {
	st := newSummaryStore(t)
	ny := recognizer.SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "America/New_York"}
	berlin := recognizer.SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "Europe/Berlin"}
	z := func(mo time.Month, d, h int) time.Time { return time.Date(2026, mo, d, h, 0, 0, 0, time.UTC) }
	cases := []struct {
		name string
		cfg  recognizer.SummaryConfig
		// Two Mondays' 09:00 local, before and after the change, in UTC.
		before, after time.Time
	}{
		{"new york spring (Mar 8)", ny, z(time.March, 2, 14), z(time.March, 9, 13)},
		{"new york fall (Nov 1)", ny, z(time.October, 26, 13), z(time.November, 2, 14)},
		{"berlin spring (Mar 29)", berlin, z(time.March, 23, 8), z(time.March, 30, 7)},
		{"berlin fall (Oct 25)", berlin, z(time.October, 19, 7), z(time.October, 26, 8)},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc, err := time.LoadLocation(c.cfg.Timezone)
			if err != nil {
				t.Fatal(err)
			}
			tg := SummaryTarget{Installation: int64(100 + i), Team: "platform", Config: c.cfg}
			clock := newSchedClock(time.Time{})
			gh := newFakeSummaryIssues(clock)
			s := newTestScheduler(t, st, clock, "r1", gh.Post, tg)
			// The Sunday before: the previous week's summary goes out
			// (caught up), leaving nothing outstanding.
			if n := tickAt(t, s, clock, c.before.Add(-24*time.Hour)); n != 1 {
				t.Fatalf("catch-up Tick posted %d; want 1", n)
			}
			for j, due := range []time.Time{c.before, c.after} {
				if l := due.In(loc); l.Weekday() != time.Monday || l.Hour() != 9 || l.Minute() != 0 {
					t.Fatalf("bad case: %s is %s local", due, l)
				}
				for _, early := range []time.Duration{time.Hour, time.Minute, time.Second} {
					at := due.Add(-early)
					if n := tickAt(t, s, clock, at); n != 0 {
						t.Fatalf("posted at %s (%s local), before 09:00 local", at, at.In(loc).Format("Mon 15:04:05 MST"))
					}
				}
				if n := tickAt(t, s, clock, due); n != 1 {
					t.Fatalf("not posted at %s (%s local)", due, due.In(loc).Format("Mon 15:04 MST"))
				}
				calls := gh.Calls()
				want := recognizer.WeekOf(due.Add(-72*time.Hour), loc).String()
				if got := calls[len(calls)-1]; len(calls) != 2+j || got.Week != want || !got.At.Equal(due) {
					t.Fatalf("Post calls = %+v; want week %s posted at %s", calls, want, due)
				}
			}
		})
	}
}

// TestSchedulerSimulatedMonthsAcrossDaylightSavingTime runs one scheduler
// for both zones through the spring and fall transitions, ticking every 15
// minutes: every summary goes out on a Monday at 09:00 local, once a week.
func TestSchedulerSimulatedMonthsAcrossDaylightSavingTime(t *testing.T) {
	st := newSummaryStore(t)
	targets := []SummaryTarget{
		{Installation: 7, Team: "nyc", Config: recognizer.SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "America/New_York"}},
		{Installation: 7, Team: "berlin", Config: recognizer.SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "Europe/Berlin"}},
	}
	locs := map[string]*time.Location{}
	for _, tg := range targets {
		loc, err := time.LoadLocation(tg.Config.Timezone)
		if err != nil {
			t.Fatal(err)
		}
		locs[tg.Team] = loc
	}
	windows := []struct{ from, to time.Time }{
		{time.Date(2026, 2, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 8, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 10, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)},
	}
	for _, w := range windows {
		clock := newSchedClock(w.from)
		gh := newFakeSummaryIssues(clock)
		s := newTestScheduler(t, st, clock, "r1", gh.Post, targets...)
		// The first Tick catches up on the week before the window.
		if n := tickAt(t, s, clock, w.from); n != 2 {
			t.Fatalf("first Tick posted %d; want each team's previous week", n)
		}
		for at := w.from.Add(15 * time.Minute); at.Before(w.to); at = at.Add(15 * time.Minute) {
			tickAt(t, s, clock, at)
		}
		calls := gh.Calls()[2:]
		last := map[string]summaryPost{}
		mondays := map[string]int{}
		for _, c := range calls {
			l := c.At.In(locs[c.Team])
			if l.Weekday() != time.Monday || l.Hour() != 9 || l.Minute() != 0 {
				t.Errorf("%s's summary of %s posted %s local; want Monday 09:00", c.Team, c.Week, l.Format("Mon Jan 2 15:04 MST"))
			}
			if p, ok := last[c.Team]; ok {
				if gap := l.Sub(p.At.In(locs[c.Team])); gap < 167*time.Hour || gap > 169*time.Hour {
					t.Errorf("%s: %s posted %v after %s", c.Team, c.Week, gap, p.Week)
				}
				pw, _ := recognizer.ParseWeek(c.Week, nil)
				if pw.Prev().String() != p.Week {
					t.Errorf("%s: %s posted after %s; want consecutive weeks", c.Team, c.Week, p.Week)
				}
			}
			last[c.Team] = c
			mondays[c.Team]++
		}
		// Every Monday in the window (after its first day) got one post.
		for team, loc := range locs {
			want := 0
			for d := w.from.Add(15 * time.Minute); d.Before(w.to); d = d.Add(15 * time.Minute) {
				if l := d.In(loc); l.Weekday() == time.Monday && l.Hour() == 9 && l.Minute() == 0 {
					want++
				}
			}
			if mondays[team] != want || want < 4 {
				t.Errorf("%s: %d summaries posted from %s to %s; want %d, one per Monday", team, mondays[team], w.from, w.to, want)
			}
		}
	}
}

func TestSchedulerErrorsOfOneTargetDoNotStopTheOthers(t *testing.T) {
	ctx := context.Background()
	st := newSummaryStore(t)
	clock := newSchedClock(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	gh := newFakeSummaryIssues(clock)
	failing := errors.New("github is down for this repo")
	post := func(ctx context.Context, t SummaryTarget, w recognizer.Week) (string, int, error) {
		switch t.Team {
		case "broken":
			return "", 0, failing
		case "panicky":
			panic("template exploded")
		}
		return gh.Post(ctx, t, w)
	}
	targets := []SummaryTarget{
		{Installation: 7, Team: "badzone", Config: recognizer.SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "Mars/Olympus_Mons"}},
		{Installation: 7, Team: "broken", Config: mondayNineUTC},
		{Installation: 7, Team: "panicky", Config: mondayNineUTC},
		{Installation: 7, Team: "platform", Config: mondayNineUTC},
		{Installation: 8, Team: "platform", Config: mondayNineUTC},
	}
	s := newTestScheduler(t, st, clock, "r1", post, targets...)
	n, err := s.Tick(ctx)
	if n != 2 {
		t.Fatalf("posted %d; want the two healthy targets", n)
	}
	if !errors.Is(err, failing) {
		t.Fatalf("error %v does not carry the post failure", err)
	}
	for _, want := range []string{`"badzone"`, "Mars/Olympus_Mons", `"broken"`, `"panicky"`, "template exploded"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), `"platform"`) {
		t.Errorf("error blames a healthy target: %v", err)
	}
	// The failed ones are retried on the next Tick (their locks were
	// released); the posted ones are not.
	n, err = s.Tick(ctx)
	if n != 0 || err == nil || !errors.Is(err, failing) {
		t.Fatalf("second Tick = %d, %v", n, err)
	}
	if len(gh.Calls()) != 2 {
		t.Fatalf("Post calls = %d; want 2", len(gh.Calls()))
	}
}

func TestSchedulerTargetsError(t *testing.T) {
	st := newSummaryStore(t)
	boom := errors.New("installations unavailable")
	s, err := NewScheduler(SchedulerOptions{
		Store:   st,
		Targets: func(context.Context) ([]SummaryTarget, error) { return nil, boom },
		Post: func(context.Context, SummaryTarget, recognizer.Week) (string, int, error) {
			t.Error("Post called without targets")
			return "", 0, nil
		},
		Owner: "r1", Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Tick(context.Background()); n != 0 || !errors.Is(err, boom) {
		t.Fatalf("Tick = %d, %v; want the targets error", n, err)
	}
}

func TestNewSchedulerChecksOptions(t *testing.T) {
	st := newSummaryStore(t)
	targets := func(context.Context) ([]SummaryTarget, error) { return nil, nil }
	post := func(context.Context, SummaryTarget, recognizer.Week) (string, int, error) { return "", 0, nil }
	for name, o := range map[string]SchedulerOptions{
		"no store":       {Targets: targets, Post: post, Owner: "r1"},
		"no targets":     {Store: st, Post: post, Owner: "r1"},
		"no post":        {Store: st, Targets: targets, Owner: "r1"},
		"no owner":       {Store: st, Targets: targets, Post: post},
		"negative every": {Store: st, Targets: targets, Post: post, Owner: "r1", Every: -time.Second},
	} {
		if _, err := NewScheduler(o); err == nil {
			t.Errorf("%s: NewScheduler accepted it", name)
		}
	}
	s, err := NewScheduler(SchedulerOptions{Store: st, Targets: targets, Post: post, Owner: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if s.opts.Every != time.Minute || s.opts.Lease != 10*time.Minute || s.opts.Now == nil || s.opts.Logger == nil {
		t.Fatalf("defaults = every %v, lease %v", s.opts.Every, s.opts.Lease)
	}
}

func TestSchedulerRunTicksAndStopsPromptly(t *testing.T) {
	st := newSummaryStore(t)
	tg := SummaryTarget{Installation: 7, Team: "platform", Config: mondayNineUTC}
	markPosted(t, st, tg, weekOf(2026, 2, 23))
	clock := newSchedClock(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	gh := newFakeSummaryIssues(clock)
	var mu sync.Mutex
	ticks := 0
	newRun := func(every time.Duration) *Scheduler {
		s, err := NewScheduler(SchedulerOptions{
			Store: st,
			Targets: func(context.Context) ([]SummaryTarget, error) {
				mu.Lock()
				defer mu.Unlock()
				ticks++
				return []SummaryTarget{tg}, nil
			},
			Post: gh.Post, Now: clock.Now, Every: every, Owner: "r1", Logger: testLogger(t),
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	countTicks := func() int {
		mu.Lock()
		defer mu.Unlock()
		return ticks
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	run := func(s *Scheduler) (context.CancelFunc, chan error) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		return cancel, done
	}
	stop := func(cancel context.CancelFunc, done chan error) {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run = %v", err)
			}
		case <-time.After(time.Second):
			t.Fatal("Run did not stop promptly")
		}
	}

	// Run ticks at once on start, then waits a whole Every: no busy loop.
	cancel, done := run(newRun(time.Hour))
	waitFor("the first tick's post", func() bool { return len(gh.Calls()) == 1 })
	time.Sleep(20 * time.Millisecond)
	if n := countTicks(); n != 1 {
		t.Fatalf("Run ticked %d times within an hour's interval; want 1", n)
	}
	stop(cancel, done)

	// With a short interval it keeps ticking, and posts nothing twice.
	mu.Lock()
	ticks = 0
	mu.Unlock()
	cancel, done = run(newRun(time.Millisecond))
	waitFor("repeated ticks", func() bool { return countTicks() >= 5 })
	stop(cancel, done)
	if len(gh.Calls()) != 1 {
		t.Fatalf("Post calls = %d; want 1", len(gh.Calls()))
	}
}
