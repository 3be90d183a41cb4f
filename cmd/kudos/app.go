package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/kudos-app/kudos/action"
	"github.com/kudos-app/kudos/internal/httpstack"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
	"github.com/kudos-app/kudos/webhook"
)

type appConfig struct {
	serve serveConfig
	log   *slog.Logger
	// worker overrides worker timings (the demo uses short ones).
	worker    action.WorkerOptions
	scheduler action.SchedulerOptions
	retry     action.RetryPolicy
}

// app is one kudos process: an HTTP server, a worker, or both, over one
// Redis.
type app struct {
	cfg       appConfig
	log       *slog.Logger
	store     *store.Store
	closeRDB  func()
	echo      *echo.Echo
	listener  net.Listener
	worker    *action.Worker
	scheduler *action.Scheduler
	summaries *action.SummaryTeams
}

func newApp(ctx context.Context, cfg appConfig) (*app, error) {
	log := cfg.log
	rdb, closeRDB, err := store.Connect(ctx, cfg.serve.RedisURL, log)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: store.New(rdb, store.Options{Retention: cfg.serve.Retention}), closeRDB: closeRDB}
	reg := httpstack.Registry()
	a.echo = httpstack.Echo()
	role := cfg.serve.Role
	if role != "worker" {
		srv, err := webhook.New(webhook.Options{
			Secret: []byte(cfg.serve.WebhookSecret), Store: a.store,
			Config: recognizer.DefaultConfig(), Logger: log, Registry: reg,
		})
		if err != nil {
			closeRDB()
			return nil, err
		}
		srv.Routes(a.echo)
	} else {
		webhook.HealthRoutes(a.echo, a.store, reg, log)
	}
	if role != "web" {
		poster, err := a.poster()
		if err != nil {
			closeRDB()
			return nil, err
		}
		wo := cfg.worker
		wo.Store, wo.Poster, wo.Logger, wo.Registry = a.store, poster, log, reg
		wo.Consumer = consumerName()
		if wo.Lease == 0 {
			wo.Lease, wo.MinIdle = cfg.serve.ReclaimAfter, cfg.serve.ReclaimAfter
		}
		if a.worker, err = action.NewWorker(wo); err != nil {
			closeRDB()
			return nil, err
		}
		gh, ok := poster.(action.SummaryGitHub)
		if !ok {
			closeRDB()
			return nil, fmt.Errorf("poster %T cannot post summaries", poster)
		}
		teams := &action.SummaryTeams{Store: a.store, Configs: a.worker.Configs(),
			Summarizer: &action.Summarizer{Store: a.store, GitHub: gh, Logger: log}}
		so := cfg.scheduler
		so.Store, so.Targets, so.Post, so.Owner, so.Logger, so.Registry = a.store, teams.Targets, teams.Post, wo.Consumer, log, reg
		a.summaries = teams
		if a.scheduler, err = action.NewScheduler(so); err != nil {
			closeRDB()
			return nil, err
		}
	}
	if a.listener, err = net.Listen("tcp", cfg.serve.Addr); err != nil {
		closeRDB()
		return nil, fmt.Errorf("listen on %s: %w", cfg.serve.Addr, err)
	}
	return a, nil
}

func (a *app) poster() (action.Poster, error) {
	if a.cfg.serve.DryRun {
		a.log.Warn("KUDOS_DRY_RUN=1: nothing is written to GitHub; every write is logged instead")
		return &action.DryRun{Logger: a.log}, nil
	}
	key, err := a.cfg.serve.privateKey()
	if err != nil {
		return nil, err
	}
	return action.NewGitHub(action.GitHubOptions{
		AppID: a.cfg.serve.AppID, PrivateKey: key, APIURL: a.cfg.serve.APIURL,
		Retry: a.cfg.retry, Logger: a.log, Pacer: a.store,
		Limits: store.WriteLimits{Gap: a.cfg.serve.WriteGap, PerHour: store.DefaultWriteLimits.PerHour, Window: store.DefaultWriteLimits.Window},
	})
}

// URL is where the app listens.
func (a *app) URL() string { return "http://" + a.listener.Addr().String() }

// run serves until ctx ends, then shuts down: the HTTP server drains, the
// worker finishes the suggestion in hand, Redis closes.
func (a *app) run(ctx context.Context) error {
	defer a.closeRDB()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := httpstack.Server(a.echo)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.log.Info("listening", slog.String("addr", a.listener.Addr().String()), slog.String("role", a.cfg.serve.Role))
		if err := srv.Serve(a.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("serve http: %w", err)
		}
	}()
	if a.worker != nil {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := a.worker.Run(ctx); err != nil {
				errs <- fmt.Errorf("worker: %w", err)
			}
		}()
		go func() {
			defer wg.Done()
			if err := a.scheduler.Run(ctx); err != nil {
				errs <- fmt.Errorf("summary scheduler: %w", err)
			}
		}()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer scancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		a.log.Warn("shut down http server", slog.Any("err", serr))
	}
	wg.Wait()
	return err
}

func consumerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
