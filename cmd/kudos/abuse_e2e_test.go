package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
)

func TestOptOutAndOptIn(t *testing.T) {
	e := newEnv(t, "all")
	e.send("issue_comment", "d-1", thanksFrom("carol", 3001, "/kudos opt-out"))
	got := e.waitReplies(1)
	if !strings.Contains(got[0].Body, "won't name you") || strings.Contains(got[0].Body, "carol") {
		t.Fatalf("opt-out reply:\n%s", got[0].Body)
	}
	e.send("issue_comment", "d-2", thanksFrom("alice", 3002, "/thanks @carol @bob for the soak test"))
	got = e.waitReplies(2)
	if body := got[1].Body; strings.Contains(strings.ToLower(body), "carol") || !strings.Contains(body, "someone who prefers not to be named") || !strings.Contains(body, "@bob") {
		t.Fatalf("thanks to someone who opted out names them, or drops them:\n%s", body)
	}
	// carol's own thanks do not name her either.
	e.send("issue_comment", "d-3", thanksFrom("carol", 3003, "/thanks @bob"))
	got = e.waitReplies(3)
	if body := got[2].Body; strings.Contains(body, "carol") || !strings.HasPrefix(body, "🙌 A teammate thanks @bob") {
		t.Fatalf("an opted-out giver is named:\n%s", body)
	}
	e.send("issue_comment", "d-4", thanksFrom("carol", 3004, "/kudos opt-in"))
	e.waitReplies(4)
	e.send("issue_comment", "d-5", thanksFrom("alice", 3005, "/thanks @carol"))
	got = e.waitReplies(5)
	if !strings.Contains(got[4].Body, "@carol") {
		t.Fatalf("after opting in, carol is still not named:\n%s", got[4].Body)
	}
}

func TestOptedOutReviewerLeftOutOfShoutOut(t *testing.T) {
	e := newEnv(t, "all")
	e.send("pull_request", "d-0", payload.PullRequest(payload.PROpts{}))
	e.send("issue_comment", "d-1", thanksFrom("carol", 3001, "/kudos opt-out"))
	e.send("pull_request_review", "d-2", payload.Review(payload.ReviewOpts{ID: 2001, Author: "carol", State: "approved"}))
	e.send("pull_request_review", "d-3", payload.Review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved"}))
	e.send("pull_request", "d-4", mergedPR())
	got := e.waitReplies(2)
	shout := got[1].Body
	if strings.Contains(shout, "carol") || !strings.Contains(shout, "**bob**") {
		t.Fatalf("shout-out names someone who opted out:\n%s", shout)
	}
}

func TestUnknownAccountGetsAClearReply(t *testing.T) {
	e := newEnv(t, "all")
	e.gh.Ghost("bobb")
	e.send("issue_comment", "d-1", thanksFrom("alice", 3001, "/thanks @bobb @carol for the fix"))
	got := e.waitReplies(1)
	if !strings.Contains(got[0].Body, "`bobb` isn't a GitHub account") || strings.Contains(got[0].Body, "@bobb") || !strings.Contains(got[0].Body, "@carol") {
		t.Fatalf("reply:\n%s", got[0].Body)
	}
}

func TestEditedCommandAnsweredOncePerDistinctCommand(t *testing.T) {
	e := newEnv(t, "all")
	body := "/thanks @bob for the review"
	e.send("issue_comment", "d-1", thanksFrom("alice", 3001, body))
	e.waitReplies(1)
	edit := func(id, newBody string) {
		e.send("issue_comment", id, payload.IssueComment(payload.CommentOpts{Action: "edited", ID: 3001, Author: "alice", Body: newBody, PreviousBody: body}))
		e.drained()
	}
	edit("d-2", "/thanks @bob for the careful review") // the same command, reworded: nothing new
	edit("d-3", "/thanks @bob @carol for the careful review")
	got := e.waitReplies(2)
	time.Sleep(200 * time.Millisecond)
	if len(e.gh.Created()) != 2 || strings.Contains(got[1].Body, "@bob") || !strings.Contains(got[1].Body, "@carol") {
		t.Fatalf("after edits:\n%s", e.gh.String())
	}
}

func TestDeletedCommentTakesItsReplyWithIt(t *testing.T) {
	e := newEnv(t, "all")
	e.send("issue_comment", "d-1", thanksFrom("alice", 3001, "/thanks @bob"))
	e.waitReplies(1)
	e.send("pull_request_review_comment", "d-2", payload.ReviewComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "nit: typo"}))
	e.gh.AddReviewComment("acme", "widgets", 42, 1002, "bob", "nit: typo", 0)
	e.send("pull_request_review_comment", "d-3", payload.ReviewComment(payload.CommentOpts{ID: 1003, InReplyTo: 1002, Author: "alice", Body: "/thanks @bob"}))
	e.waitReplies(2)
	e.send("issue_comment", "d-4", payload.IssueComment(payload.CommentOpts{Action: "deleted", ID: 3001, Author: "alice", Body: "/thanks @bob"}))
	e.send("pull_request_review_comment", "d-5", payload.ReviewComment(payload.CommentOpts{Action: "deleted", ID: 1003, InReplyTo: 1002, Author: "alice", Body: "/thanks @bob"}))
	e.drained()
	if del := e.gh.Deleted(); len(del) != 2 || len(e.gh.Live()) != 0 {
		t.Fatalf("deleted %d replies, %d still live; want both replies gone:\n%+v", len(del), len(e.gh.Live()), del)
	}
	// A comment Kudos never answered: nothing to delete, no API call.
	before := repoCalls(e)
	e.send("issue_comment", "d-6", payload.IssueComment(payload.CommentOpts{Action: "deleted", ID: 3009, Author: "dave", Body: "hm"}))
	e.drained()
	if repoCalls(e) != before {
		t.Fatal("deleting an unanswered comment called GitHub")
	}
}

