package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/recognizer"
)

// Delivery is everything one accepted webhook delivery writes.
type Delivery struct {
	ID             string
	InstallationID int64
	RepoID         int64
	Number         int
	Records        []recognizer.Contribution
	// Removals are ledger keys to delete.
	Removals   []string
	Suggestion *recognizer.Suggestion
	// Preference is an opt-out or opt-in to record.
	Preference *recognizer.Preference
	// RefreshConfig queues a reload of the repository's configuration,
	// which was not cached.
	RefreshConfig bool
	// Owner and Repo name the repository, for a configuration reload.
	Owner, Repo string
	// Retention is the repository's own retention period; 0: the store's.
	Retention time.Duration
	// Activity is what the delivery adds to the repository's weekly
	// summaries.
	Activity []recognizer.Activity
}

// Seen is what the webhook reads before recognising a delivery.
type Seen struct {
	// Dup: the delivery id was already accepted.
	Dup bool
	// History is the PR's ledger, when asked for.
	History recognizer.History
	// Config is the repository's cached configuration; nil when not
	// cached (the worker fetches it).
	Config *ConfigEntry
}

// Lookup reads, in one round trip, whether a delivery was already
// accepted, the repository's cached configuration and, when withHistory
// is set, the PR's recorded history.
func (s *Store) Lookup(ctx context.Context, inst int64, delivery string, repoID int64, number int, withHistory bool) (Seen, error) {
	var seen Seen
	pipe := s.rdb.Pipeline()
	exists := pipe.Exists(ctx, DeliveryKey(inst, delivery))
	cfg := pipe.Get(ctx, configKey(inst, repoID))
	var ledger *redis.MapStringStringCmd
	if withHistory {
		ledger = pipe.HGetAll(ctx, ledgerKey(inst, repoID, number))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return seen, fmt.Errorf("look up delivery %s: %w", delivery, err)
	}
	if exists.Val() > 0 {
		seen.Dup = true
		return seen, nil
	}
	var err error
	if seen.Config, err = s.configs.cached(cfg, repoID); err != nil {
		return Seen{}, err
	}
	if ledger != nil {
		seen.History = decodeLedger(ledger.Val())
	}
	return seen, nil
}

// History returns the recorded contributions on one PR or issue.
func (s *Store) History(ctx context.Context, inst, repoID int64, number int) (recognizer.History, error) {
	m, err := s.rdb.HGetAll(ctx, ledgerKey(inst, repoID, number)).Result()
	if err != nil {
		return recognizer.History{}, fmt.Errorf("read ledger of repo %d #%d: %w", repoID, number, err)
	}
	return decodeLedger(m), nil
}

// decodeLedger turns the ledger hash into a history in time order. An
// entry that does not decode is skipped: the ledger is a cache of what
// webhooks said, never the only copy of anything.
func decodeLedger(m map[string]string) recognizer.History {
	var h recognizer.History
	for _, v := range m {
		c, err := decodeEntry(v)
		if err != nil {
			continue
		}
		if h.Contributions == nil {
			h.Contributions = make([]recognizer.Contribution, 0, len(m))
		}
		h.Contributions = append(h.Contributions, c)
	}
	sortContributions(h.Contributions)
	return h
}

// sortContributions orders cs by time, then key. It sorts indexes, then
// moves each contribution once into place: the structs are large, so
// neither the sort swaps them nor a sorted copy of them is made
// (BenchmarkLedgerDecode measures a 50-entry ledger's read).
func sortContributions(cs []recognizer.Contribution) {
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &cs[i], &cs[j]
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		var ka, kb [64]byte
		return bytes.Compare(a.AppendKey(ka[:0]), b.AppendKey(kb[:0]))
	})
	// order[k] is where the contribution that belongs at k is; follow
	// each cycle of the permutation, marking places filled.
	for start := range order {
		if order[start] == start {
			continue
		}
		held, k := cs[start], start
		for order[k] != start {
			next := order[k]
			cs[k], order[k] = cs[next], k
			k = next
		}
		cs[k], order[k] = held, k
	}
}

