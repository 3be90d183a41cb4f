package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	srv := redistest.Start(t)
	return store.New(srv.Client(t), store.Options{})
}

func suggestion(commentID int64, recipients ...string) *recognizer.Suggestion {
	s := &recognizer.Suggestion{
		InstallationID: 7, RepoID: 99, Owner: "acme", Repo: "widgets", Number: 42, IsPR: true,
		Giver:  "alice",
		Source: recognizer.Source{Kind: recognizer.SourceIssueComment, ID: commentID},
	}
	for _, r := range recipients {
		s.Recognitions = append(s.Recognitions, recognizer.Recognition{ID: r + "-id", Kind: "thanks", Recipient: r})
	}
	return s
}

func TestAcceptThenLookup(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2026, 11, 20, 14, 3, 11, 0, time.UTC)

	seen, err := st.Lookup(ctx, 7, "d-1", 99, 42, true)
	if err != nil || seen.Dup || len(seen.History.Contributions) != 0 || seen.Config != nil {
		t.Fatalf("first lookup = %+v, %v; want new delivery, empty history, no config", seen, err)
	}
	recs := []recognizer.Contribution{
		{Kind: recognizer.KindReview, ID: 2, Login: "bob", HTMLURL: "https://github.com/acme/widgets/pull/42#pullrequestreview-2", At: at.Add(time.Minute), State: "approved"},
		{Kind: recognizer.KindComment, ID: 1, Login: "carol", HTMLURL: "https://github.com/acme/widgets/pull/42#issuecomment-1", At: at},
	}
	fresh, err := st.Accept(ctx, store.Delivery{ID: "d-1", InstallationID: 7, RepoID: 99, Number: 42, Records: recs, Suggestion: suggestion(5, "bob")})
	if !fresh {
		t.Fatal("a new delivery was reported as a duplicate")
	}
	if again, err := st.Accept(ctx, store.Delivery{ID: "d-1", InstallationID: 7, RepoID: 99, Number: 42, Records: recs}); err != nil || again {
		t.Fatalf("accepting the same delivery twice = %v, %v; want a duplicate", again, err)
	}
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	seen, err = st.Lookup(ctx, 7, "d-1", 99, 42, false)
	if err != nil || !seen.Dup {
		t.Fatalf("lookup of accepted delivery: %+v, %v; want dup", seen, err)
	}
	seen, err = st.Lookup(ctx, 7, "d-2", 99, 42, true)
	if err != nil || seen.Dup {
		t.Fatalf("lookup of new delivery: %+v, %v", seen, err)
	}
	hist := seen.History
	if len(hist.Contributions) != 2 || hist.Contributions[0].Login != "carol" || hist.Contributions[1].State != "approved" {
		t.Fatalf("history = %+v; want carol's comment then bob's approval, in time order", hist.Contributions)
	}
	// Another PR of the same installation has its own ledger.
	other, err := st.History(ctx, 7, 99, 43)
	if err != nil || len(other.Contributions) != 0 {
		t.Fatalf("history of #43 = %+v, %v; want empty", other, err)
	}
	ttl, err := st.Client().TTL(ctx, "kudos:{inst:7}:ledger:99:42").Result()
	if err != nil || ttl <= 0 || ttl > store.DefaultRetention {
		t.Fatalf("ledger TTL = %v, %v; want bounded by the retention period", ttl, err)
	}
}

