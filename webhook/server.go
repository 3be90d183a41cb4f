// Package webhook receives GitHub's webhook deliveries: it verifies,
// de-duplicates and normalises them, runs the recognizer and writes its
// results to the store, then acknowledges — without calling GitHub.
package webhook

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kudos-app/kudos/internal/httpstack"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// Path is where GitHub sends deliveries.
const Path = "/api/github/webhooks"

// MaxBody is the largest payload accepted; GitHub caps payloads at 25 MiB.
const MaxBody = 25 << 20

// DefaultStoreTimeout bounds the Redis work of one delivery unless
// Options.StoreTimeout says otherwise.
const DefaultStoreTimeout = 5 * time.Second

// Log keys attached to every line about a delivery.
const (
	LogDelivery     = "delivery_id"
	LogEvent        = "event"
	LogInstallation = "installation_id"
	LogRepo         = "repo"
	LogNumber       = "pr"
)

// Store is what the webhook needs from Redis.
type Store interface {
	Lookup(ctx context.Context, inst int64, delivery string, repoID int64, number int, withHistory bool) (store.Seen, error)
	Accept(ctx context.Context, d store.Delivery) (bool, error)
	Ping(ctx context.Context) error
}

var _ Store = (*store.Store)(nil)

// Options configure a Server.
type Options struct {
	Secret   []byte
	Store    Store
	Config   recognizer.Config
	Logger   *slog.Logger
	Registry *prometheus.Registry
	// Now is the clock handed to the recognizer; time.Now when nil.
	Now func() time.Time
	// StoreTimeout bounds the Redis work of one delivery
	// (DefaultStoreTimeout when zero).
	StoreTimeout time.Duration
}

// Server handles webhook deliveries and the health routes.
type Server struct {
	opts       Options
	verifier   *Verifier
	deliveries *prometheus.CounterVec
	latency    prometheus.Histogram
}

// New checks the options and returns a Server.
func New(opts Options) (*Server, error) {
	if len(opts.Secret) == 0 {
		return nil, errors.New("webhook secret is empty: set GITHUB_WEBHOOK_SECRET")
	}
	if opts.Store == nil {
		return nil, errors.New("webhook server needs a store")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.StoreTimeout <= 0 {
		opts.StoreTimeout = DefaultStoreTimeout
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		opts:     opts,
		verifier: NewVerifier(opts.Secret),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kudos_webhook_deliveries_total",
			Help: "Webhook deliveries by event type and HTTP status answered.",
		}, []string{"event", "status"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kudos_webhook_ack_seconds",
			Help:    "Time from receiving a delivery to acknowledging it.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .5},
		}),
	}
	if err := opts.Registry.Register(s.deliveries); err != nil {
		return nil, err
	}
	if err := opts.Registry.Register(s.latency); err != nil {
		return nil, err
	}
	return s, nil
}

// Routes registers the webhook, health, readiness and metrics routes.
func (s *Server) Routes(e *echo.Echo) {
	e.POST(Path, s.handle)
	s.healthRoutes(e)
}

