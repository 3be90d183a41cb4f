package fakegithub_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-github/v66/github"

	"github.com/kudos-app/kudos/internal/fakegithub"
)

const (
	appID  = 1234
	instID = 42
	owner  = "acme"
	repo   = "widgets"
	pr     = 5
)

// appKey is the App's private key, shared by all tests: generating one is slow.
var appKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// env is a fake server with an installation-authenticated client.
type env struct {
	srv *fakegithub.Server
	key *rsa.PrivateKey
	itr *ghinstallation.Transport
	gh  *github.Client
}

// newEnv starts a server with opts (AppID and PublicKey filled in) and a
// go-github client authenticated through ghinstallation.
func newEnv(t *testing.T, opts fakegithub.Options) *env {
	t.Helper()
	key, err := appKey()
	if err != nil {
		t.Fatalf("generating key: %v", err)
	}
	opts.AppID = appID
	opts.PublicKey = &key.PublicKey
	srv := fakegithub.New(opts)
	t.Cleanup(srv.Close)

	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, appID, pemBytes)
	if err != nil {
		t.Fatalf("NewAppsTransport: %v", err)
	}
	atr.BaseURL = srv.URL
	itr := ghinstallation.NewFromAppsTransport(atr, instID)
	itr.BaseURL = srv.URL
	e := &env{srv: srv, key: key, itr: itr}
	e.gh = e.newClient(t)
	return e
}

// newClient returns a go-github client sharing the installation transport
// (and so its token) but with fresh rate-limit state.
func (e *env) newClient(t *testing.T) *github.Client {
	t.Helper()
	c := github.NewClient(&http.Client{Transport: e.itr})
	u, err := url.Parse(e.srv.URL + "/")
	if err != nil {
		t.Fatalf("parsing URL: %v", err)
	}
	c.BaseURL = u
	return c
}

// token returns the installation token, fetching it if needed.
func (e *env) token(t *testing.T) string {
	t.Helper()
	tok, err := e.itr.Token(context.Background())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok
}

// do sends a raw request and returns the response with its body read.
func do(t *testing.T, method, url, auth, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, string(b)
}

// message decodes the "message" field of a GitHub error body.
func message(t *testing.T, body string) string {
	t.Helper()
	var e struct{ Message string }
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("decoding error body %q: %v", body, err)
	}
	return e.Message
}

func TestTokenIssuedOnceAndReused(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	for i := range 3 {
		if _, _, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String(fmt.Sprint("hi ", i))}); err != nil {
			t.Fatalf("CreateComment: %v", err)
		}
	}
	if _, _, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, nil); err != nil {
		t.Fatalf("ListComments: %v", err)
	}

	if got := e.srv.TokensIssued(); got != 1 {
		t.Errorf("TokensIssued() = %d, want 1", got)
	}
	if got := e.srv.Count(http.MethodPost, "/app/installations/42/access_tokens"); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	tok := e.token(t)
	if !strings.HasPrefix(tok, "ghs_") {
		t.Errorf("token %q lacks ghs_ prefix", tok)
	}
	for _, r := range e.srv.Requests() {
		if strings.HasPrefix(r.Path, "/repos/") && (r.Token != tok || r.Status/100 != 2) {
			t.Errorf("request %+v: want token %q and 2xx", r, tok)
		}
	}
	for _, c := range e.srv.Created() {
		if c.Token != tok {
			t.Errorf("comment %d created with token %q, want %q", c.ID, c.Token, tok)
		}
	}
}

