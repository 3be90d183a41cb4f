package action

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

func laneMsg(inst int64, id string) store.Message {
	return store.Message{ID: id, Suggestion: recognizer.Suggestion{InstallationID: inst}}
}

func TestLanesKeepEachInstallationsOrder(t *testing.T) {
	var mu sync.Mutex
	got := map[int64][]string{}
	var done sync.WaitGroup
	l := newLanes(context.Background(), 8, func(_ context.Context, m store.Message) {
		mu.Lock()
		got[m.Suggestion.InstallationID] = append(got[m.Suggestion.InstallationID], m.ID)
		mu.Unlock()
		done.Done()
	})
	want := map[int64][]string{}
	for i := range 300 {
		inst := int64(i % 3)
		id := strconv.Itoa(int(inst)) + "-" + strconv.Itoa(i)
		want[inst] = append(want[inst], id)
		done.Add(1)
		if !l.dispatch(laneMsg(inst, id)) {
			t.Fatal("dispatch refused with a live context")
		}
	}
	done.Wait()
	l.wait()
	for inst, ids := range want {
		if len(got[inst]) != len(ids) {
			t.Fatalf("installation %d: handled %d, want %d", inst, len(got[inst]), len(ids))
		}
		for i := range ids {
			if got[inst][i] != ids[i] {
				t.Fatalf("installation %d: handled %v, want %v", inst, got[inst], ids)
			}
		}
	}
}

func TestLanesRunInstallationsSideBySide(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	second := make(chan struct{})
	handled := make(chan string, 4)
	l := newLanes(ctx, 4, func(_ context.Context, m store.Message) {
		if m.ID == "1-a" {
			<-second // installation 1 waits until installation 2 was handled
		}
		handled <- m.ID
		if m.ID == "2-a" {
			close(second) // only once 2-a is counted: 1-a may not overtake it
		}
	})
	l.dispatch(laneMsg(1, "1-a"))
	l.dispatch(laneMsg(1, "1-b")) // waits behind 1-a, its installation's
	l.dispatch(laneMsg(2, "2-a"))
	var order []string
	for range 3 {
		select {
		case id := <-handled:
			order = append(order, id)
		case <-time.After(5 * time.Second):
			t.Fatalf("handled only %v: one installation held up another", order)
		}
	}
	if order[0] != "2-a" || order[1] != "1-a" || order[2] != "1-b" {
		t.Fatalf("handled %v; want 2-a, then 1-a, 1-b", order)
	}
	l.wait()
}

func TestLanesLeaveWaitingSuggestionsWhenStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started, release := make(chan struct{}), make(chan struct{})
	var handled []string
	l := newLanes(ctx, 2, func(_ context.Context, m store.Message) {
		handled = append(handled, m.ID)
		close(started)
		<-release
	})
	l.dispatch(laneMsg(1, "a"))
	<-started
	l.dispatch(laneMsg(1, "b"))
	// The room is full: the next dispatch waits, and gives up when the
	// context ends.
	refused := make(chan bool)
	go func() { refused <- !l.dispatch(laneMsg(1, "c")) }()
	cancel()
	if !<-refused {
		t.Fatal("dispatch took a suggestion beyond the room after the context ended")
	}
	close(release)
	l.wait()
	if len(handled) != 1 || handled[0] != "a" {
		t.Fatalf("handled %v; want only a, b left pending", handled)
	}
	if n := len(l.room); n != 0 {
		t.Fatalf("room holds %d after the lanes stopped; want 0", n)
	}
}

// BenchmarkLanesTrickle is a steady trickle of suggestions, each handled
// before the next arrives: its lane starts and retires every time, as in
// an open loop of /thanks.
func BenchmarkLanesTrickle(b *testing.B) {
	handled := make(chan struct{})
	l := newLanes(context.Background(), 4096, func(context.Context, store.Message) { handled <- struct{}{} })
	m := laneMsg(1, "m")
	b.ReportAllocs()
	for b.Loop() {
		if !l.dispatch(m) {
			b.Fatal("dispatch refused with a live context")
		}
		<-handled
	}
	l.wait()
}
