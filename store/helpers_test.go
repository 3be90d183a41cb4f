package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/store"
)

// assertDrained fails t unless every suggestion read was acknowledged
// and removed from the stream.
func assertDrained(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	if n, err := st.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("Pending = %d, %v; want 0", n, err)
	}
	if n, err := st.Client().XLen(ctx, store.QueueStream).Result(); err != nil || n != 0 {
		t.Fatalf("stream length = %d, %v; acknowledged entries must be removed", n, err)
	}
}

// redisXAdd writes a raw queue entry, as a broken producer might.
func redisXAddArgs(field, value string) *redis.XAddArgs {
	return &redis.XAddArgs{Stream: store.QueueStream, Values: []string{field, value}}
}

type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

func (l *logBuffer) contains(s string) bool { return strings.Contains(l.String(), s) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
