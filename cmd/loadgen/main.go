// Command loadgen measures a running `kudos serve`: it sends signed
// webhook deliveries built from a real GitHub payload to a server on this
// machine, in a closed loop (-concurrency C senders back to back) or an
// open loop (-rate R deliveries a second on a fixed schedule), and reports
// throughput, ack latency percentiles, the server's CPU time per delivery
// and peak RSS (from its /metrics), with -worker-url the same figures for
// a separate `kudos serve` worker process, and with -redis-url whether
// every accepted delivery was recorded exactly once.
//
//	loadgen -url http://127.0.0.1:3000 -secret S [-event issue_comment]
//	        [-payload full|small] [-thanks=false] [-concurrency 32 | -rate 1000]
//	        [-n 20000] [-duration 30s] [-warmup 1000] [-redis-url URL]
//	        [-worker-url http://127.0.0.1:3001] [-json]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

type config struct {
	url         string
	secret      string
	event       string
	payload     string
	thanks      bool
	concurrency int
	rate        float64
	n           int
	duration    time.Duration
	warmup      int
	perPR       int
	maxInFlight int
	timeout     time.Duration
	redisURL    string
	workerURL   string // "" when the -url process runs the worker too
	json        bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:3000", "base URL of `kudos serve`; only loopback hosts are allowed")
	fs.StringVar(&c.secret, "secret", os.Getenv("GITHUB_WEBHOOK_SECRET"), "the server's webhook secret (default $GITHUB_WEBHOOK_SECRET)")
	fs.StringVar(&c.event, "event", "issue_comment", "X-GitHub-Event: issue_comment or pull_request_review_comment (small payload)")
	fs.StringVar(&c.payload, "payload", "full", "full: the real 16 KB issue_comment example; small: the trimmed builder payload")
	fs.BoolVar(&c.thanks, "thanks", true, "comments carry a /thanks command (false: plain comments Kudos only records)")
	fs.IntVar(&c.concurrency, "concurrency", 32, "closed loop: senders sending back to back")
	fs.Float64Var(&c.rate, "rate", 0, "open loop: deliveries a second on a fixed schedule (instead of -concurrency)")
	fs.IntVar(&c.n, "n", 20000, "deliveries in the measured phase (at most)")
	fs.DurationVar(&c.duration, "duration", 0, "stop sending after this long (0: when -n are sent)")
	fs.IntVar(&c.warmup, "warmup", 1000, "deliveries sent before the measured phase, not measured")
	fs.IntVar(&c.perPR, "per-pr", 50, "comments on each PR (a PR's ledger holds this many entries at most)")
	fs.IntVar(&c.maxInFlight, "max-inflight", 1024, "open loop: most requests outstanding at once")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "timeout of each request")
	fs.StringVar(&c.redisURL, "redis-url", "", "the server's Redis: wait for its queue to drain and check each accepted delivery was recorded exactly once")
	fs.StringVar(&c.workerURL, "worker-url", "", "base URL of a separate `kudos serve` worker (KUDOS_ROLE=worker) whose CPU time and peak RSS to report apart from -url's; only loopback hosts are allowed")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["rate"] && set["concurrency"]:
		return c, errors.New("use -concurrency (closed loop) or -rate (open loop), not both")
	case c.rate < 0 || (set["rate"] && c.rate == 0):
		return c, errors.New("-rate must be positive")
	case c.rate == 0 && c.concurrency < 1:
		return c, errors.New("-concurrency must be at least 1")
	case c.n < 1 || c.warmup < 0 || c.perPR < 1 || c.maxInFlight < 1 || c.timeout <= 0 || c.duration < 0:
		return c, errors.New("-n, -per-pr, -max-inflight and -timeout must be positive; -warmup and -duration not negative")
	case c.secret == "":
		return c, errors.New("-secret is required (or set GITHUB_WEBHOOK_SECRET)")
	}
	u, err := loopbackURL("-url", c.url)
	if err != nil {
		return c, err
	}
	c.url = strings.TrimRight(u.String(), "/")
	if c.workerURL != "" {
		u, err := loopbackURL("-worker-url", c.workerURL)
		if err != nil {
			return c, err
		}
		c.workerURL = strings.TrimRight(u.String(), "/")
		if c.workerURL == c.url {
			return c, errors.New("-worker-url names the -url process: its CPU would be counted twice")
		}
	}
	return c, nil
}

