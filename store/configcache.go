package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/recognizer"
)

// ConfigEntry is a repository's effective configuration as cached.
type ConfigEntry struct {
	Config recognizer.Config `json:"config"`
	// Source says where it came from: "repo", "org" or "default".
	Source string `json:"source"`
	// Path and SHA identify the file read ("OWNER/REPO:.github/kudos.yml").
	Path string `json:"path,omitempty"`
	SHA  string `json:"sha,omitempty"`
	// Problems are the file's errors, each "FILE:LINE: message", when it
	// was invalid and defaults apply.
	Problems []string `json:"problems,omitempty"`
}

// ConfigTTL bounds how long a cached configuration is trusted without a
// push telling of a change.
const ConfigTTL = 6 * time.Hour

// Config returns a repository's cached configuration, or nil.
func (s *Store) Config(ctx context.Context, inst, repoID int64) (*ConfigEntry, error) {
	return s.configs.cached(s.rdb.Get(ctx, configKey(inst, repoID)), repoID)
}

// SetConfig caches a repository's configuration.
func (s *Store) SetConfig(ctx context.Context, inst, repoID int64, e ConfigEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode configuration of repo %d: %w", repoID, err)
	}
	if err := s.rdb.Set(ctx, configKey(inst, repoID), b, ConfigTTL).Err(); err != nil {
		return fmt.Errorf("cache configuration of repo %d: %w", repoID, err)
	}
	return nil
}

// ForgetConfig drops a repository's cached configuration, or every
// repository's of the installation when repoID is 0.
func (s *Store) ForgetConfig(ctx context.Context, inst, repoID int64) error {
	if repoID != 0 {
		if err := s.rdb.Del(ctx, configKey(inst, repoID)).Err(); err != nil {
			return fmt.Errorf("forget configuration of repo %d: %w", repoID, err)
		}
		return nil
	}
	_, err := s.purge(ctx, []string{instTag(inst) + ":config:*"})
	return err
}

// FirstConfigReport reports whether an invalid configuration file (by its
// blob sha) has not been reported yet, and marks it reported.
func (s *Store) FirstConfigReport(ctx context.Context, inst, repoID int64, sha string) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, configReportedKey(inst, repoID, sha), 1, s.retention).Result()
	if err != nil {
		return false, fmt.Errorf("mark configuration %s reported: %w", sha, err)
	}
	return ok, nil
}

// configMemo remembers decoded configurations by their cached text, so
// that a delivery reading a repository's configuration from Redis does not
// decode the same JSON again. Redis stays the truth: a changed text is a
// new entry, and an entry is only ever found by the text it came from.
type configMemo struct {
	mu sync.Mutex
	m  map[string]*ConfigEntry
}

// maxConfigMemo bounds the memo; when full it starts over.
const maxConfigMemo = 1024

// cached reads the answer of a GET of a repository's cached
// configuration: nil when none is cached.
func (c *configMemo) cached(cmd *redis.StringCmd, repoID int64) (*ConfigEntry, error) {
	v, err := cmd.Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read cached configuration of repo %d: %w", repoID, err)
	}
	return c.decode(v), nil
}

// decode returns the configuration cached as v, or nil, as a copy the
// caller may change (its lists are shared and must not be).
func (c *configMemo) decode(v string) *ConfigEntry {
	if v == "" {
		return nil
	}
	c.mu.Lock()
	e, ok := c.m[v]
	c.mu.Unlock()
	if !ok {
		e = new(ConfigEntry)
		if json.Unmarshal([]byte(v), e) != nil {
			return nil
		}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= maxConfigMemo {
			c.m = make(map[string]*ConfigEntry)
		}
		c.m[v] = e
		c.mu.Unlock()
	}
	out := *e
	return &out
}
