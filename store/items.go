package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/recognizer"
)

// ItemState is how far the delivery of one recognition or notice got.
type ItemState int

// Item states.
const (
	// ItemNew: never attempted.
	ItemNew ItemState = iota
	// ItemAttempted: a worker started posting it; the post may or may not
	// have reached GitHub, so look for its marker before posting again.
	ItemAttempted
	// ItemDone: posted.
	ItemDone
)

const (
	stateAttempted = "attempted"
	stateDone      = "done "
)

// ItemStates returns the state of each item id, in one round trip.
func (s *Store) ItemStates(ctx context.Context, inst int64, ids []string) (map[string]ItemState, error) {
	out := make(map[string]ItemState, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	vals, err := s.rdb.MGet(ctx, itemKeys(inst, ids)...).Result()
	if err != nil {
		return nil, fmt.Errorf("read state of %d items: %w", len(ids), err)
	}
	return itemStates(ids, vals), nil
}

func itemKeys(inst int64, ids []string) []string {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = itemKey(inst, id)
	}
	return keys
}

// itemStates reads the MGET answer for ids.
func itemStates(ids []string, vals []any) map[string]ItemState {
	out := make(map[string]ItemState, len(ids))
	for i, v := range vals {
		str, _ := v.(string)
		switch {
		case strings.HasPrefix(str, stateDone):
			out[ids[i]] = ItemDone
		case str == stateAttempted:
			out[ids[i]] = ItemAttempted
		default:
			out[ids[i]] = ItemNew
		}
	}
	return out
}

// MarkAttempted records that items are about to be posted.
func (s *Store) MarkAttempted(ctx context.Context, inst int64, ids []string) error {
	return s.setItems(ctx, inst, ids, stateAttempted)
}

// Posted records, in one atomic round trip, what posting a reply
// delivered: its items are done at url, its recognitions are kept for the
// summaries, and the reply, when it has an id, is remembered for the
// triggering comment source (so deleting that comment takes it along).
// Either all of it is recorded or none, and none leaves the items
// attempted: a retry finds the reply on GitHub by its markers.
func (s *Store) Posted(ctx context.Context, inst, repoID int64, ids []string, url string, recs []recognizer.Record, source string, reply *Reply) error {
	_, err := s.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		s.queueItems(ctx, pipe, inst, ids, stateDone+url)
		s.queueRecognitions(ctx, pipe, inst, repoID, recs)
		if reply != nil && reply.ID != 0 {
			return s.queueReply(ctx, pipe, inst, repoID, source, *reply)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record %d posted items at %s: %w", len(ids), url, err)
	}
	return nil
}

// queueItems queues on pipe setting the states of items ids to val. The
// rate-limit script of TakeThanks also marks items attempted, with the
// same value and expiry.
func (s *Store) queueItems(ctx context.Context, pipe redis.Pipeliner, inst int64, ids []string, val string) {
	for _, id := range ids {
		pipe.Set(ctx, itemKey(inst, id), val, s.retention)
	}
}

func (s *Store) setItems(ctx context.Context, inst int64, ids []string, val string) error {
	if len(ids) == 0 {
		return nil
	}
	pipe := s.rdb.Pipeline()
	s.queueItems(ctx, pipe, inst, ids, val)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("mark %d items %q: %w", len(ids), strings.TrimSpace(val), err)
	}
	return nil
}

// LockReply takes the lease on posting one reply for ttl; ok is false
// when another worker holds it. In the same round trip it reads the states
// of the reply's items ids, as they are under the lock (nil when ids is
// empty, as for a shout-out, whose items are known only once it is
// composed), and what preparing the reply needs (see Prepared), with
// logins the recipients whose account cache is wanted. states and prep
// are nil when the lock is held elsewhere. The prepared reads are caches
// the lock does not guard: taking them with it only saves round trips.
func (s *Store) LockReply(ctx context.Context, inst, repoID int64, reply, owner string, ttl time.Duration, ids, logins []string) (ok bool, states map[string]ItemState, prep *Prepared, err error) {
	pipe := s.rdb.Pipeline()
	lock := pipe.SetNX(ctx, lockKey(inst, repoID, reply), owner, ttl)
	var vals *redis.SliceCmd
	if len(ids) > 0 {
		vals = pipe.MGet(ctx, itemKeys(inst, ids)...)
	}
	reads := queuePrepared(ctx, pipe, inst, repoID, logins)
	_, _ = pipe.Exec(ctx) // each command's error is read below
	if err := lock.Err(); err != nil {
		return false, nil, nil, fmt.Errorf("lock reply %s: %w", reply, err)
	}
	if !lock.Val() {
		return false, nil, nil, nil
	}
	// The lock is held: a read that failed gives it back, or the reply
	// would wait out the lease.
	if vals != nil {
		err = vals.Err()
	}
	if err == nil {
		prep, err = reads.result(&s.configs)
	}
	if err != nil {
		if rerr := s.release(ctx, lockKey(inst, repoID, reply), owner); rerr != nil {
			err = errors.Join(err, fmt.Errorf("release: %w", rerr))
		}
		return false, nil, nil, fmt.Errorf("lock reply %s: %w", reply, err)
	}
	if vals != nil {
		states = itemStates(ids, vals.Val())
	}
	return true, states, prep, nil
}

// lease takes the lock at key for owner for ttl, unless someone holds it.
func (s *Store) lease(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	return s.rdb.SetNX(ctx, key, owner, ttl).Result()
}

// release frees the lock at key if owner still holds it.
func (s *Store) release(ctx context.Context, key, owner string) error {
	return unlockScript.Run(ctx, s.rdb, []string{key}, owner).Err()
}

// unlockScript deletes a lock only if the caller still owns it.
var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// Unlock releases a lease taken with Lock, if owner still holds it.
func (s *Store) Unlock(ctx context.Context, inst, repoID int64, reply, owner string) error {
	if err := s.release(ctx, lockKey(inst, repoID, reply), owner); err != nil {
		return fmt.Errorf("unlock reply %s: %w", reply, err)
	}
	return nil
}
