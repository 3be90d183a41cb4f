package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The server's process collector's metrics that the report uses.
const (
	metricCPU = "process_cpu_seconds_total"
	metricRSS = "process_resident_memory_bytes"
)

// parseMetrics reads the Prometheus text exposition format and returns
// the value of each named metric's series without labels. A named metric
// that is missing is absent from the map.
func parseMetrics(r io.Reader, names ...string) (map[string]float64, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	got := make(map[string]float64, len(names))
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		// name[{labels}] value [timestamp]
		end := strings.IndexAny(line, "{ \t")
		if end < 0 || !want[line[:end]] {
			continue
		}
		name, rest := line[:end], line[end:]
		if rest[0] == '{' {
			closing := strings.LastIndexByte(rest, '}')
			if closing < 0 {
				return nil, fmt.Errorf("metrics: unterminated labels in %q", line)
			}
			if strings.TrimSpace(rest[1:closing]) != "" {
				continue // a labelled series: not the process's own
			}
			rest = rest[closing+1:]
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 || len(fields) > 2 {
			return nil, fmt.Errorf("metrics: malformed sample %q", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics: value of %q: %w", line, err)
		}
		got[name] = v
	}
	return got, sc.Err()
}

// scraper reads the server's /metrics.
type scraper struct {
	client *http.Client
	url    string
}

func newScraper(base string) *scraper {
	return &scraper{client: &http.Client{Timeout: 5 * time.Second}, url: base + "/metrics"}
}

// sample is one scrape's process figures.
type sample struct {
	CPU float64 // seconds
	RSS float64 // bytes
}

func (s *scraper) scrape(ctx context.Context) (sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return sample{}, err
	}
	// Ask for the plain text format, not protobuf or OpenMetrics, and
	// uncompressed: the scrapes run during the measured phase, and the
	// server's gzip work would count as its CPU per delivery.
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := s.client.Do(req)
	if err != nil {
		return sample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return sample{}, fmt.Errorf("GET %s: %s", s.url, resp.Status)
	}
	m, err := parseMetrics(resp.Body, metricCPU, metricRSS)
	if err != nil {
		return sample{}, err
	}
	cpu, okCPU := m[metricCPU]
	rss, okRSS := m[metricRSS]
	if !okCPU || !okRSS {
		return sample{}, fmt.Errorf("GET %s: no %s or %s (is the process collector registered?)", s.url, metricCPU, metricRSS)
	}
	return sample{CPU: cpu, RSS: rss}, nil
}

// rssWatch scrapes every interval until stopped and keeps the peak RSS.
type rssWatch struct {
	mu   sync.Mutex
	peak float64
	stop context.CancelFunc
	done chan struct{}
}

func watchRSS(s *scraper, every time.Duration) *rssWatch {
	ctx, cancel := context.WithCancel(context.Background())
	w := &rssWatch{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if smp, err := s.scrape(ctx); err == nil {
					w.see(smp.RSS)
				}
			}
		}
	}()
	return w
}

func (w *rssWatch) see(rss float64) {
	w.mu.Lock()
	w.peak = max(w.peak, rss)
	w.mu.Unlock()
}

// finish stops the watch and returns the peak seen.
func (w *rssWatch) finish() float64 {
	w.stop()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

// meter measures one process over the measured phase: the CPU time it
// spent between a scrape at the start and one at the end, and its peak
// RSS, watched in between.
type meter struct {
	sc     *scraper
	before sample
	err    error // the first scrape's
	watch  *rssWatch
}

// startMeter scrapes the process at base and starts watching its RSS.
func startMeter(ctx context.Context, base string) *meter {
	m := &meter{sc: newScraper(base)}
	m.before, m.err = m.sc.scrape(ctx)
	m.watch = watchRSS(m.sc, 250*time.Millisecond)
	m.watch.see(m.before.RSS)
	return m
}

// usage is what a meter measured.
type usage struct {
	CPU  float64 // seconds spent
	Peak float64 // bytes
}

// stop scrapes the process again and stops the watch.
func (m *meter) stop(ctx context.Context) (usage, error) {
	after, err := m.sc.scrape(ctx)
	m.watch.see(after.RSS)
	peak := m.watch.finish()
	if err := errors.Join(m.err, err); err != nil {
		return usage{}, err
	}
	return usage{CPU: after.CPU - m.before.CPU, Peak: peak}, nil
}

// cpuFigures returns the report's CPU seconds, µs per delivery sent (nil
// when none was sent) and peak RSS.
func (u usage) cpuFigures(sent int) (cpu, usPerDelivery, peak *float64) {
	cpu, peak = &u.CPU, &u.Peak
	if sent > 0 {
		us := u.CPU / float64(sent) * 1e6
		usPerDelivery = &us
	}
	return cpu, usPerDelivery, peak
}
