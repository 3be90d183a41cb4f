package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kudos-app/kudos/action"
	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/store"
	"github.com/kudos-app/kudos/webhook"
)

const (
	testAppID  = 777
	testSecret = "e2e-webhook-secret-do-not-log"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func appKey(t testing.TB) (*rsa.PrivateKey, string) {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey, string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey)}))
}

// env is one Kudos deployment under test: a private Redis, a fake GitHub
// and the app's real HTTP handler and worker.
type env struct {
	t     testing.TB
	redis *redistest.Server
	gh    *fakegithub.Server
	store *store.Store
	url   string
	logs  *syncBuffer
}

func newEnv(t testing.TB, role string) *env {
	t.Helper()
	return newEnvWith(t, serveConfig{Role: role})
}

// newEnvWith starts an app with cfg's role and dry-run setting.
func newEnvWith(t testing.TB, cfg serveConfig, fakeOpts ...func(*fakegithub.Options)) *env {
	t.Helper()
	key, pemKey := appKey(t)
	e := &env{t: t, redis: redistest.Start(t), logs: &syncBuffer{}}
	opts := fakegithub.Options{AppID: testAppID, PublicKey: &key.PublicKey}
	for _, o := range fakeOpts {
		o(&opts)
	}
	e.gh = fakegithub.New(opts)
	t.Cleanup(e.gh.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("app logs:\n%s", e.logs.String())
		}
	})
	a, err := newApp(context.Background(), appConfig{
		serve: serveConfig{
			AppID: testAppID, PrivateKey: pemKey, WebhookSecret: testSecret, APIURL: e.gh.URL,
			RedisURL: e.redis.URL, Addr: "127.0.0.1:0", Role: cfg.Role, DryRun: cfg.DryRun, ReclaimAfter: time.Second,
			WriteGap: time.Millisecond,
		},
		log:    slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		worker: action.WorkerOptions{Block: 200 * time.Millisecond, ReclaimEvery: 100 * time.Millisecond},
		// The payloads happen in week 2026-W47; the scheduler's clock stays
		// inside it, so no summary falls due during a test.
		scheduler: action.SchedulerOptions{Now: func() time.Time { return payload.DefaultAt }},
		retry:     action.RetryPolicy{Attempts: 3, Base: 20 * time.Millisecond, MaxWait: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.url, e.store = a.URL(), a.store
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app stopped with %v", err)
		}
		if strings.Contains(e.logs.String(), testSecret) {
			t.Error("the webhook secret reached the logs")
		}
	})
	return e
}

// send signs body like GitHub and delivers it.
func send(t testing.TB, url, event, delivery string, body []byte, secret string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+webhook.Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	if secret != "" {
		req.Header.Set(webhook.SignatureHeader, webhook.Sign([]byte(secret), body))
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("deliver %s: %v", delivery, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func (e *env) send(event, delivery string, body []byte) int {
	e.t.Helper()
	return send(e.t, e.url, event, delivery, body, testSecret)
}

// drained waits until every queued suggestion has been acknowledged.
func (e *env) drained() {
	e.t.Helper()
	waitFor(e.t, 10*time.Second, "the queue to drain", func() bool {
		n, err := e.store.Client().XLen(context.Background(), store.QueueStream).Result()
		return err == nil && n == 0
	})
}

func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// bobsReviewComment is bob's comment on the diff that the thanks link to.
func bobsReviewComment() []byte {
	return payload.ReviewComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "`attempts++` runs outside the mutex."})
}

func aliceThanksBob(commentID int64) []byte {
	return payload.IssueComment(payload.CommentOpts{ID: commentID, Author: "alice",
		Body: "Fixed!\n\n/thanks @bob for catching the race in the retry loop"})
}

func TestThanksEndToEnd(t *testing.T) {
	e := newEnv(t, "all")
	if got := e.send("pull_request_review_comment", "d-1", bobsReviewComment()); got != http.StatusAccepted {
		t.Fatalf("review comment: %d, want 202", got)
	}
	if got := e.send("issue_comment", "d-2", aliceThanksBob(3001)); got != http.StatusAccepted {
		t.Fatalf("/thanks: %d, want 202", got)
	}
	waitFor(t, 5*time.Second, "the reply", func() bool { return len(e.gh.Created()) > 0 })
	e.drained()
	got := e.gh.Created()
	if len(got) != 1 {
		t.Fatalf("replies = %d, want exactly 1:\n%s", len(got), e.gh.String())
	}
	body := got[0].Body
	for _, want := range []string{
		"**alice** thanks @bob for catching the race in the retry loop",
		"(https://github.com/acme/widgets/pull/42#discussion_r1002)",
		"<!-- kudos:",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("reply lacks %q:\n%s", want, body)
		}
	}
	if got[0].Number != 42 || got[0].Kind != fakegithub.KindIssue || got[0].Token == "" {
		t.Errorf("reply posted as %+v; want an issue comment on #42 with an installation token", got[0])
	}
}

