package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kudos-app/kudos/webhook"
)

// fakeKudos answers like the webhook route: 202 for a new, correctly
// signed delivery, 200 for a repeated one.
func fakeKudos(t *testing.T, secret []byte) (*httptest.Server, func() int) {
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path != webhook.Path || webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader)) != nil || !json.Valid(body) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		id := r.Header.Get("X-GitHub-Delivery")
		if seen[id] {
			w.WriteHeader(http.StatusOK)
			return
		}
		seen[id] = true
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return len(seen) }
}

func TestClosedAndOpenLoops(t *testing.T) {
	secret := []byte("s")
	srv, accepted := fakeKudos(t, secret)
	d, err := buildDeliveries("issue_comment", "small", true, 300, 50, secret)
	if err != nil {
		t.Fatal(err)
	}
	l := newTestLoader(t, srv.URL, 5*time.Second, d)
	p := l.closed(context.Background(), 0, 200, 8, 0)
	if p.sent != 200 {
		t.Fatalf("closed loop sent %d, want 200", p.sent)
	}
	start := time.Now()
	p = l.open(context.Background(), 200, 300, 1000, 0, 16)
	if p.sent != 100 || time.Since(start) < 90*time.Millisecond {
		t.Fatalf("open loop sent %d in %v; want 100 over ~100 ms", p.sent, time.Since(start))
	}
	for i, r := range l.results {
		if !r.sent || r.status != http.StatusAccepted || r.latency <= 0 {
			t.Fatalf("delivery %d: %+v", i, r)
		}
	}
	if accepted() != 300 {
		t.Fatalf("server accepted %d distinct deliveries, want 300", accepted())
	}
	// -duration stops the open loop's schedule.
	d2, _ := buildDeliveries("issue_comment", "small", true, 1000, 50, secret)
	l2 := newTestLoader(t, srv.URL, 5*time.Second, d2)
	if p := l2.open(context.Background(), 0, 1000, 1000, 50*time.Millisecond, 16); p.sent < 30 || p.sent > 60 {
		t.Fatalf("open loop for 50 ms at 1000/s sent %d", p.sent)
	}
}

func newTestLoader(t *testing.T, base string, timeout time.Duration, d *deliveries) *loader {
	t.Helper()
	l, err := newLoader(base, timeout, d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.close)
	return l
}

// Failures group by what went wrong, not by the connection it went wrong
// on: two resets on two connections are one cause.
func TestCauseGroupsNetworkErrors(t *testing.T) {
	reset := func(port int) error {
		return &net.OpError{Op: "read", Net: "tcp",
			Source: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port},
			Addr:   &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 3000},
			Err:    syscall.ECONNRESET}
	}
	a, b := cause(reset(54321)), cause(reset(54322))
	if a != b || strings.Contains(a, "54321") {
		t.Errorf("causes %q and %q; want one, without the ports", a, b)
	}
	if got := cause(os.ErrDeadlineExceeded); got != "timeout" {
		t.Errorf("deadline cause = %q; want timeout", got)
	}
	if got := cause(errors.New("unexpected EOF")); got != "unexpected EOF" {
		t.Errorf("other cause = %q; want the error's text", got)
	}
}
