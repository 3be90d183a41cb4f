package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/kudos-app/kudos/internal/httpstack"
	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
	"github.com/kudos-app/kudos/webhook"
)

// testSecret is distinctive so a leak into the logs cannot be a coincidence.
const testSecret = "kudos-webhook-secret-7c1e94b2d0"

// ledgerKey is the ledger hash of the default PR the payload builders use,
// spelled out as the store's key layout documents it.
var ledgerKey = fmt.Sprintf("kudos:{inst:%d}:ledger:%d:%d",
	payload.DefaultInstallation, payload.DefaultRepoID, payload.DefaultNumber)

// logBuffer collects log output from concurrent handlers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// harness is one webhook server in front of a private redis-server.
type harness struct {
	redis *redistest.Server
	rdb   *redis.Client
	store *store.Store
	srv   *webhook.Server
	e     *echo.Echo
	logs  *logBuffer
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	return newHarnessLogging(tb, nil)
}

// newHarnessLogging builds the server; a nil handler logs everything, at
// debug level, to the harness's buffer.
func newHarnessLogging(tb testing.TB, handler slog.Handler) *harness {
	tb.Helper()
	rs := redistest.Start(tb)
	rdb := rs.Client(tb)
	h := &harness{redis: rs, rdb: rdb, store: store.New(rdb, store.Options{}), logs: &logBuffer{}}
	if handler == nil {
		handler = slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	srv, err := webhook.New(webhook.Options{
		Secret: []byte(testSecret),
		Store:  h.store,
		Config: recognizer.DefaultConfig(),
		Logger: slog.New(handler),
		// Fail fast once redis-server is gone.
		StoreTimeout: 2 * time.Second,
	})
	if err != nil {
		tb.Fatalf("webhook.New: %v", err)
	}
	h.srv = srv
	h.e = httpstack.Echo()
	srv.Routes(h.e)
	return h
}

// reply is the JSON body of a webhook answer.
type reply struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// delivery is one request to the webhook route.
type delivery struct {
	event, id   string
	body        []byte
	contentType string // default application/json
	// signature replaces the correct X-Hub-Signature-256; noSignature drops it.
	signature   string
	noSignature bool
}

func (d delivery) request() *http.Request {
	req := httptest.NewRequest(http.MethodPost, webhook.Path, bytes.NewReader(d.body))
	d.setHeaders(req)
	return req
}

func (d delivery) setHeaders(req *http.Request) {
	ct := d.contentType
	if ct == "" {
		ct = "application/json"
	}
	req.Header.Set("Content-Type", ct)
	if d.event != "" {
		req.Header.Set("X-GitHub-Event", d.event)
	}
	if d.id != "" {
		req.Header.Set("X-GitHub-Delivery", d.id)
	}
	switch {
	case d.noSignature:
	case d.signature != "":
		req.Header.Set(webhook.SignatureHeader, d.signature)
	default:
		req.Header.Set(webhook.SignatureHeader, webhook.Sign([]byte(testSecret), d.body))
	}
}

// send serves one request in process. A panicking handler fails the test
// instead of crashing the test binary.
func (h *harness) send(t testing.TB, req *http.Request) (rec *httptest.ResponseRecorder) {
	t.Helper()
	rec = httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s %s panicked: %v", req.Method, req.URL.Path, p)
			rec = httptest.NewRecorder()
			rec.Code = 0
		}
	}()
	h.e.ServeHTTP(rec, req)
	return rec
}

// deliver sends d and decodes the JSON answer.
func (h *harness) deliver(t testing.TB, d delivery) (int, reply) {
	t.Helper()
	rec := h.send(t, d.request())
	if rec.Code == 0 {
		return 0, reply{}
	}
	return rec.Code, decodeReply(t, rec.Header().Get("Content-Type"), rec.Body.Bytes())
}

func decodeReply(t testing.TB, contentType string, body []byte) reply {
	t.Helper()
	if !strings.HasPrefix(contentType, "application/json") {
		t.Errorf("answer Content-Type = %q; want application/json", contentType)
	}
	var r reply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("answer %q is not JSON: %v", body, err)
	}
	return r
}

func (h *harness) dbsize(t testing.TB) int64 {
	t.Helper()
	n, err := h.rdb.DBSize(context.Background()).Result()
	if err != nil {
		t.Fatalf("DBSIZE: %v", err)
	}
	return n
}

func (h *harness) queueLen(t testing.TB) int64 {
	t.Helper()
	n, err := h.rdb.XLen(context.Background(), store.QueueStream).Result()
	if err != nil {
		t.Fatalf("XLEN %s: %v", store.QueueStream, err)
	}
	return n
}

