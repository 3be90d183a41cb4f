package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const exposition = `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 12.34
# HELP process_cpu_seconds_total_other a longer name sharing the prefix
process_cpu_seconds_total_other 99
process_resident_memory_bytes{pod="x"} 1
# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 4.5387776e+07 1700000000000
kudos_webhook_deliveries_total{event="issue_comment",status="202"} 7
`

func TestParseMetrics(t *testing.T) {
	got, err := parseMetrics(strings.NewReader(exposition), metricCPU, metricRSS)
	if err != nil {
		t.Fatal(err)
	}
	if got[metricCPU] != 12.34 || got[metricRSS] != 45387776 || len(got) != 2 {
		t.Fatalf("parseMetrics = %v, want cpu 12.34 and rss 45387776 only", got)
	}
}

func TestParseMetricsEdgeCases(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       map[string]float64
		err        bool
	}{
		{"missing", "go_goroutines 3\n", map[string]float64{}, false},
		{"empty labels", "process_cpu_seconds_total{} 1.5\n", map[string]float64{metricCPU: 1.5}, false},
		{"label value with a brace", "process_cpu_seconds_total{x=\"}\"} 9\nprocess_cpu_seconds_total 2\n", map[string]float64{metricCPU: 2}, false},
		{"tabs and CRLF", "process_cpu_seconds_total\t3\r\n", map[string]float64{metricCPU: 3}, false},
		{"integer", "process_resident_memory_bytes 1024\n", map[string]float64{metricRSS: 1024}, false},
		{"bad value", "process_cpu_seconds_total abc\n", nil, true},
		{"no value", "process_cpu_seconds_total{}\n", nil, true},
		{"unterminated labels", "process_cpu_seconds_total{a=\"b\" 1\n", nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseMetrics(strings.NewReader(c.text), metricCPU, metricRSS)
			if (err != nil) != c.err {
				t.Fatalf("err = %v, want error %v", err, c.err)
			}
			if c.err {
				return
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestScrapeAndWatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write([]byte(exposition))
	}))
	defer srv.Close()
	s := newScraper(srv.URL)
	got, err := s.scrape(context.Background())
	if err != nil || got != (sample{CPU: 12.34, RSS: 45387776}) {
		t.Fatalf("scrape = %+v, %v", got, err)
	}
	w := watchRSS(s, 1)
	w.see(1e9)
	if peak := w.finish(); peak != 1e9 {
		t.Fatalf("peak = %v, want the largest RSS seen", peak)
	}
	if _, err := newScraper(srv.URL + "/nothing").scrape(context.Background()); err == nil {
		t.Fatal("scraping a 404 succeeded")
	}
}

func TestMeter(t *testing.T) {
	// The CPU counter reads 1 s until the test moves it on; the second
	// scrape's RSS is the peak.
	var n atomic.Int64
	var cpuNow atomic.Value
	cpuNow.Store(1.0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rss := 10 << 20
		if n.Add(1) == 2 {
			rss = 30 << 20
		}
		fmt.Fprintf(w, "%s %g\n%s %d\n", metricCPU, cpuNow.Load(), metricRSS, rss)
	}))
	defer srv.Close()
	m := startMeter(context.Background(), srv.URL)
	for n.Load() < 3 {
		time.Sleep(10 * time.Millisecond) // the watch scrapes every 250 ms
	}
	cpuNow.Store(3.5)
	u, err := m.stop(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u != (usage{CPU: 2.5, Peak: 30 << 20}) {
		t.Fatalf("stop = %+v, want CPU 2.5 s and peak 30 MiB", u)
	}
	cpu, us, peak := usage{CPU: 2, Peak: 5}.cpuFigures(4000)
	if *cpu != 2 || *us != 500 || *peak != 5 {
		t.Fatalf("cpuFigures(4000) = %v, %v, %v", *cpu, *us, *peak)
	}
	if _, us, _ := (usage{CPU: 2}).cpuFigures(0); us != nil {
		t.Fatalf("cpuFigures(0) = %v µs/delivery, want none", *us)
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	if _, err := startMeter(context.Background(), down.URL).stop(context.Background()); err == nil {
		t.Fatal("a meter of a process that does not answer measured something")
	}
}
