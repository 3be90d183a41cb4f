package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// A busy repository's deliveries do not repeat the registry entry and the
// activity trim that one moments before made; the activity key's expiry
// still moves with every write, and another process makes both again.
func TestAcceptSkipsRecentIdempotentWrites(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	rdb := st.Client()
	var cmds redistest.Recorder
	rdb.AddHook(&cmds)
	now := time.Now().UTC()
	old := now.Add(-store.DefaultRetention - time.Hour)
	accept := func(st *store.Store, id string, at time.Time) [][]string {
		t.Helper()
		cmds.Take()
		fresh, err := st.Accept(ctx, store.Delivery{ID: id, InstallationID: 7, RepoID: 99, Number: 42,
			Owner: "Acme", Repo: "Widgets",
			Activity: []recognizer.Activity{{Kind: recognizer.KindReview, Repo: "acme/widgets", Number: 42,
				Login: "bob", URL: "https://github.com/acme/widgets/pull/42#pullrequestreview-" + id, At: at}}})
		if err != nil || !fresh {
			t.Fatalf("accept %s = %v, %v; want accepted", id, fresh, err)
		}
		return cmds.Take()
	}

	first := accept(st, "1", now)
	if redistest.Count(first, "hset") != 1 || redistest.Count(first, "zremrangebyscore") != 1 || redistest.Count(first, "expire") != 1 {
		t.Fatalf("first delivery sent %v; want the registry entry, the trim and the expiry", first)
	}
	// An activity already out of the retention period (a redelivery of
	// an old event) stays until the next trim.
	second := accept(st, "2", old)
	if redistest.Count(second, "hset") != 0 || redistest.Count(second, "zremrangebyscore") != 0 {
		t.Errorf("second delivery sent %v; want neither the registry entry nor the trim again", second)
	}
	if redistest.Count(second, "expire") != 1 || redistest.Count(second, "zadd") != 1 || redistest.Count(second, "set") != 1 {
		t.Errorf("second delivery sent %v; want its activity, the key's expiry and its mark", second)
	}
	if id, ok, err := st.RepoID(ctx, 7, "acme/widgets"); err != nil || !ok || id != 99 {
		t.Errorf("RepoID = %d, %v, %v; want 99", id, ok, err)
	}
	if ttl := rdb.TTL(ctx, "kudos:{inst:7}:activity:99").Val(); ttl <= 0 {
		t.Errorf("activity key TTL = %v; want one", ttl)
	}

	// Another process (a fresh Store) makes both writes again, and its
	// trim drops the activity out of the retention period.
	third := accept(store.New(rdb, store.Options{}), "3", now.Add(time.Second))
	if redistest.Count(third, "hset") != 1 || redistest.Count(third, "zremrangebyscore") != 1 {
		t.Errorf("another process's delivery sent %v; want the registry entry and the trim", third)
	}
	acts, err := st.Activity(ctx, 7, 99, time.Time{}, time.Time{})
	if err != nil || len(acts) != 2 {
		t.Fatalf("activity = %d entries, %v; want the two within the retention period", len(acts), err)
	}
}