func (s *Server) ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.opts.Store.Ping(ctx); err != nil {
		s.opts.Logger.Warn("not ready: redis does not answer", slog.Any("err", err))
		return c.String(http.StatusServiceUnavailable, "redis unreachable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// reply is the JSON body of every webhook answer.
type reply struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func (s *Server) handle(c echo.Context) error {
	start := time.Now()
	req := c.Request()
	event := req.Header.Get("X-GitHub-Event")
	delivery := req.Header.Get("X-GitHub-Delivery")
	log := deliveryLog{l: s.opts.Logger, ctx: req.Context()}
	log.with(slog.String(LogDelivery, delivery), slog.String(LogEvent, event))
	status, r := s.deliver(req, c.Response(), event, delivery, &log)
	s.deliveries.WithLabelValues(metricEvent(event, status), strconv.Itoa(status)).Inc()
	s.latency.Observe(time.Since(start).Seconds())
	return Answer(c, status, r.Status, r.Reason)
}

// Answer writes the JSON answer to a delivery, as the webhook route
// answers: {"status": status, "reason": reason}, the reason left out when
// empty.
func Answer(c echo.Context, code int, status, reason string) error {
	// JSONPretty with no indent writes what c.JSON writes without
	// parsing every request's query string to look for ?pretty.
	return c.JSONPretty(code, reply{status, reason}, "")
}

func (s *Server) deliver(req *http.Request, w http.ResponseWriter, event, delivery string, log *deliveryLog) (int, reply) {
	buf, err := ReadBody(w, req)
	defer ReleaseBody(buf)
	body := buf.Bytes()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			log.log(slog.LevelWarn, "payload too large", slog.Int64("limit", tooBig.Limit))
			return http.StatusRequestEntityTooLarge, reply{"rejected", "payload larger than 25 MiB"}
		}
		log.log(slog.LevelWarn, "read payload", slog.Any("err", err))
		return http.StatusBadRequest, reply{"rejected", "could not read payload"}
	}
	if err := s.verifier.Verify(body, req.Header.Get(SignatureHeader)); err != nil {
		log.log(slog.LevelWarn, "rejected delivery", slog.Any("err", err))
		return http.StatusUnauthorized, reply{"rejected", err.Error()}
	}
	if event == "" || delivery == "" {
		return http.StatusBadRequest, reply{"rejected", "missing X-GitHub-Event or X-GitHub-Delivery"}
	}
	payload, err := formPayload(req.Header.Get("Content-Type"), body)
	if err != nil {
		log.log(slog.LevelWarn, "malformed payload", slog.Any("err", err))
		return http.StatusBadRequest, reply{"rejected", err.Error()}
	}
	ev, err := Extract(event, delivery, payload)
	if errors.Is(err, errUnhandled) {
		return http.StatusOK, reply{"ignored", "event not used by Kudos"}
	}
	if err != nil {
		log.log(slog.LevelWarn, "malformed payload", slog.Any("err", err))
		return http.StatusBadRequest, reply{"rejected", err.Error()}
	}
	log.with(slog.Int64(LogInstallation, ev.InstallationID),
		slog.String(LogRepo, ev.Repo.FullName), slog.Int(LogNumber, ev.Number))

	ctx, cancel := context.WithTimeout(req.Context(), s.opts.StoreTimeout)
	defer cancel()
	// Only a comment that may carry a command needs the PR's history and
	// the repository's configuration first: every other delivery is
	// recognised with the defaults and written in one round trip, its
	// duplicate check included.
	needs := recognizer.NeedsHistory(ev)
	var seen store.Seen
	if needs {
		if seen, err = s.opts.Store.Lookup(ctx, ev.InstallationID, delivery, ev.Repo.ID, ev.Number, true); err != nil {
			log.log(slog.LevelError, "store unreachable", slog.Any("err", err))
			return http.StatusServiceUnavailable, reply{"retry", "store unreachable"}
		}
		if seen.Dup {
			log.log(slog.LevelInfo, "duplicate delivery dropped")
			return http.StatusOK, reply{"duplicate", "delivery already accepted"}
		}
	}
	cfg := s.opts.Config
	var retention time.Duration
	if seen.Config != nil {
		cfg, retention = seen.Config.Config, seen.Config.Config.Retention
	}
	res := recognizer.Recognize(ev, seen.History, cfg, s.opts.Now())
	// A line starting with "/" that is no command may use an alias of a
	// repository whose configuration is not cached yet: have it fetched.
	refresh := needs && seen.Config == nil && res.Suggestion == nil
	if len(res.Records) == 0 && len(res.Removals) == 0 && res.Suggestion == nil && res.Preference == nil && !refresh {
		log.log(slog.LevelDebug, "nothing to record", slog.String("why", res.Why))
		return http.StatusOK, reply{"ignored", res.Why}
	}
	fresh, err := s.opts.Store.Accept(ctx, store.Delivery{
		ID: delivery, InstallationID: ev.InstallationID, RepoID: ev.Repo.ID, Number: ev.Number,
		Records: res.Records, Removals: res.Removals, Suggestion: res.Suggestion,
		Preference: res.Preference, RefreshConfig: refresh,
		Owner: ev.Repo.Owner, Repo: ev.Repo.Name, Retention: retention,
		Activity: recognizer.ActivityOf(ev, res.Records),
	})
	if err != nil {
		log.log(slog.LevelError, "store unreachable", slog.Any("err", err))
		return http.StatusServiceUnavailable, reply{"retry", "store unreachable"}
	}
	if !fresh {
		log.log(slog.LevelInfo, "duplicate delivery dropped")
		return http.StatusOK, reply{"duplicate", "delivery already accepted"}
	}
	// A delivery that only adds to the ledger is routine: most comments,
	// reviews and pushes. One that queues work for the worker is logged.
	level := slog.LevelDebug
	if res.Suggestion != nil || res.Preference != nil || refresh {
		level = slog.LevelInfo
	}
	log.log(level, "accepted", slog.String("decision", string(res.Decision)), slog.String("why", res.Why),
		slog.Int("records", len(res.Records)))
	return http.StatusAccepted, reply{"accepted", res.Why}
}

