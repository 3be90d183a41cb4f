package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/recognizer"
)

// queueRecognitions queues on pipe the writes keeping delivered
// recognitions for summaries and exports, in one list per repository and
// UTC week, each a compact line (about 150 bytes for a typical thanks)
// rather than JSON. A record written twice is read back once.
func (s *Store) queueRecognitions(ctx context.Context, pipe redis.Pipeliner, inst, repoID int64, recs []recognizer.Record) {
	byWeek := map[string][]any{}
	var weeks []string
	for _, r := range recs {
		w := recognizer.ISOWeek(r.At, time.UTC)
		if byWeek[w] == nil {
			weeks = append(weeks, w)
		}
		byWeek[w] = append(byWeek[w], encodeRecord(r))
	}
	for _, w := range weeks {
		key := recognitionsKey(inst, repoID, w)
		pipe.RPush(ctx, key, byWeek[w]...)
		pipe.Expire(ctx, key, s.retention+7*24*time.Hour)
	}
}

// addActivity queues on pipe the contributions kept for summaries, under
// key, and moves the key's expiry: a key recreated after a purge never
// goes without one.
func (s *Store) addActivity(ctx context.Context, pipe redis.Pipeliner, key string, acts []recognizer.Activity) error {
	members := make([]redis.Z, len(acts))
	for i, a := range acts {
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("encode activity %s: %w", a.URL, err)
		}
		members[i] = redis.Z{Score: float64(a.At.UnixMilli()), Member: string(b)}
	}
	pipe.ZAdd(ctx, key, members...)
	pipe.Expire(ctx, key, s.retention)
	return nil
}

// trimEvery is how often one process drops a repository's activity older
// than the retention period: a minute, or less under a short retention.
func (s *Store) trimEvery() time.Duration {
	return min(time.Minute, s.retention/1000)
}

