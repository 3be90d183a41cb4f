package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Weekly summaries are kept per installation, under its {inst:ID} hash
// tag, so a summary's record, its team's latest summary and its lock all
// live in one slot. Weeks are ISO week names as recognizer.Week prints them
// ("2026-W47"): they contain no ':' and sort in time order as strings.

// summaryKey is a hash (url, number) recording that a team's summary for a
// week was posted.
func summaryKey(inst int64, team, week string) string {
	return instTag(inst) + ":summary:" + team + ":" + week
}

// summaryLockKey is held by the replica posting a team's summary for a week.
func summaryLockKey(inst int64, team, week string) string {
	return instTag(inst) + ":summary-lock:" + team + ":" + week
}

// summaryLastKey is a hash (week, number) naming a team's latest posted
// summary.
func summaryLastKey(inst int64, team string) string {
	return instTag(inst) + ":summary-last:" + team
}

// summaryStatsKey is a hash (givers, receivers) of a team's week.
func summaryStatsKey(inst int64, team, week string) string {
	return instTag(inst) + ":summary-stats:" + team + ":" + week
}

func checkSummary(team, week string) error {
	if team == "" || week == "" {
		return fmt.Errorf("summary needs a team and a week (team %q, week %q)", team, week)
	}
	return nil
}

// SummaryLock takes the lease on posting one team's summary for one week
// for ttl. It reports false when another replica holds it.
func (s *Store) SummaryLock(ctx context.Context, inst int64, team, week, owner string, ttl time.Duration) (bool, error) {
	if err := checkSummary(team, week); err != nil {
		return false, err
	}
	ok, err := s.rdb.SetNX(ctx, summaryLockKey(inst, team, week), owner, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("lock summary of team %q for %s: %w", team, week, err)
	}
	return ok, nil
}

// SummaryUnlock releases a lease taken with SummaryLock, if owner still
// holds it.
func (s *Store) SummaryUnlock(ctx context.Context, inst int64, team, week, owner string) error {
	if err := checkSummary(team, week); err != nil {
		return err
	}
	err := unlockScript.Run(ctx, s.rdb, []string{summaryLockKey(inst, team, week)}, owner).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("unlock summary of team %q for %s: %w", team, week, err)
	}
	return nil
}

// summaryPostedScript records a posted summary and, unless a later week's
// summary was already recorded, makes it the team's latest. Weeks compare
// byte by byte (Lua's own string comparison follows the server's locale).
//
// KEYS: summary, last. ARGV: url, number, week, ttl in milliseconds.
var summaryPostedScript = redis.NewScript(`
local function before(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
redis.call("HSET", KEYS[1], "url", ARGV[1], "number", ARGV[2])
redis.call("PEXPIRE", KEYS[1], ARGV[4])
local last = redis.call("HGET", KEYS[2], "week")
if not last or not before(ARGV[3], last) then
  redis.call("HSET", KEYS[2], "week", ARGV[3], "number", ARGV[2])
  redis.call("PEXPIRE", KEYS[2], ARGV[4])
end
return 1
`)

// SummaryPosted records that a team's summary for a week was posted as
// issue number at url. The record is kept for the retention period; it
// also becomes the team's LastSummary unless a later week's is recorded.
func (s *Store) SummaryPosted(ctx context.Context, inst int64, team, week, url string, number int) error {
	if err := checkSummary(team, week); err != nil {
		return err
	}
	keys := []string{summaryKey(inst, team, week), summaryLastKey(inst, team)}
	err := summaryPostedScript.Run(ctx, s.rdb, keys, url, number, week, s.retention.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("record summary of team %q for %s: %w", team, week, err)
	}
	return nil
}

// SummaryState returns whether a team's summary for a week was posted,
// and its issue's URL and number.
func (s *Store) SummaryState(ctx context.Context, inst int64, team, week string) (posted bool, url string, number int, err error) {
	if err := checkSummary(team, week); err != nil {
		return false, "", 0, err
	}
	vals, err := s.rdb.HMGet(ctx, summaryKey(inst, team, week), "url", "number").Result()
	if err != nil {
		return false, "", 0, fmt.Errorf("read summary of team %q for %s: %w", team, week, err)
	}
	url, _ = vals[0].(string)
	num, _ := vals[1].(string)
	if vals[0] == nil && vals[1] == nil {
		return false, "", 0, nil
	}
	number, err = strconv.Atoi(num)
	if err != nil {
		return false, "", 0, fmt.Errorf("read summary of team %q for %s: bad issue number %q", team, week, num)
	}
	return true, url, number, nil
}

// LastSummary returns the latest week ("" when none is kept) whose summary
// was posted for a team, and its issue number: the issue to close when the
// next one is posted.
func (s *Store) LastSummary(ctx context.Context, inst int64, team string) (week string, number int, err error) {
	if team == "" {
		return "", 0, errors.New("last summary needs a team")
	}
	vals, err := s.rdb.HMGet(ctx, summaryLastKey(inst, team), "week", "number").Result()
	if err != nil {
		return "", 0, fmt.Errorf("read last summary of team %q: %w", team, err)
	}
	week, _ = vals[0].(string)
	num, _ := vals[1].(string)
	if week == "" {
		return "", 0, nil
	}
	number, err = strconv.Atoi(num)
	if err != nil {
		return "", 0, fmt.Errorf("read last summary of team %q: bad issue number %q", team, num)
	}
	return week, number, nil
}

// SetSummaryStats keeps how many people gave and received recognition in
// a team's week, for the next week's trend line. It is kept for the
// retention period.
func (s *Store) SetSummaryStats(ctx context.Context, inst int64, team, week string, givers, receivers int) error {
	if err := checkSummary(team, week); err != nil {
		return err
	}
	key := summaryStatsKey(inst, team, week)
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, key, "givers", givers, "receivers", receivers)
	pipe.PExpire(ctx, key, s.retention)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("keep summary stats of team %q for %s: %w", team, week, err)
	}
	return nil
}

// SummaryStats returns a team's week stats kept by SetSummaryStats; ok is
// false when none are kept.
func (s *Store) SummaryStats(ctx context.Context, inst int64, team, week string) (givers, receivers int, ok bool, err error) {
	if err := checkSummary(team, week); err != nil {
		return 0, 0, false, err
	}
	vals, err := s.rdb.HMGet(ctx, summaryStatsKey(inst, team, week), "givers", "receivers").Result()
	if err != nil {
		return 0, 0, false, fmt.Errorf("read summary stats of team %q for %s: %w", team, week, err)
	}
	g, _ := vals[0].(string)
	r, _ := vals[1].(string)
	if vals[0] == nil && vals[1] == nil {
		return 0, 0, false, nil
	}
	if givers, err = strconv.Atoi(g); err == nil {
		receivers, err = strconv.Atoi(r)
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("read summary stats of team %q for %s: bad stats %q/%q", team, week, g, r)
	}
	return givers, receivers, true, nil
}