func TestTokenEndpointJWT(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	otherKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatalf("signing: %v", err)
		}
		return "Bearer " + s
	}
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{"iat": now.Add(-30 * time.Second).Unix(), "exp": now.Add(90 * time.Second).Unix(), "iss": "1234"}
	}
	with := func(k string, v any) jwt.MapClaims {
		c := valid()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name string
		auth string
		want int
	}{
		{"iss string", sign(jwt.SigningMethodRS256, e.key, valid()), http.StatusCreated},
		{"iss number", sign(jwt.SigningMethodRS256, e.key, with("iss", appID)), http.StatusCreated},
		{"wrong iss", sign(jwt.SigningMethodRS256, e.key, with("iss", "999")), http.StatusUnauthorized},
		{"missing iss", sign(jwt.SigningMethodRS256, e.key, with("iss", nil)), http.StatusUnauthorized},
		{"expired", sign(jwt.SigningMethodRS256, e.key, with("exp", now.Add(-time.Minute).Unix())), http.StatusUnauthorized},
		{"missing exp", sign(jwt.SigningMethodRS256, e.key, with("exp", nil)), http.StatusUnauthorized},
		{"exp too far", sign(jwt.SigningMethodRS256, e.key, with("exp", now.Add(time.Hour).Unix())), http.StatusUnauthorized},
		{"other key", sign(jwt.SigningMethodRS256, otherKey, valid()), http.StatusUnauthorized},
		{"HS256", sign(jwt.SigningMethodHS256, []byte("secret"), valid()), http.StatusUnauthorized},
		{"garbage", "Bearer not.a.jwt", http.StatusUnauthorized},
		{"no header", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, http.MethodPost, e.srv.URL+"/app/installations/42/access_tokens", tt.auth, "")
			if resp.StatusCode != tt.want {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.want, body)
			}
			if resp.Header.Get("X-RateLimit-Limit") == "" || resp.Header.Get("X-RateLimit-Resource") != "core" {
				t.Errorf("missing rate-limit headers: %v", resp.Header)
			}
			if tt.want != http.StatusCreated {
				want := `{"message":"A JSON web token could not be decoded","documentation_url":"https://docs.github.com/rest"}`
				if strings.TrimSpace(body) != want {
					t.Errorf("body = %s, want %s", body, want)
				}
				return
			}
			var tok struct {
				Token       string
				ExpiresAt   time.Time `json:"expires_at"`
				Permissions map[string]string
			}
			if err := json.Unmarshal([]byte(body), &tok); err != nil {
				t.Fatalf("decoding %s: %v", body, err)
			}
			if !strings.HasPrefix(tok.Token, "ghs_") || time.Until(tok.ExpiresAt) < 59*time.Minute ||
				tok.Permissions["issues"] != "write" || tok.Permissions["pull_requests"] != "write" {
				t.Errorf("unexpected token response %s", body)
			}
		})
	}
	if got := e.srv.TokensIssued(); got != 2 {
		t.Errorf("TokensIssued() = %d, want 2", got)
	}
}

func TestRepoAuth(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	commentsURL := e.srv.URL + "/repos/acme/widgets/issues/5/comments"
	tok := e.token(t)
	tests := []struct {
		name, method, url, auth string
		wantStatus              int
		wantMessage             string
	}{
		{"no token", http.MethodGet, commentsURL, "", http.StatusUnauthorized, "Bad credentials"},
		{"unknown token", http.MethodGet, commentsURL, "token ghs_nope", http.StatusUnauthorized, "Bad credentials"},
		{"unknown route unauthenticated", http.MethodGet, e.srv.URL + "/repos/acme/widgets/nope", "", http.StatusUnauthorized, "Bad credentials"},
		{"basic scheme", http.MethodGet, commentsURL, "Basic " + tok, http.StatusUnauthorized, "Bad credentials"},
		{"token scheme", http.MethodGet, commentsURL, "token " + tok, http.StatusOK, ""},
		{"bearer scheme", http.MethodGet, commentsURL, "Bearer " + tok, http.StatusOK, ""},
		{"unknown route", http.MethodGet, e.srv.URL + "/repos/acme/widgets/nope", "token " + tok, http.StatusNotFound, "Not Found"},
		{"wrong method", http.MethodDelete, commentsURL, "token " + tok, http.StatusNotFound, "Not Found"},
		{"bad number", http.MethodGet, e.srv.URL + "/repos/acme/widgets/issues/x/comments", "token " + tok, http.StatusNotFound, "Not Found"},
		{"outside API", http.MethodGet, e.srv.URL + "/nope", "", http.StatusNotFound, "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, tt.method, tt.url, tt.auth, "")
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantMessage != "" {
				want := fmt.Sprintf(`{"message":%q,"documentation_url":"https://docs.github.com/rest"}`, tt.wantMessage)
				if strings.TrimSpace(body) != want {
					t.Errorf("body = %s, want %s", body, want)
				}
			}
			if strings.Contains(tt.url, "/repos/") && resp.Header.Get("X-RateLimit-Remaining") == "" {
				t.Errorf("missing rate-limit headers: %v", resp.Header)
			}
			reqs := e.srv.Requests()
			if last := reqs[len(reqs)-1]; last.Status != tt.wantStatus {
				t.Errorf("recorded status = %d, want %d", last.Status, tt.wantStatus)
			}
		})
	}
}