// Accept writes a delivery's ledger records, activity and suggestion, and
// marks the delivery id as seen, in one round trip. It reports false when
// the id was already accepted. The mark comes last, so a failure part-way
// never loses a suggestion: a redelivery writes it again, and every write
// before the mark is idempotent (the ledger and activity by key, a queued
// suggestion by the worker's per-item states).
func (s *Store) Accept(ctx context.Context, d Delivery) (bool, error) {
	jobs := []*recognizer.Suggestion{d.Suggestion}
	if d.RefreshConfig {
		jobs = append(jobs, &recognizer.Suggestion{Kind: recognizer.KindConfig, InstallationID: d.InstallationID,
			RepoID: d.RepoID, Owner: d.Owner, Repo: d.Repo, Source: recognizer.Source{Kind: "refresh", ID: d.RepoID}})
	}
	pipe := s.rdb.Pipeline()
	for _, job := range jobs {
		if job == nil {
			continue
		}
		payload, err := json.Marshal(job)
		if err != nil {
			return false, fmt.Errorf("encode suggestion of delivery %s: %w", d.ID, err)
		}
		pipe.XAdd(ctx, &redis.XAddArgs{
			Stream: QueueStream,
			Values: []string{fieldSuggestion, string(payload), fieldDelivery, d.ID},
		})
	}
	if err := s.writeLedger(ctx, pipe, d.InstallationID, d.RepoID, d.Number, d.Records, d.Removals, d.Retention); err != nil {
		return false, fmt.Errorf("accept delivery %s: %w", d.ID, err)
	}
	// Writes that a delivery of the same repository made moments ago
	// are not repeated; made names those queued, remembered once Redis
	// took them.
	now := time.Now()
	var buf [2]string
	made := buf[:0]
	if d.Owner != "" && d.Repo != "" && d.RepoID != 0 {
		key, name := reposKey(d.InstallationID), strings.ToLower(d.Owner+"/"+d.Repo)
		if memo := key + " " + name + " " + itoa(d.RepoID); s.recent.due(memo, now, registryEvery) {
			pipe.HSet(ctx, key, name, d.RepoID)
			made = append(made, memo)
		}
	}
	if len(d.Activity) > 0 {
		key := activityKey(d.InstallationID, d.RepoID)
		if err := s.addActivity(ctx, pipe, key, d.Activity); err != nil {
			return false, fmt.Errorf("accept delivery %s: %w", d.ID, err)
		}
		// What fell out of the retention period is dropped at most once
		// per trimEvery.
		if s.recent.due(key, now, s.trimEvery()) {
			pipe.ZRemRangeByScore(ctx, key, "-inf", "("+strconv.FormatInt(now.Add(-s.retention).UnixMilli(), 10))
			made = append(made, key)
		}
	}
	if p := d.Preference; p != nil {
		if p.OptOut {
			pipe.SAdd(ctx, optOutKey(d.InstallationID), strings.ToLower(p.Login))
		} else {
			pipe.SRem(ctx, optOutKey(d.InstallationID), strings.ToLower(p.Login))
		}
	}
	mark := pipe.SetNX(ctx, DeliveryKey(d.InstallationID, d.ID), 1, s.dedupTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, fmt.Errorf("accept delivery %s: %w", d.ID, err)
	}
	s.recent.made(now, made...)
	return mark.Val(), nil
}

// AddRecords writes contributions to a PR's ledger, e.g. those backfilled
// from the REST API.
func (s *Store) AddRecords(ctx context.Context, inst, repoID int64, number int, recs []recognizer.Contribution) error {
	pipe := s.rdb.Pipeline()
	if err := s.writeLedger(ctx, pipe, inst, repoID, number, recs, nil, 0); err != nil {
		return err
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("record %d contributions on repo %d #%d: %w", len(recs), repoID, number, err)
	}
	return nil
}

// writeLedger queues the ledger writes of recs and removals on pipe; the
// ledger's expiry is pushed back to the full retention period.
func (s *Store) writeLedger(ctx context.Context, pipe redis.Pipeliner, inst, repoID int64, number int, recs []recognizer.Contribution, removals []string, retention time.Duration) error {
	if len(recs) == 0 && len(removals) == 0 {
		return nil
	}
	key := ledgerKey(inst, repoID, number)
	if len(recs) > 0 {
		fields, err := ledgerFields(recs)
		if err != nil {
			return err
		}
		pipe.HSet(ctx, key, fields)
	}
	if len(removals) > 0 {
		pipe.HDel(ctx, key, removals...)
	}
	if retention <= 0 {
		retention = s.retention
	}
	pipe.Expire(ctx, key, retention)
	return nil
}

// ledgerFields returns the ledger hash's fields and values for recs, in
// HSET order. The values are encoded into one buffer and converted to a
// single string, which they slice.
func ledgerFields(recs []recognizer.Contribution) ([]string, error) {
	var (
		buf  = make([]byte, 0, 160*len(recs))
		ends = make([]int, len(recs))
		err  error
	)
	for i, r := range recs {
		if buf, err = appendEntry(buf, r); err != nil {
			return nil, err
		}
		ends[i] = len(buf)
	}
	all := string(buf)
	fields := make([]string, 0, 2*len(recs))
	start := 0
	for i, r := range recs {
		fields = append(fields, r.Key(), all[start:ends[i]])
		start = ends[i]
	}
	return fields, nil
}

var errNoSuggestion = errors.New("queue entry carries no suggestion")
