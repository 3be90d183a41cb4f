package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
)

func mergedPR() []byte {
	return payload.PullRequest(payload.PROpts{Common: payload.Common{Sender: "alice", Title: "Fix the race"},
		Action: "closed", Merged: true, MergedBy: "alice"})
}

// repoCalls counts the REST calls Kudos made about repositories, apart
// from reading .github/kudos.yml (cached for hours per repository) and
// the cached token request.
func repoCalls(e *env) int {
	n := 0
	for _, r := range e.gh.Requests() {
		if strings.HasPrefix(r.Path, "/repos/") && !strings.Contains(r.Path, "/contents/") {
			n++
		}
	}
	return n
}

// configReads counts the reads of the configuration file: the repository's
// and the organisation's, once per repository while cached.
func configReads(e *env) int {
	return e.gh.Count(http.MethodGet, "/repos/acme/widgets/contents/") + e.gh.Count(http.MethodGet, "/repos/acme/.github/contents/")
}

func TestShoutOutOnMerge(t *testing.T) {
	e := newEnv(t, "all")
	at := func(m int) time.Time { return payload.DefaultAt.Add(time.Duration(m) * time.Minute) }
	story := []struct{ event, body string }{
		{"pull_request", string(payload.PullRequest(payload.PROpts{Common: payload.Common{Title: "Fix the race"}}))},
		{"pull_request_review", string(payload.Review(payload.ReviewOpts{ID: 2001, Author: "bob", State: "changes_requested", Body: "This races.", At: at(1)}))},
		{"pull_request_review_comment", string(payload.ReviewComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "`attempts++` runs outside the mutex.", At: at(2)}))},
		{"pull_request_review_comment", string(payload.ReviewComment(payload.CommentOpts{ID: 1005, Author: "carol",
			Body: "```suggestion\nretryMu sync.Mutex\n```", At: at(3)}))},
		{"pull_request", string(payload.PullRequest(payload.PROpts{Action: "synchronize", At: at(4)}))},
		{"pull_request_review", string(payload.Review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved", At: at(5)}))},
		{"pull_request_review", string(payload.Review(payload.ReviewOpts{ID: 2003, Author: "dependabot[bot]", AuthorType: "Bot", State: "approved", At: at(6)}))},
	}
	for i, s := range story {
		if got := e.send(s.event, fmt.Sprintf("d-%d", i), []byte(s.body)); got != http.StatusAccepted {
			t.Fatalf("step %d (%s): %d, want 202", i, s.event, got)
		}
	}
	for i := range 2 { // the merge, then the same merge redelivered under a new id
		if got := e.send("pull_request", fmt.Sprintf("merge-%d", i), mergedPR()); got != http.StatusAccepted {
			t.Fatalf("merge %d: %d, want 202", i, got)
		}
		e.drained()
	}
	got := e.gh.Created()
	if len(got) != 1 {
		t.Fatalf("shout-outs = %d, want exactly 1:\n%s", len(got), e.gh.String())
	}
	body := got[0].Body
	for _, want := range []string{
		"**Fix the race** (#42) is merged",
		"- **bob** [asked for changes](https://github.com/acme/widgets/pull/42#pullrequestreview-2001)",
		"[left a review comment](https://github.com/acme/widgets/pull/42#discussion_r1002)",
		"[approved once the fixes landed](https://github.com/acme/widgets/pull/42#pullrequestreview-2002)",
		"- **carol** [suggested a code change](https://github.com/acme/widgets/pull/42#discussion_r1005)",
		"<!-- kudos:",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("shout-out lacks %q:\n%s", want, body)
		}
	}
	for _, never := range []string{"@bob", "@carol", "dependabot", "alice"} {
		if strings.Contains(body, never) {
			t.Errorf("shout-out names or pings %q:\n%s", never, body)
		}
	}
	if n := repoCalls(e); n != 1 {
		t.Errorf("REST calls for a shout-out with a complete ledger = %d, want 1 (the post)", n)
	}
	if n := configReads(e); n != 2 {
		t.Errorf("configuration reads = %d, want 2 (repository, then organisation), cached after", n)
	}
}

func TestShoutOutBackfillsAMissedPR(t *testing.T) {
	e := newEnv(t, "all")
	// Kudos was installed after this PR opened: GitHub has its reviews,
	// the ledger has nothing.
	e.gh.AddReview("acme", "widgets", 42, 2001, "bob", "APPROVED", "Looks right.")
	e.gh.AddReview("acme", "widgets", 42, 2002, "alice", "COMMENTED", "Thanks!")
	for i := range 130 {
		e.gh.AddReviewComment("acme", "widgets", 42, int64(1001+i), "carol", fmt.Sprintf("nit %d", i), 0)
	}
	if got := e.send("pull_request", "merge-1", mergedPR()); got != http.StatusAccepted {
		t.Fatalf("merge: %d, want 202", got)
	}
	e.drained()
	got := e.gh.Created()
	if len(got) != 1 {
		t.Fatalf("shout-outs = %d, want 1:\n%s", len(got), e.gh.String())
	}
	for _, want := range []string{
		"- **bob** [approved it](https://github.com/acme/widgets/pull/42#pullrequestreview-2001)",
		"- **carol** [left 130 review comments](https://github.com/acme/widgets/pull/42#discussion_r1001)",
	} {
		if !strings.Contains(got[0].Body, want) {
			t.Errorf("shout-out lacks %q:\n%s", want, got[0].Body)
		}
	}
	reviews := e.gh.Count(http.MethodGet, "/repos/acme/widgets/pulls/42/reviews")
	comments := e.gh.Count(http.MethodGet, "/repos/acme/widgets/pulls/42/comments")
	if reviews != 1 || comments != 2 || repoCalls(e) != 4 {
		t.Errorf("calls: %d review pages, %d review-comment pages, %d in all; want 1, 2 and 4 (1 post + 3 pages)",
			reviews, comments, repoCalls(e))
	}
	// A second merge of the same PR uses the backfilled ledger and posts nothing.
	before := repoCalls(e)
	if got := e.send("pull_request", "merge-2", mergedPR()); got != http.StatusAccepted {
		t.Fatalf("second merge: %d", got)
	}
	e.drained()
	if n := len(e.gh.Created()); n != 1 || repoCalls(e) != before {
		t.Errorf("after the second merge: %d shout-outs, %d more calls; want 1 and 0", n, repoCalls(e)-before)
	}
}

func TestNoShoutOutWithoutReviewers(t *testing.T) {
	e := newEnv(t, "all")
	e.send("pull_request", "d-1", payload.PullRequest(payload.PROpts{}))
	e.send("issue_comment", "d-2", payload.IssueComment(payload.CommentOpts{ID: 3001, Author: "alice", Body: "Self-merging a typo fix."}))
	e.send("pull_request", "d-3", mergedPR())
	e.send("pull_request", "d-4", payload.PullRequest(payload.PROpts{Common: payload.Common{Number: 43}, Action: "closed"}))
	e.drained()
	if n := len(e.gh.Created()); n != 0 {
		t.Fatalf("posted %d comments for a PR only its author touched:\n%s", n, e.gh.String())
	}
	if n := repoCalls(e); n != 0 {
		t.Fatalf("made %d REST calls, want 0", n)
	}
}
