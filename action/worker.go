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

// Queue is the worker's view of the suggestion queue.
type Queue interface {
	EnsureGroup(ctx context.Context) error
	Read(ctx context.Context, consumer string, count int64, block time.Duration) ([]store.Message, error)
	Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int64) ([]store.Message, error)
	Ack(ctx context.Context, id string) error
	// AckUnlock is Ack and Ledger.Unlock in one round trip.
	AckUnlock(ctx context.Context, id string, inst, repoID int64, reply, owner string) (acked bool, err error)
}

// Ledger keeps what was delivered and who is delivering it, the
// contributions shout-outs are composed from, and the replies posted.
type Ledger interface {
	History(ctx context.Context, inst, repoID int64, number int) (recognizer.History, error)
	AddRecords(ctx context.Context, inst, repoID int64, number int, recs []recognizer.Contribution) error
	ItemStates(ctx context.Context, inst int64, ids []string) (map[string]store.ItemState, error)
	MarkAttempted(ctx context.Context, inst int64, ids []string) error
	Posted(ctx context.Context, inst, repoID int64, ids []string, url string, recs []recognizer.Record, source string, reply *store.Reply) error
	// LockReply takes a reply's lease and reads, with it, its items'
	// states and what preparing it needs.
	LockReply(ctx context.Context, inst, repoID int64, reply, owner string, ttl time.Duration, ids, logins []string) (bool, map[string]store.ItemState, *store.Prepared, error)
	Unlock(ctx context.Context, inst, repoID int64, reply, owner string) error
	Replies(ctx context.Context, inst, repoID int64, source string) ([]store.Reply, error)
	ForgetReplies(ctx context.Context, inst, repoID int64, source string) error
}

// People keeps who may be named and how much they may give.
type People interface {
	// TakeThanks also marks attempt attempted when it takes the tokens.
	TakeThanks(ctx context.Context, inst int64, giver string, n, perHour int, now time.Time, attempt []string) (bool, error)
	FirstLimitNotice(ctx context.Context, inst int64, giver string) (bool, error)
	RememberUser(ctx context.Context, inst int64, login string, exists bool) error
}

// Configs caches repositories' configurations.
type Configs interface {
	Config(ctx context.Context, inst, repoID int64) (*store.ConfigEntry, error)
	SetConfig(ctx context.Context, inst, repoID int64, e store.ConfigEntry) error
	ForgetConfig(ctx context.Context, inst, repoID int64) error
	FirstConfigReport(ctx context.Context, inst, repoID int64, sha string) (bool, error)
}

// Purger deletes an installation's or a repository's data.
type Purger interface {
	PurgeInstallation(ctx context.Context, inst int64) (int, error)
	PurgeRepository(ctx context.Context, inst, repoID int64) (int, error)
}

// Store is everything the worker keeps in Redis.
type Store interface {
	Queue
	Ledger
	People
	Configs
	Purger
}

// Poster reads from and writes to GitHub.
type Poster interface {
	CreateComment(ctx context.Context, inst int64, owner, repo string, number int, body string) (Posted, error)
	ReplyToReviewComment(ctx context.Context, inst int64, owner, repo string, number int, threadID int64, body string) (Posted, error)
	DeleteComment(ctx context.Context, inst int64, owner, repo, kind string, id int64) error
	FindMarkers(ctx context.Context, inst int64, owner, repo string, number int, inReviewThreads bool, ids []string) (map[string]string, error)
	Backfill(ctx context.Context, inst int64, owner, repo string, number int) ([]recognizer.Contribution, error)
	GetFile(ctx context.Context, inst int64, owner, repo, path string) (content, sha string, found bool, err error)
	UserExists(ctx context.Context, inst int64, login string) (bool, error)
	TeamMembers(ctx context.Context, inst int64, team string) ([]string, error)
}

var (
	_ Store  = (*store.Store)(nil)
	_ Poster = (*GitHub)(nil)
	_ Poster = (*DryRun)(nil)
)

