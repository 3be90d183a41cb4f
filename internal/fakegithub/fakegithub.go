// Package fakegithub is an in-process fake of the parts of GitHub's REST API
// that kudos talks to: GitHub App installation tokens, issue comments, pull
// request review comments and pull request reviews, issues and issue search,
// repository contents, users and team members.
//
// The fake runs on an [httptest.Server] and answers like the real API does:
// the same status codes, JSON error bodies, Link-header pagination and
// rate-limit headers. Clients such as go-github and ghinstallation can point
// their base URL at [Server.URL] + "/" and work unchanged.
//
// Routes:
//
//	POST /app/installations/{id}/access_tokens                     (App JWT)
//	GET  /repos/{owner}/{repo}/issues/{number}/comments             (installation token)
//	POST /repos/{owner}/{repo}/issues/{number}/comments
//	GET  /repos/{owner}/{repo}/pulls/{number}/comments
//	POST /repos/{owner}/{repo}/pulls/{number}/comments              (replies only: needs in_reply_to)
//	POST /repos/{owner}/{repo}/pulls/{number}/comments/{id}/replies
//	GET  /repos/{owner}/{repo}/pulls/{number}/reviews
//	DELETE /repos/{owner}/{repo}/issues/comments/{id}
//	DELETE /repos/{owner}/{repo}/pulls/comments/{id}
//	GET  /repos/{owner}/{repo}                                      (any repository exists; see SetRepo)
//	GET  /repos/{owner}/{repo}/contents/{path...}                   (files and directories; see SetFile)
//	GET  /repos/{owner}/{repo}/issues                               (issues created through the API)
//	POST /repos/{owner}/{repo}/issues
//	GET  /repos/{owner}/{repo}/issues/{number}
//	PATCH /repos/{owner}/{repo}/issues/{number}
//	GET  /search/issues                                             ("search" rate limit)
//	GET  /users/{login}                                             (every login exists; see Ghost)
//	GET  /orgs/{org}/teams/{slug}/members                           (see SetTeam)
//
// Anything else answers 404, after authentication for /app, /repos, /orgs,
// /users and /search paths.
//
// It is used by end-to-end tests and by the offline "kudos demo", so it does
// not depend on package testing.
package fakegithub

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Comment kinds.
const (
	KindIssue  = "issue"  // a comment on the conversation tab of an issue or pull request
	KindReview = "review" // a pull request review comment (on the diff)
)

const (
	firstAutoID            = 9_000_000_001
	defaultBotLogin        = "kudos[bot]"
	defaultRateLimit       = 5000
	defaultSearchRateLimit = 30
)

// Options configures a [Server].
type Options struct {
	// AppID is the GitHub App's id. JWTs sent to the token endpoint must carry
	// it as their "iss" claim, either as a string of digits or as a number.
	AppID int64
	// PublicKey is the public half of the App's private key. JWTs must be
	// RS256-signed by the matching private key. With no key every JWT is
	// rejected.
	PublicKey *rsa.PublicKey
	// BotLogin is the login of comments created through the API.
	// It defaults to "kudos[bot]".
	BotLogin string
	// RateLimit is the number of requests each credential may make per
	// one-hour window. It defaults to 5000.
	RateLimit int
	// SearchRateLimit is the number of search requests each installation
	// token may make per one-minute window. Searches count against this
	// "search" resource instead of RateLimit. It defaults to 30.
	SearchRateLimit int
	// WriteLatency delays the handling of every POST. The request is still
	// carried out if the client gives up while waiting, as on the real
	// GitHub; it is abandoned only when the server is closed. Zero means no
	// delay.
	WriteLatency time.Duration
	// MinWriteGap, when set, enforces GitHub's secondary rate limit on
	// content-creating requests: a write for an installation sooner than
	// this after its previous one is refused with 403 and Retry-After, as
	// GitHub refuses writes that come too fast.
	MinWriteGap time.Duration
}

// Comment is an issue comment or a pull request review comment.
type Comment struct {
	ID        int64
	Owner     string
	Repo      string
	Number    int    // issue or pull request number
	Kind      string // KindIssue or KindReview
	Login     string // author
	Body      string
	InReplyTo int64 // for review comments: id of the comment replied to, or 0
	HTMLURL   string
	CreatedAt time.Time
	Token     string // installation token used to create it; empty for seeded comments
}

