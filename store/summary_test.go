package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/store"
)

func TestSummaryLock(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	ok, err := st.SummaryLock(ctx, 7, "platform", "2026-W10", "r1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first SummaryLock = %v, %v", ok, err)
	}
	if ok, err := st.SummaryLock(ctx, 7, "platform", "2026-W10", "r2", time.Minute); err != nil || ok {
		t.Fatalf("second replica took a held summary lock (%v, %v)", ok, err)
	}
	// Other weeks, teams and installations have locks of their own.
	for _, c := range []struct {
		inst       int64
		team, week string
	}{{7, "platform", "2026-W11"}, {7, "web", "2026-W10"}, {8, "platform", "2026-W10"}} {
		if ok, err := st.SummaryLock(ctx, c.inst, c.team, c.week, "r2", time.Minute); err != nil || !ok {
			t.Errorf("lock of %d/%s/%s = %v, %v; want free", c.inst, c.team, c.week, ok, err)
		}
	}
	if err := st.SummaryUnlock(ctx, 7, "platform", "2026-W10", "r2"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.SummaryLock(ctx, 7, "platform", "2026-W10", "r2", time.Minute); ok {
		t.Fatal("a replica released a summary lock it did not own")
	}
	if err := st.SummaryUnlock(ctx, 7, "platform", "2026-W10", "r1"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.SummaryLock(ctx, 7, "platform", "2026-W10", "r2", time.Minute); !ok {
		t.Fatal("summary lock not free after its owner released it")
	}
	// Releasing a lock nobody holds is not an error.
	if err := st.SummaryUnlock(ctx, 7, "nobody", "2026-W10", "r1"); err != nil {
		t.Fatalf("unlock of a free lock: %v", err)
	}
	// The lease expires on its own.
	if ok, _ := st.SummaryLock(ctx, 9, "platform", "2026-W10", "dead", 20*time.Millisecond); !ok {
		t.Fatal("lock not taken")
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		ok, err := st.SummaryLock(ctx, 9, "platform", "2026-W10", "r1", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an abandoned summary lock never expired")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSummaryPostedAndState(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	posted, url, num, err := st.SummaryState(ctx, 7, "platform", "2026-W10")
	if err != nil || posted || url != "" || num != 0 {
		t.Fatalf("state before posting = %v, %q, %d, %v; want not posted", posted, url, num, err)
	}
	const issue = "https://github.com/acme/team/issues/12"
	if err := st.SummaryPosted(ctx, 7, "platform", "2026-W10", issue, 12); err != nil {
		t.Fatal(err)
	}
	posted, url, num, err = st.SummaryState(ctx, 7, "platform", "2026-W10")
	if err != nil || !posted || url != issue || num != 12 {
		t.Fatalf("state after posting = %v, %q, %d, %v; want posted as #12 at %s", posted, url, num, err, issue)
	}
	for _, c := range []struct {
		inst       int64
		team, week string
	}{{7, "platform", "2026-W11"}, {7, "web", "2026-W10"}, {8, "platform", "2026-W10"}} {
		if posted, _, _, err := st.SummaryState(ctx, c.inst, c.team, c.week); err != nil || posted {
			t.Errorf("state of %d/%s/%s = %v, %v; want not posted", c.inst, c.team, c.week, posted, err)
		}
	}
	if err := st.SummaryPosted(ctx, 7, "platform", "", issue, 12); err == nil {
		t.Error("SummaryPosted accepted an empty week")
	}
	if err := st.SummaryPosted(ctx, 7, "", "2026-W10", issue, 12); err == nil {
		t.Error("SummaryPosted accepted an empty team")
	}
}

func TestSummaryRecordsAreKeptForTheRetentionPeriod(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	retention := 3 * 7 * 24 * time.Hour
	st := store.New(rdb, store.Options{Retention: retention})
	if err := st.SummaryPosted(ctx, 7, "platform", "2026-W10", "https://github.com/acme/team/issues/12", 12); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSummaryStats(ctx, 7, "platform", "2026-W10", 4, 6); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Fatalf("keys = %q; want the summary, the team's latest summary and the stats", keys)
	}
	for _, k := range keys {
		if !contains(k, "kudos:{inst:7}:") {
			t.Errorf("key %q is not under the installation's hash tag", k)
		}
		ttl, err := rdb.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= retention-time.Minute || ttl > retention {
			t.Errorf("TTL of %s = %v; want the retention period %v", k, ttl, retention)
		}
	}
	// Uninstalling the App deletes them with the rest of the installation.
	n, err := st.PurgeInstallation(ctx, 7)
	if err != nil || n != 3 {
		t.Fatalf("PurgeInstallation = %d, %v; want 3 keys deleted", n, err)
	}
	if posted, _, _, _ := st.SummaryState(ctx, 7, "platform", "2026-W10"); posted {
		t.Error("summary still recorded after purge")
	}
}

func TestLastSummary(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	week, num, err := st.LastSummary(ctx, 7, "platform")
	if err != nil || week != "" || num != 0 {
		t.Fatalf("LastSummary with none posted = %q, %d, %v; want none", week, num, err)
	}
	post := func(team, week string, num int) {
		t.Helper()
		if err := st.SummaryPosted(ctx, 7, team, week, "https://github.com/acme/team/issues/x", num); err != nil {
			t.Fatal(err)
		}
	}
	last := func(team string) (string, int) {
		t.Helper()
		week, num, err := st.LastSummary(ctx, 7, team)
		if err != nil {
			t.Fatal(err)
		}
		return week, num
	}
	post("platform", "2026-W09", 10)
	if w, n := last("platform"); w != "2026-W09" || n != 10 {
		t.Fatalf("LastSummary = %s #%d; want 2026-W09 #10", w, n)
	}
	post("platform", "2026-W10", 11)
	if w, n := last("platform"); w != "2026-W10" || n != 11 {
		t.Fatalf("LastSummary = %s #%d; want 2026-W10 #11", w, n)
	}
	// An older week recorded late does not become the latest.
	post("platform", "2026-W08", 9)
	if w, n := last("platform"); w != "2026-W10" || n != 11 {
		t.Fatalf("LastSummary after recording an older week = %s #%d; want 2026-W10 #11", w, n)
	}
	// Across a year boundary.
	post("platform", "2026-W53", 20)
	post("platform", "2027-W01", 21)
	if w, n := last("platform"); w != "2027-W01" || n != 21 {
		t.Fatalf("LastSummary across the year = %s #%d; want 2027-W01 #21", w, n)
	}
	// Recording the same week again (a re-found issue) updates its number.
	post("platform", "2027-W01", 22)
	if w, n := last("platform"); w != "2027-W01" || n != 22 {
		t.Fatalf("LastSummary after re-recording = %s #%d; want 2027-W01 #22", w, n)
	}
	// Teams are separate.
	if w, _ := last("web"); w != "" {
		t.Fatalf("LastSummary of another team = %q; want none", w)
	}
	post("web", "2026-W02", 3)
	if w, n := last("web"); w != "2026-W02" || n != 3 {
		t.Fatalf("LastSummary of web = %s #%d", w, n)
	}
	if w, n := last("platform"); w != "2027-W01" || n != 22 {
		t.Fatalf("LastSummary of platform changed by web's: %s #%d", w, n)
	}
	if w, _, _ := st.LastSummary(ctx, 8, "platform"); w != "" {
		t.Fatalf("LastSummary leaks across installations: %q", w)
	}
}

func TestSummaryStats(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	g, r, ok, err := st.SummaryStats(ctx, 7, "platform", "2026-W10")
	if err != nil || ok || g != 0 || r != 0 {
		t.Fatalf("stats before any = %d, %d, %v, %v; want none", g, r, ok, err)
	}
	if err := st.SetSummaryStats(ctx, 7, "platform", "2026-W10", 4, 6); err != nil {
		t.Fatal(err)
	}
	if g, r, ok, err := st.SummaryStats(ctx, 7, "platform", "2026-W10"); err != nil || !ok || g != 4 || r != 6 {
		t.Fatalf("stats = %d, %d, %v, %v; want 4 givers, 6 receivers", g, r, ok, err)
	}
	// Zero is a value, not a missing week.
	if err := st.SetSummaryStats(ctx, 7, "platform", "2026-W11", 0, 0); err != nil {
		t.Fatal(err)
	}
	if g, r, ok, err := st.SummaryStats(ctx, 7, "platform", "2026-W11"); err != nil || !ok || g != 0 || r != 0 {
		t.Fatalf("zero stats = %d, %d, %v, %v; want kept zeros", g, r, ok, err)
	}
	// Setting again replaces them.
	if err := st.SetSummaryStats(ctx, 7, "platform", "2026-W10", 5, 7); err != nil {
		t.Fatal(err)
	}
	if g, r, _, _ := st.SummaryStats(ctx, 7, "platform", "2026-W10"); g != 5 || r != 7 {
		t.Fatalf("replaced stats = %d, %d; want 5, 7", g, r)
	}
	if _, _, ok, _ := st.SummaryStats(ctx, 7, "web", "2026-W10"); ok {
		t.Error("stats leak across teams")
	}
	if _, _, ok, _ := st.SummaryStats(ctx, 8, "platform", "2026-W10"); ok {
		t.Error("stats leak across installations")
	}
}
