package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/internal/payload"
)

func thanksFrom(giver string, id int64, body string) []byte {
	return payload.IssueComment(payload.CommentOpts{ID: id, Author: giver, Body: body})
}

// waitReplies waits until the fake holds n comments and the queue is empty.
func (e *env) waitReplies(n int) []fakegithub.Comment {
	e.t.Helper()
	waitFor(e.t, 10*time.Second, fmt.Sprintf("%d comments", n), func() bool { return len(e.gh.Created()) >= n })
	e.drained()
	return e.gh.Created()
}

func TestInvalidConfigIsReportedOnceWithItsLine(t *testing.T) {
	e := newEnv(t, "all")
	e.gh.SetFile("acme", "widgets", ".github/kudos.yml", "version: 1\nfeatures:\n  thanks: true\n  shoutout: false\n")
	e.send("issue_comment", "d-1", thanksFrom("alice", 3001, "/thanks @bob for the review"))
	got := e.waitReplies(2)
	var report, thanks string
	for _, c := range got {
		if strings.Contains(c.Body, "could not use") {
			report = c.Body
		} else {
			thanks = c.Body
		}
	}
	if !strings.Contains(report, ".github/kudos.yml:4:") || !strings.Contains(report, "shoutout") {
		t.Errorf("report lacks the file, line and key:\n%s", report)
	}
	if !strings.Contains(thanks, "**alice** thanks @bob for the review") {
		t.Errorf("the thanks was not posted with defaults:\n%s", thanks)
	}
	e.send("issue_comment", "d-2", thanksFrom("alice", 3002, "/thanks @carol"))
	got = e.waitReplies(3)
	if n := strings.Count(e.gh.String(), "could not use"); n != 1 || len(got) != 3 {
		t.Fatalf("reports = %d, comments = %d; want the problem reported once:\n%s", n, len(got), e.gh.String())
	}
}

func TestOrgConfigAliasesAndReloadOnPush(t *testing.T) {
	e := newEnv(t, "all")
	// Only the organisation's .github repository configures Kudos.
	e.gh.SetFile("acme", ".github", ".github/kudos.yml",
		"version: 1\ncommands:\n  aliases: [props]\nvalues:\n  - tag: craft\n    description: Care in the details\n")
	// The first alias use is before the configuration is cached: it is
	// fetched, and from then on /props works.
	e.send("issue_comment", "d-1", thanksFrom("alice", 3001, "/props @bob for the fix"))
	e.drained()
	e.send("issue_comment", "d-2", thanksFrom("alice", 3002, "/props @bob for the fix #craft"))
	e.send("issue_comment", "d-3", thanksFrom("carol", 3003, "/kudos help"))
	got := e.waitReplies(2)
	if !strings.Contains(got[0].Body, "**alice** thanks @bob for the fix") {
		t.Errorf("alias /props not honoured:\n%s", e.gh.String())
	}
	if !strings.Contains(got[1].Body, "`#craft` — Care in the details") || !strings.Contains(got[1].Body, "`/props`") {
		t.Errorf("help lacks the org's values and alias:\n%s", got[1].Body)
	}
	// The repository gets its own file, pushed to the default branch:
	// the cache is dropped and /props stops working.
	e.gh.SetFile("acme", "widgets", ".github/kudos.yml", "version: 1\n")
	push := payload.Push(payload.PushOpts{Modified: []string{".github/kudos.yml"}})
	if code := e.send("push", "d-4", push); code != http.StatusAccepted {
		t.Fatalf("push: %d, want 202", code)
	}
	e.drained()
	e.send("issue_comment", "d-5", thanksFrom("alice", 3005, "/props @dave"))
	e.drained()
	time.Sleep(200 * time.Millisecond)
	if n := len(e.gh.Created()); n != 2 {
		t.Fatalf("after the repo's own config, /props still answered:\n%s", e.gh.String())
	}
}