// Review is a pull request review.
type Review struct {
	ID          int64
	Owner       string
	Repo        string
	Number      int
	Login       string
	State       string // e.g. "APPROVED", "CHANGES_REQUESTED", "COMMENTED"
	Body        string
	HTMLURL     string
	SubmittedAt time.Time
}

// Request is a request received by the server.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	// Token is the credential from the Authorization header without its
	// scheme: an installation token, or the App JWT on /app routes.
	Token string
	// Status is the response status; 0 while the request is in flight.
	Status int
}

// Server is a running fake GitHub API. It is safe for concurrent use.
type Server struct {
	// URL is the base URL of the API, without a trailing slash.
	URL string

	opts Options
	// lastWrite is each installation's last accepted write, and
	// secondaryHits counts the writes refused for coming too fast
	// (MinWriteGap).
	lastWrite     map[int64]time.Time
	secondaryHits int
	ts            *httptest.Server
	mux           *http.ServeMux
	ctx           context.Context // canceled by Close
	cancel        context.CancelFunc

	mu           sync.Mutex
	nextID       int64
	comments     []Comment // seeded and created, in the order they were added
	reviews      []Review
	created      []Comment
	requests     []Request
	tokens       map[string]installationToken
	tokensIssued int
	buckets      map[string]*bucket
	fault        fault
	onCreate     func(ctx context.Context, c Comment)
	deleted      []Comment                    // deleted through the API, in order
	files        map[string]map[string]string // repoKey → path → content, on the default branch
	repos        map[string]repoInfo          // repoKey → repositories described by SetRepo
	ghosts       map[string]bool              // lower-case logins that do not exist
	teams        map[string][]string          // lower-case "org/slug" → member logins
	issues       []*issueRecord               // created through the API, in order
	issueNumbers map[string]int               // repoKey → last issue number assigned
}

// fault describes injected write failures.
type fault struct {
	remaining int
	status    int
	header    http.Header
}

// New starts a fake GitHub API server. Call [Server.Close] when done.
func New(opts Options) *Server {
	if opts.BotLogin == "" {
		opts.BotLogin = defaultBotLogin
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = defaultRateLimit
	}
	if opts.SearchRateLimit <= 0 {
		opts.SearchRateLimit = defaultSearchRateLimit
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:    opts,
		ctx:     ctx,
		cancel:  cancel,
		nextID:  firstAutoID,
		tokens:  make(map[string]installationToken),
		buckets: make(map[string]*bucket),

		files:        make(map[string]map[string]string),
		repos:        make(map[string]repoInfo),
		ghosts:       make(map[string]bool),
		teams:        make(map[string][]string),
		issueNumbers: make(map[string]int),
	}
	s.mux = s.routes()
	// Handlers read s.ts.URL, which Start sets before it starts serving.
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.ts.Start()
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down. It cancels requests waiting on WriteLatency
// and the contexts passed to OnCreate hooks, then waits for outstanding
// requests to finish.
func (s *Server) Close() {
	s.cancel()
	s.ts.Close()
}

// AddIssueComment seeds an issue comment, as if login had written it on
// GitHub. Its id is assigned automatically.
func (s *Server) AddIssueComment(owner, repo string, number int, login, body string) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCommentLocked(Comment{
		Owner: owner, Repo: repo, Number: number, Kind: KindIssue, Login: login, Body: body,
	}, false)
}

// AddReviewComment seeds a pull request review comment. id is chosen by the
// caller so that it can match ids in webhook payloads; 0 assigns one
// automatically. inReplyTo is the id of the comment it replies to, or 0.
func (s *Server) AddReviewComment(owner, repo string, number int, id int64, login, body string, inReplyTo int64) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCommentLocked(Comment{
		ID: id, Owner: owner, Repo: repo, Number: number, Kind: KindReview,
		Login: login, Body: body, InReplyTo: inReplyTo,
	}, false)
}

// AddReview seeds a pull request review. id is chosen by the caller; 0
// assigns one automatically.
func (s *Server) AddReview(owner, repo string, number int, id int64, login, state, body string) Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := Review{
		ID: s.idLocked(id), Owner: owner, Repo: repo, Number: number,
		Login: login, State: state, Body: body, SubmittedAt: now(),
	}
	r.HTMLURL = fmt.Sprintf("https://github.com/%s/%s/pull/%d#pullrequestreview-%d", owner, repo, number, r.ID)
	s.reviews = append(s.reviews, r)
	return r
}

