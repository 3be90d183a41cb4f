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
		{"user unauthenticated", http.MethodGet, e.srv.URL + "/users/alice", "", http.StatusUnauthorized, "Bad credentials"},
		{"team unauthenticated", http.MethodGet, e.srv.URL + "/orgs/acme/teams/x/members", "", http.StatusUnauthorized, "Bad credentials"},
		{"search unauthenticated", http.MethodGet, e.srv.URL + "/search/issues?q=x", "", http.StatusUnauthorized, "Bad credentials"},
		{"unknown user route", http.MethodGet, e.srv.URL + "/users/alice/repos", "token " + tok, http.StatusNotFound, "Not Found"},
		{"unknown org route", http.MethodGet, e.srv.URL + "/orgs/acme", "token " + tok, http.StatusNotFound, "Not Found"},
		{"unknown search route", http.MethodGet, e.srv.URL + "/search/code?q=x", "token " + tok, http.StatusNotFound, "Not Found"},
		{"delete issue", http.MethodDelete, e.srv.URL + "/repos/acme/widgets/issues/5", "token " + tok, http.StatusNotFound, "Not Found"},
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

// errStatus returns the status of a go-github error response, or 0.
func errStatus(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

func TestContents(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	e.srv.SetFile(owner, repo, ".github/kudos.yml", "hello\n")
	long := strings.Repeat("kudos to everyone who reviews! ", 10)
	e.srv.SetFile(owner, repo, "docs/long.txt", long)

	f, dir, resp, err := e.gh.Repositories.GetContents(ctx, "ACME", repo, ".github/kudos.yml", &github.RepositoryContentGetOptions{Ref: "main"})
	if err != nil || dir != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GetContents = %v, %v, %v", dir, resp, err)
	}
	text, err := f.GetContent()
	if err != nil || text != "hello\n" {
		t.Errorf("GetContent() = %q, %v; want %q", text, err, "hello\n")
	}
	// git hash-object of "hello\n".
	if f.GetSHA() != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("sha = %s, want git's blob sha", f.GetSHA())
	}
	if f.GetType() != "file" || f.GetEncoding() != "base64" || f.Content == nil ||
		*f.Content != "aGVsbG8K\n" || f.GetSize() != 6 || f.GetName() != "kudos.yml" || f.GetPath() != ".github/kudos.yml" ||
		f.GetHTMLURL() != "https://github.com/ACME/widgets/blob/main/.github/kudos.yml" ||
		f.GetDownloadURL() != "https://raw.githubusercontent.com/ACME/widgets/main/.github/kudos.yml" ||
		f.GetURL() != e.srv.URL+"/repos/ACME/widgets/contents/.github/kudos.yml?ref=main" {
		t.Errorf("unexpected file %s", github.Stringify(f))
	}

	f, _, _, err = e.gh.Repositories.GetContents(ctx, owner, repo, "docs/long.txt", nil)
	if err != nil {
		t.Fatalf("GetContents(long): %v", err)
	}
	if f.Content == nil || !strings.HasSuffix(*f.Content, "\n") {
		t.Fatalf("content %v does not end in a newline", f.Content)
	}
	lines := strings.Split(strings.TrimSuffix(*f.Content, "\n"), "\n")
	for i, l := range lines {
		if (i < len(lines)-1 && len(l) != 60) || len(l) > 60 {
			t.Errorf("base64 line %d has %d characters, want 60", i, len(l))
		}
	}
	if text, _ := f.GetContent(); text != long {
		t.Errorf("long content = %q", text)
	}

	_, dir, _, err = e.gh.Repositories.GetContents(ctx, owner, repo, ".github", nil)
	if err != nil || len(dir) != 1 || dir[0].GetType() != "file" || dir[0].GetPath() != ".github/kudos.yml" || dir[0].Content != nil {
		t.Errorf("directory = %s, %v", github.Stringify(dir), err)
	}
	_, dir, _, err = e.gh.Repositories.GetContents(ctx, owner, repo, "", nil)
	if err != nil || len(dir) != 2 || dir[0].GetName() != ".github" || dir[0].GetType() != "dir" || len(dir[0].GetSHA()) != 40 {
		t.Errorf("top level = %s, %v", github.Stringify(dir), err)
	}

	for _, p := range []string{"nope.yml", ".github/kudos.yaml", ".GITHUB/kudos.yml"} {
		_, _, resp, err := e.gh.Repositories.GetContents(ctx, owner, repo, p, nil)
		var er *github.ErrorResponse
		if !errors.As(err, &er) || resp.StatusCode != http.StatusNotFound || er.Message != "Not Found" {
			t.Errorf("GetContents(%q) err = %v, want 404 Not Found", p, err)
		}
	}
	if _, _, _, err := e.gh.Repositories.GetContents(ctx, owner, "other", ".github/kudos.yml", nil); errStatus(err) != http.StatusNotFound {
		t.Errorf("file of another repo: err = %v, want 404", err)
	}

	e.srv.SetFile(owner, repo, ".github/kudos.yml", "replaced")
	f, _, _, err = e.gh.Repositories.GetContents(ctx, owner, repo, ".github/kudos.yml", nil)
	if text, _ := f.GetContent(); err != nil || text != "replaced" {
		t.Errorf("after SetFile again: %q, %v", text, err)
	}
	e.srv.RemoveFile(owner, repo, ".github/kudos.yml")
	if _, _, _, err := e.gh.Repositories.GetContents(ctx, owner, repo, ".github/kudos.yml", nil); errStatus(err) != http.StatusNotFound {
		t.Errorf("after RemoveFile: err = %v, want 404", err)
	}
	if got := e.srv.Count(http.MethodGet, "/repos/acme/widgets/contents/"); got != 8 {
		t.Errorf("Count(GET, contents) = %d, want 8", got)
	}
}

