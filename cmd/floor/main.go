// Command floor is the floor under the webhook server's cost: an echo
// server on the same HTTP stack as `kudos serve` that does no more of a
// delivery than -work asks, each level adding one of kudos's own steps to
// the one before:
//
//	none     read the body and answer 202, both with kudos's own code
//	         (webhook.ReadBody, webhook.Answer)
//	verify   and check its X-Hub-Signature-256 (kudos's Verifier)
//	extract  and read the event from it (kudos's Extract)
//	record   and mark the delivery id in Redis (SET NX, one round trip
//	         through go-redis as kudos configures it)
//
// `record` is the least a server that records what it acknowledges can
// do; kudos adds recognition and the rest of its Redis writes to it.
// scripts/bench.sh loads each level like kudos, so each step's share of
// kudos's CPU per delivery is measured, not guessed.
//
//	floor -addr 127.0.0.1:3000 -work record
//
// verify and above read the secret from GITHUB_WEBHOOK_SECRET; record
// reads REDIS_URL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/internal/httpstack"
	"github.com/kudos-app/kudos/store"
	"github.com/kudos-app/kudos/webhook"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "address to listen on")
	work := flag.String("work", "none", "what to do of each delivery: none, verify, extract or record")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lvl, err := parseLevel(*work)
	var ln net.Listener
	if err == nil {
		ln, err = net.Listen("tcp", *addr)
	}
	if err == nil {
		err = run(ctx, ln, lvl, os.Getenv("GITHUB_WEBHOOK_SECRET"), os.Getenv("REDIS_URL"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// level is how much of a delivery the floor does.
type level int

const (
	none level = iota
	verify
	extract
	record
)

var levels = []string{"none", "verify", "extract", "record"}

func parseLevel(s string) (level, error) {
	for i, name := range levels {
		if s == name {
			return level(i), nil
		}
	}
	return 0, fmt.Errorf("-work %q: want one of %v", s, levels)
}

func run(ctx context.Context, ln net.Listener, lvl level, secret, redisURL string) error {
	defer ln.Close() // Serve closes it too; this is for an early return
	if lvl >= verify && secret == "" {
		return errors.New("-work " + levels[lvl] + " needs GITHUB_WEBHOOK_SECRET")
	}
	verifier := webhook.NewVerifier([]byte(secret))
	var rdb *redis.Client
	if lvl >= record {
		if redisURL == "" {
			return errors.New("-work record needs REDIS_URL")
		}
		c, closeRedis, err := store.Connect(ctx, redisURL, slog.New(slog.NewTextHandler(os.Stderr, nil)))
		if err != nil {
			return err
		}
		defer closeRedis()
		rdb = c
	}
	e := httpstack.Echo()
	e.POST(webhook.Path, func(c echo.Context) error {
		req := c.Request()
		buf, err := webhook.ReadBody(c.Response(), req)
		defer webhook.ReleaseBody(buf)
		if err != nil {
			return webhook.Answer(c, http.StatusBadRequest, "rejected", "could not read payload")
		}
		if lvl >= verify {
			if err := verifier.Verify(buf.Bytes(), req.Header.Get(webhook.SignatureHeader)); err != nil {
				return webhook.Answer(c, http.StatusUnauthorized, "rejected", err.Error())
			}
		}
		if lvl >= extract {
			delivery := req.Header.Get("X-GitHub-Delivery")
			ev, err := webhook.Extract(req.Header.Get("X-GitHub-Event"), delivery, buf.Bytes())
			if err != nil {
				return webhook.Answer(c, http.StatusBadRequest, "rejected", err.Error())
			}
			if lvl >= record {
				rctx, cancel := context.WithTimeout(req.Context(), webhook.DefaultStoreTimeout)
				defer cancel()
				if err := rdb.SetNX(rctx, store.DeliveryKey(ev.InstallationID, delivery), 1, store.DefaultDedupTTL).Err(); err != nil {
					return webhook.Answer(c, http.StatusServiceUnavailable, "retry", "store unreachable")
				}
			}
		}
		return webhook.Answer(c, http.StatusAccepted, "accepted", "")
	})
	e.GET("/readyz", func(c echo.Context) error { return c.String(http.StatusOK, "ready\n") })
	e.GET("/metrics", httpstack.Metrics(httpstack.Registry()))
	srv := httpstack.Server(e)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