// Created returns the comments created through the API, in order, including
// those deleted since.
func (s *Server) Created() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Comment(nil), s.created...)
}

// Deleted returns the comments deleted through the API, seeded or created,
// in the order they were deleted.
func (s *Server) Deleted() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Comment(nil), s.deleted...)
}

// Live returns the comments created through the API and not deleted since,
// in the order they were created.
func (s *Server) Live() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	type key struct {
		kind string
		id   int64
	}
	gone := make(map[key]bool, len(s.deleted))
	for _, c := range s.deleted {
		gone[key{c.Kind, c.ID}] = true
	}
	var out []Comment
	for _, c := range s.created {
		if !gone[key{c.Kind, c.ID}] {
			out = append(out, c)
		}
	}
	return out
}

// Requests returns every request received, in the order received.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns the number of requests received with the given method whose
// path starts with pathPrefix. An empty method matches every method.
func (s *Server) Count(method, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || strings.EqualFold(r.Method, method)) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// TokensIssued returns the number of installation tokens issued.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokensIssued
}

// String lists the comments created through the API, one per line, in the
// style of Prow's fake GitHub client: "acme/widgets#5:<body>", or
// "acme/widgets#5 r<parentID>:<body>" for review comment replies. Lines are
// separated by "\n", with no trailing newline.
func (s *Server) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := make([]string, 0, len(s.created))
	for _, c := range s.created {
		if c.Kind == KindReview && c.InReplyTo != 0 {
			lines = append(lines, fmt.Sprintf("%s/%s#%d r%d:%s", c.Owner, c.Repo, c.Number, c.InReplyTo, c.Body))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s/%s#%d:%s", c.Owner, c.Repo, c.Number, c.Body))
	}
	return strings.Join(lines, "\n")
}

// FailWrites makes the next n writes (POST, PATCH, PUT and DELETE requests)
// under /repos/ that pass authentication and the primary rate limit fail
// with status, without side effects. A 403 or 429 answers like GitHub's
// secondary rate limit; any other status answers {"message":"Server Error"}.
// header (e.g. Retry-After) is copied to those responses. A status outside
// 400–599 is treated as 500. It replaces any earlier FailWrites; n <= 0 turns
// failures off.
func (s *Server) FailWrites(n int, status int, header http.Header) {
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = fault{remaining: max(n, 0), status: status, header: header.Clone()}
}

// OnCreate registers fn to be called each time a comment is created through
// the API, after it is stored and before the response is written. ctx is the
// request's context, also canceled when the server is closed. fn may block,
// for example to simulate a client that dies after the server stored its
// comment. It replaces any earlier hook; nil removes it.
func (s *Server) OnCreate(fn func(ctx context.Context, c Comment)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCreate = fn
}

// addCommentLocked stores c, assigning its id, URL and time as needed.
// created marks comments made through the API. s.mu must be held.
func (s *Server) addCommentLocked(c Comment, created bool) Comment {
	c.ID = s.idLocked(c.ID)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	anchor := "issuecomment-"
	if c.Kind == KindReview {
		anchor = "discussion_r"
	}
	c.HTMLURL = fmt.Sprintf("https://github.com/%s/%s/pull/%d#%s%d", c.Owner, c.Repo, c.Number, anchor, c.ID)
	s.comments = append(s.comments, c)
	if created {
		s.created = append(s.created, c)
	}
	return c
}

// idLocked returns id, or the next automatic id when id is 0. Automatic ids
// skip past any id chosen by a caller. s.mu must be held.
func (s *Server) idLocked(id int64) int64 {
	if id == 0 {
		id = s.nextID
	}
	if id >= s.nextID {
		s.nextID = id + 1
	}
	return id
}

// repoKey identifies a repository. Like GitHub, owner and repository names
// are case-insensitive.
func repoKey(owner, repo string) string {
	return strings.ToLower(owner) + "/" + strings.ToLower(repo)
}

// now returns the current time as GitHub reports it: UTC, whole seconds.
func now() time.Time {
	return time.Now().UTC().Truncate(time.Second)
}
