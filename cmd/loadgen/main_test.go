package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

func TestLoopbackURL(t *testing.T) {
	for _, ok := range []string{
		"http://127.0.0.1:3000", "http://127.0.0.1", "http://127.1.2.3:8080/",
		"http://localhost:3000", "http://LOCALHOST",
		"http://[::1]:3000", "http://[::ffff:127.0.0.1]:3000",
	} {
		if _, err := loopbackURL("-url", ok); err != nil {
			t.Errorf("loopbackURL(%q) = %v, want accepted", ok, err)
		}
	}
	for _, bad := range []string{
		"http://example.com", "http://10.0.0.1:3000", "http://0.0.0.0:3000", "http://[::]:3000",
		"http://128.0.0.1", "http://localhost.example.com", "http://127.0.0.1.nip.io",
		"http://[::2]", "http://192.168.1.10", "ftp://127.0.0.1", "127.0.0.1:3000", "http://",
		"http://user@evil.com", "://bad", "https://localhost",
	} {
		if _, err := loopbackURL("-url", bad); err == nil {
			t.Errorf("loopbackURL(%q) accepted a host that is not loopback", bad)
		}
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-secret", "s", "-url", "http://127.0.0.1:3000/", "-rate", "500"}, io.Discard)
	if err != nil || c.rate != 500 || c.url != "http://127.0.0.1:3000" {
		t.Fatalf("parseFlags = %+v, %v", c, err)
	}
	for _, args := range [][]string{
		{"-secret", "s", "-rate", "10", "-concurrency", "4"},
		{"-secret", "s", "-rate", "0"},
		{"-secret", "s", "-n", "0"},
		{"-secret", "s", "-url", "http://10.1.1.1:3000"},
		{"-secret", "s", "extra"},
		{"-secret", "s", "-worker-url", "http://10.1.1.1:3001"},
		{"-secret", "s", "-worker-url", "127.0.0.1:3001"},
		{"-secret", "s", "-url", "http://127.0.0.1:3000", "-worker-url", "http://127.0.0.1:3000/"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	t.Setenv("GITHUB_WEBHOOK_SECRET", "")
	if _, err := parseFlags(nil, io.Discard); err == nil {
		t.Error("parseFlags accepted no secret")
	}
}

func TestParseWorkerURL(t *testing.T) {
	c, err := parseFlags([]string{"-secret", "s", "-worker-url", "http://127.0.0.1:3001/"}, io.Discard)
	if err != nil || c.workerURL != "http://127.0.0.1:3001" || c.url != "http://127.0.0.1:3000" {
		t.Fatalf("parseFlags = %+v, %v", c, err)
	}
	if c, err := parseFlags([]string{"-secret", "s"}, io.Discard); err != nil || c.workerURL != "" {
		t.Fatalf("without -worker-url: %+v, %v", c, err)
	}
	_, err = parseFlags([]string{"-secret", "s", "-worker-url", "http://example.com:3001"}, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "-worker-url ") {
		t.Fatalf("a worker that is not loopback: %v, want an error naming -worker-url", err)
	}
}

func TestReportPrintsWorkerApart(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	r := report{Mode: "closed", Concurrency: 32, Event: "issue_comment", Payload: "full", Thanks: true,
		Sent: 1000, Status: map[string]int{"202": 1000},
		ServerCPUSeconds: f(0.25), CPUPerDeliveryUS: f(250), PeakRSSBytes: f(40 << 20), LoadgenCPUPerDeliveryUS: f(45)}
	for _, c := range []struct {
		name           string
		worker         bool
		want, wantNot  []string
		jsonKeys, none []string
	}{
		{
			name:     "no worker",
			want:     []string{"  server CPU             250 µs/delivery (0.25 s in all)\n", "  server peak RSS        40.0 MiB\n", "  loadgen CPU            45 µs/delivery\n"},
			wantNot:  []string{"worker"},
			jsonKeys: []string{"server_cpu_seconds", "server_cpu_us_per_delivery", "server_peak_rss_bytes"},
			none:     []string{"worker_cpu_seconds", "worker_cpu_us_per_delivery", "worker_peak_rss_bytes"},
		},
		{
			name:   "worker",
			worker: true,
			want: []string{"  server CPU             250 µs/delivery (0.25 s in all)\n",
				"  worker CPU             1500 µs/delivery (1.50 s in all)\n", "  worker peak RSS        22.5 MiB\n"},
			jsonKeys: []string{"server_cpu_seconds", "worker_cpu_seconds", "worker_cpu_us_per_delivery", "worker_peak_rss_bytes"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := r
			if c.worker {
				r.WorkerCPUSeconds, r.WorkerCPUPerDeliveryUS, r.WorkerPeakRSSBytes = f(1.5), f(1500), f(22.5*(1<<20))
			}
			var b bytes.Buffer
			r.print(&b)
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(b.String(), w) {
					t.Errorf("report has %q:\n%s", w, b.String())
				}
			}
			if c.worker && strings.Index(b.String(), "server peak RSS") > strings.Index(b.String(), "worker CPU") {
				t.Errorf("worker figures come before the server's:\n%s", b.String())
			}
			js, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(js, &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range c.jsonKeys {
				if _, ok := m[k]; !ok {
					t.Errorf("JSON lacks %q: %s", k, js)
				}
			}
			for _, k := range c.none {
				if _, ok := m[k]; ok {
					t.Errorf("JSON has %q: %s", k, js)
				}
			}
		})
	}
}

// selfCPU counts the CPU the process spends.
func TestSelfCPU(t *testing.T) {
	before := selfCPU()
	sum := sha256.Sum256(nil)
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		sum = sha256.Sum256(sum[:])
	}
	if after := selfCPU(); after <= before {
		t.Fatalf("selfCPU = %v after %v and 50 ms of hashing; want more", after, before)
	}
}
