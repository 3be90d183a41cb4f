package main

import (
	"context"
	"errors"
	"net"
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
	client  *poster // to the webhook URL
	d       *deliveries
	results []result

	mu   sync.Mutex
	errs map[string]int // failed requests by cause
}

// newLoader sends d to the server at base with a deadline of timeout on
// each request.
func newLoader(base string, timeout time.Duration, d *deliveries) (*loader, error) {
	client, err := newPoster(base+webhook.Path, timeout)
	if err != nil {
		return nil, err
	}
	return &loader{client: client, d: d, results: make([]result, len(d.ids)), errs: map[string]int{}}, nil
}

// close closes the loader's idle connections.
func (l *loader) close() { l.client.close() }

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
	return l.client.post(l.d.event, l.d.ids[i], l.d.sigs[i], func(dst []byte) []byte { return l.d.body(i, dst) })
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

// cause names a failure so failures group: a network error by what was
// being done and what went wrong, without the connection's addresses,
// whose ephemeral port would make each broken connection its own group.
func cause(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Op + ": " + oe.Err.Error()
	}
	return err.Error()
}