// queued reads every queued suggestion the way a worker does.
func (h *harness) queued(t testing.TB) []store.Message {
	t.Helper()
	ctx := context.Background()
	if err := h.store.EnsureGroup(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err := h.store.Read(ctx, "webhook-test", 100, 50*time.Millisecond)
	if err != nil {
		t.Fatalf("read queue: %v", err)
	}
	return msgs
}

// ledger returns the default PR's ledger, decoded as the store reads it,
// by field. Every field must decode, under its own contribution's key.
func (h *harness) ledger(t testing.TB) map[string]recognizer.Contribution {
	t.Helper()
	ctx := context.Background()
	fields, err := h.rdb.HKeys(ctx, ledgerKey).Result()
	if err != nil {
		t.Fatalf("HKEYS %s: %v", ledgerKey, err)
	}
	hist, err := h.store.History(ctx, payload.DefaultInstallation, payload.DefaultRepoID, payload.DefaultNumber)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]recognizer.Contribution, len(fields))
	for _, c := range hist.Contributions {
		out[c.Key()] = c
	}
	// The store skips an entry that does not decode.
	if len(out) != len(fields) || len(hist.Contributions) != len(fields) {
		t.Fatalf("ledger %s holds %d fields; %d decode, under %d keys", ledgerKey, len(fields), len(hist.Contributions), len(out))
	}
	for _, f := range fields {
		if _, ok := out[f]; !ok {
			t.Fatalf("ledger %s field %q holds no contribution of that key", ledgerKey, f)
		}
	}
	return out
}

func (h *harness) get(t testing.TB, path string) *httptest.ResponseRecorder {
	t.Helper()
	return h.send(t, httptest.NewRequest(http.MethodGet, path, nil))
}

// thanksComment is carol thanking bob on the default PR.
func thanksComment() []byte {
	return payload.IssueComment(payload.CommentOpts{
		Author: "carol",
		Body:   "Great catch.\n\n/thanks @bob for catching the race in the retry loop",
	})
}

func raw(t testing.TB, name string) []byte {
	t.Helper()
	b, err := payload.Raw(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhookAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		event         string
		body          []byte
		wantQueue     int64
		wantRecipient string // of the one queued suggestion's only recognition
		wantLedger    string // ledger field written
		wantKind      recognizer.ContributionKind
		wantLogin     string
	}{
		{
			name: "thanks in a PR comment", event: "issue_comment", body: thanksComment(),
			wantQueue: 1, wantRecipient: "bob",
			wantLedger: "comment:1001", wantKind: recognizer.KindComment, wantLogin: "carol",
		},
		{
			name: "thanks in a review body", event: "pull_request_review",
			body:      payload.Review(payload.ReviewOpts{Author: "carol", Body: "LGTM\n/kudos @dave for the benchmarks"}),
			wantQueue: 1, wantRecipient: "dave",
			wantLedger: "review:2001", wantKind: recognizer.KindReview, wantLogin: "carol",
		},
		{
			name: "thanks in a review comment reply", event: "pull_request_review_comment",
			body: payload.ReviewComment(payload.CommentOpts{
				ID: 3003, InReplyTo: 3001, Author: "carol", Body: "/shoutout @erin",
			}),
			wantQueue: 1, wantRecipient: "erin",
			wantLedger: "review_comment:3003", wantKind: recognizer.KindReviewComment, wantLogin: "carol",
		},
		{
			name: "review without a command", event: "pull_request_review",
			body:       payload.Review(payload.ReviewOpts{Author: "bob", State: "approved"}),
			wantLedger: "review:2001", wantKind: recognizer.KindReview, wantLogin: "bob",
		},
		{
			name: "plain comment without a command", event: "issue_comment",
			body:       payload.IssueComment(payload.CommentOpts{Author: "bob", Body: "Looks good to me"}),
			wantLedger: "comment:1001", wantKind: recognizer.KindComment, wantLogin: "bob",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code, r := h.deliver(t, delivery{event: tt.event, id: "d-" + tt.name, body: tt.body})
			if code != http.StatusAccepted || r.Status != "accepted" {
				t.Fatalf("answer = %d %+v; want 202 accepted", code, r)
			}
			if n := h.queueLen(t); n != tt.wantQueue {
				t.Errorf("queue length = %d; want %d", n, tt.wantQueue)
			}
			led := h.ledger(t)
			c, ok := led[tt.wantLedger]
			if !ok {
				t.Fatalf("ledger %s = %v; want field %s", ledgerKey, led, tt.wantLedger)
			}
			if c.Kind != tt.wantKind || c.Login != tt.wantLogin || c.HTMLURL == "" || !c.At.Equal(payload.DefaultAt) {
				t.Errorf("ledger[%s] = %+v; want a %s by %s at %v with its URL", tt.wantLedger, c, tt.wantKind, tt.wantLogin, payload.DefaultAt)
			}
			if tt.wantQueue == 0 {
				return
			}
			msgs := h.queued(t)
			if len(msgs) != 1 {
				t.Fatalf("queued messages = %d; want 1", len(msgs))
			}
			m := msgs[0]
			if m.Err != nil {
				t.Fatalf("queued message does not decode: %v", m.Err)
			}
			if m.DeliveryID != "d-"+tt.name {
				t.Errorf("queued delivery id = %q; want %q", m.DeliveryID, "d-"+tt.name)
			}
			s := m.Suggestion
			if len(s.Recognitions) != 1 || s.Recognitions[0].Recipient != tt.wantRecipient {
				t.Fatalf("queued recognitions = %+v; want one for %s", s.Recognitions, tt.wantRecipient)
			}
			if s.InstallationID != payload.DefaultInstallation || s.RepoID != payload.DefaultRepoID ||
				s.Number != payload.DefaultNumber || s.Owner != payload.DefaultOwner || s.Repo != payload.DefaultRepo || s.Giver != "carol" {
				t.Errorf("queued suggestion = %+v; want carol's on acme/widgets#42 of installation 31337", s)
			}
		})
	}
}

func TestWebhookIgnoresEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, event string
		body        []byte
	}{
		{"ping", "ping", raw(t, "ping")},
		{"push", "push", raw(t, "push")},
		{"installation created", "installation", raw(t, "installation.created")},
		{"event type Kudos has never heard of", "check_suite", []byte(`{"action":"completed"}`)},
		// Handled event types whose delivery records nothing.
		{"pull request closed unmerged", "pull_request", payload.PullRequest(payload.PROpts{Action: "closed"})},
		{"pull request labeled", "pull_request", payload.PullRequest(payload.PROpts{Action: "labeled"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code, r := h.deliver(t, delivery{event: tt.event, id: "d-1", body: tt.body})
			if code != http.StatusOK || r.Status != "ignored" {
				t.Errorf("answer = %d %+v; want 200 ignored", code, r)
			}
			if n := h.dbsize(t); n != 0 {
				t.Errorf("DBSIZE = %d after an ignored delivery; want 0", n)
			}
		})
	}
}

func TestWebhookRecordsThePRTimeline(t *testing.T) {
	t.Parallel()
	ledger := "kudos:{inst:31337}:ledger:1296269:42"
	tests := []struct {
		name, event string
		body        []byte
		wantField   string // a ledger field that must exist afterwards ("" none)
		wantQueued  int64
	}{
		{"opened", "pull_request", payload.PullRequest(payload.PROpts{}), "opened:", 0},
		{"review requested", "pull_request", payload.PullRequest(payload.PROpts{Action: "review_requested", RequestedReviewer: "bob"}), "review_requested:", 0},
		{"merged", "pull_request", payload.PullRequest(payload.PROpts{Action: "closed", Merged: true}), "merged:", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code, r := h.deliver(t, delivery{event: tt.event, id: "d-1", body: tt.body})
			if code != http.StatusAccepted {
				t.Fatalf("answer = %d %+v; want 202", code, r)
			}
			fields, err := h.rdb.HKeys(context.Background(), ledger).Result()
			if err != nil || len(fields) != 1 || !strings.HasPrefix(fields[0], tt.wantField) {
				t.Fatalf("ledger fields = %v, %v; want one %s point", fields, err, tt.wantField)
			}
			if n, _ := h.rdb.XLen(context.Background(), store.QueueStream).Result(); n != tt.wantQueued {
				t.Fatalf("queued = %d, want %d", n, tt.wantQueued)
			}
		})
	}
	t.Run("deleted comment leaves the ledger", func(t *testing.T) {
		h := newHarness(t)
		created := payload.IssueComment(payload.CommentOpts{Author: "carol", Body: "I'll take a look"})
		deleted := payload.IssueComment(payload.CommentOpts{Action: "deleted", Author: "carol", Body: "I'll take a look"})
		h.deliver(t, delivery{event: "issue_comment", id: "d-1", body: created})
		if n, _ := h.rdb.HLen(context.Background(), ledger).Result(); n != 1 {
			t.Fatalf("ledger holds %d entries after the comment, want 1", n)
		}
		if code, r := h.deliver(t, delivery{event: "issue_comment", id: "d-2", body: deleted}); code != http.StatusAccepted {
			t.Fatalf("delete: %d %+v", code, r)
		}
		if n, _ := h.rdb.HLen(context.Background(), ledger).Result(); n != 0 {
			t.Fatalf("ledger holds %d entries after the deletion, want 0", n)
		}
	})
}