func TestIssueComments(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	seeded := e.srv.AddIssueComment(owner, repo, pr, "alice", "LGTM")
	e.srv.AddIssueComment(owner, repo, pr+1, "bob", "other PR")

	c, resp, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("thanks <3 @alice")})
	if err != nil {
		t.Fatalf("CreateComment: %v", err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("status = %d, want 201", resp.StatusCode)
	}
	if c.GetID() <= seeded.ID || c.GetID() < 9_000_000_001 {
		t.Errorf("id = %d, want an auto id after %d", c.GetID(), seeded.ID)
	}
	wantURL := fmt.Sprintf("https://github.com/acme/widgets/pull/5#issuecomment-%d", c.GetID())
	if c.GetHTMLURL() != wantURL || c.GetBody() != "thanks <3 @alice" || c.GetNodeID() == "" ||
		c.GetUser().GetLogin() != "kudos[bot]" || c.GetUser().GetType() != "Bot" ||
		c.GetCreatedAt().IsZero() || c.GetUpdatedAt().IsZero() {
		t.Errorf("unexpected comment %s", github.Stringify(c))
	}

	list, _, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, nil)
	if err != nil {
		t.Fatalf("ListComments: %v", err)
	}
	var got []string
	for _, c := range list {
		got = append(got, c.GetUser().GetLogin()+":"+c.GetBody())
	}
	if want := []string{"alice:LGTM", "kudos[bot]:thanks <3 @alice"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("listed %q, want %q", got, want)
	}
	if list[0].GetUser().GetType() != "User" {
		t.Errorf("seeded user type = %q, want User", list[0].GetUser().GetType())
	}

	created := e.srv.Created()
	if len(created) != 1 || created[0].ID != c.GetID() || created[0].Kind != fakegithub.KindIssue || created[0].HTMLURL != wantURL {
		t.Errorf("Created() = %+v", created)
	}

	empty, _, err := e.gh.Issues.ListComments(ctx, owner, repo, 99, nil)
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("listing an empty PR = %v, %v; want empty list", empty, err)
	}
}

func TestCreateCommentBadInput(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	auth := "token " + e.token(t)
	url := e.srv.URL + "/repos/acme/widgets/issues/5/comments"
	tests := []struct {
		name, body  string
		wantStatus  int
		wantMessage string
	}{
		{"malformed", `{"body":`, http.StatusBadRequest, "Problems parsing JSON"},
		{"no body", ``, http.StatusBadRequest, "Problems parsing JSON"},
		{"not an object", `[1]`, http.StatusBadRequest, "Problems parsing JSON"},
		{"trailing garbage", `{"body":"x"} x`, http.StatusBadRequest, "Problems parsing JSON"},
		{"empty body field", `{"body":""}`, http.StatusUnprocessableEntity, "Validation Failed"},
		{"missing body field", `{}`, http.StatusUnprocessableEntity, "Validation Failed"},
		{"body not a string", `{"body":5}`, http.StatusUnprocessableEntity, "Validation Failed"},
		{"body too long", `{"body":"` + strings.Repeat("x", 65537) + `"}`, http.StatusUnprocessableEntity, "Validation Failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, http.MethodPost, url, auth, tt.body)
			if resp.StatusCode != tt.wantStatus || message(t, body) != tt.wantMessage {
				t.Errorf("got %d %s, want %d %q", resp.StatusCode, body, tt.wantStatus, tt.wantMessage)
			}
		})
	}
	if n := len(e.srv.Created()); n != 0 {
		t.Errorf("%d comments created from bad input", n)
	}
}

