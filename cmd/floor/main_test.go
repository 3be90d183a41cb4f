package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/webhook"
)

// TestFloorAnswersAndStops checks the floor answers a delivery 202, serves
// the process metrics loadgen reads, and shuts down when told.
func TestFloorAnswersAndStops(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, addr) }()
	base := "http://" + addr
	var resp *http.Response
	for range 50 {
		if resp, err = http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal("floor did not start:", err)
	}
	resp, err = http.Post(base+webhook.Path, "application/json", strings.NewReader(`{"action":"created"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("delivery answered %d; want 202", resp.StatusCode)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	resp.Body.Close()
	if !strings.Contains(b.String(), "process_cpu_seconds_total") {
		t.Errorf("metrics lack the process CPU loadgen reads:\n%.300s", b.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal("shut down:", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("floor did not stop")
	}
}
