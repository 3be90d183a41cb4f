package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kudos-app/kudos/action"
)

// serveConfig is kudos serve's configuration: each setting is an
// environment variable of the design and a flag.
type serveConfig struct {
	AppID          int64
	PrivateKey     string
	PrivateKeyPath string
	WebhookSecret  string
	APIURL         string
	RedisURL       string
	Addr           string
	Role           string
	DryRun         bool
	// ReclaimAfter is how long a suggestion a worker took may stay
	// unfinished before another worker takes it over.
	ReclaimAfter time.Duration
	// Retention bounds how long the contribution ledger and delivery
	// states are kept.
	Retention time.Duration
	// WriteGap is the least time between two writes to GitHub for one
	// installation, shared by every replica.
	WriteGap time.Duration
}

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	appID, _ := strconv.ParseInt(getenv("GITHUB_APP_ID"), 10, 64)
	fs.Int64Var(&c.AppID, "app-id", appID, "the App's numeric id (GITHUB_APP_ID)")
	fs.StringVar(&c.PrivateKey, "private-key", getenv("GITHUB_PRIVATE_KEY"), "the App's PEM private key as text (GITHUB_PRIVATE_KEY)")
	fs.StringVar(&c.PrivateKeyPath, "private-key-path", getenv("GITHUB_PRIVATE_KEY_PATH"), "file holding the App's PEM private key (GITHUB_PRIVATE_KEY_PATH)")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", getenv("GITHUB_WEBHOOK_SECRET"), "webhook secret; required (GITHUB_WEBHOOK_SECRET)")
	fs.StringVar(&c.APIURL, "api-url", or(getenv("GITHUB_API_URL"), action.DefaultAPIURL), "GitHub REST base URL (GITHUB_API_URL)")
	fs.StringVar(&c.RedisURL, "redis-url", getenv("REDIS_URL"), "Redis URL; empty: embedded in-memory Redis, nothing persists (REDIS_URL)")
	fs.StringVar(&c.Addr, "addr", or(getenv("KUDOS_ADDR"), ":3000"), "listen address (KUDOS_ADDR)")
	fs.StringVar(&c.Role, "role", or(getenv("KUDOS_ROLE"), "all"), "all, web (receive only) or worker (post only) (KUDOS_ROLE)")
	fs.BoolVar(&c.DryRun, "dry-run", getenv("KUDOS_DRY_RUN") == "1", "never write to GitHub; log each write instead (KUDOS_DRY_RUN=1)")
	reclaim, err := time.ParseDuration(or(getenv("KUDOS_RECLAIM_AFTER"), "5m"))
	if err != nil {
		return c, fmt.Errorf("KUDOS_RECLAIM_AFTER: %w", err)
	}
	fs.DurationVar(&c.ReclaimAfter, "reclaim-after", reclaim, "how long a suggestion a worker took may stay unfinished before another worker takes it over (KUDOS_RECLAIM_AFTER)")
	gap, err := time.ParseDuration(or(getenv("KUDOS_WRITE_GAP"), "1s"))
	if err != nil {
		return c, fmt.Errorf("KUDOS_WRITE_GAP: %w", err)
	}
	fs.DurationVar(&c.WriteGap, "write-gap", gap, "least time between two writes to GitHub for one installation (KUDOS_WRITE_GAP)")
	retention, err := parseRetention(or(getenv("KUDOS_RETENTION"), "13w"))
	if err != nil {
		return c, fmt.Errorf("KUDOS_RETENTION: %w", err)
	}
	fs.Func("retention", "how long contribution records are kept, e.g. 13w or 2160h (KUDOS_RETENTION; default 13w)", func(v string) error {
		d, err := parseRetention(v)
		retention = d
		return err
	})
	if err := fs.Parse(args); err != nil {
		return c, errUsage
	}
	if v := getenv("GITHUB_APP_ID"); v != "" && appID == 0 {
		return c, fmt.Errorf("GITHUB_APP_ID %q is not a number", v)
	}
	c.Retention = retention
	if c.WriteGap < time.Millisecond {
		return c, fmt.Errorf("KUDOS_WRITE_GAP %v: want at least 1ms", c.WriteGap)
	}
	if c.ReclaimAfter < time.Second {
		return c, fmt.Errorf("KUDOS_RECLAIM_AFTER %v: want at least 1s", c.ReclaimAfter)
	}
	switch c.Role {
	case "all", "web", "worker":
	default:
		return c, fmt.Errorf("KUDOS_ROLE %q: want all, web or worker", c.Role)
	}
	if c.Role != "worker" && c.WebhookSecret == "" {
		return c, errors.New("GITHUB_WEBHOOK_SECRET is required: set it to the App's webhook secret")
	}
	if c.Role != "web" && !c.DryRun {
		if c.AppID == 0 {
			return c, errors.New("GITHUB_APP_ID is required to post (or set KUDOS_DRY_RUN=1)")
		}
		if c.PrivateKey == "" && c.PrivateKeyPath == "" {
			return c, errors.New("GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_PATH is required to post (or set KUDOS_DRY_RUN=1)")
		}
	}
	return c, nil
}

func (c serveConfig) privateKey() ([]byte, error) {
	if c.PrivateKey != "" {
		// Keys passed through environments often have their newlines escaped.
		return []byte(strings.ReplaceAll(c.PrivateKey, `\n`, "\n")), nil
	}
	b, err := os.ReadFile(c.PrivateKeyPath)
	if err != nil {
		return nil, fmt.Errorf("read GITHUB_PRIVATE_KEY_PATH: %w", err)
	}
	return b, nil
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseServe(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	a, err := newApp(ctx, appConfig{serve: cfg, log: log})
	if err != nil {
		return err
	}
	return a.run(ctx)
}

// parseRetention reads a duration that may also be given in days ("90d")
// or weeks ("13w").
func parseRetention(v string) (time.Duration, error) {
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(v, "w"):
		unit = 7 * 24 * time.Hour
	case strings.HasSuffix(v, "d"):
		unit = 24 * time.Hour
	}
	var d time.Duration
	if unit != 0 {
		n, err := strconv.Atoi(strings.TrimSpace(v[:len(v)-1]))
		if err != nil {
			return 0, fmt.Errorf("%q: want a duration like 13w, 90d or 2160h", v)
		}
		d = time.Duration(n) * unit
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			return 0, fmt.Errorf("%q: want a duration like 13w, 90d or 2160h", v)
		}
	}
	if d < time.Hour {
		return 0, fmt.Errorf("%q: keep records at least an hour", v)
	}
	return d, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