func TestQueueReadAckAndReclaim(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.EnsureGroup(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureGroup(ctx); err != nil {
		t.Fatalf("EnsureGroup twice: %v", err)
	}
	for i, d := range []string{"d-1", "d-2"} {
		if _, err := st.Accept(ctx, store.Delivery{ID: d, InstallationID: 7, RepoID: 99, Number: 42, Suggestion: suggestion(int64(i+1), "bob")}); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := st.Read(ctx, "w1", 10, 100*time.Millisecond)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("Read = %d msgs, %v; want 2", len(msgs), err)
	}
	if msgs[0].DeliveryID != "d-1" || msgs[0].Suggestion.Source.ID != 1 || msgs[0].Err != nil {
		t.Fatalf("first message = %+v", msgs[0])
	}
	if err := st.Ack(ctx, msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	// w1 "dies" holding d-2: nothing new for anyone, and w2 reclaims it
	// once it has been idle long enough.
	if more, err := st.Read(ctx, "w2", 10, 50*time.Millisecond); err != nil || len(more) != 0 {
		t.Fatalf("Read after all delivered = %d, %v; want nothing", len(more), err)
	}
	if got, err := st.Reclaim(ctx, "w2", time.Hour, 10); err != nil || len(got) != 0 {
		t.Fatalf("Reclaim before idle = %d, %v; want nothing", len(got), err)
	}
	time.Sleep(20 * time.Millisecond)
	got, err := st.Reclaim(ctx, "w2", 10*time.Millisecond, 10)
	if err != nil || len(got) != 1 || got[0].DeliveryID != "d-2" {
		t.Fatalf("Reclaim = %+v, %v; want d-2", got, err)
	}
	if n, err := st.Pending(ctx); err != nil || n != 1 {
		t.Fatalf("Pending = %d, %v; want 1", n, err)
	}
	if err := st.Ack(ctx, got[0].ID); err != nil {
		t.Fatal(err)
	}
	assertDrained(t, st)
}

func TestUndecodableEntryIsReported(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.EnsureGroup(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Client().XAdd(ctx, redisXAddArgs("s", "{not json")).Err(); err != nil {
		t.Fatal(err)
	}
	msgs, err := st.Read(ctx, "w1", 10, 100*time.Millisecond)
	if err != nil || len(msgs) != 1 || msgs[0].Err == nil {
		t.Fatalf("Read = %+v, %v; want one message carrying a decode error", msgs, err)
	}
}

func TestItemStatesAndLock(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	ids := []string{"a", "b", "c"}
	if err := st.MarkAttempted(ctx, 7, ids[:2]); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkDone(ctx, 7, ids[:1], "https://github.com/acme/widgets/pull/42#issuecomment-9"); err != nil {
		t.Fatal(err)
	}
	got, err := st.ItemStates(ctx, 7, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.ItemState{"a": store.ItemDone, "b": store.ItemAttempted, "c": store.ItemNew}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("state of %s = %v, want %v", id, got[id], w)
		}
	}
	if other, _ := st.ItemStates(ctx, 8, ids); other["a"] != store.ItemNew {
		t.Errorf("item states leak across installations")
	}

	ok, states, _, err := st.LockReply(ctx, 7, 99, "issue_comment:1", "w1", time.Minute, ids, nil)
	if err != nil || !ok {
		t.Fatalf("first Lock = %v, %v", ok, err)
	}
	if !reflect.DeepEqual(states, want) {
		t.Errorf("states read with the lock = %v; want %v", states, want)
	}
	if ok, states, _, _ := st.LockReply(ctx, 7, 99, "issue_comment:1", "w2", time.Minute, ids, nil); ok || states != nil {
		t.Fatalf("second worker took a held lock, or read states without it: %v %v", ok, states)
	}
	if err := st.Unlock(ctx, 7, 99, "issue_comment:1", "w2"); err != nil {
		t.Fatal(err)
	}
	if ok, _, _, _ := st.LockReply(ctx, 7, 99, "issue_comment:1", "w2", time.Minute, nil, nil); ok {
		t.Fatal("a worker released a lock it did not own")
	}
	if err := st.Unlock(ctx, 7, 99, "issue_comment:1", "w1"); err != nil {
		t.Fatal(err)
	}
	if ok, _, _, _ := st.LockReply(ctx, 7, 99, "issue_comment:1", "w2", time.Minute, nil, nil); !ok {
		t.Fatal("lock not free after its owner released it")
	}
}

func TestConnectEmbedded(t *testing.T) {
	ctx := context.Background()
	var logs logBuffer
	rdb, closeFn, err := store.Connect(ctx, "", logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if err := store.New(rdb, store.Options{}).Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if !logs.contains("NOTHING PERSISTS") {
		t.Fatalf("embedded Redis started without a loud warning; logs: %s", logs.String())
	}
}

func TestConnectRealAndBadURL(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	var logs logBuffer
	rdb, closeFn, err := store.Connect(ctx, srv.URL, logs.logger())
	if err != nil {
		t.Fatalf("Connect(%s): %v", srv.URL, err)
	}
	closeFn()
	_ = rdb
	if logs.contains("NOTHING PERSISTS") {
		t.Fatal("warned about an embedded Redis while using a real one")
	}
	if _, _, err := store.Connect(ctx, "redis://user:s3cret@127.0.0.1:1/0", logs.logger()); err == nil {
		t.Fatal("Connect to a closed port succeeded")
	} else if contains(err.Error(), "s3cret") {
		t.Fatalf("error leaks the Redis password: %v", err)
	}
}

func TestPostedRecordsEverythingAtOnce(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2026, 11, 20, 14, 3, 11, 0, time.UTC)
	url := "https://github.com/acme/widgets/pull/42#issuecomment-9"
	ids := []string{"a", "b"}
	if err := st.MarkAttempted(ctx, 7, ids); err != nil {
		t.Fatal(err)
	}
	recs := []recognizer.Record{
		{ID: "a", Repo: "acme/widgets", Number: 42, Giver: "alice", Recipient: "bob", At: at, ArtifactURL: url},
		{ID: "b", Repo: "acme/widgets", Number: 42, Giver: "alice", Recipient: "carol", At: at.Add(7 * 24 * time.Hour), ArtifactURL: url},
	}
	reply := &store.Reply{Kind: "issue", ID: 9, URL: url}
	if err := st.Posted(ctx, 7, 99, ids, url, recs, "issue_comment:1", reply); err != nil {
		t.Fatal(err)
	}
	states, err := st.ItemStates(ctx, 7, ids)
	if err != nil || states["a"] != store.ItemDone || states["b"] != store.ItemDone {
		t.Fatalf("item states = %v, %v; want both done", states, err)
	}
	got, err := st.Recognitions(ctx, 7, 99, time.Time{}, time.Time{})
	if err != nil || len(got) != 2 || got[0].Recipient != "bob" || got[1].Recipient != "carol" {
		t.Fatalf("recognitions = %+v, %v; want bob's and carol's, in two weeks", got, err)
	}
	replies, err := st.Replies(ctx, 7, 99, "issue_comment:1")
	if err != nil || len(replies) != 1 || replies[0] != *reply {
		t.Fatalf("replies = %+v, %v; want %+v", replies, err, *reply)
	}
	// A reply without an id (a dry run) is not remembered.
	if err := st.Posted(ctx, 7, 99, []string{"c"}, "dry-run", nil, "issue_comment:2", &store.Reply{}); err != nil {
		t.Fatal(err)
	}
	if replies, _ := st.Replies(ctx, 7, 99, "issue_comment:2"); len(replies) != 0 {
		t.Fatalf("replies without an id = %+v; want none", replies)
	}
}

// Taking a giver's tokens marks the reply's items attempted in the same
// step; a giver over the limit takes nothing and marks nothing.
func TestTakeThanksMarksItems(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	now := time.Date(2026, 11, 20, 14, 3, 11, 0, time.UTC)
	states := func(ids ...string) map[string]store.ItemState {
		t.Helper()
		got, err := st.ItemStates(ctx, 7, ids)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	ok, err := st.TakeThanks(ctx, 7, "Alice", 2, 2, now, []string{"a-1", "a-2"})
	if err != nil || !ok {
		t.Fatalf("first take = %v, %v; want taken", ok, err)
	}
	if got := states("a-1", "a-2"); got["a-1"] != store.ItemAttempted || got["a-2"] != store.ItemAttempted {
		t.Errorf("after a take, states = %v; want both attempted", got)
	}
	ok, err = st.TakeThanks(ctx, 7, "alice", 1, 2, now.Add(time.Second), []string{"a-3"})
	if err != nil || ok {
		t.Fatalf("take over the limit = %v, %v; want refused", ok, err)
	}
	if got := states("a-3"); got["a-3"] != store.ItemNew {
		t.Errorf("after a refused take, state = %v; want new", got["a-3"])
	}
	// Half an hour refills one of the two an hour.
	ok, err = st.TakeThanks(ctx, 7, "alice", 1, 2, now.Add(31*time.Minute), nil)
	if err != nil || !ok {
		t.Errorf("take after the refill = %v, %v; want taken", ok, err)
	}
}
