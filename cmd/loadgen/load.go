package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kudos-app/kudos/webhook"
)

// result is what happened to one delivery.
type result struct {
	sent    bool
	status  int           // HTTP status; 0 when the request failed
	latency time.Duration // ack latency (open loop: from the scheduled send time)
	lag     time.Duration // open loop: how late after its scheduled time it was sent
}

// loader sends deliveries and records one result per delivery index.
type loader struct {
	client  *http.Client
	url     string // the webhook URL
	d       *deliveries
	results []result

	mu   sync.Mutex
	errs map[string]int // failed requests by cause
}

func newLoader(client *http.Client, base string, d *deliveries) *loader {
	return &loader{client: client, url: base + webhook.Path, d: d,
		results: make([]result, len(d.ids)), errs: map[string]int{}}
}

// phase is one closed- or open-loop run over a range of deliveries.
type phase struct {
	sent    int
	elapsed time.Duration // from the first send to the last answer
}

// closed sends deliveries [from, to) with workers senders, each sending
// its next delivery as soon as the previous one is answered, until the
// range is done, limit (if not zero) has passed or ctx is cancelled.
func (l *loader) closed(ctx context.Context, from, to, workers int, limit time.Duration) phase {
	start := time.Now()
	deadline := deadlineOf(start, limit)
	var next, sent atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= to || time.Now().After(deadline) {
					return
				}
				t := time.Now()
				status, err := l.send(i)
				l.record(i, status, err, time.Since(t))
				sent.Add(1)
			}
		})
	}
	wg.Wait()
	return phase{sent: int(sent.Load()), elapsed: time.Since(start)}
}

// open sends deliveries [from, to) on a fixed schedule of rate a second,
// whatever the server's pace: delivery k is due at start + k/rate, and its
// latency counts from then, so a stalled server's backlog shows up in the
// latencies instead of silently slowing the schedule (coordinated
// omission). At most maxInFlight requests are outstanding.
func (l *loader) open(ctx context.Context, from, to int, rate float64, limit time.Duration, maxInFlight int) phase {
	start := time.Now()
	deadline := deadlineOf(start, limit)
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	sent := 0
	for k := 0; from+k < to && ctx.Err() == nil; k++ {
		due := start.Add(time.Duration(float64(k) * float64(time.Second) / rate))
		if due.After(deadline) {
			break
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		slots <- struct{}{}
		i := from + k
		sent++
		wg.Go(func() {
			lag := time.Since(due)
			status, err := l.send(i)
			l.record(i, status, err, time.Since(due))
			l.results[i].lag = lag
			<-slots
		})
	}
	wg.Wait()
	return phase{sent: sent, elapsed: time.Since(start)}
}

func deadlineOf(start time.Time, limit time.Duration) time.Time {
	if limit <= 0 {
		return start.Add(100 * 365 * 24 * time.Hour)
	}
	return start.Add(limit)
}

// send delivers delivery i like GitHub does and returns the status.
func (l *loader) send(i int) (int, error) {
	body := l.d.body(i, make([]byte, 0, l.d.size()))
	req, err := http.NewRequest(http.MethodPost, l.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/kudos-loadgen")
	req.Header.Set("X-GitHub-Event", l.d.event)
	req.Header.Set("X-GitHub-Delivery", l.d.ids[i])
	req.Header.Set(webhook.SignatureHeader, l.d.sigs[i])
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, err
	}
	// Read the answer to the end so the connection is reused.
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

func (l *loader) record(i, status int, err error, latency time.Duration) {
	if err != nil {
		status = 0
		l.mu.Lock()
		l.errs[cause(err)]++
		l.mu.Unlock()
	}
	l.results[i] = result{sent: true, status: status, latency: latency}
}

// cause names a failure without the URL, so failures group.
func cause(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// newClient is a keep-alive client that can hold idle connections for
// every concurrent request, with a timeout on each request.
func newClient(conns int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 8,
		MaxIdleConnsPerHost: conns + 8,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}