// deliveryLog writes the log lines about one delivery. It collects the
// delivery's attributes as they become known and formats them only into
// the lines written, never for lines below the logger's level.
type deliveryLog struct {
	l     *slog.Logger
	ctx   context.Context
	attrs [5]slog.Attr
	n     int
}

func (d *deliveryLog) with(attrs ...slog.Attr) {
	d.n += copy(d.attrs[d.n:], attrs)
}

func (d *deliveryLog) log(level slog.Level, msg string, attrs ...slog.Attr) {
	if !d.l.Enabled(d.ctx, level) {
		return
	}
	// A copy, so that only a line written allocates, not every delivery.
	var buf [8]slog.Attr
	all := append(append(buf[:0], d.attrs[:d.n]...), attrs...)
	d.l.LogAttrs(d.ctx, level, msg, all...)
}

// metricEvent bounds the event label: only deliveries that passed the
// signature check name their event, and only the events Kudos knows.
func metricEvent(event string, status int) string {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusRequestEntityTooLarge:
		return "unverified"
	case handled[recognizer.EventKind(event)] || event == "ping":
		return event
	}
	return "other"
}

// bodies are reused between deliveries: a delivery's payload is read into
// one, and nothing decoded from it keeps a reference to it.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody bounds the buffers kept for reuse, so one huge payload
// does not pin its memory.
const maxPooledBody = 1 << 20

// ReadBody reads a delivery's payload, at most MaxBody bytes, into a
// reused buffer; hand it back with ReleaseBody once nothing reads it.
func ReadBody(w http.ResponseWriter, req *http.Request) (*bytes.Buffer, error) {
	buf := bodies.Get().(*bytes.Buffer)
	buf.Reset()
	if n := req.ContentLength; n > 0 && n <= MaxBody {
		buf.Grow(int(n) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, req.Body, MaxBody))
	return buf, err
}

// ReleaseBody hands a buffer from ReadBody back for reuse.
func ReleaseBody(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledBody {
		bodies.Put(buf)
	}
}

// formPayload returns the JSON of a delivery, which GitHub sends either as
// the body or, for hooks set to form encoding, in the "payload" field.
func formPayload(contentType string, body []byte) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt != "application/x-www-form-urlencoded" {
		return body, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errors.New("malformed form-encoded payload")
	}
	p := form.Get("payload")
	if p == "" {
		return nil, errors.New("form-encoded delivery has no payload field")
	}
	return []byte(p), nil
}

// HealthRoutes registers the health, readiness and metrics routes alone,
// for processes that do not receive webhooks (KUDOS_ROLE=worker).
func HealthRoutes(e *echo.Echo, st Store, reg *prometheus.Registry, log *slog.Logger) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Server{opts: Options{Store: st, Registry: reg, Logger: log}}
	s.healthRoutes(e)
}

func (s *Server) healthRoutes(e *echo.Echo) {
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.ready)
	e.GET("/metrics", httpstack.Metrics(s.opts.Registry))
}