func TestPagination(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	for i := range 7 {
		e.srv.AddIssueComment(owner, repo, pr, "alice", fmt.Sprint("c", i))
	}

	var bodies, links []string
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 3}}
	pages := 0
	for {
		list, resp, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, opts)
		if err != nil {
			t.Fatalf("ListComments page %d: %v", opts.Page, err)
		}
		pages++
		links = append(links, resp.Header.Get("Link"))
		for _, c := range list {
			bodies = append(bodies, c.GetBody())
		}
		if resp.NextPage == 0 {
			if resp.FirstPage != 1 || resp.PrevPage != 2 {
				t.Errorf("last page: first=%d prev=%d, want 1 and 2", resp.FirstPage, resp.PrevPage)
			}
			break
		}
		if resp.LastPage != 3 {
			t.Errorf("LastPage = %d, want 3", resp.LastPage)
		}
		opts.Page = resp.NextPage
	}
	if pages != 3 || strings.Join(bodies, ",") != "c0,c1,c2,c3,c4,c5,c6" {
		t.Errorf("got %d pages with %v", pages, bodies)
	}

	u := func(page int) string {
		return fmt.Sprintf("<%s/repos/acme/widgets/issues/5/comments?page=%d&per_page=3>", e.srv.URL, page)
	}
	wantLinks := []string{
		u(2) + `; rel="next", ` + u(3) + `; rel="last"`,
		u(1) + `; rel="prev", ` + u(3) + `; rel="next", ` + u(3) + `; rel="last", ` + u(1) + `; rel="first"`,
		u(2) + `; rel="prev", ` + u(1) + `; rel="first"`,
	}
	for i := range wantLinks {
		if links[i] != wantLinks[i] {
			t.Errorf("page %d Link =\n%s\nwant\n%s", i+1, links[i], wantLinks[i])
		}
	}

	t.Run("defaults and caps", func(t *testing.T) {
		auth := "token " + e.token(t)
		tests := []struct {
			query     string
			wantCount int
			wantLink  bool
		}{
			{"", 7, false},
			{"?per_page=1000", 7, false},
			{"?per_page=abc&page=-1", 7, false},
			{"?per_page=5&page=2", 2, true},
			{"?per_page=5&page=9", 0, true},
			{"?per_page=5&page=99999999999999999", 0, true},
		}
		for _, tt := range tests {
			resp, body := do(t, http.MethodGet, e.srv.URL+"/repos/acme/widgets/issues/5/comments"+tt.query, auth, "")
			var items []json.RawMessage
			if err := json.Unmarshal([]byte(body), &items); err != nil || items == nil {
				t.Fatalf("%q: body %s is not a JSON array: %v", tt.query, body, err)
			}
			if len(items) != tt.wantCount || (resp.Header.Get("Link") != "") != tt.wantLink {
				t.Errorf("%q: %d items, Link %q; want %d items, link %v", tt.query, len(items), resp.Header.Get("Link"), tt.wantCount, tt.wantLink)
			}
		}
	})
}

func TestReviewCommentsAndReviews(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	e.srv.AddReviewComment(owner, repo, pr, 555, "alice", "nit: rename", 0)
	e.srv.AddReviewComment(owner, repo, pr+1, 777, "alice", "other PR", 0)
	e.srv.AddReview(owner, repo, pr, 321, "bob", "APPROVED", "ship it")

	replyPath := func(id int64) string {
		return fmt.Sprintf("repos/acme/widgets/pulls/5/comments/%d/replies", id)
	}
	tests := []struct {
		name       string
		path       string
		wantStatus int
	}{
		{"known comment", replyPath(555), http.StatusCreated},
		{"unknown comment", replyPath(556), http.StatusNotFound},
		{"comment of another PR", replyPath(777), http.StatusNotFound},
		{"bad comment id", "repos/acme/widgets/pulls/5/comments/x/replies", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := e.gh.NewRequest(http.MethodPost, tt.path, map[string]string{"body": "thanks!"})
			if err != nil {
				t.Fatal(err)
			}
			var c github.PullRequestComment
			resp, err := e.gh.Do(ctx, req, &c)
			if resp == nil || resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %v (err %v), want %d", resp, err, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusCreated {
				var er *github.ErrorResponse
				if !errors.As(err, &er) || er.Message != "Not Found" {
					t.Errorf("err = %v, want Not Found", err)
				}
				return
			}
			wantURL := fmt.Sprintf("https://github.com/acme/widgets/pull/5#discussion_r%d", c.GetID())
			if err != nil || c.GetInReplyTo() != 555 || c.GetBody() != "thanks!" || c.GetHTMLURL() != wantURL ||
				c.GetUser().GetLogin() != "kudos[bot]" {
				t.Errorf("reply = %s, %v", github.Stringify(c), err)
			}
		})
	}

	t.Run("CreateCommentInReplyTo", func(t *testing.T) {
		c, _, err := e.gh.PullRequests.CreateCommentInReplyTo(ctx, owner, repo, pr, "again", 555)
		if err != nil || c.GetInReplyTo() != 555 {
			t.Errorf("CreateCommentInReplyTo = %s, %v", github.Stringify(c), err)
		}
		_, resp, err := e.gh.PullRequests.CreateCommentInReplyTo(ctx, owner, repo, pr, "again", 556)
		if err == nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("reply to unknown comment: err = %v, want 404", err)
		}
	})

	list, _, err := e.gh.PullRequests.ListComments(ctx, owner, repo, pr, nil)
	if err != nil {
		t.Fatalf("ListComments: %v", err)
	}
	if len(list) != 3 || list[0].GetID() != 555 || list[0].InReplyTo != nil || list[1].GetInReplyTo() != 555 {
		t.Errorf("review comments = %s", github.Stringify(list))
	}

	reviews, _, err := e.gh.PullRequests.ListReviews(ctx, owner, repo, pr, nil)
	if err != nil {
		t.Fatalf("ListReviews: %v", err)
	}
	if len(reviews) != 1 || reviews[0].GetID() != 321 || reviews[0].GetState() != "APPROVED" ||
		reviews[0].GetBody() != "ship it" || reviews[0].GetUser().GetLogin() != "bob" ||
		reviews[0].GetHTMLURL() != "https://github.com/acme/widgets/pull/5#pullrequestreview-321" ||
		reviews[0].GetSubmittedAt().IsZero() {
		t.Errorf("reviews = %s", github.Stringify(reviews))
	}
}

