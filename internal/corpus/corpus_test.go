package corpus_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/corpus"
	"github.com/kudos-app/kudos/recognizer"
)

const corpusSample = `title: "Fix nil map panic"
repo: acme/widgets
number: 101
author: alice
events:
  - {at: "2026-11-02T09:00:00Z", type: opened, actor: alice}
  - {at: "2026-11-02T09:01:00Z", type: review_requested, actor: alice, reviewer: bob}
  - {at: "2026-11-02T09:02:00Z", type: ready_for_review, actor: alice}
  - {at: "2026-11-02T10:15:00Z", type: comment, id: 5001, actor: alice, body: "how do I fix this?"}
  - {at: "2026-11-02T10:20:00Z", type: comment, id: 5002, actor: "codecov[bot]", bot: true, body: "report"}
  - {at: "2026-11-02T10:30:00Z", type: review_comment, id: 6001, actor: bob, body: "make the map"}
  - {at: "2026-11-02T10:40:00Z", type: review_comment, id: 6002, actor: alice, body: "that fixed it, thanks", in_reply_to: 6001}
  - {at: "2026-11-02T11:02:00Z", type: push, actor: alice, sha: "3f9c2ab"}
  - {at: "2026-11-02T12:00:00Z", type: review, id: 7001, actor: bob, state: approved, body: ""}
  - {at: "2026-11-02T12:05:00Z", type: review, id: 7002, actor: carol, state: dismissed, body: "old"}
  - {at: "2026-11-02T12:10:00Z", type: merged, actor: bob}
expect:
  - {login: bob, signal: answered}
  - {login: bob, signal: acknowledged}
why: "sample"
`

func TestCorpusParseAndEvents(t *testing.T) {
	c, err := corpus.Parse([]byte(corpusSample))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Labelled || len(c.Expect) != 2 || !c.Merged() || c.Name() != "acme/widgets#101" {
		t.Fatalf("parsed %+v", c)
	}
	evs := c.Events()
	if len(evs) != len(c.Timeline) {
		t.Fatalf("%d events for %d corpus events", len(evs), len(c.Timeline))
	}
	pr := "https://github.com/acme/widgets/pull/101"
	type want struct {
		kind   recognizer.EventKind
		action string
		url    string // comment html_url, or "" for PR events
	}
	wants := []want{
		{recognizer.PullRequest, "opened", ""},
		{recognizer.PullRequest, "review_requested", ""},
		{recognizer.PullRequest, "ready_for_review", ""},
		{recognizer.IssueComment, "created", pr + "#issuecomment-5001"},
		{recognizer.IssueComment, "created", pr + "#issuecomment-5002"},
		{recognizer.ReviewComment, "created", pr + "#discussion_r6001"},
		{recognizer.ReviewComment, "created", pr + "#discussion_r6002"},
		{recognizer.PullRequest, "synchronize", ""},
		{recognizer.Review, "submitted", pr + "#pullrequestreview-7001"},
		{recognizer.Review, "dismissed", pr + "#pullrequestreview-7002"},
		{recognizer.PullRequest, "closed", ""},
	}
	for i, w := range wants {
		ev := evs[i]
		if ev.Kind != w.kind || ev.Action != w.action {
			t.Errorf("event %d: %s/%s, want %s/%s", i, ev.Kind, ev.Action, w.kind, w.action)
		}
		if ev.InstallationID != 1 || ev.Repo.ID == 0 || ev.Repo.FullName != "acme/widgets" || ev.Repo.Owner != "acme" ||
			ev.Repo.Name != "widgets" || ev.Number != 101 || !ev.IsPR || ev.TargetURL != pr || ev.TargetAuthor.Login != "alice" {
			t.Errorf("event %d: envelope %+v", i, ev)
		}
		if w.url != "" {
			if ev.Comment == nil || ev.Comment.HTMLURL != w.url || ev.Comment.Author.Login != ev.Sender.Login {
				t.Errorf("event %d: comment %+v, want url %s", i, ev.Comment, w.url)
			}
		} else if ev.PR == nil || ev.PR.At.IsZero() {
			t.Errorf("event %d: PR change %+v", i, ev.PR)
		}
	}
	if evs[1].PR.RequestedReviewer != "bob" || evs[7].PR.HeadSHA != "3f9c2ab" {
		t.Errorf("review_requested/push details: %+v %+v", evs[1].PR, evs[7].PR)
	}
	if !evs[4].Sender.Bot || !evs[4].Comment.Author.Bot || evs[3].Sender.Bot {
		t.Error("bot flags not carried")
	}
	if evs[6].Comment.InReplyTo != 6001 || evs[8].Comment.ReviewState != "approved" {
		t.Errorf("reply/state: %+v %+v", evs[6].Comment, evs[8].Comment)
	}
	if m := evs[10].PR; !m.Merged || m.MergedBy.Login != "bob" {
		t.Errorf("merge: %+v", m)
	}
	if other, _ := corpus.Parse([]byte(strings.Replace(corpusSample, "acme/widgets", "acme/other", 1))); other.Events()[0].Repo.ID == evs[0].Repo.ID {
		t.Error("repo IDs do not depend on the repo name")
	}
}