// loopbackURL parses the flag's value raw and refuses it unless it names
// this machine: localhost, 127.0.0.0/8 or ::1. A load generator must never
// be pointed at someone else's server.
func loopbackURL(flag, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	// kudos serves plain HTTP; TLS belongs to whatever fronts it.
	if u.Scheme != "http" {
		return nil, fmt.Errorf("%s %q: want http://", flag, raw)
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return u, nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return u, nil
	}
	return nil, fmt.Errorf("%s %q: refusing a host that is not loopback (localhost, 127.0.0.0/8, ::1)", flag, raw)
}

// report is what a run measured; the JSON output is this struct.
type report struct {
	Mode         string  `json:"mode"` // "open" or "closed"
	Rate         float64 `json:"rate,omitempty"`
	Concurrency  int     `json:"concurrency,omitempty"`
	Event        string  `json:"event"`
	Payload      string  `json:"payload"`
	PayloadBytes int     `json:"payload_bytes"`
	Thanks       bool    `json:"thanks"`
	Warmup       int     `json:"warmup"`

	Sent           int            `json:"sent"`
	Status         map[string]int `json:"status"`
	Errors         int            `json:"errors"`
	ErrorCauses    map[string]int `json:"error_causes,omitempty"`
	ElapsedSeconds float64        `json:"elapsed_seconds"`
	Throughput     float64        `json:"throughput_per_second"`
	LatencyMS      struct {
		P50  float64 `json:"p50"`
		P90  float64 `json:"p90"`
		P99  float64 `json:"p99"`
		Max  float64 `json:"max"`
		Mean float64 `json:"mean"`
	} `json:"latency_ms"`

	// ScheduleLagMS (open loop): how late loadgen sent deliveries after
	// their scheduled times; the latencies include it.
	ScheduleLagMS *lagMS `json:"schedule_lag_ms,omitempty"`

	// The -url process's figures, and with -worker-url the worker's apart.
	ServerCPUSeconds       *float64 `json:"server_cpu_seconds,omitempty"`
	CPUPerDeliveryUS       *float64 `json:"server_cpu_us_per_delivery,omitempty"`
	PeakRSSBytes           *float64 `json:"server_peak_rss_bytes,omitempty"`
	WorkerCPUSeconds       *float64 `json:"worker_cpu_seconds,omitempty"`
	WorkerCPUPerDeliveryUS *float64 `json:"worker_cpu_us_per_delivery,omitempty"`
	WorkerPeakRSSBytes     *float64 `json:"worker_peak_rss_bytes,omitempty"`
	QueueDrainSeconds      *float64 `json:"queue_drain_seconds,omitempty"`
	// What sending the run's deliveries cost loadgen itself, which on
	// shared cores is taken from the server.
	LoadgenCPUPerDeliveryUS *float64 `json:"loadgen_cpu_us_per_delivery,omitempty"`

	ExactlyOnce *onceReport `json:"exactly_once,omitempty"`
	Notes       []string    `json:"notes,omitempty"`
}