func TestWebhookQueuesPurgeOnUninstall(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"installation.deleted", "installation_repositories.removed"} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			code, r := h.deliver(t, delivery{event: payload.EventType(name), id: "d-1", body: raw(t, name)})
			if code != http.StatusAccepted {
				t.Fatalf("answer = %d %+v; want 202", code, r)
			}
			if err := h.store.EnsureGroup(context.Background()); err != nil {
				t.Fatal(err)
			}
			msgs, err := h.store.Read(context.Background(), "t", 10, 50*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || msgs[0].Suggestion.Kind != recognizer.KindPurge {
				t.Fatalf("queued %+v; want one purge job", msgs)
			}
		})
	}
}

func TestWebhookDuplicateDelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	d := delivery{event: "issue_comment", id: "72d3162e-cc78-11e3-81ab-4c9367dc0958", body: thanksComment()}
	steps := []struct {
		name       string
		wantCode   int
		wantStatus string
	}{
		{"first delivery", http.StatusAccepted, "accepted"},
		{"redelivery", http.StatusOK, "duplicate"},
		{"second redelivery", http.StatusOK, "duplicate"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, r := h.deliver(t, d)
			if code != s.wantCode || r.Status != s.wantStatus {
				t.Errorf("answer = %d %+v; want %d %s", code, r, s.wantCode, s.wantStatus)
			}
			if n := h.queueLen(t); n != 1 {
				t.Errorf("queue length = %d; want 1", n)
			}
		})
	}
}

func TestWebhookSameCommentUnderNewDeliveryIDs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := thanksComment()
	for _, id := range []string{"d-a", "d-b", "d-c"} {
		t.Run(id, func(t *testing.T) {
			code, r := h.deliver(t, delivery{event: "issue_comment", id: id, body: body})
			if code != http.StatusAccepted || r.Status != "accepted" {
				t.Errorf("answer = %d %+v; want 202 accepted", code, r)
			}
		})
	}
	// The worker de-duplicates by recognition id; every copy carries the same one.
	ids := map[string]bool{}
	for _, m := range h.queued(t) {
		for _, rc := range m.Suggestion.Recognitions {
			ids[rc.ID] = true
		}
	}
	if len(ids) != 1 {
		t.Errorf("distinct recognition ids queued = %v; want exactly one", ids)
	}
}

func TestWebhookRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	body := thanksComment()
	good := webhook.Sign([]byte(testSecret), body)
	sha1Mac := hmac.New(sha1.New, []byte(testSecret))
	sha1Mac.Write(body)
	tests := []struct {
		name string
		d    delivery
	}{
		{"missing signature", delivery{noSignature: true}},
		{"signature of another body", delivery{signature: webhook.Sign([]byte(testSecret), []byte(`{"action":"created"}`))}},
		{"signature with the wrong secret", delivery{signature: webhook.Sign([]byte("not-the-secret"), body)}},
		{"sha1 signature", delivery{signature: "sha1=" + hex.EncodeToString(sha1Mac.Sum(nil))}},
		{"non-hex signature", delivery{signature: "sha256=" + strings.Repeat("zz", 32)}},
		{"truncated signature", delivery{signature: good[:len(good)-2]}},
		{"signature without prefix", delivery{signature: strings.TrimPrefix(good, "sha256=")}},
		{"empty sha256 value", delivery{signature: "sha256="}},
		{"the secret itself", delivery{signature: "sha256=" + testSecret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			d := tt.d
			d.event, d.id, d.body = "issue_comment", "d-1", body
			code, r := h.deliver(t, d)
			if code != http.StatusUnauthorized || r.Status != "rejected" {
				t.Errorf("answer = %d %+v; want 401 rejected", code, r)
			}
			if n := h.dbsize(t); n != 0 {
				t.Errorf("DBSIZE = %d after a rejected delivery; want 0", n)
			}
		})
	}
}

