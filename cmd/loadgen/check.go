package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/store"
)

// dedupInfix separates the installation tag from the delivery id in the
// dedup keys, kudos:{inst:N}:delivery:<id> (store/keys.go).
const dedupInfix = ":delivery:"

// onceReport compares the deliveries answered 202 with the dedup keys
// Kudos wrote for them.
type onceReport struct {
	OK       bool `json:"ok"`
	Accepted int  `json:"accepted"` // deliveries answered 202
	Recorded int  `json:"recorded"` // dedup keys of the run's deliveries
	// Missing: answered 202 but no dedup key.
	Missing []string `json:"missing,omitempty"`
	// Unacknowledged: a dedup key, but the answer was not 202 (e.g. the
	// request timed out after the server had accepted it).
	Unacknowledged []string `json:"unacknowledged,omitempty"`
	// Duplicated: one delivery id recorded more than once (under several
	// installations).
	Duplicated []string `json:"duplicated,omitempty"`
}

// compareOnce checks that each accepted id has exactly one key and that
// every key belongs to an accepted id.
func compareOnce(accepted []string, keys []string) onceReport {
	perID := map[string]int{}
	for _, k := range keys {
		_, id, _ := strings.Cut(k, dedupInfix)
		perID[id]++
	}
	r := onceReport{Accepted: len(accepted), Recorded: len(keys)}
	acc := make(map[string]bool, len(accepted))
	for _, id := range accepted {
		if acc[id] {
			r.Duplicated = append(r.Duplicated, id) // answered 202 twice
		}
		acc[id] = true
		if perID[id] == 0 {
			r.Missing = append(r.Missing, id)
		}
	}
	for id, n := range perID {
		if n > 1 {
			r.Duplicated = append(r.Duplicated, id)
		}
		if !acc[id] {
			r.Unacknowledged = append(r.Unacknowledged, id)
		}
	}
	slices.Sort(r.Missing)
	slices.Sort(r.Unacknowledged)
	slices.Sort(r.Duplicated)
	r.Duplicated = slices.Compact(r.Duplicated)
	r.OK = len(r.Missing) == 0 && len(r.Unacknowledged) == 0 && len(r.Duplicated) == 0
	return r
}

func (r onceReport) String() string {
	if r.OK {
		return fmt.Sprintf("exactly-once: ok (%d accepted, %d recorded)", r.Accepted, r.Recorded)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exactly-once: MISMATCH (%d accepted, %d recorded)", r.Accepted, r.Recorded)
	for _, p := range []struct {
		what string
		ids  []string
	}{
		{"answered 202 without a dedup key", r.Missing},
		{"recorded without a 202 answer", r.Unacknowledged},
		{"accepted or recorded more than once", r.Duplicated},
	} {
		if len(p.ids) > 0 {
			fmt.Fprintf(&b, "; %d %s (e.g. %s)", len(p.ids), p.what, strings.Join(p.ids[:min(3, len(p.ids))], ", "))
		}
	}
	return b.String()
}

// dedupKeys lists, with SCAN, the dedup keys of deliveries whose id
// starts with prefix, in every installation.
func dedupKeys(ctx context.Context, rdb *redis.Client, prefix string) ([]string, error) {
	var keys []string
	it := rdb.Scan(ctx, 0, "kudos:{inst:*}"+dedupInfix+prefix+"*", 1000).Iterator()
	for it.Next(ctx) {
		keys = append(keys, it.Val())
	}
	return keys, it.Err()
}

// drain waits until the worker has taken every queued suggestion off the
// stream (it deletes each entry it finishes), so the CPU it spends on a
// phase's deliveries is counted in that phase.
func drain(ctx context.Context, rdb *redis.Client, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	for {
		n, err := rdb.XLen(ctx, store.QueueStream).Result()
		if err != nil {
			return time.Since(start), err
		}
		if n == 0 {
			return time.Since(start), nil
		}
		if time.Since(start) > timeout {
			return time.Since(start), fmt.Errorf("%d suggestions still queued after %v", n, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
