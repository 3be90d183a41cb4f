package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// OptedOut returns the logins (lower-case) of an installation who asked
// not to be named.
func (s *Store) OptedOut(ctx context.Context, inst int64) (map[string]bool, error) {
	return optOutSet(s.rdb.SMembers(ctx, optOutKey(inst)), inst)
}

// optOutSet reads the answer of an installation's opt-out SMEMBERS.
func optOutSet(cmd *redis.StringSliceCmd, inst int64) (map[string]bool, error) {
	members, err := cmd.Result()
	if err != nil {
		return nil, fmt.Errorf("read opt-outs of installation %d: %w", inst, err)
	}
	out := make(map[string]bool, len(members))
	for _, m := range members {
		out[m] = true
	}
	return out, nil
}

// SetOptOut records someone's choice to be named or not.
func (s *Store) SetOptOut(ctx context.Context, inst int64, login string, out bool) error {
	var err error
	if out {
		err = s.rdb.SAdd(ctx, optOutKey(inst), strings.ToLower(login)).Err()
	} else {
		err = s.rdb.SRem(ctx, optOutKey(inst), strings.ToLower(login)).Err()
	}
	if err != nil {
		return fmt.Errorf("record opt-out of %s: %w", login, err)
	}
	return nil
}

// takeScript is a token bucket: KEYS[1] holds the tokens and the time
// they were counted; ARGV: capacity, refill per second, tokens wanted,
// now in milliseconds. It answers 1 and takes the tokens when there are
// enough, else 0. Redis runs it atomically, so every replica shares it.
// When it takes them, it also sets the further KEYS (item states) to
// ARGV[5] for ARGV[6] milliseconds.
var takeScript = redis.NewScript(`
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local b = redis.call("HMGET", KEYS[1], "tokens", "at")
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) / 1000 * rate)
local ok = 0
if tokens >= want then
  tokens = tokens - want
  ok = 1
end
redis.call("HSET", KEYS[1], "tokens", tostring(tokens), "at", tostring(now))
redis.call("PEXPIRE", KEYS[1], math.ceil(cap / rate * 1000) + 1000)
if ok == 1 then
  for i = 2, #KEYS do
    redis.call("SET", KEYS[i], ARGV[5], "PX", ARGV[6])
  end
end
return ok
`)

// TakeThanks takes n tokens from a giver's bucket, which holds perHour
// tokens and refills at perHour an hour. It reports false, taking
// nothing, when the giver is over the limit. When it takes them it also
// marks the items in attempt as attempted, as MarkAttempted does, in the
// same round trip, before the reply they go out in is posted.
func (s *Store) TakeThanks(ctx context.Context, inst int64, giver string, n, perHour int, now time.Time, attempt []string) (bool, error) {
	rate := float64(perHour) / 3600
	keys := append([]string{bucketKey(inst, strings.ToLower(giver))}, itemKeys(inst, attempt)...)
	ok, err := takeScript.Run(ctx, s.rdb, keys,
		perHour, rate, n, now.UnixMilli(), stateAttempted, s.retention.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("rate-limit %s: %w", giver, err)
	}
	return ok == 1, nil
}

// FirstLimitNotice reports whether the giver has not yet been told, in
// the past hour, that they are over the limit, and marks them told.
func (s *Store) FirstLimitNotice(ctx context.Context, inst int64, giver string) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, limitedKey(inst, strings.ToLower(giver)), 1, time.Hour).Result()
	if err != nil {
		return false, fmt.Errorf("mark %s told of the limit: %w", giver, err)
	}
	return ok, nil
}

// Prepared is what preparing a thanks reply reads from Redis, all at once
// (see LockReply).
type Prepared struct {
	// Config is the repository's cached configuration, nil when it is not
	// cached.
	Config *ConfigEntry
	// OptedOut are the logins (lower-case) of the installation who asked
	// not to be named, as OptedOut returns them.
	OptedOut map[string]bool
	// Users says, for each login asked about (lower-case) whose answer is
	// cached, whether it is a real account (see RememberUser).
	Users map[string]bool
}

// preparedReads are the queued commands of a Prepared read.
type preparedReads struct {
	inst   int64
	repoID int64
	config *redis.StringCmd
	optOut *redis.StringSliceCmd
	logins []string
	users  []*redis.StringCmd
}

// queuePrepared queues on pipe the reads of a Prepared: the cached
// configuration of repoID, the installation's opt-outs and the account
// cache of logins. All its keys carry the installation's hash tag.
func queuePrepared(ctx context.Context, pipe redis.Pipeliner, inst, repoID int64, logins []string) *preparedReads {
	r := &preparedReads{
		inst:   inst,
		repoID: repoID,
		config: pipe.Get(ctx, configKey(inst, repoID)),
		optOut: pipe.SMembers(ctx, optOutKey(inst)),
		logins: make([]string, 0, len(logins)),
	}
	seen := make(map[string]bool, len(logins))
	for _, l := range logins {
		l = strings.ToLower(l)
		if seen[l] {
			continue
		}
		seen[l] = true
		r.logins = append(r.logins, l)
		r.users = append(r.users, pipe.Get(ctx, userKey(inst, l)))
	}
	return r
}

// result reads the answers of the executed pipeline.
func (r *preparedReads) result(memo *configMemo) (*Prepared, error) {
	config, err := memo.cached(r.config, r.repoID)
	if err != nil {
		return nil, err
	}
	p := &Prepared{Config: config, Users: make(map[string]bool, len(r.users))}
	if p.OptedOut, err = optOutSet(r.optOut, r.inst); err != nil {
		return nil, err
	}
	for i, cmd := range r.users {
		v, err := cmd.Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read account cache of %s: %w", r.logins[i], err)
		}
		p.Users[r.logins[i]] = v == "1"
	}
	return p, nil
}

// RememberUser caches whether login is a real account for a day.
func (s *Store) RememberUser(ctx context.Context, inst int64, login string, exists bool) error {
	v := "0"
	if exists {
		v = "1"
	}
	if err := s.rdb.Set(ctx, userKey(inst, strings.ToLower(login)), v, 24*time.Hour).Err(); err != nil {
		return fmt.Errorf("cache account %s: %w", login, err)
	}
	return nil
}
