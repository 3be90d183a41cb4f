package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// WriteLimits pace the writes Kudos makes to GitHub for one installation.
type WriteLimits struct {
	// Gap is the least time between two writes: GitHub asks for writes one
	// at a time, about a second apart.
	Gap time.Duration
	// PerHour is how many writes an hour an installation may make; they
	// may come as a burst up to that many.
	PerHour int
	// Window is the length of the "hour"; tests compress it.
	Window time.Duration
}

// DefaultWriteLimits stay under GitHub's secondary rate limits for
// content-creating requests: 80 a minute and 500 an hour.
var DefaultWriteLimits = WriteLimits{Gap: time.Second, PerHour: 480, Window: time.Hour}

// paceKey holds an installation's write schedule.
func paceKey(inst int64) string { return instTag(inst) + ":pace" }

// reserveScript books the next write slot of an installation under two
// generic-cell-rate limits: one write per Gap, and PerHour per Window with
// bursts. KEYS[1]; ARGV: now, gap, interval, tolerance (all in ms, which
// Lua's numbers print exactly). It returns how long, in ms, to wait
// before writing. Booking rather than
// asking means waiting writers queue in order and nobody polls.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local gap = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local tolerance = tonumber(ARGV[4])
local s = redis.call("HMGET", KEYS[1], "next", "tat")
local nextAt = tonumber(s[1]) or now
local tat = tonumber(s[2]) or now
if tat < now then tat = now end
local slot = math.max(now, nextAt, tat - tolerance)
redis.call("HSET", KEYS[1], "next", tostring(slot + gap), "tat", tostring(math.max(tat, slot) + interval))
redis.call("PEXPIRE", KEYS[1], math.ceil(math.max(tat, slot) + interval - now) + 1000)
return slot - now
`)

// ReserveWrite books the installation's next write under lim, shared by
// every replica through Redis, and returns how long to wait before making
// it.
func (s *Store) ReserveWrite(ctx context.Context, inst int64, lim WriteLimits, now time.Time) (time.Duration, error) {
	interval := lim.Window / time.Duration(lim.PerHour)
	tolerance := lim.Window - interval
	wait, err := reserveScript.Run(ctx, s.rdb, []string{paceKey(inst)},
		now.UnixMilli(), lim.Gap.Milliseconds(), interval.Milliseconds(), tolerance.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("book a write for installation %d: %w", inst, err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

// pushScript moves an installation's next write slot to at least
// ARGV[1] (ms).
var pushScript = redis.NewScript(`
local at = tonumber(ARGV[1])
local nextAt = tonumber(redis.call("HGET", KEYS[1], "next")) or 0
if at > nextAt then redis.call("HSET", KEYS[1], "next", tostring(at)) end
return 0
`)

// WroteLate tells the schedule that a booked write went out late, at
// sent, so the next one keeps a full gap after it.
func (s *Store) WroteLate(ctx context.Context, inst int64, lim WriteLimits, sent time.Time) error {
	if err := pushScript.Run(ctx, s.rdb, []string{paceKey(inst)}, sent.Add(lim.Gap).UnixMilli()).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("push back the writes of installation %d: %w", inst, err)
	}
	return nil
}
