// Command floor is the floor of the webhook server's cost: an echo server
// on the same HTTP stack as `kudos serve` that reads each delivery's body
// and answers 202 with a JSON status, doing nothing else — no signature,
// no parsing, no Redis. scripts/bench.sh loads it like kudos, so that the
// share of kudos's CPU per delivery that is the HTTP stack's is measured,
// not guessed.
//
//	floor -addr 127.0.0.1:3000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/kudos-app/kudos/internal/httpstack"
	"github.com/kudos-app/kudos/webhook"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// The answers, encoded once as kudos encodes its own: without echo's
// c.JSON, which parses each request's query string.
var (
	accepted = []byte(`{"status":"accepted"}` + "\n")
	rejected = []byte(`{"status":"rejected"}` + "\n")
)

func run(ctx context.Context, addr string) error {
	e := httpstack.Echo()
	e.POST(webhook.Path, func(c echo.Context) error {
		if _, err := io.Copy(io.Discard, c.Request().Body); err != nil {
			return c.JSONBlob(http.StatusBadRequest, rejected)
		}
		return c.JSONBlob(http.StatusAccepted, accepted)
	})
	e.GET("/readyz", func(c echo.Context) error { return c.String(http.StatusOK, "ready\n") })
	e.GET("/metrics", httpstack.Metrics(httpstack.Registry()))
	srv := httpstack.Server(e)
	srv.Addr = addr
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
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