// WorkerOptions configure a Worker.
type WorkerOptions struct {
	Store  Store
	Poster Poster
	Logger *slog.Logger
	// Consumer names this worker in the consumer group; unique per process.
	Consumer string
	// Block is how long one read waits for new suggestions; a new one wakes
	// the read at once. It also bounds how long shutdown waits for the read.
	Block time.Duration
	// Lease is how long a worker may hold one reply before another may
	// take it over; it bounds a post with all its retries.
	Lease time.Duration
	// MinIdle is how long a suggestion stays unacknowledged before
	// another worker reclaims it.
	MinIdle time.Duration
	// ReclaimEvery is how often the worker looks for abandoned suggestions.
	ReclaimEvery time.Duration
	// Batch is the most suggestions read at once.
	Batch int64
	// InFlight bounds the suggestions read but not yet handled, across
	// the installations handled side by side.
	InFlight int
	Registry prometheus.Registerer
	// Config decides what shout-outs say; recognizer.DefaultConfig when zero.
	Config *recognizer.Config
	// Now stamps backfilled ledgers; time.Now when nil.
	Now func() time.Time
}

// Worker posts queued suggestions to GitHub, one reply per triggering
// comment, exactly once.
type Worker struct {
	opts    WorkerOptions
	configs *ConfigReader
	posts   *prometheus.CounterVec
}

// NewWorker checks options and fills in defaults.
func NewWorker(opts WorkerOptions) (*Worker, error) {
	if opts.Store == nil || opts.Poster == nil {
		return nil, errors.New("worker needs a store and a poster")
	}
	if opts.Consumer == "" {
		return nil, errors.New("worker needs a consumer name")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Block <= 0 {
		opts.Block = 2 * time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.MinIdle <= 0 {
		opts.MinIdle = opts.Lease
	}
	if opts.ReclaimEvery <= 0 {
		opts.ReclaimEvery = min(30*time.Second, opts.MinIdle/2)
	}
	if opts.Batch <= 0 {
		opts.Batch = 16
	}
	if opts.InFlight <= 0 {
		opts.InFlight = 4096
	}
	if opts.Config == nil {
		cfg := recognizer.DefaultConfig()
		opts.Config = &cfg
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &Worker{opts: opts, configs: &ConfigReader{Store: opts.Store, Poster: opts.Poster, Defaults: *opts.Config, Logger: opts.Logger}, posts: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kudos_worker_suggestions_total",
		Help: "Suggestions handled by the worker, by outcome.",
	}, []string{"outcome"})}
	if opts.Registry != nil {
		if err := opts.Registry.Register(w.posts); err != nil {
			return nil, fmt.Errorf("register worker metrics: %w", err)
		}
	}
	return w, nil
}

// Configs returns the worker's reader of repository configurations.
func (w *Worker) Configs() *ConfigReader { return w.configs }

// Run consumes the queue until ctx ends. New suggestions wake it at once;
// abandoned ones are reclaimed every ReclaimEvery.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.opts.Store.EnsureGroup(ctx); err != nil {
		return err
	}
	log := w.opts.Logger.With(slog.String("consumer", w.opts.Consumer))
	log.Info("worker started")
	lanes := newLanes(ctx, w.opts.InFlight, w.handleOne)
	defer lanes.wait()
	handleAll := func(msgs []store.Message) {
		for _, m := range msgs {
			if !lanes.dispatch(m) {
				return
			}
		}
	}
	lastReclaim := time.Time{}
	for ctx.Err() == nil {
		if time.Since(lastReclaim) >= w.opts.ReclaimEvery {
			lastReclaim = time.Now()
			msgs, err := w.opts.Store.Reclaim(ctx, w.opts.Consumer, w.opts.MinIdle, w.opts.Batch)
			if err != nil {
				w.pause(ctx, log, err)
			}
			if len(msgs) > 0 {
				log.Info("reclaimed abandoned suggestions", slog.Int("count", len(msgs)))
			}
			handleAll(msgs)
		}
		block := min(w.opts.Block, max(time.Until(lastReclaim.Add(w.opts.ReclaimEvery)), time.Millisecond))
		msgs, err := w.opts.Store.Read(ctx, w.opts.Consumer, w.opts.Batch, block)
		if err != nil {
			w.pause(ctx, log, err)
			continue
		}
		handleAll(msgs)
	}
	log.Info("worker stopped")
	return nil
}

