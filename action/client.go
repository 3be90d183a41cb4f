// Package action is the only part of Kudos that writes to GitHub: the
// worker that turns queued suggestions into replies, and the installation
// clients it posts with.
package action

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v66/github"

	"github.com/kudos-app/kudos/store"
)

// DefaultAPIURL is GitHub.com's REST API.
const DefaultAPIURL = "https://api.github.com"

// RetryPolicy bounds how hard a transient GitHub error is retried.
type RetryPolicy struct {
	// Attempts is the most tries per call, the first included.
	Attempts int
	// Base is the first backoff; it doubles each attempt.
	Base time.Duration
	// MaxWait caps one wait, including Retry-After and rate-limit resets.
	MaxWait time.Duration
}

// DefaultRetry retries for a few minutes at most, within a worker's lease.
var DefaultRetry = RetryPolicy{Attempts: 5, Base: time.Second, MaxWait: time.Minute}

// GitHubOptions configure GitHub.
type GitHubOptions struct {
	AppID      int64
	PrivateKey []byte
	// APIURL is the REST base, e.g. https://HOST/api/v3 for GitHub
	// Enterprise Server; the token endpoint lives under it too.
	APIURL string
	// Timeout bounds each HTTP request.
	Timeout time.Duration
	Retry   RetryPolicy
	Logger  *slog.Logger
	// Pacer, when set, spaces each installation's writes under Limits,
	// shared by every replica.
	Pacer  WritePacer
	Limits store.WriteLimits
}

// WritePacer books an installation's next write to GitHub.
type WritePacer interface {
	ReserveWrite(ctx context.Context, inst int64, lim store.WriteLimits, now time.Time) (time.Duration, error)
	WroteLate(ctx context.Context, inst int64, lim store.WriteLimits, sent time.Time) error
}

var _ WritePacer = (*store.Store)(nil)

// GitHub posts as the App's installations, with installation tokens that
// ghinstallation caches until shortly before they expire.
type GitHub struct {
	opts    GitHubOptions
	base    *url.URL
	apps    *ghinstallation.AppsTransport
	mu      sync.Mutex
	clients map[int64]*github.Client
}

// NewGitHub checks the App's credentials and returns a GitHub.
func NewGitHub(opts GitHubOptions) (*GitHub, error) {
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Retry.Attempts <= 0 {
		opts.Retry = DefaultRetry
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Limits.Gap <= 0 || opts.Limits.PerHour <= 0 || opts.Limits.Window <= 0 {
		opts.Limits = store.DefaultWriteLimits
	}
	base, err := url.Parse(strings.TrimSuffix(opts.APIURL, "/") + "/")
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("parse GITHUB_API_URL %q: not an absolute URL", opts.APIURL)
	}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	apps, err := ghinstallation.NewAppsTransport(tr, opts.AppID, opts.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("load GitHub App private key: %w", err)
	}
	apps.BaseURL = strings.TrimSuffix(base.String(), "/")
	return &GitHub{opts: opts, base: base, apps: apps, clients: map[int64]*github.Client{}}, nil
}

// client returns the installation's client, creating it once.
func (g *GitHub) client(inst int64) *github.Client {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.clients[inst]; ok {
		return c
	}
	itr := ghinstallation.NewFromAppsTransport(g.apps, inst)
	itr.BaseURL = g.apps.BaseURL
	itr.Client = &http.Client{Transport: g.apps, Timeout: g.opts.Timeout}
	c := github.NewClient(&http.Client{Transport: itr, Timeout: g.opts.Timeout})
	c.BaseURL = g.base
	c.UploadURL = g.base
	c.UserAgent = "kudos-github-app"
	g.clients[inst] = c
	return c
}

// Posted is a comment Kudos wrote.
type Posted struct {
	// Kind is "issue" for a conversation comment, "review" for a reply in
	// a review thread.
	Kind string
	ID   int64
	URL  string
}

// pace waits for the installation's next write slot.
func (g *GitHub) pace(ctx context.Context, inst int64) error {
	if g.opts.Pacer == nil {
		return nil
	}
	now := time.Now()
	wait, err := g.opts.Pacer.ReserveWrite(ctx, inst, g.opts.Limits, now)
	if err != nil || wait <= 0 {
		return err
	}
	slot := now.Add(wait)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("wait for a write slot: %w", ctx.Err())
	case <-t.C:
	}
	// Woken late (a busy machine): keep a full gap before the next write.
	if sent := time.Now(); sent.Sub(slot) > g.opts.Limits.Gap/10 {
		return g.opts.Pacer.WroteLate(ctx, inst, g.opts.Limits, sent)
	}
	return nil
}

// write is retry for a request that creates, changes or deletes: each
// attempt first waits for the installation's write slot.
func (g *GitHub) write(ctx context.Context, inst int64, what string, call func(context.Context) (*github.Response, error)) error {
	return g.retry(ctx, what, func(ctx context.Context) (*github.Response, error) {
		if err := g.pace(ctx, inst); err != nil {
			return nil, err
		}
		return call(ctx)
	})
}

