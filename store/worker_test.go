package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

func TestLockReplyReadsWhatPreparingNeeds(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.MarkDone(ctx, 7, []string{"a"}, "https://github.com/acme/widgets/pull/42#issuecomment-9"); err != nil {
		t.Fatal(err)
	}

	// Nothing cached yet: no configuration, nobody opted out, no account
	// known.
	ok, states, prep, err := st.LockReply(ctx, 7, 99, "issue_comment:1", "w1", time.Minute, []string{"a", "b"}, []string{"Bob"})
	if err != nil || !ok {
		t.Fatalf("LockReply = %v, %v", ok, err)
	}
	if want := map[string]store.ItemState{"a": store.ItemDone, "b": store.ItemNew}; !reflect.DeepEqual(states, want) {
		t.Errorf("states = %v; want %v", states, want)
	}
	if prep == nil || prep.Config != nil || prep.OptedOut == nil || len(prep.OptedOut) != 0 || prep.Users == nil || len(prep.Users) != 0 {
		t.Fatalf("prepared with nothing cached = %+v; want no config and empty, non-nil maps", prep)
	}
	if err := st.Unlock(ctx, 7, 99, "issue_comment:1", "w1"); err != nil {
		t.Fatal(err)
	}

	entry := store.ConfigEntry{Config: recognizer.DefaultConfig(), Source: "repo", Path: "acme/widgets:.github/kudos.yml", SHA: "abc"}
	entry.Config.NeverName = []string{"carol"}
	if err := st.SetConfig(ctx, 7, 99, entry); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"Dave", "erin"} {
		if err := st.SetOptOut(ctx, 7, l, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RememberUser(ctx, 7, "Bob", true); err != nil {
		t.Fatal(err)
	}
	if err := st.RememberUser(ctx, 7, "ghosty", false); err != nil {
		t.Fatal(err)
	}
	// Another installation's data is not read.
	if err := st.SetOptOut(ctx, 8, "frank", true); err != nil {
		t.Fatal(err)
	}
	if err := st.RememberUser(ctx, 8, "zed", true); err != nil {
		t.Fatal(err)
	}

	ok, _, prep, err = st.LockReply(ctx, 7, 99, "issue_comment:1", "w1", time.Minute, nil, []string{"bob", "GHOSTY", "nobody", "BOB", "zed"})
	if err != nil || !ok {
		t.Fatalf("LockReply = %v, %v", ok, err)
	}
	if prep.Config == nil || !reflect.DeepEqual(*prep.Config, entry) {
		t.Errorf("config = %+v; want %+v", prep.Config, entry)
	}
	if want := map[string]bool{"dave": true, "erin": true}; !reflect.DeepEqual(prep.OptedOut, want) {
		t.Errorf("opted out = %v; want %v", prep.OptedOut, want)
	}
	if want := map[string]bool{"bob": true, "ghosty": false}; !reflect.DeepEqual(prep.Users, want) {
		t.Errorf("users = %v; want %v (lower-case, cached only)", prep.Users, want)
	}

	// Held elsewhere: nothing is read.
	ok, states, prep, err = st.LockReply(ctx, 7, 99, "issue_comment:1", "w2", time.Minute, []string{"a"}, []string{"bob"})
	if err != nil || ok || states != nil || prep != nil {
		t.Fatalf("LockReply of a held lock = %v, %v, %v, %v; want false and nothing read", ok, states, prep, err)
	}
	if ttl, err := st.Client().PTTL(ctx, "kudos:{inst:7}:lock:99:issue_comment:1").Result(); err != nil || ttl <= 0 || ttl > time.Minute {
		t.Fatalf("lock TTL = %v, %v; want the lease", ttl, err)
	}
}

func TestAckUnlock(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if err := st.EnsureGroup(ctx); err != nil {
		t.Fatal(err)
	}
	const reply = "issue_comment:1"
	next := func(t *testing.T, delivery string) store.Message {
		t.Helper()
		if _, err := st.Accept(ctx, store.Delivery{ID: delivery, InstallationID: 7, RepoID: 99, Number: 42, Suggestion: suggestion(1, "bob")}); err != nil {
			t.Fatal(err)
		}
		msgs, err := st.Read(ctx, "w1", 1, 100*time.Millisecond)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("Read = %d msgs, %v; want 1", len(msgs), err)
		}
		return msgs[0]
	}
	lock := func(t *testing.T, owner string) bool {
		t.Helper()
		ok, _, _, err := st.LockReply(ctx, 7, 99, reply, owner, time.Minute, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// ackUnlock acknowledges m for owner and checks the queue is drained.
	ackUnlock := func(t *testing.T, m store.Message, owner string) {
		t.Helper()
		if acked, err := st.AckUnlock(ctx, m.ID, 7, 99, reply, owner); !acked || err != nil {
			t.Fatalf("AckUnlock = %v, %v", acked, err)
		}
		assertDrained(t, st)
	}

	t.Run("acks and releases", func(t *testing.T) {
		m := next(t, "d-1")
		if !lock(t, "w1") {
			t.Fatal("could not take the lock")
		}
		ackUnlock(t, m, "w1")
		if !lock(t, "w2") {
			t.Fatal("lock not free after AckUnlock by its owner")
		}
	})
	t.Run("keeps a lock it does not own", func(t *testing.T) {
		m := next(t, "d-2")
		// w2 holds the lock since the last case.
		ackUnlock(t, m, "w1")
		if lock(t, "w3") {
			t.Fatal("AckUnlock released a lock its caller did not own")
		}
		if err := st.Unlock(ctx, 7, 99, reply, "w2"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("releases after Redis lost its scripts", func(t *testing.T) {
		m := next(t, "d-3")
		if !lock(t, "w1") {
			t.Fatal("could not take the lock")
		}
		if err := st.Client().ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		ackUnlock(t, m, "w1")
		if !lock(t, "w2") {
			t.Fatal("lock not free after AckUnlock")
		}
	})
	t.Run("reports a failed acknowledgement", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if acked, err := st.AckUnlock(cctx, "1-1", 7, 99, reply, "w2"); acked || err == nil {
			t.Fatalf("AckUnlock on a cancelled context = %v, %v; want not acked and an error", acked, err)
		}
	})
}

// A read that fails under a freshly taken lock gives the lock back: the
// next worker takes the reply at once instead of waiting out the lease.
func TestLockReplyReleasesOnAFailedRead(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	rdb := st.Client()
	// The repository's cached configuration has the wrong type: its GET
	// fails inside the lock's pipeline.
	if err := rdb.HSet(ctx, "kudos:{inst:7}:config:99", "x", "y").Err(); err != nil {
		t.Fatal(err)
	}
	ok, _, _, err := st.LockReply(ctx, 7, 99, "issue_comment:1", "w1", time.Minute, []string{"a"}, nil)
	if err == nil || ok {
		t.Fatalf("LockReply over a broken config = %v, %v; want an error", ok, err)
	}
	if err := rdb.Del(ctx, "kudos:{inst:7}:config:99").Err(); err != nil {
		t.Fatal(err)
	}
	if ok, _, _, err := st.LockReply(ctx, 7, 99, "issue_comment:1", "w2", time.Minute, []string{"a"}, nil); err != nil || !ok {
		t.Errorf("next worker's LockReply = %v, %v; want the lock", ok, err)
	}
}