func TestUsers(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	e.srv.Ghost("Ghosty")

	u, resp, err := e.gh.Users.Get(ctx, "Alice")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("Get(Alice): %v", err)
	}
	if u.GetLogin() != "Alice" || u.GetType() != "User" || u.GetID() == 0 || u.GetHTMLURL() != "https://github.com/Alice" {
		t.Errorf("user = %s", github.Stringify(u))
	}
	lower, _, err := e.gh.Users.Get(ctx, "alice")
	if err != nil || lower.GetLogin() != "alice" || lower.GetID() != u.GetID() {
		t.Errorf("Get(alice) = %s, %v; want the same id as Alice", github.Stringify(lower), err)
	}
	for _, login := range []string{"dependabot[bot]", "kudos[bot]"} {
		bot, _, err := e.gh.Users.Get(ctx, login)
		if err != nil || bot.GetLogin() != login || bot.GetType() != "Bot" {
			t.Errorf("Get(%s) = %s, %v; want type Bot", login, github.Stringify(bot), err)
		}
	}
	for _, login := range []string{"ghosty", "GHOSTY"} {
		_, resp, err := e.gh.Users.Get(ctx, login)
		var er *github.ErrorResponse
		if !errors.As(err, &er) || resp.StatusCode != http.StatusNotFound || er.Message != "Not Found" {
			t.Errorf("Get(%s) err = %v, want 404", login, err)
		}
	}
	if got := e.srv.Count(http.MethodGet, "/users/"); got != 6 {
		t.Errorf("Count(GET, /users/) = %d, want 6", got)
	}
}

func TestTeamMembers(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	e.srv.SetTeam(owner, "Reviewers", "alice", "bob", "carol", "dave", "erin")

	var logins []string
	opts := &github.TeamListTeamMembersOptions{ListOptions: github.ListOptions{PerPage: 3}}
	pages := 0
	for {
		users, resp, err := e.gh.Teams.ListTeamMembersBySlug(ctx, "Acme", "reviewers", opts)
		if err != nil {
			t.Fatalf("ListTeamMembersBySlug page %d: %v", opts.Page, err)
		}
		pages++
		for _, u := range users {
			if u.GetType() != "User" || u.GetID() == 0 {
				t.Errorf("member %s", github.Stringify(u))
			}
			logins = append(logins, u.GetLogin())
		}
		if resp.NextPage == 0 {
			break
		}
		if resp.LastPage != 2 {
			t.Errorf("LastPage = %d, want 2", resp.LastPage)
		}
		opts.Page = resp.NextPage
	}
	if pages != 2 || strings.Join(logins, ",") != "alice,bob,carol,dave,erin" {
		t.Errorf("got %d pages with %v", pages, logins)
	}

	_, resp, err := e.gh.Teams.ListTeamMembersBySlug(ctx, owner, "nobody", nil)
	var er *github.ErrorResponse
	if !errors.As(err, &er) || resp.StatusCode != http.StatusNotFound || er.Message != "Not Found" {
		t.Errorf("unknown team: err = %v, want 404", err)
	}

	e.srv.SetTeam(owner, "empty")
	users, _, err := e.gh.Teams.ListTeamMembersBySlug(ctx, owner, "empty", nil)
	if err != nil || users == nil || len(users) != 0 {
		t.Errorf("empty team = %v, %v; want empty list", users, err)
	}
	if got := e.srv.Count(http.MethodGet, "/orgs/"); got != 4 {
		t.Errorf("Count(GET, /orgs/) = %d, want 4", got)
	}
}