func TestCorpusReplay(t *testing.T) {
	c, err := corpus.Parse([]byte(corpusSample))
	if err != nil {
		t.Fatal(err)
	}
	hist, got := corpus.Replay(c, recognizer.DefaultConfig())
	if len(hist.Contributions) != len(c.Timeline) {
		t.Fatalf("ledger has %d records for %d events", len(hist.Contributions), len(c.Timeline))
	}
	for i := 1; i < len(hist.Contributions); i++ {
		if hist.Contributions[i].At.Before(hist.Contributions[i-1].At) {
			t.Fatal("ledger not in time order")
		}
	}
	rc := hist.Contributions[6]
	if rc.Kind != recognizer.KindReviewComment || rc.Thread != 6001 || !rc.Text.Ack {
		t.Errorf("thread reply record: %+v", rc)
	}
	if !hist.Contributions[4].Bot {
		t.Error("bot comment not flagged in the ledger")
	}
	if hist.Contributions[9].State != "dismissed" {
		t.Errorf("dismissed review: %+v", hist.Contributions[9])
	}
	tp, fp, fn := c.Compare(got)
	if len(tp) != 2 || len(fp) != 0 || len(fn) != 0 {
		t.Errorf("compare: tp %v fp %v fn %v (got %+v)", tp, fp, fn, got)
	}
}

func TestCorpusParseErrors(t *testing.T) {
	cases := map[string]string{
		"empty":           "",
		"not yaml":        "title: [unclosed\n",
		"unknown field":   strings.Replace(corpusSample, "why:", "whyy:", 1),
		"no author":       strings.Replace(corpusSample, "author: alice\n", "", 1),
		"bad repo":        strings.Replace(corpusSample, "repo: acme/widgets", "repo: widgets", 1),
		"unknown type":    strings.Replace(corpusSample, "type: push", "type: teleport", 1),
		"missing id":      strings.Replace(corpusSample, "id: 5001, ", "", 1),
		"duplicate id":    strings.Replace(corpusSample, "id: 5002", "id: 5001", 1),
		"bad state":       strings.Replace(corpusSample, "state: approved", "state: lgtm", 1),
		"bad signal":      strings.Replace(corpusSample, "signal: answered", "signal: helped", 1),
		"time backwards":  strings.Replace(corpusSample, "2026-11-02T12:10:00Z", "2026-11-01T12:10:00Z", 1),
		"missing sha":     strings.Replace(corpusSample, `, sha: "3f9c2ab"`, "", 1),
		"missing request": strings.Replace(corpusSample, ", reviewer: bob", "", 1),
	}
	for name, body := range cases {
		if _, err := corpus.Parse([]byte(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := corpus.Load(filepath.Join(t.TempDir(), "nope.yaml")); err == nil || !strings.Contains(err.Error(), "nope.yaml: ") {
		t.Errorf("missing file: %v", err)
	}
	noLabels := strings.SplitN(corpusSample, "expect:", 2)[0]
	c, err := corpus.Parse([]byte(noLabels))
	if err != nil || c.Labelled {
		t.Errorf("without expect: %v, labelled %v", err, c != nil && c.Labelled)
	}
}

func TestCorpusLoadDir(t *testing.T) {
	convs, err := corpus.LoadDir(filepath.Join("..", "..", "recognizer", "testdata", "unblock"))
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 170 {
		t.Errorf("%d conversations, want 170", len(convs))
	}
	pos := 0
	for _, c := range convs {
		if !c.Labelled {
			t.Errorf("%s: no labels", c.Name())
		}
		if len(c.Expect) > 0 {
			pos++
		}
		if c.Timeline[0].Type != corpus.TypeOpened || !c.Timeline[0].At.Before(c.Timeline[len(c.Timeline)-1].At.Add(time.Second)) {
			t.Errorf("%s: does not start with opened", c.Name())
		}
	}
	if pos != 85 {
		t.Errorf("%d positive files, want 85", pos)
	}
	if _, err := corpus.LoadDir(t.TempDir()); err == nil {
		t.Error("empty dir: no error")
	}
}
