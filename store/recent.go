package store

import (
	"sync"
	"time"
)

// recentWrites remembers the idempotent writes this process made lately,
// so that a busy repository does not repeat them on every delivery: the
// repository registry's entry and the activity trim change nothing when
// written again a second later. A write is remembered only once Redis
// took it, and forgotten after its interval, so a lost write (a Redis
// restart, a purge) is made again within that interval.
type recentWrites struct {
	mu sync.Mutex
	at map[string]time.Time
}

// recentWritesMax bounds the memory kept (3 MB with 100-byte keys): when
// full, everything is forgotten and written again once.
const recentWritesMax = 1 << 14

// due reports whether the write named key is to be made at now: never
// made by this process, or last made every or longer ago.
func (r *recentWrites) due(key string, now time.Time, every time.Duration) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.at[key]
	return !ok || now.Sub(at) >= every || now.Before(at)
}

// made records that Redis took the writes named keys at now.
func (r *recentWrites) made(now time.Time, keys ...string) {
	if len(keys) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.at == nil || len(r.at)+len(keys) > recentWritesMax {
		r.at = make(map[string]time.Time)
	}
	for _, k := range keys {
		r.at[k] = now
	}
}