func TestDeleteComments(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	seeded := e.srv.AddIssueComment(owner, repo, pr, "alice", "LGTM")
	e.srv.AddReviewComment(owner, repo, pr, 555, "alice", "nit", 0)

	keep, _, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("keep")})
	if err != nil {
		t.Fatal(err)
	}
	drop, _, err := e.gh.Issues.CreateComment(ctx, owner, repo, pr, &github.IssueComment{Body: github.String("drop")})
	if err != nil {
		t.Fatal(err)
	}
	reply, _, err := e.gh.PullRequests.CreateCommentInReplyTo(ctx, owner, repo, pr, "thanks", 555)
	if err != nil {
		t.Fatal(err)
	}

	resp, err := e.gh.Issues.DeleteComment(ctx, owner, repo, drop.GetID())
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("Issues.DeleteComment = %v, %v; want 204", resp, err)
	}
	resp, err = e.gh.PullRequests.DeleteComment(ctx, "Acme", "Widgets", reply.GetID())
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PullRequests.DeleteComment = %v, %v; want 204", resp, err)
	}

	list, _, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, c := range list {
		bodies = append(bodies, c.GetBody())
	}
	if strings.Join(bodies, ",") != "LGTM,keep" {
		t.Errorf("issue comments after delete = %v", bodies)
	}
	rlist, _, err := e.gh.PullRequests.ListComments(ctx, owner, repo, pr, nil)
	if err != nil || len(rlist) != 1 || rlist[0].GetID() != 555 {
		t.Errorf("review comments after delete = %s, %v", github.Stringify(rlist), err)
	}

	ids := func(cs []fakegithub.Comment) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got, want := ids(e.srv.Deleted()), []int64{drop.GetID(), reply.GetID()}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Deleted() ids = %v, want %v", got, want)
	}
	if d := e.srv.Deleted(); d[1].Kind != fakegithub.KindReview || d[1].InReplyTo != 555 || d[0].Body != "drop" {
		t.Errorf("Deleted() = %+v", d)
	}
	if got, want := ids(e.srv.Live()), []int64{keep.GetID()}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Live() ids = %v, want %v", got, want)
	}
	if got := len(e.srv.Created()); got != 3 {
		t.Errorf("Created() has %d comments, want 3 (deletions keep history)", got)
	}
	if got := e.srv.String(); !strings.Contains(got, "drop") {
		t.Errorf("String() = %q; want the history of creations", got)
	}

	tests := []struct {
		name string
		del  func() (*github.Response, error)
	}{
		{"already deleted", func() (*github.Response, error) { return e.gh.Issues.DeleteComment(ctx, owner, repo, drop.GetID()) }},
		{"unknown", func() (*github.Response, error) { return e.gh.Issues.DeleteComment(ctx, owner, repo, 123) }},
		{"other repo", func() (*github.Response, error) { return e.gh.Issues.DeleteComment(ctx, owner, "other", seeded.ID) }},
		{"issue comment as review comment", func() (*github.Response, error) {
			return e.gh.PullRequests.DeleteComment(ctx, owner, repo, seeded.ID)
		}},
		{"review comment as issue comment", func() (*github.Response, error) { return e.gh.Issues.DeleteComment(ctx, owner, repo, 555) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.del()
			var er *github.ErrorResponse
			if !errors.As(err, &er) || resp.StatusCode != http.StatusNotFound || er.Message != "Not Found" {
				t.Errorf("err = %v, want 404 Not Found", err)
			}
		})
	}
	if got := len(e.srv.Deleted()); got != 2 {
		t.Errorf("Deleted() has %d comments after failed deletes, want 2", got)
	}
	if got := e.srv.Count(http.MethodDelete, "/repos/acme/widgets/issues/comments/"); got != 4 {
		t.Errorf("Count(DELETE, issue comments) = %d, want 4", got)
	}
	if got := e.srv.Count(http.MethodDelete, ""); got != 7 {
		t.Errorf("Count(DELETE, \"\") = %d, want 7", got)
	}

	t.Run("FailWrites", func(t *testing.T) {
		e.srv.FailWrites(1, http.StatusBadGateway, nil)
		_, err := e.newClient(t).Issues.DeleteComment(ctx, owner, repo, keep.GetID())
		var er *github.ErrorResponse
		if !errors.As(err, &er) || er.Response.StatusCode != http.StatusBadGateway || er.Message != "Server Error" {
			t.Fatalf("err = %v, want 502 Server Error", err)
		}
		if got := ids(e.srv.Live()); len(got) != 1 {
			t.Errorf("failed delete removed a comment: Live() = %v", got)
		}
		if _, err := e.newClient(t).Issues.DeleteComment(ctx, owner, repo, keep.GetID()); err != nil {
			t.Errorf("second delete: %v", err)
		}
		if got := e.srv.Live(); len(got) != 0 {
			t.Errorf("Live() = %+v, want none", got)
		}
	})
}

