package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kudos-app/kudos/store"
)

func TestReserveWriteKeepsGapsAndBudget(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	lim := store.WriteLimits{Gap: time.Second, PerHour: 5, Window: time.Minute}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var slots []time.Duration
	for range 7 {
		wait, err := st.ReserveWrite(ctx, 7, lim, now)
		if err != nil {
			t.Fatal(err)
		}
		slots = append(slots, wait)
	}
	// One a second for the 5 of the budget, then the budget refills at
	// one per 12 s: the 6th at 12 s after the 1st, the 7th 12 s later.
	want := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second, 12 * time.Second, 24 * time.Second}
	for i := range want {
		if slots[i] != want[i] {
			t.Fatalf("slots = %v, want %v", slots, want)
		}
	}
	// Another installation is not delayed at all.
	if wait, err := st.ReserveWrite(ctx, 8, lim, now); err != nil || wait != 0 {
		t.Fatalf("other installation waits %v, %v; want 0", wait, err)
	}
}

func TestReserveWriteIsSharedByReplicas(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	lim := store.WriteLimits{Gap: 100 * time.Millisecond, PerHour: 1000, Window: time.Hour}
	now := time.Now()
	var mu sync.Mutex
	seen := map[time.Duration]bool{}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := st.ReserveWrite(ctx, 7, lim, now)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[wait] {
				t.Errorf("two writers got the same slot %v", wait)
			}
			seen[wait] = true
		}()
	}
	wg.Wait()
	for i := range 20 {
		if !seen[time.Duration(i)*100*time.Millisecond] {
			t.Fatalf("slots %v are not one per gap", seen)
		}
	}
}
