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
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 {
		t.Fatalf("keys = %q; want the summary's record", keys)
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
	if err != nil || n != 1 {
		t.Fatalf("PurgeInstallation = %d, %v; want 1 key deleted", n, err)
	}
	if posted, _, _, _ := st.SummaryState(ctx, 7, "platform", "2026-W10"); posted {
		t.Error("summary still recorded after purge")
	}
}