func TestIssues(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	create := func(repo, title, body string, labels ...string) *github.Issue {
		t.Helper()
		is, resp, err := e.gh.Issues.Create(ctx, owner, repo, &github.IssueRequest{
			Title: github.String(title), Body: github.String(body), Labels: &labels,
		})
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("Create(%q): %v", title, err)
		}
		return is
	}
	first := create(repo, "Kudos weekly summary 2024-W18", "Thanks all!", "kudos", "summary")
	second := create(repo, "Kudos weekly summary 2024-W19", "", "kudos")
	other := create("gadgets", "Kudos weekly summary 2024-W18", "", "kudos", "summary")
	third := create(repo, "Unrelated", "", "Summary")

	if first.GetNumber() != 1000 || second.GetNumber() != 1001 || third.GetNumber() != 1002 || other.GetNumber() != 1000 {
		t.Errorf("numbers = %d %d %d, other repo %d; want 1000 1001 1002, 1000",
			first.GetNumber(), second.GetNumber(), third.GetNumber(), other.GetNumber())
	}
	if first.GetHTMLURL() != "https://github.com/acme/widgets/issues/1000" || first.GetState() != "open" ||
		first.GetTitle() != "Kudos weekly summary 2024-W18" || first.GetBody() != "Thanks all!" ||
		first.GetUser().GetLogin() != "kudos[bot]" || len(first.Labels) != 2 ||
		first.Labels[0].GetName() != "kudos" || first.Labels[1].GetName() != "summary" ||
		first.GetCreatedAt().IsZero() || first.ClosedAt != nil || first.GetID() == 0 {
		t.Errorf("unexpected issue %s", github.Stringify(first))
	}

	list := func(opts *github.IssueListByRepoOptions) []int {
		t.Helper()
		issues, _, err := e.gh.Issues.ListByRepo(ctx, owner, repo, opts)
		if err != nil {
			t.Fatalf("ListByRepo(%+v): %v", opts, err)
		}
		var out []int
		for _, is := range issues {
			out = append(out, is.GetNumber())
		}
		return out
	}
	check := func(name string, got []int, want ...int) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("all open", list(nil), 1002, 1001, 1000)
	check("label kudos", list(&github.IssueListByRepoOptions{Labels: []string{"kudos"}}), 1001, 1000)
	check("labels kudos,SUMMARY", list(&github.IssueListByRepoOptions{Labels: []string{"kudos", "SUMMARY"}}), 1000)
	check("ascending", list(&github.IssueListByRepoOptions{Direction: "asc"}), 1000, 1001, 1002)

	closed, resp, err := e.gh.Issues.Edit(ctx, owner, repo, 1000, &github.IssueRequest{State: github.String("closed")})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("Edit: %v", err)
	}
	if closed.GetState() != "closed" || closed.ClosedAt == nil || closed.GetStateReason() != "completed" ||
		closed.GetTitle() != first.GetTitle() || len(closed.Labels) != 2 {
		t.Errorf("closed issue = %s", github.Stringify(closed))
	}
	if _, _, err := e.gh.Issues.Edit(ctx, owner, repo, 1001, &github.IssueRequest{Title: github.String("Renamed"), Body: github.String("new body")}); err != nil {
		t.Fatalf("Edit title: %v", err)
	}
	check("open after close", list(&github.IssueListByRepoOptions{Labels: []string{"kudos"}}), 1001)
	check("closed", list(&github.IssueListByRepoOptions{State: "closed"}), 1000)
	check("all", list(&github.IssueListByRepoOptions{State: "all", Labels: []string{"summary"}}), 1002, 1000)

	got, _, err := e.gh.Issues.Get(ctx, owner, repo, 1001)
	if err != nil || got.GetTitle() != "Renamed" || got.GetBody() != "new body" || got.GetState() != "open" {
		t.Errorf("Get(1001) = %s, %v", github.Stringify(got), err)
	}

	issues := e.srv.Issues()
	if len(issues) != 4 {
		t.Fatalf("Issues() = %+v", issues)
	}
	want := fakegithub.Issue{
		Owner: owner, Repo: repo, Number: 1000, Title: "Kudos weekly summary 2024-W18", Body: "Thanks all!",
		State: "closed", Labels: []string{"kudos", "summary"}, HTMLURL: "https://github.com/acme/widgets/issues/1000",
		CreatedAt: issues[0].CreatedAt,
	}
	if fmt.Sprintf("%+v", issues[0]) != fmt.Sprintf("%+v", want) || issues[0].CreatedAt.IsZero() {
		t.Errorf("Issues()[0] = %+v, want %+v", issues[0], want)
	}
	if issues[1].Title != "Renamed" || issues[2].Repo != "gadgets" {
		t.Errorf("Issues() = %+v", issues)
	}

	t.Run("errors", func(t *testing.T) {
		auth := "token " + e.token(t)
		base := e.srv.URL + "/repos/acme/widgets/issues"
		tests := []struct {
			name, method, url, body string
			wantStatus              int
		}{
			{"no title", http.MethodPost, base, `{"body":"x"}`, http.StatusUnprocessableEntity},
			{"blank title", http.MethodPost, base, `{"title":"  "}`, http.StatusUnprocessableEntity},
			{"labels not strings", http.MethodPost, base, `{"title":"x","labels":[1]}`, http.StatusUnprocessableEntity},
			{"malformed", http.MethodPost, base, `{"title":`, http.StatusBadRequest},
			{"bad state", http.MethodPatch, base + "/1000", `{"state":"merged"}`, http.StatusUnprocessableEntity},
			{"edit unknown", http.MethodPatch, base + "/999", `{"state":"closed"}`, http.StatusNotFound},
			{"get unknown", http.MethodGet, base + "/999", ``, http.StatusNotFound},
			{"list bad state", http.MethodGet, base + "?state=merged", ``, http.StatusUnprocessableEntity},
		}
		for _, tt := range tests {
			resp, body := do(t, tt.method, tt.url, auth, tt.body)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, body, tt.wantStatus)
			}
		}
		if n := len(e.srv.Issues()); n != 4 {
			t.Errorf("bad requests created issues: %d", n)
		}
	})

	t.Run("FailWrites", func(t *testing.T) {
		e.srv.FailWrites(1, http.StatusInternalServerError, nil)
		if _, _, err := e.newClient(t).Issues.Edit(ctx, owner, repo, 1001, &github.IssueRequest{State: github.String("closed")}); errStatus(err) != http.StatusInternalServerError {
			t.Errorf("Edit err = %v, want 500", err)
		}
		if s := e.srv.Issues()[1].State; s != "open" {
			t.Errorf("failed edit changed state to %q", s)
		}
	})
	if got := e.srv.Count(http.MethodPatch, "/repos/acme/widgets/issues/"); got != 5 {
		t.Errorf("Count(PATCH) = %d, want 5", got)
	}
}