type lagMS struct {
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	var rdb *redis.Client
	if c.redisURL != "" {
		opts, err := redis.ParseURL(c.redisURL)
		if err != nil {
			return fail(fmt.Errorf("-redis-url: %w", err))
		}
		rdb = redis.NewClient(opts)
		defer rdb.Close()
		if err := rdb.Ping(ctx).Err(); err != nil {
			return fail(fmt.Errorf("redis: %w", err))
		}
	}

	total := c.warmup + c.n
	d, err := buildDeliveries(c.event, c.payload, c.thanks, total, c.perPR, []byte(c.secret))
	if err != nil {
		return fail(err)
	}
	r := &report{Event: c.event, Payload: c.payload, PayloadBytes: len(d.body(0, nil)), Thanks: c.thanks, Warmup: c.warmup}
	if c.rate > 0 {
		r.Mode, r.Rate = "open", c.rate
	} else {
		r.Mode, r.Concurrency = "closed", c.concurrency
	}
	l, err := newLoader(c.url, c.timeout, d)
	if err != nil {
		return fail(err)
	}
	defer l.close()
	phaseRun := func(from, to int, limit time.Duration) phase {
		if c.rate > 0 {
			return l.open(ctx, from, to, c.rate, limit, c.maxInFlight)
		}
		return l.closed(ctx, from, to, c.concurrency, limit)
	}
	waitQueue := func(what string) float64 {
		if rdb == nil {
			return 0
		}
		took, err := drain(ctx, rdb, time.Minute)
		if err != nil {
			r.Notes = append(r.Notes, "after the "+what+": "+err.Error())
		}
		return took.Seconds()
	}
	if rdb == nil {
		r.Notes = append(r.Notes, "without -redis-url the CPU figure omits any work the server queued and had not finished by the last answer")
	}

	if c.warmup > 0 {
		phaseRun(0, c.warmup, 0)
		waitQueue("warmup")
	}
	server := startMeter(ctx, c.url)
	var worker *meter
	if c.workerURL != "" {
		worker = startMeter(ctx, c.workerURL)
	}
	cpu0 := selfCPU()
	p := phaseRun(c.warmup, total, c.duration)
	if p.sent > 0 {
		us := float64(selfCPU()-cpu0) / float64(time.Microsecond) / float64(p.sent)
		r.LoadgenCPUPerDeliveryUS = &us
	}
	drained := waitQueue("run")
	if u, err := server.stop(ctx); err != nil {
		r.Notes = append(r.Notes, "no server metrics: "+err.Error())
	} else {
		r.ServerCPUSeconds, r.CPUPerDeliveryUS, r.PeakRSSBytes = u.cpuFigures(p.sent)
	}
	if worker != nil {
		if u, err := worker.stop(ctx); err != nil {
			r.Notes = append(r.Notes, "no worker metrics: "+err.Error())
		} else {
			r.WorkerCPUSeconds, r.WorkerCPUPerDeliveryUS, r.WorkerPeakRSSBytes = u.cpuFigures(p.sent)
		}
	}
	if rdb != nil {
		r.QueueDrainSeconds = &drained
	}
	r.tally(l, c.warmup, total, p)
	if ctx.Err() != nil {
		r.Notes = append(r.Notes, "interrupted")
	}

	code := 0
	if rdb != nil {
		var accepted []string
		for i, res := range l.results {
			if res.status == 202 {
				accepted = append(accepted, d.ids[i])
			}
		}
		keys, err := dedupKeys(context.WithoutCancel(ctx), rdb, d.idPrefix())
		if err != nil {
			return fail(fmt.Errorf("exactly-once check: %w", err))
		}
		once := compareOnce(accepted, keys)
		r.ExactlyOnce = &once
		if !once.OK {
			code = 1
		}
	}
	if c.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fail(err)
		}
	} else {
		r.print(stdout)
	}
	return code
}

