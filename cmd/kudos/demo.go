package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kudos-app/kudos/action"
	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
	"github.com/kudos-app/kudos/webhook"
)

const demoAppID = 4242

// step is one webhook delivery of the demo's story.
type step struct {
	say      string
	event    string
	delivery string
	body     []byte
}

// demo runs the whole pipeline offline: an embedded Redis, an in-process
// fake GitHub, and a scripted story of real-shaped webhook deliveries,
// each signed and sent through the real HTTP handler and the real worker.
// It prints every comment the app posts.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("demo takes no arguments, got %q", args)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generate demo App key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	gh := fakegithub.New(fakegithub.Options{AppID: demoAppID, PublicKey: &key.PublicKey})
	defer gh.Close()

	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return fmt.Errorf("generate demo webhook secret: %w", err)
	}
	a, err := newApp(ctx, appConfig{
		serve: serveConfig{
			AppID: demoAppID, PrivateKey: string(keyPEM), WebhookSecret: string(secret),
			APIURL: gh.URL, Addr: "127.0.0.1:0", Role: "all", ReclaimAfter: 5 * time.Second,
			WriteGap: 20 * time.Millisecond, // GitHub's one-second pace, compressed for the story
		},
		log:    log,
		worker: action.WorkerOptions{Block: time.Second, ReclaimEvery: time.Second, Lease: 5 * time.Second},
		// The story's week is 2026-W47; the demo posts its summary itself, at the end.
		scheduler: action.SchedulerOptions{Now: func() time.Time { return demoStart }},
		retry:     action.RetryPolicy{Attempts: 3, Base: 50 * time.Millisecond, MaxWait: time.Second},
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	fmt.Fprintf(stdout, "Kudos demo — acme/widgets, pull request #42 \"Fix the race in the retry loop\" by alice\n")
	fmt.Fprintf(stdout, "(embedded Redis, fake GitHub at %s, webhooks signed and sent to %s%s)\n\n", gh.URL, a.URL(), webhook.Path)
	seen := 0
	for i, st := range demoStory(gh) {
		status, err := sendSigned(ctx, a.URL()+webhook.Path, secret, st)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%2d. %s\n    → webhook answered %d %s\n", i+1, st.say, status, http.StatusText(status))
		if err := waitDrained(ctx, a.store); err != nil {
			return err
		}
		created := gh.Created()
		for _, c := range created[seen:] {
			printComment(stdout, c)
		}
		if len(created) == seen && status == http.StatusAccepted {
			fmt.Fprintln(stdout, "    (no reply: nothing to say)")
		}
		seen = len(created)
		fmt.Fprintln(stdout)
	}
	if err := demoSummary(ctx, a, stdout); err != nil {
		return err
	}
	for _, is := range gh.Issues() {
		fmt.Fprintf(stdout, "    ┌ %s/%s#%d %q [%s]\n", is.Owner, is.Repo, is.Number, is.Title, strings.Join(is.Labels, ", "))
		for _, line := range strings.Split(strings.TrimRight(is.Body, "\n"), "\n") {
			fmt.Fprintf(stdout, "    │ %s\n", line)
		}
		fmt.Fprintf(stdout, "    └ %s\n\n", is.HTMLURL)
	}
	fmt.Fprintf(stdout, "Kudos posted %d comments and %d summary issue(s) for %d deliveries; GitHub saw %d API requests and issued %d installation token(s).\n",
		seen, len(gh.Issues()), len(demoStory(gh)), len(gh.Requests()), gh.TokensIssued())
	return nil
}

// demoSummary posts the week's summary of acme/widgets, as the scheduler
// does on Monday morning.
func demoSummary(ctx context.Context, a *app, stdout io.Writer) error {
	const repo = "acme/widgets"
	rk, ok, err := a.store.FindRepo(ctx, repo)
	if err != nil || !ok {
		return fmt.Errorf("find %s in the store: %v", repo, err)
	}
	entry, err := a.summaries.Configs.Load(ctx, rk.Installation, rk.RepoID, "acme", "widgets")
	if err != nil {
		return err
	}
	sc, err := action.ScopeOf(rk.Installation, repo, "", entry.Config)
	if err != nil {
		return err
	}
	week := recognizer.WeekOf(demoStart, time.UTC)
	fmt.Fprintf(stdout, "Monday morning: Kudos opens the weekly summary of %s for %s\n", repo, week)
	_, err = a.summaries.Summarizer.Post(ctx, sc, week)
	return err
}

func printComment(w io.Writer, c fakegithub.Comment) {
	where := fmt.Sprintf("%s/%s#%d", c.Owner, c.Repo, c.Number)
	if c.InReplyTo != 0 {
		where += fmt.Sprintf(", in the review thread of comment %d", c.InReplyTo)
	}
	fmt.Fprintf(w, "    ┌ %s replied on %s\n", c.Login, where)
	for _, line := range strings.Split(strings.TrimRight(c.Body, "\n"), "\n") {
		fmt.Fprintf(w, "    │ %s\n", line)
	}
	fmt.Fprintf(w, "    └ %s\n", c.HTMLURL)
}

func sendSigned(ctx context.Context, url string, secret []byte, st step) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(st.body))
	if err != nil {
		return 0, fmt.Errorf("build delivery %s: %w", st.delivery, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", st.event)
	req.Header.Set("X-GitHub-Delivery", st.delivery)
	req.Header.Set(webhook.SignatureHeader, webhook.Sign(secret, st.body))
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("send delivery %s: %w", st.delivery, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// waitDrained waits until the worker has handled every queued suggestion,
// so the story prints in order.
func waitDrained(ctx context.Context, st *store.Store) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		n, err := st.Client().XLen(ctx, store.QueueStream).Result()
		if err != nil {
			return fmt.Errorf("watch the queue: %w", err)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("the worker did not drain the queue within 15s")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// demoStart is when the demo's story begins: Monday of week 2026-W47.
var demoStart = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

// demoConfig is the organisation-wide .github/kudos.yml of the demo.
const demoConfig = `version: 1
commands:
  aliases: [props]
values:
  - tag: teamwork
    description: Helping each other get unstuck
  - tag: reliability
    description: Systems people can count on
limits:
  thanks_per_hour: 5
`

// demoStory is a small, real-shaped week on one pull request.
func demoStory(gh *fakegithub.Server) []step {
	t0 := demoStart
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	pr := payload.Common{TargetAuthor: "alice", Title: "Fix the race in the retry loop"}
	with := func(sender string) payload.Common { c := pr; c.Sender = sender; return c }

	// The review comments exist on GitHub, so the app can reply in their thread.
	gh.AddReviewComment("acme", "widgets", 42, 1002, "bob", "`attempts++` runs outside the mutex", 0)
	gh.AddReviewComment("acme", "widgets", 42, 1003, "alice", "Good catch — moved under the lock", 1002)
	// The team configured Kudos for the whole organisation.
	gh.SetFile("acme", ".github", ".github/kudos.yml", demoConfig)

	n := 0
	d := func() string { n++; return fmt.Sprintf("demo-%04d", n) }
	return []step{
		{"alice opens the pull request", "pull_request", d(),
			payload.PullRequest(payload.PROpts{Common: with("alice"), Action: "opened", At: at(0)})},
		{"alice asks carol for a review", "pull_request", d(),
			payload.PullRequest(payload.PROpts{Common: with("alice"), Action: "review_requested", RequestedReviewer: "carol", At: at(1)})},
		{"bob asks for changes: \"the retry loop reads attempts without the lock\"", "pull_request_review", d(),
			payload.Review(payload.ReviewOpts{Common: with("bob"), ID: 2001, Author: "bob", State: "changes_requested",
				Body: "The retry loop reads `attempts` without holding the lock — this races under load.", At: at(30)})},
		{"bob leaves a review comment on the diff", "pull_request_review_comment", d(),
			payload.ReviewComment(payload.CommentOpts{Common: with("bob"), ID: 1002, ReviewID: 2001, Author: "bob",
				Body: "`attempts++` runs outside the mutex; two goroutines can both decide to retry.", At: at(31)})},
		{"alice answers in the thread: /thanks @bob for catching the race … #reliability", "pull_request_review_comment", d(),
			payload.ReviewComment(payload.CommentOpts{Common: with("alice"), ID: 1003, ReviewID: 2003, InReplyTo: 1002, Author: "alice",
				Body: "Good catch — moved it under the lock.\n\n/thanks @bob for catching the race in the retry loop #reliability", At: at(95)})},
		{"alice pushes the fix", "pull_request", d(),
			payload.PullRequest(payload.PROpts{Common: with("alice"), Action: "synchronize", At: at(100)})},
		{"carol suggests a clearer name in a review comment", "pull_request_review_comment", d(),
			payload.ReviewComment(payload.CommentOpts{Common: with("carol"), ID: 1004, ReviewID: 2005, Author: "carol",
				Body: "Maybe name it for what it guards:\n```suggestion\n\tretryMu sync.Mutex\n```", At: at(170)})},
		{"carol reports back from staging", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("carol"), ID: 3001, Author: "carol",
				Body: "Ran this on staging at 500 rps for an hour: no duplicate retries any more.", At: at(180)})},
		{"alice is stuck: CI is red on the race detector", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("alice"), ID: 3101, Author: "alice",
				Body: "CI fails with `WARNING: DATA RACE` in TestRetryBackoff now — any idea what I'm missing?", At: at(182)})},
		{"dave answers", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("dave"), ID: 3102, Author: "dave",
				Body: "The test's fake clock is shared between subtests; give each `t.Run` its own `newFakeClock()`.", At: at(186)})},
		{"alice: that fixed it", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("alice"), ID: 3103, Author: "alice",
				Body: "That fixed it, thanks @dave! 🙏", At: at(195)})},
		{"bob approves", "pull_request_review", d(),
			payload.Review(payload.ReviewOpts{Common: with("bob"), ID: 2004, Author: "bob", State: "approved",
				Body: "LGTM, thanks for the quick turnaround.", At: at(200)})},
		{"alice thanks two people at once: /kudos @carol @bob for … #teamwork", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("alice"), ID: 3002, Author: "alice",
				Body: "Merging after CI.\n/kudos @carol @bob for the staging soak test and the careful review #teamwork", At: at(210)})},
		{"GitHub redelivers that same delivery", "issue_comment", fmt.Sprintf("demo-%04d", n),
			payload.IssueComment(payload.CommentOpts{Common: with("alice"), ID: 3002, Author: "alice",
				Body: "Merging after CI.\n/kudos @carol @bob for the staging soak test and the careful review #teamwork", At: at(210)})},
		{"dave documents the command inside a code block (must be ignored)", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("dave"), ID: 3003, Author: "dave",
				Body: "For the wiki, the syntax is:\n\n```\n/thanks @someone for what they did\n```\n\n> /thanks @bob — quoted, so not a command either", At: at(220)})},
		{"bob tries to thank himself", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("bob"), ID: 3004, Author: "bob",
				Body: "/thanks @bob for my own review 😄", At: at(230)})},
		{"dave thanks a bot: /shoutout @dependabot", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("dave"), ID: 3005, Author: "dave",
				Body: "/shoutout @dependabot for the bumps", At: at(240)})},
		{"the app's own reply comes back as a webhook (must never loop)", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: payload.Common{TargetAuthor: "alice", Sender: "kudos[bot]", SenderType: "Bot"},
				ID: 3006, Author: "kudos[bot]", AuthorType: "Bot",
				Body: "🙌 **alice** thanks @bob …\n<!-- kudos:0123456789abcdef0123 -->", At: at(241)})},
		{"dave thanks alice for driving the fix", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("dave"), ID: 3007, Author: "dave",
				Body: "/shoutout @alice for driving this fix to the finish", At: at(250)})},
		{"carol asks what Kudos can do: /kudos help", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("carol"), ID: 3008, Author: "carol", Body: "/kudos help", At: at(251)})},
		{"erin would rather not be named: /kudos opt-out", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("erin"), ID: 3009, Author: "erin", Body: "/kudos opt-out", At: at(252)})},
		{"alice thanks erin and carol: erin is thanked without her name", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("alice"), ID: 3010, Author: "alice",
				Body: "/thanks @erin @carol for the load-test scripts #teamwork", At: at(253)})},
		{"frank thanks four people at once", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("frank"), ID: 3011, Author: "frank", Body: "/props @alice @bob @carol @dave for the fix", At: at(254)})},
		{"frank goes on: over the team's limit of 5 thanks an hour, one short notice", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("frank"), ID: 3012, Author: "frank", Body: "/thanks @bob @carol again!", At: at(255)})},
		{"frank once more: silence", "issue_comment", d(),
			payload.IssueComment(payload.CommentOpts{Common: with("frank"), ID: 3013, Author: "frank", Body: "/thanks @dave @alice", At: at(256)})},
		{"alice merges the pull request: Kudos thanks its reviewers", "pull_request", d(),
			payload.PullRequest(payload.PROpts{Common: with("alice"), Action: "closed", Merged: true, MergedBy: "alice", At: at(260)})},
		{"GitHub delivers the merge again under a new id (no second shout-out)", "pull_request", d(),
			payload.PullRequest(payload.PROpts{Common: with("alice"), Action: "closed", Merged: true, MergedBy: "alice", At: at(260)})},
	}
}
