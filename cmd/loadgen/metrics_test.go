package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