func TestFailWrites(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     http.Header
		check      func(t *testing.T, err error)
		wantCreate int
	}{
		{
			name:   "502",
			status: http.StatusBadGateway,
			check: func(t *testing.T, err error) {
				var er *github.ErrorResponse
				if !errors.As(err, &er) || er.Response.StatusCode != http.StatusBadGateway || er.Message != "Server Error" {
					t.Errorf("err = %#v, want 502 Server Error", err)
				}
			},
		},
		{
			name:   "403 secondary rate limit",
			status: http.StatusForbidden,
			header: http.Header{"Retry-After": {"30"}},
			check: func(t *testing.T, err error) {
				var ae *github.AbuseRateLimitError
				if !errors.As(err, &ae) || ae.RetryAfter == nil || *ae.RetryAfter != 30*time.Second {
					t.Fatalf("err = %#v, want AbuseRateLimitError with RetryAfter 30s", err)
				}
				if !strings.Contains(ae.Message, "secondary rate limit") {
					t.Errorf("message = %q", ae.Message)
				}
			},
		},
		{
			name:   "429 secondary rate limit",
			status: http.StatusTooManyRequests,
			header: http.Header{"Retry-After": {"7"}},
			check: func(t *testing.T, err error) {
				var er *github.ErrorResponse
				if !errors.As(err, &er) || er.Response.StatusCode != http.StatusTooManyRequests ||
					er.Response.Header.Get("Retry-After") != "7" || !strings.Contains(er.Message, "secondary rate limit") {
					t.Errorf("err = %#v, want 429 with Retry-After", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fakegithub.Options{})
			ctx := context.Background()
			e.srv.FailWrites(2, tt.status, tt.header)
			for i := range 2 {
				// A fresh client each time: go-github refuses to send
				// requests while a secondary rate limit is in force.
				_, resp, err := e.newClient(t).Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("hi")})
				if err == nil || resp.StatusCode != tt.status {
					t.Fatalf("attempt %d: err = %v, want status %d", i, err, tt.status)
				}
				tt.check(t, err)
			}
			// Reads are unaffected.
			if _, _, err := e.newClient(t).Issues.ListComments(ctx, owner, repo, pr, nil); err != nil {
				t.Errorf("ListComments during failures: %v", err)
			}
			if n := len(e.srv.Created()); n != 0 {
				t.Errorf("failed writes created %d comments", n)
			}
			if _, _, err := e.newClient(t).Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("hi")}); err != nil {
				t.Errorf("third write: %v", err)
			}
			if n := len(e.srv.Created()); n != 1 {
				t.Errorf("Created() has %d comments, want 1", n)
			}
			if got := e.srv.Count(http.MethodPost, "/repos/"); got != 3 {
				t.Errorf("Count(POST, /repos/) = %d, want 3", got)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, fakegithub.Options{RateLimit: 3})
	ctx := context.Background()
	for i := range 3 {
		_, resp, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if resp.Rate.Limit != 3 || resp.Rate.Remaining != 2-i || time.Until(resp.Rate.Reset.Time) < 59*time.Minute {
			t.Errorf("request %d: rate = %+v", i, resp.Rate)
		}
	}

	// A fresh client, so go-github does not refuse to send the request itself.
	_, resp, err := e.newClient(t).Issues.ListComments(ctx, owner, repo, pr, nil)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("err = %v, want *github.RateLimitError", err)
	}
	if rle.Message != "API rate limit exceeded for installation ID 42." || resp.StatusCode != http.StatusForbidden {
		t.Errorf("got %d %q", resp.StatusCode, rle.Message)
	}
	h := resp.Header
	reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil || time.Until(time.Unix(reset, 0)) < 59*time.Minute {
		t.Errorf("X-RateLimit-Reset = %q", h.Get("X-RateLimit-Reset"))
	}
	if h.Get("X-RateLimit-Limit") != "3" || h.Get("X-RateLimit-Remaining") != "0" ||
		h.Get("X-RateLimit-Used") != "3" || h.Get("X-RateLimit-Resource") != "core" {
		t.Errorf("headers = %v", h)
	}
	reqs := e.srv.Requests()
	if last := reqs[len(reqs)-1]; last.Status != http.StatusForbidden {
		t.Errorf("recorded %+v, want status 403", last)
	}

	raw, body := do(t, http.MethodGet, e.srv.URL+"/repos/acme/widgets/issues/5/comments", "token "+e.token(t), "")
	want := `{"message":"API rate limit exceeded for installation ID 42.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}`
	if raw.StatusCode != http.StatusForbidden || strings.TrimSpace(body) != want {
		t.Errorf("raw response = %d %s, want 403 %s", raw.StatusCode, body, want)
	}
}