// withoutKeys re-encodes a payload with top-level keys removed.
func withoutKeys(t testing.TB, body []byte, keys ...string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		delete(m, k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhookRejectsMalformed(t *testing.T) {
	t.Parallel()
	thanks := thanksComment()
	tests := []struct {
		name string
		d    delivery
	}{
		{"truncated JSON", delivery{event: "issue_comment", id: "d-1", body: thanks[:len(thanks)/2]}},
		{"not JSON at all", delivery{event: "pull_request_review", id: "d-1", body: []byte("<html>hi</html>")}},
		{"JSON array", delivery{event: "pull_request", id: "d-1", body: []byte(`[1,2]`)}},
		{"empty body", delivery{event: "issue_comment", id: "d-1", body: []byte{}}},
		{"comment without installation", delivery{event: "issue_comment", id: "d-1", body: withoutKeys(t, thanks, "installation")}},
		{"comment without repository", delivery{event: "issue_comment", id: "d-1", body: withoutKeys(t, thanks, "repository")}},
		{"review without installation and repository", delivery{event: "pull_request_review", id: "d-1",
			body: withoutKeys(t, payload.Review(payload.ReviewOpts{Body: "/thanks @carol"}), "installation", "repository")}},
		{"missing X-GitHub-Delivery", delivery{event: "issue_comment", body: thanks}},
		{"missing X-GitHub-Event", delivery{id: "d-1", body: thanks}},
		{"form without payload field", delivery{event: "issue_comment", id: "d-1",
			contentType: "application/x-www-form-urlencoded", body: []byte("other=" + url.QueryEscape(string(thanks)))}},
		{"form with bad escaping", delivery{event: "issue_comment", id: "d-1",
			contentType: "application/x-www-form-urlencoded", body: []byte("payload=%zz")}},
		// BUG: a signed issue_comment whose payload lacks "issue" makes
		// Normalize call (*github.Issue)(nil).IsPullRequest() and panic.
		{"comment without issue", delivery{event: "issue_comment", id: "d-1", body: withoutKeys(t, thanks, "issue")}},
		{"empty JSON object as a comment", delivery{event: "issue_comment", id: "d-1", body: []byte(`{}`)}},
		// BUG: a JSON null decodes to a nil event, which Normalize reports as
		// an unhandled event type: 200 "ignored" instead of 400.
		{"JSON null as a comment", delivery{event: "issue_comment", id: "d-1", body: []byte(`null`)}},
		{"JSON null as a review", delivery{event: "pull_request_review", id: "d-1", body: []byte(`null`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code, r := h.deliver(t, tt.d)
			if code != http.StatusBadRequest || r.Status != "rejected" {
				t.Errorf("answer = %d %+v; want 400 rejected", code, r)
			}
			if n := h.dbsize(t); n != 0 {
				t.Errorf("DBSIZE = %d after a malformed delivery; want 0", n)
			}
		})
	}
}

func TestWebhookBodySizeLimit(t *testing.T) {
	t.Parallel()
	thanks := thanksComment()
	// Valid JSON padded with trailing whitespace to exactly MaxBody bytes.
	atLimit := make([]byte, webhook.MaxBody)
	copy(atLimit, thanks)
	for i := len(thanks); i < len(atLimit); i++ {
		atLimit[i] = ' '
	}
	overLimit := append(append([]byte(nil), atLimit...), ' ')
	tests := []struct {
		name       string
		body       []byte
		wantCode   int
		wantStatus string
		wantEmpty  bool
	}{
		{"MaxBody bytes", atLimit, http.StatusAccepted, "accepted", false},
		{"MaxBody+1 bytes", overLimit, http.StatusRequestEntityTooLarge, "rejected", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code, r := h.deliver(t, delivery{event: "issue_comment", id: "d-big", body: tt.body})
			if code != tt.wantCode || r.Status != tt.wantStatus {
				t.Errorf("answer to %d bytes = %d %+v; want %d %s", len(tt.body), code, r, tt.wantCode, tt.wantStatus)
			}
			if n := h.dbsize(t); (n == 0) != tt.wantEmpty {
				t.Errorf("DBSIZE = %d; want empty=%v", n, tt.wantEmpty)
			}
		})
	}
}

func TestWebhookFormEncoded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	form := []byte("payload=" + url.QueryEscape(string(thanksComment())))
	code, r := h.deliver(t, delivery{
		event: "issue_comment", id: "d-form", body: form,
		contentType: "application/x-www-form-urlencoded",
	})
	if code != http.StatusAccepted || r.Status != "accepted" {
		t.Fatalf("answer = %d %+v; want 202 accepted", code, r)
	}
	msgs := h.queued(t)
	if len(msgs) != 1 || len(msgs[0].Suggestion.Recognitions) != 1 || msgs[0].Suggestion.Recognitions[0].Recipient != "bob" {
		t.Errorf("queued = %+v; want one thanks for bob", msgs)
	}
}

func TestWebhookRedisGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if rec := h.get(t, "/readyz"); rec.Code != http.StatusOK {
		t.Fatalf("GET /readyz with redis up = %d; want 200", rec.Code)
	}
	if err := h.redis.Stop(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		d    delivery
	}{
		{"thanks comment", delivery{event: "issue_comment", id: "d-1", body: thanksComment()}},
		{"review without command", delivery{event: "pull_request_review", id: "d-2", body: payload.Review(payload.ReviewOpts{})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, r := h.deliver(t, tt.d)
			if code != http.StatusServiceUnavailable || r.Status != "retry" {
				t.Errorf("answer with redis gone = %d %+v; want 503 retry", code, r)
			}
		})
	}
	t.Run("readyz", func(t *testing.T) {
		if rec := h.get(t, "/readyz"); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz with redis gone = %d; want 503", rec.Code)
		}
	})
	t.Run("healthz", func(t *testing.T) {
		if rec := h.get(t, "/healthz"); rec.Code != http.StatusOK {
			t.Errorf("GET /healthz with redis gone = %d; want 200", rec.Code)
		}
	})
	// Ignored events and bad signatures never need Redis.
	t.Run("ping still ignored", func(t *testing.T) {
		code, r := h.deliver(t, delivery{event: "ping", id: "d-3", body: raw(t, "ping")})
		if code != http.StatusOK || r.Status != "ignored" {
			t.Errorf("ping with redis gone = %d %+v; want 200 ignored", code, r)
		}
	})
}

func TestHealthRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Counters appear in /metrics once a delivery has been counted.
	if code, _ := h.deliver(t, delivery{event: "issue_comment", id: "d-1", body: thanksComment()}); code != http.StatusAccepted {
		t.Fatalf("delivery = %d; want 202", code)
	}
	tests := []struct {
		path         string
		wantCode     int
		wantContains []string
	}{
		{"/healthz", http.StatusOK, nil},
		{"/readyz", http.StatusOK, nil},
		{"/metrics", http.StatusOK, []string{"kudos_webhook_deliveries_total", "kudos_webhook_ack_seconds"}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.path, "/"), func(t *testing.T) {
			rec := h.get(t, tt.path)
			if rec.Code != tt.wantCode {
				t.Errorf("GET %s = %d; want %d", tt.path, rec.Code, tt.wantCode)
			}
			for _, s := range tt.wantContains {
				if !strings.Contains(rec.Body.String(), s) {
					t.Errorf("GET %s body lacks %q:\n%s", tt.path, s, rec.Body.String())
				}
			}
		})
	}
}

// TestHealthRoutesAlone covers the routes a worker-only process serves.
// BUG (latent, no caller passes nil today): HealthRoutes does not default a
// nil registry or logger the way New does, so GET /metrics dereferences a
// nil *prometheus.Registry and GET /readyz with Redis down a nil *slog.Logger.
func TestHealthRoutesAlone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		reg  *prometheus.Registry
		log  *slog.Logger
	}{
		{"with registry and logger", prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil))},
		{"nil registry and logger", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := redistest.Start(t)
			h := &harness{redis: rs, e: httpstack.Echo()}
			webhook.HealthRoutes(h.e, store.New(rs.Client(t), store.Options{}), tt.reg, tt.log)
			for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
				if rec := h.get(t, p); rec.Code != http.StatusOK {
					t.Errorf("GET %s = %d; want 200", p, rec.Code)
				}
			}
			if code := h.send(t, delivery{event: "ping", id: "d", body: raw(t, "ping")}.request()).Code; code != http.StatusNotFound && code != http.StatusMethodNotAllowed {
				t.Errorf("POST %s on a worker = %d; want no webhook route", webhook.Path, code)
			}
			if err := rs.Stop(); err != nil {
				t.Fatal(err)
			}
			if rec := h.get(t, "/readyz"); rec.Code != http.StatusServiceUnavailable {
				t.Errorf("GET /readyz with redis gone = %d; want 503", rec.Code)
			}
		})
	}
}