func TestUninstallPurgesTheInstallation(t *testing.T) {
	e := newEnv(t, "all")
	e.send("pull_request_review", "d-1", payload.Review(payload.ReviewOpts{ID: 2001, Author: "bob"}))
	e.send("issue_comment", "d-2", thanksFrom("alice", 3001, "/thanks @bob"))
	e.send("issue_comment", "d-3", thanksFrom("carol", 3002, "/kudos opt-out"))
	e.waitReplies(2)
	ctx := context.Background()
	keys := func() []string {
		k, err := e.store.Client().Keys(ctx, "kudos:{inst:31337}:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if len(keys()) == 0 {
		t.Fatal("nothing stored before the uninstall")
	}
	raw, _ := payload.Raw("installation.deleted")
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["installation"].(map[string]any)["id"] = payload.DefaultInstallation
	body, _ := json.Marshal(m)
	if code := e.send("installation", "d-4", body); code != http.StatusAccepted {
		t.Fatalf("installation deleted: %d, want 202", code)
	}
	e.drained()
	// The delivery mark of the uninstall itself may remain; nothing else.
	for _, k := range keys() {
		if !strings.Contains(k, ":delivery:d-4") {
			t.Errorf("left after the uninstall: %s", k)
		}
	}
}

// TestRateLimitAcrossTwoWorkerProcesses sends 25 thanks from one person
// through two `kudos serve` worker processes sharing one Redis: the
// token bucket lets 20 through, then one notice, then silence.
func TestRateLimitAcrossTwoWorkerProcesses(t *testing.T) {
	bin := buildKudos(t)
	e := newEnv(t, "web")
	startServe(t, bin, e, "worker")
	startServe(t, bin, e, "worker")
	for i := range 25 {
		code := e.send("issue_comment", fmt.Sprintf("d-%d", i), thanksFrom("alice", int64(5000+i), fmt.Sprintf("/thanks @bob for fix %d", i)))
		if code != http.StatusAccepted {
			t.Fatalf("delivery %d: %d", i, code)
		}
	}
	waitFor(t, 15*time.Second, "21 comments", func() bool { return len(e.gh.Created()) >= 21 })
	e.drained()
	time.Sleep(300 * time.Millisecond)
	thanks, notices := 0, 0
	for _, c := range e.gh.Created() {
		switch {
		case strings.Contains(c.Body, "**alice** thanks @bob"):
			thanks++
		case strings.Contains(c.Body, "up to 20 an hour"):
			notices++
		}
	}
	if thanks != 20 || notices != 1 || len(e.gh.Created()) != 21 {
		t.Fatalf("thanks = %d, limit notices = %d, comments = %d; want 20, 1 and 21", thanks, notices, len(e.gh.Created()))
	}
}