// pause waits a moment after a store error so a Redis outage is not a
// busy loop.
func (w *Worker) pause(ctx context.Context, log *slog.Logger, err error) {
	if ctx.Err() != nil {
		return
	}
	log.Error("queue unavailable", slog.Any("err", err))
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// handleOne handles one suggestion in its installation's lane.
func (w *Worker) handleOne(ctx context.Context, m store.Message) {
	outcome, err := w.Handle(ctx, m)
	w.posts.WithLabelValues(outcome).Inc()
	if err != nil {
		w.logger(m).Error("suggestion not delivered", slog.String("outcome", outcome), slog.Any("err", err))
	}
}

func (w *Worker) logger(m store.Message) *slog.Logger {
	s := m.Suggestion
	return w.opts.Logger.With(slog.String("delivery_id", m.DeliveryID), slog.String("queue_id", m.ID),
		slog.Int64("installation_id", s.InstallationID), slog.String("repo", s.Owner+"/"+s.Repo),
		slog.Int("pr", s.Number))
}

// Outcomes of handling one suggestion.
const (
	OutcomePosted    = "posted"
	OutcomeDuplicate = "duplicate"
	OutcomeFound     = "found_posted"
	OutcomeBusy      = "busy"
	OutcomeRetry     = "retry"
	OutcomeDropped   = "dropped"
	OutcomeNothing   = "nothing_to_say"
	OutcomeDone      = "done"
)

// Handle carries out one queued suggestion and acknowledges it when
// done. A transient failure leaves it unacknowledged, to be reclaimed and
// retried; nothing accepted is dropped unless GitHub refuses it for good.
func (w *Worker) Handle(ctx context.Context, m store.Message) (outcome string, err error) {
	defer func() {
		if r := recover(); r != nil {
			outcome, err = OutcomeRetry, fmt.Errorf("panic handling queue entry %s: %v\n%s", m.ID, r, debug.Stack())
		}
	}()
	if m.Err != nil {
		return w.ack(ctx, m, OutcomeDropped, m.Err)
	}
	s := m.Suggestion
	switch s.Kind {
	case recognizer.KindConfig:
		return w.finish(ctx, m, w.reloadConfig(ctx, s))
	case recognizer.KindPurge:
		return w.finish(ctx, m, w.purge(ctx, s))
	case recognizer.KindRetract:
		return w.finish(ctx, m, w.retract(ctx, s))
	}
	log := w.logger(m)
	inst := s.InstallationID
	l := &lease{inst: inst, repoID: s.RepoID, reply: s.Key(), owner: w.opts.Consumer}
	// What preparing the reply reads is read with the lock, and so are
	// the states of a thanks's items. A shout-out has none yet: its items
	// are known once it is composed.
	ids, logins := lockReads(s)
	ok, states, prep, err := w.opts.Store.LockReply(ctx, inst, s.RepoID, l.reply, l.owner, w.opts.Lease, ids, logins)
	if err != nil {
		return OutcomeRetry, err
	}
	if !ok {
		// Another worker is posting this reply right now; once it is done
		// this entry is reclaimed and acknowledged as a duplicate.
		log.Info("reply being posted by another worker")
		return OutcomeBusy, nil
	}
	released := false
	defer func() {
		if !released {
			w.release(ctx, l, log)
		}
	}()
	outcome, err = w.reply(ctx, &s, states, prep, log)
	if outcome == OutcomeRetry {
		return outcome, err
	}
	// Done, one way or another: acknowledge and give the lease back in
	// one round trip.
	acked, aerr := w.opts.Store.AckUnlock(ctx, m.ID, l.inst, l.repoID, l.reply, l.owner)
	if !acked {
		return OutcomeRetry, aerr
	}
	if aerr != nil {
		log.Warn("release reply lock with the acknowledgement", slog.Any("err", aerr))
	} else {
		released = true
	}
	return outcome, err
}

// reply prepares s and delivers it, under its lease. It returns
// OutcomeRetry with the error for a transient failure; any other outcome
// is final, with the error, if any, why s is dropped.
func (w *Worker) reply(ctx context.Context, s *recognizer.Suggestion, states map[string]store.ItemState, prep *store.Prepared, log *slog.Logger) (string, error) {
	var (
		why    string
		marked bool
		err    error
	)
	if s.Kind == recognizer.KindShoutout {
		why, err = w.composeShoutout(ctx, s, prep)
	} else {
		why, marked, err = w.prepareThanks(ctx, s, states, prep, log)
	}
	if IsPermanent(err) {
		return OutcomeDropped, err
	}
	if err != nil {
		return OutcomeRetry, err
	}
	if len(s.ItemIDs()) == 0 {
		log.Info("nothing to post", slog.String("why", why))
		return OutcomeNothing, nil
	}
	return w.deliver(ctx, *s, states, marked, log)
}

// lease is a worker's hold, taken with Lock, on posting one reply.
type lease struct {
	inst, repoID int64
	reply, owner string
}

// release gives the lease back. It outlives ctx: a cancelled worker still
// frees the reply for the next.
func (w *Worker) release(ctx context.Context, l *lease, log *slog.Logger) {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := w.opts.Store.Unlock(uctx, l.inst, l.repoID, l.reply, l.owner); err != nil {
		log.Warn("release reply lock", slog.Any("err", err))
	}
}

// finish acknowledges a job that ran, or leaves it for a retry.
func (w *Worker) finish(ctx context.Context, m store.Message, err error) (string, error) {
	switch {
	case err == nil:
		return w.ack(ctx, m, OutcomeDone, nil)
	case IsPermanent(err):
		return w.ack(ctx, m, OutcomeDropped, err)
	}
	return OutcomeRetry, err
}

// deliver posts the items of s not yet delivered, exactly once: items
// already done are skipped, and items a dead worker attempted are looked
// for on GitHub by their markers before being posted again. states, when
// not nil, were read under the reply's lock; items missing from it are
// new. marked says the new items were marked attempted since (with the
// rate limit). It returns as reply does.
func (w *Worker) deliver(ctx context.Context, s recognizer.Suggestion, states map[string]store.ItemState, marked bool, log *slog.Logger) (string, error) {
	inst := s.InstallationID
	ids := s.ItemIDs()
	var err error
	if states == nil {
		if states, err = w.opts.Store.ItemStates(ctx, inst, ids); err != nil {
			return OutcomeRetry, err
		}
	}
	pending := pendingItems(ids, states)
	if len(pending) == 0 {
		return OutcomeDuplicate, nil
	}
	if len(pending) < len(ids) {
		log.Info("some items already delivered", slog.Int("pending", len(pending)), slog.Int("items", len(ids)))
	}
	if attempted := attemptedItems(pending, states); len(attempted) > 0 {
		found, err := w.opts.Poster.FindMarkers(ctx, inst, s.Owner, s.Repo, s.Number,
			s.Source.Kind == recognizer.SourceReviewComment, attempted)
		if err != nil {
			return OutcomeRetry, err
		}
		// What an earlier post delivered is recorded as a post now is:
		// the items done at its URL and their recognitions, at once.
		byURL := map[string][]string{}
		for id, url := range found {
			byURL[url] = append(byURL[url], id)
		}
		for url, ids := range byURL {
			if err := w.opts.Store.Posted(ctx, inst, s.RepoID, ids, url, recognizer.RecordsOf(s, ids), s.Key(), nil); err != nil {
				return OutcomeRetry, err
			}
		}
		pending = without(pending, found)
		if len(found) > 0 {
			log.Info("found earlier post of this reply", slog.Int("found", len(found)))
		}
	}
	if len(pending) == 0 {
		return OutcomeFound, nil
	}
	var body string
	if s.Kind == recognizer.KindShoutout {
		body, err = RenderShoutout(only(s, pending))
	} else {
		body, err = RenderThanks(only(s, pending))
	}
	if err != nil {
		return OutcomeDropped, err
	}
	// Once the new items are marked, the rest of pending are attempted
	// already.
	if !marked {
		if err := w.opts.Store.MarkAttempted(ctx, inst, pending); err != nil {
			return OutcomeRetry, err
		}
	}
	var posted Posted
	if s.Source.Kind == recognizer.SourceReviewComment && s.Source.ThreadID != 0 {
		posted, err = w.opts.Poster.ReplyToReviewComment(ctx, inst, s.Owner, s.Repo, s.Number, s.Source.ThreadID, body)
	} else {
		posted, err = w.opts.Poster.CreateComment(ctx, inst, s.Owner, s.Repo, s.Number, body)
	}
	if IsPermanent(err) {
		return OutcomeDropped, err
	}
	if err != nil {
		return OutcomeRetry, err
	}
	reply := &store.Reply{Kind: posted.Kind, ID: posted.ID, URL: posted.URL}
	if err := w.opts.Store.Posted(ctx, inst, s.RepoID, pending, posted.URL, recognizer.RecordsOf(s, pending), s.Key(), reply); err != nil {
		// Posted but not recorded: the "attempted" state makes the retry
		// find the marker instead of posting again.
		return OutcomeRetry, err
	}
	log.Info("reply posted", slog.String("url", posted.URL), slog.Int("items", len(pending)))
	return OutcomePosted, nil
}

// composeShoutout fills in a merged PR's shout-out from its ledger, first
// completing the ledger from the REST API when it missed the PR's start.
func (w *Worker) composeShoutout(ctx context.Context, s *recognizer.Suggestion, prep *store.Prepared) (string, error) {
	inst := s.InstallationID
	hist, err := w.opts.Store.History(ctx, inst, s.RepoID, s.Number)
	if err != nil {
		return "", err
	}
	if !hist.Complete() {
		recs, err := w.opts.Poster.Backfill(ctx, inst, s.Owner, s.Repo, s.Number)
		if err != nil {
			return "", err
		}
		now := w.opts.Now().UTC()
		recs = append(recs, recognizer.Contribution{Kind: recognizer.KindBackfilled, ID: now.UnixMilli(), At: now})
		if err := w.opts.Store.AddRecords(ctx, inst, s.RepoID, s.Number, recs); err != nil {
			return "", err
		}
		if hist, err = w.opts.Store.History(ctx, inst, s.RepoID, s.Number); err != nil {
			return "", err
		}
	}
	entry, err := w.preparedConfig(ctx, *s, prep)
	if err != nil {
		return "", err
	}
	if !entry.Config.ShoutOuts {
		return "shout-outs are off in this repository", nil
	}
	hidden := neverNamed(prep.OptedOut, entry.Config.NeverName)
	recs, why := recognizer.ShoutOut(*s, hist, entry.Config)
	// People who asked not to be named are left out of shout-outs.
	s.Recognitions = nil
	for _, r := range recs {
		if !hidden[lower(r.Recipient)] {
			s.Recognitions = append(s.Recognitions, r)
		}
	}
	return why, nil
}

// ack acknowledges m; cause, when set, is why it is dropped.
func (w *Worker) ack(ctx context.Context, m store.Message, outcome string, cause error) (string, error) {
	if err := w.opts.Store.Ack(ctx, m.ID); err != nil {
		return OutcomeRetry, err
	}
	return outcome, cause
}

func pendingItems(ids []string, states map[string]store.ItemState) []string {
	var out []string
	for _, id := range ids {
		if states[id] != store.ItemDone {
			out = append(out, id)
		}
	}
	return out
}

func attemptedItems(ids []string, states map[string]store.ItemState) []string {
	var out []string
	for _, id := range ids {
		if states[id] == store.ItemAttempted {
			out = append(out, id)
		}
	}
	return out
}

func without(ids []string, drop map[string]string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := drop[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

// only returns s restricted to the items in ids.
func only(s recognizer.Suggestion, ids []string) recognizer.Suggestion {
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
	}
	out := s
	out.Recognitions, out.Notices = nil, nil
	for _, r := range s.Recognitions {
		if keep[r.ID] {
			out.Recognitions = append(out.Recognitions, r)
		}
	}
	for _, n := range s.Notices {
		if keep[n.ID] {
			out.Notices = append(out.Notices, n)
		}
	}
	return out
}