// TestWebhookOverHTTP drives the routes through a real HTTP server.
func TestWebhookOverHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ts := httptest.NewServer(h.e)
	defer ts.Close()
	client := &http.Client{Timeout: 10 * time.Second}

	post := func(t *testing.T, d delivery) (int, reply) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, ts.URL+webhook.Path, bytes.NewReader(d.body))
		if err != nil {
			t.Fatal(err)
		}
		d.setHeaders(req)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST: %v", err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, decodeReply(t, resp.Header.Get("Content-Type"), b)
	}
	get := func(t *testing.T, path string) (int, string) {
		t.Helper()
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	thanks := thanksComment()
	deliveries := []struct {
		name       string
		d          delivery
		wantCode   int
		wantStatus string
	}{
		{"thanks", delivery{event: "issue_comment", id: "h-1", body: thanks}, http.StatusAccepted, "accepted"},
		{"redelivery", delivery{event: "issue_comment", id: "h-1", body: thanks}, http.StatusOK, "duplicate"},
		{"ping", delivery{event: "ping", id: "h-2", body: raw(t, "ping")}, http.StatusOK, "ignored"},
		{"wrong secret", delivery{event: "issue_comment", id: "h-3", body: thanks,
			signature: webhook.Sign([]byte("nope"), thanks)}, http.StatusUnauthorized, "rejected"},
		{"malformed", delivery{event: "issue_comment", id: "h-4", body: []byte(`{"action":`)}, http.StatusBadRequest, "rejected"},
	}
	for _, tt := range deliveries {
		t.Run(tt.name, func(t *testing.T) {
			code, r := post(t, tt.d)
			if code != tt.wantCode || r.Status != tt.wantStatus {
				t.Errorf("answer = %d %+v; want %d %s", code, r, tt.wantCode, tt.wantStatus)
			}
		})
	}
	if n := h.queueLen(t); n != 1 {
		t.Errorf("queue length = %d; want 1", n)
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		t.Run("GET "+p, func(t *testing.T) {
			code, body := get(t, p)
			if code != http.StatusOK {
				t.Errorf("GET %s = %d; want 200", p, code)
			}
			if p == "/metrics" && !strings.Contains(body, "kudos_webhook_deliveries_total") {
				t.Errorf("/metrics lacks kudos_webhook_deliveries_total:\n%s", body)
			}
		})
	}
	if err := h.redis.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Run("readyz after redis stops", func(t *testing.T) {
		if code, _ := get(t, "/readyz"); code != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz = %d; want 503", code)
		}
	})
	t.Run("delivery after redis stops", func(t *testing.T) {
		code, r := post(t, delivery{event: "issue_comment", id: "h-5", body: thanks})
		if code != http.StatusServiceUnavailable || r.Status != "retry" {
			t.Errorf("answer = %d %+v; want 503 retry", code, r)
		}
	})
}

func TestSecretNeverLogged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	thanks := thanksComment()
	secretHex := hex.EncodeToString([]byte(testSecret))
	for i, d := range []delivery{
		{event: "issue_comment", id: "s-1", body: thanks},
		{event: "issue_comment", id: "s-1", body: thanks},
		{event: "pull_request_review", id: "s-2", body: payload.Review(payload.ReviewOpts{})},
		{event: "ping", id: "s-3", body: raw(t, "ping")},
		{event: "issue_comment", id: "s-4", body: thanks, noSignature: true},
		{event: "issue_comment", id: "s-5", body: thanks, signature: webhook.Sign([]byte("wrong"), thanks)},
		{event: "issue_comment", id: "s-6", body: thanks, signature: "sha256=" + testSecret},
		{event: "issue_comment", id: "s-7", body: []byte(`{"action":`)},
		{event: "issue_comment", body: thanks},
	} {
		rec := h.send(t, d.request())
		if strings.Contains(rec.Body.String(), testSecret) {
			t.Errorf("answer to delivery %d carries the secret: %s", i, rec.Body.String())
		}
	}
	_ = h.get(t, "/readyz")
	if err := h.redis.Stop(); err != nil {
		t.Fatal(err)
	}
	_ = h.send(t, delivery{event: "issue_comment", id: "s-8", body: thanks}.request())
	_ = h.get(t, "/readyz")

	logs := h.logs.String()
	if !strings.Contains(logs, "s-5") || !strings.Contains(logs, "accepted") {
		t.Fatalf("log capture looks empty; got:\n%s", logs)
	}
	for _, s := range []string{testSecret, secretHex} {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain the webhook secret (%q):\n%s", s, logs)
		}
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	st := store.New(rs.Client(t), store.Options{})
	tests := []struct {
		name string
		opts webhook.Options
	}{
		{"nil secret", webhook.Options{Store: st}},
		{"empty secret", webhook.Options{Secret: []byte{}, Store: st}},
		{"no store", webhook.Options{Secret: []byte(testSecret)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := webhook.New(tt.opts)
			if err == nil || srv != nil {
				t.Errorf("New = %v, %v; want an error and no server", srv, err)
			}
		})
	}
}

