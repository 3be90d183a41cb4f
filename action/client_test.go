package action

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCreateCommentUsesOneCachedInstallationToken(t *testing.T) {
	ctx := context.Background()
	gh, client := newFakeGitHub(t, "")
	for i := range 3 {
		posted, err := client.CreateComment(ctx, 31337, "acme", "widgets", 42, fmt.Sprintf("hello %d", i))
		if err != nil {
			t.Fatalf("CreateComment: %v", err)
		}
		if !strings.HasPrefix(posted.URL, "https://github.com/acme/widgets/pull/42#issuecomment-") || posted.ID == 0 || posted.Kind != "issue" {
			t.Fatalf("CreateComment = %+v", posted)
		}
	}
	if n := gh.TokensIssued(); n != 1 {
		t.Errorf("tokens issued = %d; want 1, cached across calls", n)
	}
	if n := len(gh.Created()); n != 3 {
		t.Errorf("comments created = %d, want 3", n)
	}
	for _, r := range gh.Requests() {
		if strings.HasPrefix(r.Path, "/repos/") && r.Token == "" {
			t.Errorf("request %s %s carried no installation token", r.Method, r.Path)
		}
	}
}

func TestEnterpriseAPIPath(t *testing.T) {
	// GitHub Enterprise Server serves the REST API, token endpoint
	// included, under /api/v3: put the fake behind that prefix.
	ctx := context.Background()
	gh, _ := newFakeGitHub(t, "")
	target, _ := url.Parse(gh.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	ghes := httptest.NewServer(http.StripPrefix("/api/v3", proxy))
	t.Cleanup(ghes.Close)
	_, pemKey := appKey(t)
	client, err := NewGitHub(GitHubOptions{AppID: testAppID, PrivateKey: pemKey, APIURL: ghes.URL + "/api/v3", Retry: fastRetry, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateComment(ctx, 7, "acme", "widgets", 42, "hello GHES"); err != nil {
		t.Fatalf("CreateComment through /api/v3: %v", err)
	}
	if gh.TokensIssued() != 1 || len(gh.Created()) != 1 {
		t.Fatalf("tokens = %d, comments = %d; want 1 and 1", gh.TokensIssued(), len(gh.Created()))
	}
}

func TestReplyToReviewComment(t *testing.T) {
	ctx := context.Background()
	gh, client := newFakeGitHub(t, "")
	gh.AddReviewComment("acme", "widgets", 42, 1002, "bob", "attempts++ races", 0)
	posted, err := client.ReplyToReviewComment(ctx, 7, "acme", "widgets", 42, 1002, "thanks in the thread")
	if err != nil {
		t.Fatal(err)
	}
	got := gh.Created()
	if len(got) != 1 || got[0].InReplyTo != 1002 || !strings.Contains(posted.URL, "#discussion_r") || posted.Kind != "review" {
		t.Fatalf("created = %+v, posted %+v; want one reply in thread 1002", got, posted)
	}
	_, err = client.ReplyToReviewComment(ctx, 7, "acme", "widgets", 42, 555, "no such thread")
	if !IsPermanent(err) {
		t.Fatalf("reply to a missing thread: err = %v; want a permanent error", err)
	}
}

func TestRetries(t *testing.T) {
	cases := []struct {
		name    string
		fails   int
		status  int
		header  http.Header
		wantErr bool
		perm    bool
		minWait time.Duration
	}{
		{name: "server errors then success", fails: 2, status: 502},
		{name: "429 then success", fails: 1, status: 429},
		{name: "secondary rate limit honours Retry-After", fails: 1, status: 403, header: http.Header{"Retry-After": {"1"}}, minWait: time.Second},
		{name: "server errors beyond the attempts", fails: 10, status: 503, wantErr: true},
		{name: "validation failure is permanent", fails: 1, status: 422, wantErr: true, perm: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gh, client := newFakeGitHub(t, "")
			gh.FailWrites(tc.fails, tc.status, tc.header)
			start := time.Now()
			_, err := client.CreateComment(context.Background(), 7, "acme", "widgets", 42, "hello")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if IsPermanent(err) != tc.perm {
				t.Fatalf("IsPermanent(%v) = %v, want %v", err, IsPermanent(err), tc.perm)
			}
			if waited := time.Since(start); waited < tc.minWait {
				t.Fatalf("retried after %v; want at least %v", waited, tc.minWait)
			}
			posts := gh.Count(http.MethodPost, "/repos/")
			want := min(tc.fails+1, fastRetry.Attempts)
			if tc.perm {
				want = 1
			}
			if posts != want {
				t.Fatalf("POSTs = %d, want %d", posts, want)
			}
			if !tc.wantErr && len(gh.Created()) != 1 {
				t.Fatalf("created %d comments, want 1", len(gh.Created()))
			}
		})
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	gh, client := newFakeGitHub(t, "")
	gh.FailWrites(10, 403, http.Header{"Retry-After": {"60"}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := client.CreateComment(ctx, 7, "acme", "widgets", 42, "hello")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want the context's deadline", err)
	}
}

func TestFindMarkersPaginates(t *testing.T) {
	ctx := context.Background()
	gh, client := newFakeGitHub(t, "")
	for i := range 250 {
		gh.AddIssueComment("acme", "widgets", 42, "carol", fmt.Sprintf("comment %d", i))
	}
	gh.AddIssueComment("acme", "widgets", 42, "kudos[bot]", "thanks!\n<!-- kudos:abc -->\n<!-- kudos:def -->")
	found, err := client.FindMarkers(ctx, 7, "acme", "widgets", 42, false, []string{"abc", "zzz"})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found["abc"] == "" {
		t.Fatalf("found = %v; want only abc", found)
	}
	if n := gh.Count(http.MethodGet, "/repos/acme/widgets/issues/42/comments"); n != 3 {
		t.Errorf("list calls = %d; want 3 pages of 100", n)
	}
	gh.AddReviewComment("acme", "widgets", 42, 0, "kudos[bot]", "thread reply <!-- kudos:rrr -->", 0)
	found, err = client.FindMarkers(ctx, 7, "acme", "widgets", 42, true, []string{"rrr", "abc"})
	if err != nil || len(found) != 1 || found["rrr"] == "" {
		t.Fatalf("review thread markers = %v, %v; want rrr only", found, err)
	}
}

func TestNewGitHubRejectsBadConfig(t *testing.T) {
	_, pemKey := appKey(t)
	if _, err := NewGitHub(GitHubOptions{AppID: 1, PrivateKey: []byte("not a key")}); err == nil {
		t.Error("accepted a malformed private key")
	}
	if _, err := NewGitHub(GitHubOptions{AppID: 1, PrivateKey: pemKey, APIURL: "api.github.com"}); err == nil {
		t.Error("accepted a relative API URL")
	}
}