// tally fills in the measured phase's counts, throughput and latencies.
func (r *report) tally(l *loader, from, to int, p phase) {
	r.Sent = p.sent
	r.Status = map[string]int{}
	var lat, lag []time.Duration
	for _, res := range l.results[from:to] {
		if res.sent {
			lag = append(lag, res.lag)
		}
		switch {
		case !res.sent:
		case res.status == 0:
			r.Errors++
		default:
			r.Status[strconv.Itoa(res.status)]++
			lat = append(lat, res.latency)
		}
	}
	l.mu.Lock()
	if len(l.errs) > 0 {
		r.ErrorCauses = maps.Clone(l.errs)
	}
	l.mu.Unlock()
	r.ElapsedSeconds = p.elapsed.Seconds()
	if p.elapsed > 0 {
		r.Throughput = float64(len(lat)) / p.elapsed.Seconds()
	}
	s := summarize(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	r.LatencyMS.P50, r.LatencyMS.P90, r.LatencyMS.P99 = ms(s.P50), ms(s.P90), ms(s.P99)
	r.LatencyMS.Max, r.LatencyMS.Mean = ms(s.Max), ms(s.Mean)
	if r.Mode == "open" {
		s := summarize(lag)
		r.ScheduleLagMS = &lagMS{P99: ms(s.P99), Max: ms(s.Max)}
	}
}

func (r *report) print(w io.Writer) {
	line := func(k, format string, a ...any) { fmt.Fprintf(w, "  %-22s "+format+"\n", append([]any{k}, a...)...) }
	body := "/thanks comments"
	if !r.Thanks {
		body = "plain comments"
	}
	if r.Mode == "open" {
		fmt.Fprintf(w, "open loop, %g deliveries/s on a fixed schedule (latency from the scheduled send time)\n", r.Rate)
	} else {
		fmt.Fprintf(w, "closed loop, %d concurrent senders\n", r.Concurrency)
	}
	line("payload", "%s %s, %s, %d bytes (warmup %d, not measured)", r.Event, r.Payload, body, r.PayloadBytes, r.Warmup)
	line("deliveries sent", "%d", r.Sent)
	var st []string
	for _, k := range slices.Sorted(maps.Keys(r.Status)) {
		st = append(st, fmt.Sprintf("%s: %d", k, r.Status[k]))
	}
	if len(st) == 0 {
		st = []string{"no answers"}
	}
	line("status", "%s", strings.Join(st, ", "))
	line("errors", "%d", r.Errors)
	for _, k := range slices.Sorted(maps.Keys(r.ErrorCauses)) {
		line("", "%d × %s", r.ErrorCauses[k], k)
	}
	line("throughput", "%.0f deliveries/s (%.2f s)", r.Throughput, r.ElapsedSeconds)
	line("ack latency", "p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms   (mean %.2f ms)",
		r.LatencyMS.P50, r.LatencyMS.P90, r.LatencyMS.P99, r.LatencyMS.Max, r.LatencyMS.Mean)
	if l := r.ScheduleLagMS; l != nil {
		line("schedule lag", "p99 %.2f ms   max %.2f ms   (how late loadgen sent; part of the latencies)", l.P99, l.Max)
	}
	if r.CPUPerDeliveryUS != nil {
		line("server CPU", "%.0f µs/delivery (%.2f s in all)", *r.CPUPerDeliveryUS, *r.ServerCPUSeconds)
	}
	if r.PeakRSSBytes != nil {
		line("server peak RSS", "%.1f MiB", *r.PeakRSSBytes/(1<<20))
	}
	if r.WorkerCPUPerDeliveryUS != nil {
		line("worker CPU", "%.0f µs/delivery (%.2f s in all)", *r.WorkerCPUPerDeliveryUS, *r.WorkerCPUSeconds)
	}
	if r.WorkerPeakRSSBytes != nil {
		line("worker peak RSS", "%.1f MiB", *r.WorkerPeakRSSBytes/(1<<20))
	}
	if r.QueueDrainSeconds != nil {
		line("queue drained", "%.2f s after the last answer", *r.QueueDrainSeconds)
	}
	if r.LoadgenCPUPerDeliveryUS != nil {
		line("loadgen CPU", "%.0f µs/delivery", *r.LoadgenCPUPerDeliveryUS)
	}
	for _, n := range r.Notes {
		line("note", "%s", n)
	}
	if r.ExactlyOnce != nil {
		fmt.Fprintln(w, r.ExactlyOnce.String())
	}
}

// selfCPU is the CPU time, user and system, this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
