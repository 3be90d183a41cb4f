// Package store keeps all of Kudos's state in Redis: the contribution
// ledger, the suggestion queue, idempotency keys and locks.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Store is Kudos's Redis.
type Store struct {
	rdb       *redis.Client
	retention time.Duration
	dedupTTL  time.Duration
	configs   configMemo
	recent    recentWrites
}

// registryEvery is how often one process writes a repository's entry in
// its installation's registry of names while that repository is busy.
const registryEvery = 10 * time.Minute

// Options tune a Store.
type Options struct {
	// Retention bounds how long ledger entries and delivery states live.
	Retention time.Duration
	// DedupTTL is how long a delivery id is remembered.
	DedupTTL time.Duration
}

// DefaultRetention keeps recognition data for 13 weeks.
const DefaultRetention = 13 * 7 * 24 * time.Hour

// DefaultDedupTTL remembers delivery ids for 7 days; GitHub keeps
// deliveries for redelivery for 3.
const DefaultDedupTTL = 7 * 24 * time.Hour

// New wraps a go-redis client.
func New(rdb *redis.Client, opts Options) *Store {
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.DedupTTL <= 0 {
		opts.DedupTTL = DefaultDedupTTL
	}
	return &Store{rdb: rdb, retention: opts.Retention, dedupTTL: opts.DedupTTL}
}

// Client returns the underlying Redis client.
func (s *Store) Client() *redis.Client { return s.rdb }

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Connect opens the Redis at url. An empty url starts an embedded,
// in-memory Redis inside this process and warns loudly that nothing
// persists. The returned function closes the client and any embedded server.
func Connect(ctx context.Context, url string, log *slog.Logger) (*redis.Client, func(), error) {
	var embedded *miniredis.Miniredis
	if url == "" {
		m, err := miniredis.Run()
		if err != nil {
			return nil, nil, fmt.Errorf("start embedded redis: %w", err)
		}
		embedded = m
		url = "redis://" + m.Addr()
		log.Warn("REDIS_URL is not set: using an embedded in-memory Redis; NOTHING PERSISTS — queued thanks and the contribution ledger are lost when this process stops",
			slog.String("addr", m.Addr()))
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		if embedded != nil {
			embedded.Close()
		}
		return nil, nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	// RESP2 unless the URL asks for another: Kudos uses no RESP3 feature
	// (push notifications, client-side caching), and RESP3 has the client
	// look for pending push notifications around every reply it reads.
	if opt.Protocol == 0 {
		opt.Protocol = 2
	}
	opt.DialTimeout = 5 * time.Second
	opt.ReadTimeout = 3 * time.Second
	opt.WriteTimeout = 3 * time.Second
	rdb := redis.NewClient(opt)
	closeAll := func() {
		_ = rdb.Close()
		if embedded != nil {
			embedded.Close()
		}
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("connect to redis at %s: %w", opt.Addr, err)
	}
	return rdb, closeAll, nil
}