func TestSearchIssues(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	for _, is := range []struct {
		repo, title string
		labels      []string
	}{
		{repo, "Kudos: weekly summary (2024-W18)", []string{"kudos", "weekly summary"}},
		{repo, "Kudos weekly summary 2024-W19", []string{"kudos"}},
		{repo, "Summary of weekly kudos", []string{"kudos", "weekly summary"}},
		{"gadgets", "Kudos weekly summary 2024-W18", []string{"kudos", "weekly summary"}},
		{repo, "Kudos weekly summary 2024-W20", []string{"weekly summary"}},
	} {
		if _, _, err := e.gh.Issues.Create(ctx, owner, is.repo, &github.IssueRequest{Title: github.String(is.title), Labels: &is.labels}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := e.gh.Issues.Edit(ctx, owner, repo, 1003, &github.IssueRequest{State: github.String("closed")}); err != nil {
		t.Fatal(err)
	}

	search := func(q string, opts *github.SearchOptions) (*github.IssuesSearchResult, *github.Response) {
		t.Helper()
		res, resp, err := e.gh.Search.Issues(ctx, q, opts)
		if err != nil {
			t.Fatalf("Search.Issues(%q): %v", q, err)
		}
		return res, resp
	}
	numbers := func(res *github.IssuesSearchResult) []int {
		var out []int
		for _, is := range res.Issues {
			out = append(out, is.GetNumber())
		}
		return out
	}
	tests := []struct {
		q    string
		want []int
	}{
		{`repo:acme/widgets is:issue label:"weekly summary" in:title "weekly summary" kudos`, []int{1003, 1000}},
		{`repo:acme/widgets is:issue label:"weekly summary" label:kudos in:title "weekly summary" kudos`, []int{1000}},
		{`repo:acme/widgets is:issue label:"weekly summary" in:title "weekly summary" kudos state:open`, []int{1000}},
		{`repo:ACME/Widgets label:kudos in:title "WEEKLY SUMMARY" 2024-W19`, []int{1001}},
		{`repo:acme/widgets "summary weekly"`, nil},
		{`repo:acme/widgets weekly summary`, []int{1003, 1002, 1001, 1000}},
		{`repo:acme/widgets summ`, nil},
		{`repo:acme/widgets is:pr`, nil},
		{`is:issue label:kudos "weekly summary" 2024-W18`, []int{1000, 1000}},
		{`repo:acme/widgets is:closed`, []int{1003}},
		{`repo:acme/widgets -label:kudos`, []int{1003}},
	}
	for _, tt := range tests {
		res, _ := search(tt.q, nil)
		got := numbers(res)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || res.GetTotal() != len(tt.want) || res.GetIncompleteResults() {
			t.Errorf("%s: got %v (total %d), want %v", tt.q, got, res.GetTotal(), tt.want)
		}
	}

	res, resp := search(`repo:acme/widgets kudos`, &github.SearchOptions{ListOptions: github.ListOptions{PerPage: 2}})
	if res.GetTotal() != 4 || len(res.Issues) != 2 || resp.NextPage != 2 || resp.LastPage != 2 {
		t.Errorf("page 1: total %d, %d items, next %d, last %d", res.GetTotal(), len(res.Issues), resp.NextPage, resp.LastPage)
	}
	item := res.Issues[0]
	if item.GetHTMLURL() != "https://github.com/acme/widgets/issues/1003" || item.GetState() != "closed" ||
		item.GetRepositoryURL() != e.srv.URL+"/repos/acme/widgets" || item.GetUser().GetLogin() != "kudos[bot]" {
		t.Errorf("item = %s", github.Stringify(item))
	}

	// Search has its own rate limit.
	if resp.Rate.Limit != 30 || resp.Header.Get("X-RateLimit-Resource") != "search" || resp.Rate.Remaining != 30-len(tests)-1 {
		t.Errorf("search rate = %+v, resource %q", resp.Rate, resp.Header.Get("X-RateLimit-Resource"))
	}
	_, coreResp, err := e.gh.Issues.ListByRepo(ctx, owner, repo, nil)
	if err != nil || coreResp.Header.Get("X-RateLimit-Resource") != "core" || coreResp.Rate.Limit != 5000 || coreResp.Rate.Remaining != 5000-7 {
		t.Errorf("core rate = %+v (%v)", coreResp.Rate, err)
	}
	if got := e.srv.Count(http.MethodGet, "/search/issues"); got != len(tests)+1 {
		t.Errorf("Count(GET, /search/issues) = %d, want %d", got, len(tests)+1)
	}

	t.Run("errors", func(t *testing.T) {
		auth := "token " + e.token(t)
		for _, q := range []string{"", "q=", "q=" + url.QueryEscape("assignee:alice"), "q=" + url.QueryEscape("state:merged"), "q=kudos&sort=stars"} {
			resp, body := do(t, http.MethodGet, e.srv.URL+"/search/issues?"+q, auth, "")
			if resp.StatusCode != http.StatusUnprocessableEntity || message(t, body) != "Validation Failed" ||
				resp.Header.Get("X-RateLimit-Resource") != "search" {
				t.Errorf("%q: %d %s, want 422 Validation Failed", q, resp.StatusCode, body)
			}
		}
		resp, body := do(t, http.MethodGet, e.srv.URL+"/search/issues?q=kudos", "", "")
		if resp.StatusCode != http.StatusUnauthorized || message(t, body) != "Bad credentials" {
			t.Errorf("unauthenticated: %d %s, want 401", resp.StatusCode, body)
		}
	})
}

func TestSearchRateLimit(t *testing.T) {
	e := newEnv(t, fakegithub.Options{SearchRateLimit: 2})
	ctx := context.Background()
	for i := range 2 {
		_, resp, err := e.gh.Search.Issues(ctx, "kudos", nil)
		if err != nil {
			t.Fatalf("search %d: %v", i, err)
		}
		if resp.Rate.Limit != 2 || resp.Rate.Remaining != 1-i || time.Until(resp.Rate.Reset.Time) > time.Minute {
			t.Errorf("search %d: rate = %+v", i, resp.Rate)
		}
	}
	_, resp, err := e.newClient(t).Search.Issues(ctx, "kudos", nil)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want *github.RateLimitError", err)
	}
	if h := resp.Header; h.Get("X-RateLimit-Resource") != "search" || h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Limit") != "2" {
		t.Errorf("headers = %v", h)
	}
	// The core limit is untouched.
	if _, _, err := e.gh.Issues.ListComments(ctx, owner, repo, pr, nil); err != nil {
		t.Errorf("core request after search limit: %v", err)
	}
}

