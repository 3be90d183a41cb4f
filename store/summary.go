package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Weekly summaries are kept per installation, under its {inst:ID} hash
// tag, so a summary's record and its lock live in one slot. Weeks are ISO week names as recognizer.Week prints them
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
	ok, err := s.lease(ctx, summaryLockKey(inst, team, week), owner, ttl)
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
	if err := s.release(ctx, summaryLockKey(inst, team, week), owner); err != nil {
		return fmt.Errorf("unlock summary of team %q for %s: %w", team, week, err)
	}
	return nil
}

// SummaryPosted records that a team's summary for a week was posted as
// issue number at url, for the retention period.
func (s *Store) SummaryPosted(ctx context.Context, inst int64, team, week, url string, number int) error {
	if err := checkSummary(team, week); err != nil {
		return err
	}
	key := summaryKey(inst, team, week)
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, key, "url", url, "number", number)
	pipe.PExpire(ctx, key, s.retention)
	if _, err := pipe.Exec(ctx); err != nil {
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