func TestOnCreate(t *testing.T) {
	t.Run("called before response", func(t *testing.T) {
		e := newEnv(t, fakegithub.Options{})
		var mu sync.Mutex
		var seen []fakegithub.Comment
		e.srv.OnCreate(func(ctx context.Context, c fakegithub.Comment) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, c)
		})
		c, _, err := e.gh.Issues.CreateComment(context.Background(), owner, repo, pr, &github.IssueComment{Body: github.String("hi")})
		if err != nil {
			t.Fatalf("CreateComment: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(seen) != 1 || seen[0].ID != c.GetID() || seen[0].Body != "hi" {
			t.Errorf("hook saw %+v", seen)
		}
	})

	t.Run("client dies after the write", func(t *testing.T) {
		e := newEnv(t, fakegithub.Options{})
		e.token(t) // fetch the token before the short deadline
		hookDone := make(chan error, 1)
		e.srv.OnCreate(func(ctx context.Context, c fakegithub.Comment) {
			<-ctx.Done() // block until the client gives up
			hookDone <- ctx.Err()
		})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, _, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("hi")})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
		select {
		case err := <-hookDone:
			if err == nil {
				t.Error("hook context not canceled")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("hook context never canceled")
		}
		if got := e.srv.String(); got != "acme/widgets#5:hi" {
			t.Errorf("String() = %q; the comment should be stored", got)
		}
	})
}

func TestWriteLatency(t *testing.T) {
	const latency = 100 * time.Millisecond
	e := newEnv(t, fakegithub.Options{WriteLatency: latency})
	ctx := context.Background()
	e.token(t)
	start := time.Now()
	if _, _, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d >= latency {
		t.Errorf("GET took %v, want no latency", d)
	}
	start = time.Now()
	if _, _, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("hi")}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < latency {
		t.Errorf("POST took %v, want at least %v", d, latency)
	}
}

func TestString(t *testing.T) {
	e := newEnv(t, fakegithub.Options{BotLogin: "demo[bot]"})
	ctx := context.Background()
	e.srv.AddIssueComment(owner, repo, pr, "alice", "seeded comments are not listed")
	e.srv.AddReviewComment(owner, repo, pr, 555, "alice", "nit", 0)
	if _, _, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("kudos to @alice")}); err != nil {
		t.Fatal(err)
	}
	c, _, err := e.gh.PullRequests.CreateCommentInReplyTo(ctx, owner, repo, pr, "thanks @alice", 555)
	if err != nil {
		t.Fatal(err)
	}
	if c.GetUser().GetLogin() != "demo[bot]" {
		t.Errorf("login = %q, want demo[bot]", c.GetUser().GetLogin())
	}
	want := "acme/widgets#5:kudos to @alice\nacme/widgets#5 r555:thanks @alice"
	if got := e.srv.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestConcurrentCreates(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	e.token(t)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, _, err := e.gh.Issues.CreateComment(context.Background(), owner, repo, pr, &github.IssueComment{Body: github.String(fmt.Sprint(i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	ids := map[int64]bool{}
	for _, c := range e.srv.Created() {
		ids[c.ID] = true
	}
	if len(ids) != n {
		t.Errorf("%d distinct ids, want %d", len(ids), n)
	}
}