// TestMetricsLabelsBoundedForUnauthenticatedCallers: the deliveries counter
// is labelled with the raw X-GitHub-Event header before the signature is
// checked, so anyone who can reach the port can mint new time series.
// BUG: webhook.(*Server).handle uses the unverified header as a label value.
func TestMetricsLabelsBoundedForUnauthenticatedCallers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const n = 50
	for i := range n {
		d := delivery{event: "junk-" + strconv.Itoa(i), id: "x", body: []byte(`{}`), noSignature: true}
		if code, _ := h.deliver(t, d); code != http.StatusUnauthorized {
			t.Fatalf("unsigned delivery = %d; want 401", code)
		}
	}
	body := h.get(t, "/metrics").Body.String()
	series := 0
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "kudos_webhook_deliveries_total{") && strings.Contains(line, `event="junk-`) {
			series++
		}
	}
	if series > 1 {
		t.Errorf("%d unsigned requests created %d kudos_webhook_deliveries_total series labelled with their made-up X-GitHub-Event; want the label bounded (e.g. \"unverified\" or a fixed set of known events)", n, series)
	}
}

// thanksFull is the real 16 KB issue_comment example carrying a command.
func thanksFull(tb testing.TB) []byte {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw(tb, "full/issue_comment.created"), &m); err != nil {
		tb.Fatal(err)
	}
	m["comment"].(map[string]any)["body"] = "/thanks @bob for catching the race"
	b, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestThanksFullPayload(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	code, r := h.deliver(t, delivery{event: "issue_comment", id: "full-1", body: thanksFull(t)})
	if code != http.StatusAccepted {
		t.Fatalf("answer = %d %+v; want 202", code, r)
	}
	msgs := h.queued(t)
	if len(msgs) != 1 || len(msgs[0].Suggestion.Recognitions) != 1 || msgs[0].Suggestion.Recognitions[0].Recipient != "bob" {
		t.Fatalf("queued = %+v; want one thanks for bob", msgs)
	}
}

// BenchmarkWebhookPath is the whole webhook path in process, from the
// request to the ack, per event type: signature, reading, recognising and
// the store's round trips to a real redis-server.
func BenchmarkWebhookPath(b *testing.B) {
	plain := raw(b, "full/issue_comment.created")
	cases := []struct {
		name, event string
		body        []byte
	}{
		{"issue_comment/thanks", "issue_comment", thanksFull(b)},
		{"issue_comment/plain", "issue_comment", plain},
		{"pull_request_review", "pull_request_review", payload.Review(payload.ReviewOpts{Body: "Looks good."})},
		{"pull_request_review_comment", "pull_request_review_comment", payload.ReviewComment(payload.CommentOpts{Body: "nit: rename this"})},
		{"pull_request/merged", "pull_request", payload.PullRequest(payload.PROpts{Action: "closed", Merged: true})},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := newHarnessLogging(b, slog.NewTextHandler(io.Discard, nil))
			sig := webhook.Sign([]byte(testSecret), c.body)
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, webhook.Path, bytes.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-GitHub-Event", c.event)
				req.Header.Set("X-GitHub-Delivery", "bench-"+strconv.Itoa(i))
				req.Header.Set(webhook.SignatureHeader, sig)
				rec := httptest.NewRecorder()
				h.e.ServeHTTP(rec, req)
				if rec.Code != http.StatusAccepted {
					b.Fatalf("answer = %d %s; want 202", rec.Code, rec.Body)
				}
				i++
			}
		})
	}
}

func BenchmarkStages(b *testing.B) {
	body := thanksFull(b)
	secret := []byte(testSecret)
	sig := webhook.Sign(secret, body)
	ev, err := webhook.Extract("issue_comment", "bench", body) // as the server reads payloads
	if err != nil {
		b.Fatal(err)
	}
	cfg := recognizer.DefaultConfig()
	now := payload.DefaultAt
	b.Run("Verify", func(b *testing.B) {
		v := webhook.NewVerifier(secret) // as the server checks signatures
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if err := v.Verify(body, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Extract", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := webhook.Extract("issue_comment", "bench", body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Recognize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res := recognizer.Recognize(ev, recognizer.History{}, cfg, now)
			if res.Suggestion == nil {
				b.Fatalf("no suggestion: %s", res.Why)
			}
		}
	})
}