func TestGetRepo(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	ctx := context.Background()
	e.srv.SetRepo(owner, "Secret", true)

	r, _, err := e.gh.Repositories.Get(ctx, "ACME", "secret")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !r.GetPrivate() || r.GetVisibility() != "private" || r.GetFullName() != "acme/Secret" || r.GetName() != "Secret" ||
		r.GetID() == 0 || r.GetDefaultBranch() != "main" || r.GetOwner().GetLogin() != "acme" ||
		r.GetHTMLURL() != "https://github.com/acme/Secret" {
		t.Errorf("private repo = %s", github.Stringify(r))
	}

	r, _, err = e.gh.Repositories.Get(ctx, owner, repo)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if r.GetPrivate() || r.GetVisibility() != "public" || r.GetFullName() != "acme/widgets" ||
		r.GetDefaultBranch() != "main" || r.GetOwner().GetLogin() != "acme" || r.GetHTMLURL() != "https://github.com/acme/widgets" {
		t.Errorf("unknown repo = %s", github.Stringify(r))
	}

	e.srv.SetRepo(owner, "secret", false)
	if r, _, err := e.gh.Repositories.Get(ctx, owner, "Secret"); err != nil || r.GetPrivate() || r.GetVisibility() != "public" {
		t.Errorf("after SetRepo(false) = %s, %v", github.Stringify(r), err)
	}
	if got := e.srv.Count(http.MethodGet, "/repos/"); got != 3 {
		t.Errorf("Count(GET, /repos/) = %d, want 3", got)
	}
}

func TestConcurrentIssues(t *testing.T) {
	e := newEnv(t, fakegithub.Options{})
	e.token(t)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() {
			_, _, err := e.gh.Issues.Create(context.Background(), owner, repo, &github.IssueRequest{Title: github.String(fmt.Sprint("issue ", i))})
			errs <- err
		})
		wg.Go(func() {
			_, _, err := e.gh.Search.Issues(context.Background(), "repo:acme/widgets issue", nil)
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
	numbers := map[int]bool{}
	for _, is := range e.srv.Issues() {
		numbers[is.Number] = true
	}
	for i := range n {
		if !numbers[1000+i] {
			t.Errorf("no issue #%d among %v", 1000+i, numbers)
		}
	}
}