// Recognitions returns a repository's recognitions made in [from, to);
// a zero from or to leaves that end open.
func (s *Store) Recognitions(ctx context.Context, inst, repoID int64, from, to time.Time) ([]recognizer.Record, error) {
	keys, err := s.recognitionKeys(ctx, inst, repoID, from, to)
	if err != nil {
		return nil, err
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.StringSliceCmd, len(keys))
	for i, k := range keys {
		cmds[i] = pipe.LRange(ctx, k, 0, -1)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read recognitions of repo %d: %w", repoID, err)
	}
	seen := map[string]bool{}
	var out []recognizer.Record
	for _, c := range cmds {
		for _, line := range c.Val() {
			r, ok := decodeRecord(line)
			if !ok || seen[r.ID] || (!from.IsZero() && r.At.Before(from)) || (!to.IsZero() && !r.At.Before(to)) {
				continue
			}
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// recognitionKeys lists the weekly keys that may hold recognitions made in
// [from, to): the UTC weeks in between, or every kept week when either end
// is open.
func (s *Store) recognitionKeys(ctx context.Context, inst, repoID int64, from, to time.Time) ([]string, error) {
	if from.IsZero() || to.IsZero() || to.Sub(from) > s.retention+14*24*time.Hour {
		var keys []string
		iter := s.rdb.Scan(ctx, 0, fmt.Sprintf("%s:recognitions:%d:*", instTag(inst), repoID), 200).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			return nil, fmt.Errorf("list recognition weeks of repo %d: %w", repoID, err)
		}
		sort.Strings(keys)
		return keys, nil
	}
	var keys []string
	for t := from; t.Before(to.Add(7 * 24 * time.Hour)); t = t.Add(7 * 24 * time.Hour) {
		k := recognitionsKey(inst, repoID, recognizer.ISOWeek(t, time.UTC))
		if len(keys) == 0 || keys[len(keys)-1] != k {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// A record is kept as its fields joined by recordSep, the repository and
// week left to the key and the artifact and evidence links shortened to
// what follows "https://github.com/OWNER/REPO/".
const recordSep = "\x1f"

func encodeRecord(r recognizer.Record) string {
	prefix := "https://github.com/" + r.Repo + "/"
	short := func(u string) string { return strings.TrimPrefix(u, prefix) }
	ev := make([]string, len(r.Evidence))
	for i, e := range r.Evidence {
		ev[i] = short(e)
	}
	private := "0"
	if r.Private {
		private = "1"
	}
	return strings.Join([]string{
		r.ID, r.Kind, strconv.FormatInt(r.At.UnixMilli(), 10), r.Repo, strconv.Itoa(r.Number),
		r.Giver, r.Recipient, short(r.ArtifactURL), strings.ReplaceAll(r.Reason, recordSep, " "),
		strings.Join(r.Values, " "), strings.Join(ev, " "), private,
	}, recordSep)
}

func decodeRecord(line string) (recognizer.Record, bool) {
	f := strings.Split(line, recordSep)
	if len(f) != 12 {
		return recognizer.Record{}, false
	}
	ms, err1 := strconv.ParseInt(f[2], 10, 64)
	num, err2 := strconv.Atoi(f[4])
	if err1 != nil || err2 != nil {
		return recognizer.Record{}, false
	}
	prefix := "https://github.com/" + f[3] + "/"
	long := func(u string) string {
		if u == "" || strings.HasPrefix(u, "https://") {
			return u
		}
		return prefix + u
	}
	at := time.UnixMilli(ms).UTC()
	r := recognizer.Record{
		ID: f[0], Kind: f[1], At: at, Week: recognizer.ISOWeek(at, time.UTC), Repo: f[3], Number: num,
		Giver: f[5], Recipient: f[6], ArtifactURL: long(f[7]), Reason: f[8],
		Values: strings.Fields(f[9]), Evidence: []string{}, Private: f[11] == "1",
	}
	if r.Values == nil {
		r.Values = []string{}
	}
	for _, e := range strings.Fields(f[10]) {
		r.Evidence = append(r.Evidence, long(e))
	}
	return r, true
}

// Activity returns a repository's contributions made in [from, to),
// oldest first; a zero from or to leaves that end open.
func (s *Store) Activity(ctx context.Context, inst, repoID int64, from, to time.Time) ([]recognizer.Activity, error) {
	var out []recognizer.Activity
	err := s.EachActivity(ctx, inst, repoID, from, to, func(a recognizer.Activity) error {
		out = append(out, a)
		return nil
	})
	return out, err
}

// activityPage is how many entries one read of a repository's activity
// takes: what EachActivity holds at once.
const activityPage = 1000

// EachActivity calls fn with each of a repository's contributions made in
// [from, to), oldest first, reading them a page at a time: a repository's
// kept activity is never all in memory. An error from fn stops it and is
// returned.
//
// Each page after the first starts at the score where the last ended,
// the entries already read with that score skipped by their value, not
// by their count: entries that share a millisecond across a page
// boundary are read once, and neither a trim of old activity nor a new
// entry written between two pages makes the next page skip one.
func (s *Store) EachActivity(ctx context.Context, inst, repoID int64, from, to time.Time, fn func(recognizer.Activity) error) error {
	key := activityKey(inst, repoID)
	rng := redis.ZRangeBy{Min: "-inf", Max: "+inf"}
	if !to.IsZero() {
		rng.Max = "(" + strconv.FormatInt(to.UnixMilli(), 10)
	}
	if !from.IsZero() {
		rng.Min = strconv.FormatInt(from.UnixMilli(), 10)
	}
	var (
		at   float64         // the score the page starts at, once a page was read
		read map[string]bool // the entries read with score at
	)
	for {
		rng.Count = activityPage + int64(len(read))
		page, err := s.rdb.ZRangeByScoreWithScores(ctx, key, &rng).Result()
		if err != nil {
			return fmt.Errorf("read activity of repo %d: %w", repoID, err)
		}
		for _, z := range page {
			raw, _ := z.Member.(string)
			if z.Score == at && read[raw] {
				continue
			}
			var a recognizer.Activity
			if json.Unmarshal([]byte(raw), &a) != nil {
				continue
			}
			if err := fn(a); err != nil {
				return err
			}
		}
		if int64(len(page)) < rng.Count {
			return nil
		}
		// At least activityPage entries of the page were new, so the
		// next page starts further on, or at the same score with more
		// of its entries read.
		if last := page[len(page)-1].Score; last != at || read == nil {
			at, read = last, map[string]bool{}
		}
		for i := len(page) - 1; i >= 0 && page[i].Score == at; i-- {
			raw, _ := page[i].Member.(string)
			read[raw] = true
		}
		rng.Min = strconv.FormatFloat(at, 'f', -1, 64)
	}
}

// RepoKey identifies a repository of an installation that has kept data.
type RepoKey struct {
	Installation int64
	RepoID       int64
}

// KeptRepos lists the repositories with recognitions or activity kept,
// across installations.
func (s *Store) KeptRepos(ctx context.Context) ([]RepoKey, error) {
	seen := map[RepoKey]bool{}
	var out []RepoKey
	for _, pattern := range []string{"kudos:{inst:*}:recognitions:*", "kudos:{inst:*}:activity:*"} {
		iter := s.rdb.Scan(ctx, 0, pattern, 500).Iterator()
		for iter.Next(ctx) {
			k, ok := parseRepoKey(iter.Val())
			if ok && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		if err := iter.Err(); err != nil {
			return nil, fmt.Errorf("list repositories with kept data: %w", err)
		}
	}
	return out, nil
}

// parseRepoKey reads "kudos:{inst:N}:KIND:REPO".
func parseRepoKey(key string) (RepoKey, bool) {
	rest, ok := strings.CutPrefix(key, "kudos:{inst:")
	if !ok {
		return RepoKey{}, false
	}
	inst, rest, ok := strings.Cut(rest, "}:")
	if !ok {
		return RepoKey{}, false
	}
	_, repo, ok := strings.Cut(rest, ":")
	if !ok {
		return RepoKey{}, false
	}
	repo, _, _ = strings.Cut(repo, ":") // a week may follow

	i, err1 := strconv.ParseInt(inst, 10, 64)
	r, err2 := strconv.ParseInt(repo, 10, 64)
	if err1 != nil || err2 != nil {
		return RepoKey{}, false
	}
	return RepoKey{Installation: i, RepoID: r}, true
}

// RepoID returns the id of an installation's repository ("owner/name"),
// as webhooks told it; false when no delivery from it was seen.
func (s *Store) RepoID(ctx context.Context, inst int64, fullName string) (int64, bool, error) {
	id, err := s.rdb.HGet(ctx, reposKey(inst), strings.ToLower(fullName)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look up repository %s: %w", fullName, err)
	}
	return id, true, nil
}

// FindRepo finds the installation and id of a repository ("owner/name")
// among every installation's, for commands run by hand.
func (s *Store) FindRepo(ctx context.Context, fullName string) (RepoKey, bool, error) {
	iter := s.rdb.Scan(ctx, 0, "kudos:{inst:*}:repos", 100).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		id, err := s.rdb.HGet(ctx, key, strings.ToLower(fullName)).Int64()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return RepoKey{}, false, fmt.Errorf("look up repository %s: %w", fullName, err)
		}
		inst, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(key, "kudos:{inst:"), "}:repos"), 10, 64)
		if err != nil {
			continue
		}
		return RepoKey{Installation: inst, RepoID: id}, true, nil
	}
	if err := iter.Err(); err != nil {
		return RepoKey{}, false, fmt.Errorf("look up repository %s: %w", fullName, err)
	}
	return RepoKey{}, false, nil
}

// RepoNames returns an installation's repositories seen in webhooks, by id.
func (s *Store) RepoNames(ctx context.Context, inst int64) (map[int64]string, error) {
	m, err := s.rdb.HGetAll(ctx, reposKey(inst)).Result()
	if err != nil {
		return nil, fmt.Errorf("list repositories of installation %d: %w", inst, err)
	}
	out := make(map[int64]string, len(m))
	for name, id := range m {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			out[n] = name
		}
	}
	return out, nil
}
