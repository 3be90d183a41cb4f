package action

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// SummaryTarget is one team whose weekly summary is due on a schedule.
type SummaryTarget struct {
	Installation int64
	Team         string
	Config       recognizer.SummaryConfig
}

// SummaryJob builds and posts one summary, returning its issue's URL and
// number. It must itself be idempotent — look for an existing issue for
// the week before creating one — because a replica that dies after posting
// but before the scheduler records it leaves the week to be posted again.
// The scheduler adds the lock and the bookkeeping.
type SummaryJob func(ctx context.Context, t SummaryTarget, week recognizer.Week) (url string, number int, err error)

// SchedulerStore is what the scheduler keeps in Redis: who is posting a
// team's summary, and which summaries were posted.
type SchedulerStore interface {
	SummaryLock(ctx context.Context, inst int64, team, week, owner string, ttl time.Duration) (bool, error)
	SummaryUnlock(ctx context.Context, inst int64, team, week, owner string) error
	SummaryPosted(ctx context.Context, inst int64, team, week, url string, number int) error
	SummaryState(ctx context.Context, inst int64, team, week string) (posted bool, url string, number int, err error)
}

var _ SchedulerStore = (*store.Store)(nil)

// SchedulerOptions configure a Scheduler.
type SchedulerOptions struct {
	Store SchedulerStore
	// Targets lists the teams that have summaries; it is called every tick.
	Targets func(ctx context.Context) ([]SummaryTarget, error)
	// Post builds and posts one summary.
	Post SummaryJob
	// Now is the clock summaries are scheduled by; time.Now when nil.
	Now func() time.Time
	// Every is how often Run checks for due summaries; 1 minute when zero.
	Every time.Duration
	// Owner names this replica as the holder of summary locks; unique per
	// process.
	Owner string
	// Lease is how long a replica may hold one summary before another may
	// take it over; it bounds one Post. 10 minutes when zero.
	Lease  time.Duration
	Logger *slog.Logger
	// Registry, when set, gets the scheduler's metrics.
	Registry prometheus.Registerer
}

// Scheduler posts each team's weekly summary once, when it is due, from
// whichever worker replica gets to it first.
type Scheduler struct {
	opts     SchedulerOptions
	outcomes *prometheus.CounterVec
}

// Outcomes of checking one summary target.
const (
	SummaryOutcomePosted  = "posted"
	SummaryOutcomeBusy    = "busy"
	SummaryOutcomeAlready = "already_posted"
	SummaryOutcomeFailed  = "failed"
)

// NewScheduler checks options and fills in defaults.
func NewScheduler(o SchedulerOptions) (*Scheduler, error) {
	if o.Store == nil || o.Targets == nil || o.Post == nil {
		return nil, errors.New("summary scheduler needs a store, targets and a post function")
	}
	if o.Owner == "" {
		return nil, errors.New("summary scheduler needs an owner name")
	}
	if o.Every < 0 || o.Lease < 0 {
		return nil, fmt.Errorf("summary scheduler: negative interval (every %v, lease %v)", o.Every, o.Lease)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Every == 0 {
		o.Every = time.Minute
	}
	if o.Lease == 0 {
		o.Lease = 10 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Scheduler{opts: o, outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kudos_summaries_total",
		Help: "Due weekly summaries checked by the scheduler, by outcome.",
	}, []string{"outcome"})}
	if o.Registry != nil {
		if err := o.Registry.Register(s.outcomes); err != nil {
			return nil, fmt.Errorf("register scheduler metrics: %w", err)
		}
	}
	return s, nil
}

