package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/store"
	"github.com/kudos-app/kudos/webhook"
)

const testSecret = "floor-secret"

// startFloor runs the floor at lvl until the test ends and returns its
// base URL.
func startFloor(t *testing.T, lvl level, redisURL string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, l, lvl, testSecret, redisURL) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error("shut down:", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("floor did not stop")
		}
	})
	base := "http://" + l.Addr().String()
	for range 100 {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			return base
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("floor did not start")
	return ""
}

// post sends body as delivery id of the issue_comment event, signed with
// sig, and returns the status.
func post(t *testing.T, base, id string, body []byte, sig string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+webhook.Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "issue_comment")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set(webhook.SignatureHeader, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestFloorAnswersAndStops checks the floor at its lowest level answers a
// delivery 202 without looking at it, serves the process metrics loadgen
// reads, and shuts down when told.
func TestFloorAnswersAndStops(t *testing.T) {
	base := startFloor(t, none, "")
	if got := post(t, base, "d1", []byte(`not even JSON`), "sha256=00"); got != http.StatusAccepted {
		t.Errorf("delivery answered %d; want 202", got)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_, _ = io.Copy(&b, resp.Body)
	resp.Body.Close()
	if !strings.Contains(b.String(), "process_cpu_seconds_total") {
		t.Errorf("metrics lack the process CPU loadgen reads:\n%.300s", b.String())
	}
}

// TestFloorLevelsDoTheirWork checks each level does its step of kudos's
// work, and fails a delivery as kudos would where that step fails.
func TestFloorLevelsDoTheirWork(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	body, err := payload.Raw("full/issue_comment.created")
	if err != nil {
		t.Fatal(err)
	}
	good := webhook.Sign([]byte(testSecret), body)
	ev, err := webhook.Extract("issue_comment", "floor", body)
	if err != nil {
		t.Fatal(err)
	}
	notJSON := []byte(`{"action":`)
	for _, tc := range []struct {
		lvl                  level
		badSig, malformed    int
		recordsTheDeliveryID bool
	}{
		{verify, http.StatusUnauthorized, http.StatusAccepted, false},
		{extract, http.StatusUnauthorized, http.StatusBadRequest, false},
		{record, http.StatusUnauthorized, http.StatusBadRequest, true},
	} {
		t.Run(levels[tc.lvl], func(t *testing.T) {
			base := startFloor(t, tc.lvl, srv.URL)
			id := "floor-" + levels[tc.lvl]
			if got := post(t, base, id, body, "sha256=00"); got != tc.badSig {
				t.Errorf("bad signature answered %d; want %d", got, tc.badSig)
			}
			if got := post(t, base, id+"-bad", notJSON, webhook.Sign([]byte(testSecret), notJSON)); got != tc.malformed {
				t.Errorf("malformed payload answered %d; want %d", got, tc.malformed)
			}
			if got := post(t, base, id, body, good); got != http.StatusAccepted {
				t.Errorf("signed real payload answered %d; want 202", got)
			}
			key := store.DeliveryKey(ev.InstallationID, id)
			n, err := rdb.Exists(context.Background(), key).Result()
			if err != nil {
				t.Fatal(err)
			}
			if got := n == 1; got != tc.recordsTheDeliveryID {
				t.Fatalf("delivery id %s recorded: %v; want %v", key, got, tc.recordsTheDeliveryID)
			}
			if tc.recordsTheDeliveryID {
				if ttl := rdb.TTL(context.Background(), key).Val(); ttl < store.DefaultDedupTTL-time.Minute {
					t.Errorf("delivery id kept for %v; want %v", ttl, store.DefaultDedupTTL)
				}
			}
		})
	}
}

// TestFloorRefusesAnUnknownLevel checks -work names a level.
func TestFloorRefusesAnUnknownLevel(t *testing.T) {
	if _, err := parseLevel("everything"); err == nil {
		t.Error("-work everything was accepted")
	}
	for i, name := range levels {
		if got, err := parseLevel(name); err != nil || got != level(i) {
			t.Errorf("parseLevel(%q) = %v, %v; want %v", name, got, err, level(i))
		}
	}
}