// CreateComment posts an issue or PR conversation comment.
func (g *GitHub) CreateComment(ctx context.Context, inst int64, owner, repo string, number int, body string) (Posted, error) {
	out := Posted{Kind: "issue"}
	err := g.write(ctx, inst, fmt.Sprintf("comment on %s/%s#%d", owner, repo, number), func(ctx context.Context) (*github.Response, error) {
		c, resp, err := g.client(inst).Issues.CreateComment(ctx, owner, repo, number, &github.IssueComment{Body: &body})
		out.ID, out.URL = c.GetID(), c.GetHTMLURL()
		return resp, err
	})
	return out, err
}

// ReplyToReviewComment posts a reply in the review thread started by
// threadID.
func (g *GitHub) ReplyToReviewComment(ctx context.Context, inst int64, owner, repo string, number int, threadID int64, body string) (Posted, error) {
	out := Posted{Kind: "review"}
	err := g.write(ctx, inst, fmt.Sprintf("reply in thread %d on %s/%s#%d", threadID, owner, repo, number), func(ctx context.Context) (*github.Response, error) {
		c, resp, err := g.client(inst).PullRequests.CreateCommentInReplyTo(ctx, owner, repo, number, body, threadID)
		out.ID, out.URL = c.GetID(), c.GetHTMLURL()
		return resp, err
	})
	return out, err
}

// FindMarkers looks through a PR's or issue's comments (review comments
// when inReviewThreads) for the markers of ids and returns where each one
// found was posted.
func (g *GitHub) FindMarkers(ctx context.Context, inst int64, owner, repo string, number int, inReviewThreads bool, ids []string) (map[string]string, error) {
	found := map[string]string{}
	scan := func(body, url string) {
		for _, id := range ids {
			if strings.Contains(body, "<!-- kudos:"+id+" -->") {
				found[id] = url
			}
		}
	}
	what := fmt.Sprintf("list comments of %s/%s#%d", owner, repo, number)
	err := g.paginate(ctx, what, func(ctx context.Context, page github.ListOptions) (*github.Response, error) {
		if inReviewThreads {
			cs, resp, err := g.client(inst).PullRequests.ListComments(ctx, owner, repo, number,
				&github.PullRequestListCommentsOptions{ListOptions: page})
			for _, c := range cs {
				scan(c.GetBody(), c.GetHTMLURL())
			}
			return resp, err
		}
		cs, resp, err := g.client(inst).Issues.ListComments(ctx, owner, repo, number,
			&github.IssueListCommentsOptions{ListOptions: page})
		for _, c := range cs {
			scan(c.GetBody(), c.GetHTMLURL())
		}
		return resp, err
	})
	return found, err
}

// paginate calls fetch for every page of a listing, 100 a page, retrying
// each page as retry does.
func (g *GitHub) paginate(ctx context.Context, what string, fetch func(context.Context, github.ListOptions) (*github.Response, error)) error {
	for page := 1; page != 0; {
		next := 0
		err := g.retry(ctx, what, func(ctx context.Context) (*github.Response, error) {
			resp, err := fetch(ctx, github.ListOptions{Page: page, PerPage: 100})
			next = nextPage(resp)
			return resp, err
		})
		if err != nil {
			return err
		}
		page = next
	}
	return nil
}

func nextPage(resp *github.Response) int {
	if resp == nil {
		return 0
	}
	return resp.NextPage
}

// PermanentError is a GitHub answer that retrying cannot change (404, 422…).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err will not go away by retrying.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// retry runs call until it succeeds, fails permanently, or the policy's
// attempts are spent, waiting as GitHub asks between tries.
func (g *GitHub) retry(ctx context.Context, what string, call func(context.Context) (*github.Response, error)) error {
	p := g.opts.Retry
	backoff := p.Base
	var err error
	for attempt := 1; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, g.opts.Timeout)
		var resp *github.Response
		resp, err = call(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		wait, transient := classify(err, resp, backoff)
		if !transient {
			return &PermanentError{Err: fmt.Errorf("%s: %w", what, err)}
		}
		if attempt >= p.Attempts {
			return fmt.Errorf("%s: giving up after %d attempts: %w", what, attempt, err)
		}
		wait = min(wait, p.MaxWait)
		g.opts.Logger.Warn("GitHub call failed; retrying", slog.String("call", what),
			slog.Int("attempt", attempt), slog.Duration("wait", wait), slog.Any("err", err))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w", what, ctx.Err())
		case <-t.C:
		}
		backoff *= 2
	}
}

// classify says whether err is worth retrying and after how long.
func classify(err error, resp *github.Response, backoff time.Duration) (time.Duration, bool) {
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		if d := abuse.GetRetryAfter(); d > 0 {
			return d, true
		}
		return max(backoff, time.Minute), true
	}
	var limit *github.RateLimitError
	if errors.As(err, &limit) {
		return max(time.Until(limit.Rate.Reset.Time), backoff), true
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		code := er.Response.StatusCode
		if code == http.StatusTooManyRequests || code >= 500 {
			if resp != nil {
				if d := retryAfter(resp.Header.Get("Retry-After")); d > 0 {
					return d, true
				}
			}
			return backoff, true
		}
		return 0, false
	}
	// Network errors and timeouts.
	return backoff, true
}

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}