// Tick checks every target once. For each, it takes the latest week whose
// summary is due (recognizer.LatestDueWeek); if that summary is not posted
// yet, it takes the week's lock, checks again, runs Post and records the
// result. A summary missed while every replica was down is posted by the
// next Tick; only the latest due week is, weeks missed before it are not
// back-filled. One target's failure does not stop the others: Tick returns
// how many summaries it posted and the targets' errors, joined.
func (s *Scheduler) Tick(ctx context.Context) (int, error) {
	targets, err := s.opts.Targets(ctx)
	if err != nil {
		return 0, fmt.Errorf("list summary targets: %w", err)
	}
	now := s.opts.Now()
	posted := 0
	var errs []error
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		outcome, err := s.check(ctx, t, now)
		if outcome != "" {
			s.outcomes.WithLabelValues(outcome).Inc()
		}
		if outcome == SummaryOutcomePosted {
			posted++
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("summary of team %q (installation %d): %w", t.Team, t.Installation, err))
		}
	}
	return posted, errors.Join(errs...)
}

// check posts t's latest due summary unless it is posted or being posted.
// The outcome is "" when the summary was already recorded as posted.
func (s *Scheduler) check(ctx context.Context, t SummaryTarget, now time.Time) (outcome string, err error) {
	week, err := recognizer.LatestDueWeek(now, t.Config)
	if err != nil {
		return SummaryOutcomeFailed, err
	}
	wk := week.String()
	inst := t.Installation
	done, _, _, err := s.opts.Store.SummaryState(ctx, inst, t.Team, wk)
	if err != nil {
		return SummaryOutcomeFailed, err
	}
	if done {
		// The steady state between due times: not counted.
		return "", nil
	}
	log := s.opts.Logger.With(slog.Int64("installation_id", inst), slog.String("team", t.Team),
		slog.String("week", wk), slog.String("owner", s.opts.Owner))
	ok, err := s.opts.Store.SummaryLock(ctx, inst, t.Team, wk, s.opts.Owner, s.opts.Lease)
	if err != nil {
		return SummaryOutcomeFailed, err
	}
	if !ok {
		log.Info("summary being posted by another replica")
		return SummaryOutcomeBusy, nil
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if uerr := s.opts.Store.SummaryUnlock(uctx, inst, t.Team, wk, s.opts.Owner); uerr != nil {
			log.Warn("release summary lock", slog.Any("err", uerr))
		}
	}()
	// Another replica may have posted it between the check and the lock.
	done, _, _, err = s.opts.Store.SummaryState(ctx, inst, t.Team, wk)
	if err != nil {
		return SummaryOutcomeFailed, err
	}
	if done {
		return SummaryOutcomeAlready, nil
	}
	log.Info("posting weekly summary")
	url, number, err := s.post(ctx, t, week)
	if err != nil {
		log.Error("weekly summary not posted", slog.Any("err", err))
		return SummaryOutcomeFailed, fmt.Errorf("post summary for %s: %w", wk, err)
	}
	if err := s.opts.Store.SummaryPosted(ctx, inst, t.Team, wk, url, number); err != nil {
		// Posted but not recorded: the next Tick posts again, and Post
		// finds the issue it opened instead of opening another.
		log.Error("weekly summary posted but not recorded", slog.String("url", url), slog.Any("err", err))
		return SummaryOutcomeFailed, err
	}
	log.Info("weekly summary posted", slog.String("url", url), slog.Int("number", number))
	return SummaryOutcomePosted, nil
}

// post runs Post within the lease, turning a panic into an error so one
// team's summary cannot take down the worker.
func (s *Scheduler) post(ctx context.Context, t SummaryTarget, week recognizer.Week) (url string, number int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic posting summary: %v\n%s", r, debug.Stack())
		}
	}()
	// Past the lease another replica may take the lock over: stop first.
	pctx, cancel := context.WithTimeout(ctx, s.opts.Lease)
	defer cancel()
	return s.opts.Post(pctx, t, week)
}

// Run ticks at once and then every Every until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	log := s.opts.Logger.With(slog.String("owner", s.opts.Owner))
	log.Info("summary scheduler started", slog.Duration("every", s.opts.Every))
	tick := time.NewTicker(s.opts.Every)
	defer tick.Stop()
	for {
		n, err := s.Tick(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("summary tick", slog.Int("posted", n), slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			log.Info("summary scheduler stopped")
			return nil
		case <-tick.C:
		}
	}
}