func TestDuplicatesYieldOneReply(t *testing.T) {
	e := newEnv(t, "all")
	body := aliceThanksBob(3001)
	want := []int{http.StatusAccepted, http.StatusOK, http.StatusOK}
	for i := range 3 {
		if got := e.send("issue_comment", "same-delivery", body); got != want[i] {
			t.Fatalf("delivery %d of the same id: %d, want %d", i+1, got, want[i])
		}
	}
	for i := range 3 {
		if got := e.send("issue_comment", fmt.Sprintf("redelivered-%d", i), body); got != http.StatusAccepted {
			t.Fatalf("same comment under a new delivery id: %d, want 202", got)
		}
	}
	e.drained()
	if n := len(e.gh.Created()); n != 1 {
		t.Fatalf("replies = %d, want 1:\n%s", n, e.gh.String())
	}
}

func TestBadInputQueuesNothing(t *testing.T) {
	e := newEnv(t, "all")
	body := aliceThanksBob(3001)
	if got := send(t, e.url, "issue_comment", "d-1", body, "wrong-secret"); got != http.StatusUnauthorized {
		t.Fatalf("bad signature: %d, want 401", got)
	}
	if got := send(t, e.url, "issue_comment", "d-2", body, ""); got != http.StatusUnauthorized {
		t.Fatalf("missing signature: %d, want 401", got)
	}
	if got := e.send("issue_comment", "d-3", []byte(`{"action":"created","comment":`)); got != http.StatusBadRequest {
		t.Fatalf("malformed JSON: %d, want 400", got)
	}
	time.Sleep(300 * time.Millisecond)
	ctx := context.Background()
	if n, _ := e.store.Client().XLen(ctx, store.QueueStream).Result(); n != 0 {
		t.Fatalf("queue holds %d entries after bad input", n)
	}
	if keys, _ := e.store.Client().Keys(ctx, "kudos:{inst:*").Result(); len(keys) != 0 {
		t.Fatalf("bad input wrote %v", keys)
	}
	if n := len(e.gh.Requests()); n != 0 {
		t.Fatalf("GitHub saw %d requests after bad input", n)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	e := newEnvWith(t, serveConfig{Role: "all", DryRun: true})
	if got := e.send("issue_comment", "d-1", aliceThanksBob(3001)); got != http.StatusAccepted {
		t.Fatalf("/thanks: %d, want 202", got)
	}
	e.drained()
	if n := len(e.gh.Requests()); n != 0 {
		t.Fatalf("dry run sent %d requests to GitHub", n)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "dry run: would post comment") || !strings.Contains(logs, "catching the race") {
		t.Fatalf("dry run did not log the write it would have made:\n%s", logs)
	}
}

// TestWorkerKilledBetweenPostAndAck kills a real `kudos serve` worker
// process after GitHub stored its reply but before it could record or
// acknowledge it; another worker reclaims the suggestion, finds the
// marker and does not post again.
func TestWorkerKilledBetweenPostAndAck(t *testing.T) {
	bin := buildKudos(t)
	e := newEnv(t, "web")
	posted := make(chan struct{})
	var once sync.Once
	e.gh.OnCreate(func(ctx context.Context, c fakegithub.Comment) {
		once.Do(func() { close(posted) })
		<-ctx.Done() // the answer never reaches the worker
	})

	doomed := startServe(t, bin, e, "worker")
	if got := e.send("issue_comment", "d-1", aliceThanksBob(3001)); got != http.StatusAccepted {
		t.Fatalf("/thanks: %d, want 202", got)
	}
	select {
	case <-posted:
	case <-time.After(15 * time.Second):
		t.Fatalf("the worker never posted; its logs:\n%s", doomed.logs.String())
	}
	if err := doomed.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = doomed.cmd.Wait()
	e.gh.OnCreate(nil)
	if n, _ := e.store.Pending(context.Background()); n != 1 {
		t.Fatalf("pending after the kill = %d, want 1", n)
	}

	startServe(t, bin, e, "worker")
	e.drained()
	if n := len(e.gh.Created()); n != 1 {
		t.Fatalf("replies = %d, want 1:\n%s", n, e.gh.String())
	}
	if n := e.gh.Count(http.MethodGet, "/repos/acme/widgets/issues/42/comments"); n < 1 {
		t.Fatal("the second worker did not look for the first one's reply before deciding")
	}
	// The reply found is recorded as a post is: its recognition is kept
	// for the summaries.
	recs, err := e.store.Recognitions(context.Background(), payload.DefaultInstallation, payload.DefaultRepoID, time.Time{}, time.Time{})
	if err != nil || len(recs) != 1 || recs[0].Recipient != "bob" {
		t.Errorf("recognitions kept = %+v, %v; want bob's one", recs, err)
	}
}

// TestServeAnswersSignedThanks runs the real binary as users do: `kudos
// serve` with the design's environment against a real Redis and a fake
// GitHub, and checks one correct reply arrives within seconds.
func TestServeAnswersSignedThanks(t *testing.T) {
	bin := buildKudos(t)
	e := newEnv(t, "web") // only for its Redis and fake GitHub
	srv := startServe(t, bin, e, "all")
	if got := send(t, srv.url, "pull_request_review_comment", "s-1", bobsReviewComment(), testSecret); got != http.StatusAccepted {
		t.Fatalf("review comment: %d", got)
	}
	start := time.Now()
	if got := send(t, srv.url, "issue_comment", "s-2", aliceThanksBob(3001), testSecret); got != http.StatusAccepted {
		t.Fatalf("/thanks: %d", got)
	}
	waitFor(t, 5*time.Second, "the reply", func() bool { return len(e.gh.Created()) == 1 })
	t.Logf("reply posted %v after the delivery", time.Since(start).Round(time.Millisecond))
	e.drained()
	c := e.gh.Created()
	if len(c) != 1 || !strings.Contains(c[0].Body, "#discussion_r1002") {
		t.Fatalf("replies:\n%s", e.gh.String())
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(srv.url + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %v, %v", path, resp, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	_, pemKey := appKey(t)
	logs := srv.logs.String()
	for _, secret := range []string{testSecret, strings.Split(pemKey, "\n")[1]} {
		if strings.Contains(logs, secret) {
			t.Errorf("a secret reached the logs:\n%s", logs)
		}
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildKudos builds the kudos binary once for the package's tests.
func buildKudos(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kudos-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "kudos")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type served struct {
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
}

// startServe runs `kudos serve` in role against e's Redis and fake GitHub
// and waits until it listens.
func startServe(t *testing.T, bin string, e *env, role string) *served {
	t.Helper()
	_, pemKey := appKey(t)
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(pemKey), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		fmt.Sprintf("GITHUB_APP_ID=%d", testAppID),
		"GITHUB_PRIVATE_KEY_PATH="+keyFile,
		"GITHUB_WEBHOOK_SECRET="+testSecret,
		"GITHUB_API_URL="+e.gh.URL,
		"REDIS_URL="+e.redis.URL,
		"KUDOS_ADDR=127.0.0.1:0",
		"KUDOS_ROLE="+role,
		"KUDOS_RECLAIM_AFTER=1s",
		"KUDOS_WRITE_GAP=1ms",
	)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, logs: &syncBuffer{}}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.logs.Write([]byte(line + "\n"))
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				addr <- rec.Addr
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("kudos serve (%s) logs:\n%s", role, s.logs.String())
		}
	})
	select {
	case a := <-addr:
		s.url = "http://" + a
	case <-time.After(15 * time.Second):
		t.Fatalf("kudos serve did not start; logs:\n%s", s.logs.String())
	}
	return s
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
