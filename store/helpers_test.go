package store_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/store"
)

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
