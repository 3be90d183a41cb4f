package recognizer_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/webhook"
)

// thanksNow is the fixed clock of every test: a day after the payloads'
// default timestamp, so a Suggestion.At equal to it would be a mistake.
var thanksNow = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

const (
	prURL    = "https://github.com/acme/widgets/pull/42"
	issueURL = "https://github.com/acme/widgets/issues/42"
)

func commentURL(id int64) string { return fmt.Sprintf("%s#issuecomment-%d", prURL, id) }
func issueCommentURL(id int64) string {
	return fmt.Sprintf("%s#issuecomment-%d", issueURL, id)
}
func discussionURL(id int64) string { return fmt.Sprintf("%s#discussion_r%d", prURL, id) }
func reviewURL(id int64) string     { return fmt.Sprintf("%s#pullrequestreview-%d", prURL, id) }

// at is the payloads' default time plus m minutes: stories run forward.
func at(m int) time.Time { return payload.DefaultAt.Add(time.Duration(m) * time.Minute) }

// step is one webhook delivery of a story.
type step struct {
	event    string // X-GitHub-Event
	delivery string // X-GitHub-Delivery; generated when empty
	body     []byte
}

func issueComment(o payload.CommentOpts) step {
	return step{event: "issue_comment", body: payload.IssueComment(o)}
}

func reviewComment(o payload.CommentOpts) step {
	return step{event: "pull_request_review_comment", body: payload.ReviewComment(o)}
}

func review(o payload.ReviewOpts) step {
	return step{event: "pull_request_review", body: payload.Review(o)}
}

func pullRequest(o payload.PROpts) step {
	return step{event: "pull_request", body: payload.PullRequest(o)}
}

// as gives a step an explicit delivery id.
func (s step) as(delivery string) step {
	s.delivery = delivery
	return s
}

// replayed is what the last step of a story came to.
type replayed struct {
	ev   recognizer.Event
	hist recognizer.History
	res  recognizer.Result
	// ledger is the whole ledger after the last step.
	ledger recognizer.History
}

// replay feeds the steps, in order, through webhook.Extract and
// recognizer.Recognize the way the webhook server and the store do: the
// history is read only when NeedsHistory says so, records are written to a
// ledger keyed by Contribution.Key (a later write replaces an earlier one)
// after a JSON round trip, and the ledger is read back in time order. It
// returns the event, history and result of the last step.
func replay(t *testing.T, steps ...step) replayed {
	t.Helper()
	if len(steps) == 0 {
		t.Fatal("replay: no steps")
	}
	ledger := map[string]string{}
	var last replayed
	for i, s := range steps {
		delivery := s.delivery
		if delivery == "" {
			delivery = fmt.Sprintf("delivery-%d", i+1)
		}
		ev, err := webhook.Extract(s.event, delivery, s.body)
		if err != nil {
			t.Fatalf("replay step %d: Extract(%s) error: %v", i+1, s.event, err)
		}
		var hist recognizer.History
		if recognizer.NeedsHistory(ev) {
			hist = decodeLedger(t, ledger)
		}
		res := recognizer.Recognize(ev, hist, recognizer.DefaultConfig(), thanksNow)
		for _, r := range res.Records {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("replay step %d: encode record %s: %v", i+1, r.Key(), err)
			}
			ledger[r.Key()] = string(b)
		}
		for _, k := range res.Removals {
			delete(ledger, k)
		}
		last = replayed{ev: ev, hist: hist, res: res}
	}
	last.ledger = decodeLedger(t, ledger)
	return last
}

// decodeLedger reads the ledger back like store.decodeLedger: time order,
// then key order.
func decodeLedger(t *testing.T, ledger map[string]string) recognizer.History {
	t.Helper()
	var h recognizer.History
	for k, v := range ledger {
		var c recognizer.Contribution
		if err := json.Unmarshal([]byte(v), &c); err != nil {
			t.Fatalf("decode ledger entry %s: %v", k, err)
		}
		h.Contributions = append(h.Contributions, c)
	}
	sort.Slice(h.Contributions, func(i, j int) bool {
		a, b := h.Contributions[i], h.Contributions[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.Key() < b.Key()
	})
	return h
}

// wantRecognition is an expected Recognition (ID and Kind are checked
// separately: non-empty and "thanks").
type wantRecognition struct {
	recipient string
	kind      string // ArtifactKind
	url       string // ArtifactURL
	label     string // ArtifactLabel
	reason    string
	values    []string
}

// want is the expected outcome of the last step of a story.
type want struct {
	decision     recognizer.Decision
	recognitions []wantRecognition
	// notices are required substrings of the notices' texts, in order.
	notices []string
	// source is checked when its Kind is set.
	source recognizer.Source
	// records are the exact expected records when set; noRecords expects none.
	records   []recognizer.Contribution
	noRecords bool
}

type thanksCase struct {
	name  string
	steps []step // the story: earlier deliveries, then the one under test
	want  want
}

func runCases(t *testing.T, cases []thanksCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			got := replay(t, tc.steps...)
			checkResult(t, got, tc.want)
		})
	}
}

func checkResult(t *testing.T, got replayed, w want) {
	t.Helper()
	res := got.res
	if res.Why == "" {
		t.Errorf("Why is empty, want an explanation (decision %q)", res.Decision)
	}
	if res.Decision != w.decision {
		t.Errorf("Decision = %q (why: %s), want %q", res.Decision, res.Why, w.decision)
	}
	checkRecords(t, res.Records, w)

	s := res.Suggestion
	if w.decision == recognizer.DecisionIgnore {
		if s != nil {
			t.Errorf("Suggestion = %+v, want nil for an ignored event", *s)
		}
		return
	}
	if s == nil {
		t.Fatalf("Suggestion = nil (decision %q, why: %s), want a suggestion", res.Decision, res.Why)
	}
	checkSuggestionHeader(t, got.ev, s)
	if w.source.Kind != "" && s.Source != w.source {
		t.Errorf("Source = %+v, want %+v", s.Source, w.source)
	}
	if (res.Decision == recognizer.DecisionRecognize) != (len(s.Recognitions) > 0) {
		t.Errorf("Decision = %q with %d recognitions: recognize must go with at least one recognition",
			res.Decision, len(s.Recognitions))
	}

	if len(s.Recognitions) != len(w.recognitions) {
		t.Errorf("got %d recognitions %s, want %d %s",
			len(s.Recognitions), recipients(s.Recognitions), len(w.recognitions), wantRecipients(w.recognitions))
	}
	ids := map[string]bool{}
	for i := 0; i < min(len(s.Recognitions), len(w.recognitions)); i++ {
		r, wr := s.Recognitions[i], w.recognitions[i]
		if r.Recipient != wr.recipient {
			t.Errorf("recognition %d: Recipient = %q, want %q", i, r.Recipient, wr.recipient)
		}
		if r.Kind != "thanks" {
			t.Errorf("recognition %d (%s): Kind = %q, want %q", i, r.Recipient, r.Kind, "thanks")
		}
		if r.ArtifactKind != wr.kind {
			t.Errorf("recognition %d (%s): ArtifactKind = %q, want %q", i, r.Recipient, r.ArtifactKind, wr.kind)
		}
		if r.ArtifactURL != wr.url {
			t.Errorf("recognition %d (%s): ArtifactURL = %q, want %q", i, r.Recipient, r.ArtifactURL, wr.url)
		}
		if r.ArtifactLabel != wr.label {
			t.Errorf("recognition %d (%s): ArtifactLabel = %q, want %q", i, r.Recipient, r.ArtifactLabel, wr.label)
		}
		if r.Reason != wr.reason {
			t.Errorf("recognition %d (%s): Reason = %q, want %q", i, r.Recipient, r.Reason, wr.reason)
		}
		if !slices.Equal(r.Values, wr.values) {
			t.Errorf("recognition %d (%s): Values = %q, want %q", i, r.Recipient, r.Values, wr.values)
		}
		if r.ID == "" {
			t.Errorf("recognition %d (%s): ID is empty, want a stable id", i, r.Recipient)
		}
		if ids[r.ID] {
			t.Errorf("recognition %d (%s): ID %q repeats an earlier one, want unique ids", i, r.Recipient, r.ID)
		}
		ids[r.ID] = true
	}

	if len(s.Notices) != len(w.notices) {
		t.Errorf("got %d notices %q, want %d containing %q", len(s.Notices), noticeTexts(s.Notices), len(w.notices), w.notices)
	}
	for i := 0; i < min(len(s.Notices), len(w.notices)); i++ {
		n := s.Notices[i]
		if !strings.Contains(n.Text, w.notices[i]) {
			t.Errorf("notice %d = %q, want it to contain %q", i, n.Text, w.notices[i])
		}
	}
	for i, n := range s.Notices {
		if n.ID == "" {
			t.Errorf("notice %d (%q): ID is empty, want a stable id", i, n.Text)
		}
		if ids[n.ID] {
			t.Errorf("notice %d (%q): ID %q repeats an earlier one, want unique ids", i, n.Text, n.ID)
		}
		ids[n.ID] = true
		if mentionOutsideCode(n.Text) {
			t.Errorf("notice %d = %q, want no \"@\" outside code spans (a notice must not ping anyone)", i, n.Text)
		}
	}
}

// checkSuggestionHeader checks what every suggestion copies from its event.
func checkSuggestionHeader(t *testing.T, ev recognizer.Event, s *recognizer.Suggestion) {
	t.Helper()
	type header struct {
		Installation, RepoID int64
		Owner, Repo          string
		Number               int
		IsPR                 bool
		TargetURL, Giver     string
		At                   time.Time
	}
	got := header{s.InstallationID, s.RepoID, s.Owner, s.Repo, s.Number, s.IsPR, s.TargetURL, s.Giver, s.At}
	wantURL := prURL
	if !ev.IsPR {
		wantURL = issueURL
	}
	want := header{
		payload.DefaultInstallation, payload.DefaultRepoID, payload.DefaultOwner, payload.DefaultRepo,
		payload.DefaultNumber, ev.IsPR, wantURL, ev.Comment.Author.Login, ev.Comment.At.UTC(),
	}
	if got != want {
		t.Errorf("suggestion header = %+v, want %+v", got, want)
	}
	if s.At.Equal(thanksNow) {
		t.Errorf("Suggestion.At = %v (the clock), want the comment's time %v", s.At, ev.Comment.At)
	}
}

func checkRecords(t *testing.T, got []recognizer.Contribution, w want) {
	t.Helper()
	switch {
	case w.noRecords:
		if len(got) != 0 {
			t.Errorf("Records = %+v, want none", got)
		}
	case w.records != nil:
		// Body-derived fields (length, suggestions, text features) are checked by the
		// shout-out tests; here the identity of each record matters.
		got = slices.Clone(got)
		for i := range got {
			got[i].BodyLen, got[i].Suggestion, got[i].Text = 0, false, recognizer.TextFeatures{}
		}
		if !reflect.DeepEqual(got, w.records) {
			t.Errorf("Records = %+v\nwant      %+v", got, w.records)
		}
	}
}

// mentionOutsideCode reports whether text has an "@" outside `code spans`,
// where GitHub would turn it into a ping.
func mentionOutsideCode(text string) bool {
	inCode := false
	for _, r := range text {
		switch {
		case r == '`':
			inCode = !inCode
		case r == '@' && !inCode:
			return true
		}
	}
	return false
}

func recipients(rs []recognizer.Recognition) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Recipient)
	}
	return out
}

func wantRecipients(rs []wantRecognition) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.recipient)
	}
	return out
}

func noticeTexts(ns []recognizer.Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Text)
	}
	return out
}

// Expected artifacts.
func linkPR() (string, string, string) { return "pull_request", prURL, "pull request #42" }

func thanksPR(recipient, reason string, values ...string) wantRecognition {
	k, u, l := linkPR()
	return wantRecognition{recipient: recipient, kind: k, url: u, label: l, reason: reason, values: values}
}

func thanksFor(recipient, kind, url, label string) wantRecognition {
	return wantRecognition{recipient: recipient, kind: kind, url: url, label: label}
}

func commentRecord(id int64, login, url string, m int) recognizer.Contribution {
	return recognizer.Contribution{Kind: recognizer.KindComment, ID: id, Login: login, HTMLURL: url, At: at(m)}
}

func issueSource(id int64) recognizer.Source {
	return recognizer.Source{Kind: recognizer.SourceIssueComment, ID: id, HTMLURL: commentURL(id)}
}

func TestRecognizeAcceptedForms(t *testing.T) {
	cases := []thanksCase{
		{
			name:  "thanks in a PR comment",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @bob for catching the race"})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "catching the race")},
				source:       issueSource(1001),
				records:      []recognizer.Contribution{commentRecord(1001, "carol", commentURL(1001), 0)},
			},
		},
		{
			name:  "kudos",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/kudos @bob"})},
			want:  want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}},
		},
		{
			name:  "shoutout",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/shoutout @bob for the docs"})},
			want:  want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "the docs")}},
		},
		{
			name:  "upper-case verb",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/THANKS @bob"})},
			want:  want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}},
		},
		{
			name:  "mixed-case kudos",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/KuDoS @bob"})},
			want:  want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}},
		},
		{
			name:  "capitalised shoutout",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/Shoutout @bob"})},
			want:  want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}},
		},
		{
			name:  "command after prose",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "Merged, nice work everyone.\n\n/thanks @bob"})},
			want:  want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}},
		},
		{
			name: "comment on a plain issue",
			steps: []step{issueComment(payload.CommentOpts{
				OnIssue: true, Author: "carol", Body: "/thanks @bob for the repro",
			})},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{{
					recipient: "bob", kind: "issue", url: issueURL, label: "issue #42", reason: "the repro",
				}},
				source:  recognizer.Source{Kind: recognizer.SourceIssueComment, ID: 1001, HTMLURL: issueCommentURL(1001)},
				records: []recognizer.Contribution{commentRecord(1001, "carol", issueCommentURL(1001), 0)},
			},
		},
		{
			name: "review body",
			steps: []step{review(payload.ReviewOpts{
				Author: "dave", State: "approved", Body: "LGTM.\n/thanks @bob for the thorough tests",
			})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "the thorough tests")},
				source:       recognizer.Source{Kind: recognizer.SourceReview, ID: 2001, HTMLURL: reviewURL(2001)},
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2001, Login: "dave", HTMLURL: reviewURL(2001),
					At: at(0), State: "approved",
				}},
			},
		},
		{
			name: "top-level review comment",
			steps: []step{reviewComment(payload.CommentOpts{
				ID: 3001, Author: "dave", Body: "/kudos @bob this helper is lovely",
			})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "this helper is lovely")},
				source: recognizer.Source{
					Kind: recognizer.SourceReviewComment, ID: 3001, HTMLURL: discussionURL(3001), ThreadID: 3001,
				},
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3001, Login: "dave", HTMLURL: discussionURL(3001),
					At: at(0), Thread: 3001,
				}},
			},
		},
		{
			name: "several recipients in one command",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "/thanks @bob, @dave and @erin for the release #teamwork",
			})},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{
					thanksPR("bob", "the release #teamwork", "teamwork"),
					thanksPR("dave", "the release #teamwork", "teamwork"),
					thanksPR("erin", "the release #teamwork", "teamwork"),
				},
			},
		},
		{
			name: "ten recipients is the limit",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10",
			})},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{
					thanksPR("u1", ""), thanksPR("u2", ""), thanksPR("u3", ""), thanksPR("u4", ""), thanksPR("u5", ""),
					thanksPR("u6", ""), thanksPR("u7", ""), thanksPR("u8", ""), thanksPR("u9", ""), thanksPR("u10", ""),
				},
			},
		},
		{
			name: "several commands in one comment",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol",
				Body: "Great sprint.\n" +
					"/thanks @bob for the review #quality\n" +
					"And of course:\n" +
					"/kudos @dave and @BOB for pairing\n" +
					"/shoutout to @erin",
			})},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{
					thanksPR("bob", "the review #quality", "quality"),
					thanksPR("dave", "pairing"),
					thanksPR("erin", ""),
				},
				source: issueSource(1001),
			},
		},
		{
			name: "reason and values",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "/thanks @bob — for catching the race in #12 #Concurrency #mentoring #concurrency",
			})},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob",
					"catching the race in #12 #Concurrency #mentoring #concurrency", "concurrency", "mentoring")},
			},
		},
		{
			name: "help next to a thanks",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "/kudos help\n/thanks @bob",
			})},
			// The help notice's text is rendered by the worker from the repo's values.
			want: want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}, notices: []string{""}},
		},
		{
			name: "edited comment",
			steps: []step{
				issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @bob"}),
				issueComment(payload.CommentOpts{
					Action: "edited", Author: "carol", Body: "/thanks @bob for the fix", PreviousBody: "/thanks @bob",
				}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "the fix")},
				source:       issueSource(1001),
				records:      []recognizer.Contribution{commentRecord(1001, "carol", commentURL(1001), 0)},
			},
		},
		{
			name: "edited review comment",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "dave", Body: "/thanks @bob"}),
				reviewComment(payload.CommentOpts{
					Action: "edited", ID: 3001, Author: "dave", Body: "/thanks @bob #craft", PreviousBody: "/thanks @bob",
				}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "#craft", "craft")},
				source: recognizer.Source{
					Kind: recognizer.SourceReviewComment, ID: 3001, HTMLURL: discussionURL(3001), ThreadID: 3001,
				},
			},
		},
	}
	runCases(t, cases)
}

func TestRecognizeArtifactLinking(t *testing.T) {
	cases := []thanksCase{
		{
			name: "reply in the thread of bob's review comment links it over a newer comment",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "This read can race with the writer.", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "Pushed a rebase.", At: at(5)}),
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "commented", At: at(6)}),
				reviewComment(payload.CommentOpts{
					ID: 3002, InReplyTo: 3001, Author: "carol", Body: "Good catch!\n/thanks @bob for catching the race", At: at(10),
				}),
			},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{{
					recipient: "bob", kind: "review_comment", url: discussionURL(3001), label: "review comment",
					reason: "catching the race",
				}},
				source: recognizer.Source{
					Kind: recognizer.SourceReviewComment, ID: 3002, HTMLURL: discussionURL(3002), ThreadID: 3001,
				},
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3002, Login: "carol", HTMLURL: discussionURL(3002),
					At: at(10), Thread: 3001,
				}},
			},
		},
		{
			name: "reply links bob's reply in the thread, not the top comment",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "carol", Body: "Why a mutex here?", At: at(1)}),
				reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "bob", Body: "Because of the flusher.", At: at(2)}),
				reviewComment(payload.CommentOpts{ID: 3003, InReplyTo: 3001, Author: "carol", Body: "/thanks @bob", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "review_comment", discussionURL(3002), "review comment")},
				source: recognizer.Source{
					Kind: recognizer.SourceReviewComment, ID: 3003, HTMLURL: discussionURL(3003), ThreadID: 3001,
				},
			},
		},
		{
			name: "reply links bob's latest comment in the thread",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Nit: naming.", At: at(1)}),
				reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "carol", Body: "Which name?", At: at(2)}),
				reviewComment(payload.CommentOpts{ID: 3003, InReplyTo: 3001, Author: "bob", Body: "flushLocked.", At: at(3)}),
				reviewComment(payload.CommentOpts{ID: 3010, Author: "bob", Body: "Another thread.", At: at(4)}),
				reviewComment(payload.CommentOpts{ID: 3004, InReplyTo: 3001, Author: "carol", Body: "/thanks @bob", At: at(5)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "review_comment", discussionURL(3003), "review comment")},
			},
		},
		{
			name: "reply thanking someone absent from the thread links their latest contribution",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Race here.", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1002, Author: "dave", Body: "I reproduced it.", At: at(2)}),
				reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "carol", Body: "/thanks @dave", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("dave", "comment", commentURL(1002), "comment")},
			},
		},
		{
			name: "reply thanking the PR author absent from the thread links the pull request",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Race here.", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1002, Author: "alice", Body: "Fixed.", At: at(2)}),
				reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "bob", Body: "/thanks @alice", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("alice", "")},
			},
		},
		{
			name: "PR author who replied in the thread gets that reply",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Race here.", At: at(1)}),
				reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "alice", Body: "Fixed in abc123.", At: at(2)}),
				reviewComment(payload.CommentOpts{ID: 3003, InReplyTo: 3001, Author: "bob", Body: "/thanks @alice", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("alice", "review_comment", discussionURL(3002), "review comment")},
			},
		},
		{
			name: "top-level review comment does not link bob's comment in another thread by thread",
			steps: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Race here.", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "Also: docs.", At: at(2)}),
				reviewComment(payload.CommentOpts{ID: 3005, Author: "carol", Body: "/thanks @bob", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "comment", commentURL(1002), "comment")},
			},
		},
		{
			name: "latest approving review",
			steps: []step{
				issueComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "Looking now.", At: at(1)}),
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved", At: at(2)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "review", reviewURL(2002), "approving review")},
			},
		},
		{
			name: "latest review asking for changes",
			steps: []step{
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "changes_requested", Body: "Needs a lock.", At: at(2)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "review", reviewURL(2002), "review asking for changes")},
			},
		},
		{
			name: "latest commented review",
			steps: []step{
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "commented", Body: "A few nits.", At: at(2)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "review", reviewURL(2002), "review")},
			},
		},
		{
			name: "latest review comment",
			steps: []step{
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved", At: at(1)}),
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "One more thing.", At: at(2)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "review_comment", discussionURL(3001), "review comment")},
			},
		},
		{
			name: "latest comment over an older review",
			steps: []step{
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1002, Author: "bob", Body: "Benchmarks attached.", At: at(2)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "dave", Body: "Nice.", At: at(4)}),
				issueComment(payload.CommentOpts{ID: 1004, Author: "carol", Body: "/thanks @bob #perf", At: at(5)}),
			},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{{
					recipient: "bob", kind: "comment", url: commentURL(1002), label: "comment",
					reason: "#perf", values: []string{"perf"},
				}},
			},
		},
		{
			name: "history matched case-insensitively",
			steps: []step{
				review(payload.ReviewOpts{ID: 2002, Author: "Bob", State: "approved", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bOB", At: at(3)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bOB", "review", reviewURL(2002), "approving review")},
			},
		},
		{
			name: "each recipient gets their own artifact",
			steps: []step{
				review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "changes_requested", At: at(1)}),
				reviewComment(payload.CommentOpts{ID: 3001, Author: "dave", Body: "Typo.", At: at(2)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bob @dave @alice @erin", At: at(3)}),
			},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{
					thanksFor("bob", "review", reviewURL(2002), "review asking for changes"),
					thanksFor("dave", "review_comment", discussionURL(3001), "review comment"),
					thanksPR("alice", ""),
					thanksPR("erin", ""),
				},
			},
		},
		{
			name: "PR author links the pull request despite history",
			steps: []step{
				issueComment(payload.CommentOpts{ID: 1002, Author: "alice", Body: "Addressed all comments.", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "bob", Body: "/thanks @Alice for the refactor", At: at(2)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("Alice", "the refactor")},
			},
		},
		{
			name: "PR author in a review body links the pull request",
			steps: []step{
				review(payload.ReviewOpts{Author: "bob", State: "approved", Body: "/thanks @alice"}),
			},
			want: want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("alice", "")}},
		},
		{
			name: "recipient without history links the pull request",
			steps: []step{
				issueComment(payload.CommentOpts{ID: 1002, Author: "dave", Body: "Thanks all.", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(2)}),
			},
			want: want{decision: recognizer.DecisionRecognize, recognitions: []wantRecognition{thanksPR("bob", "")}},
		},
		{
			name: "plain issue: recipient without history links the issue",
			steps: []step{
				issueComment(payload.CommentOpts{OnIssue: true, ID: 1002, Author: "dave", Body: "Same here.", At: at(1)}),
				issueComment(payload.CommentOpts{OnIssue: true, ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(2)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "issue", issueURL, "issue #42")},
			},
		},
		{
			name: "plain issue: issue author without comments links the issue",
			steps: []step{
				issueComment(payload.CommentOpts{OnIssue: true, ID: 1003, Author: "carol", Body: "/thanks @alice for the report"}),
			},
			want: want{
				decision: recognizer.DecisionRecognize,
				recognitions: []wantRecognition{{
					recipient: "alice", kind: "issue", url: issueURL, label: "issue #42", reason: "the report",
				}},
			},
		},
		{
			name: "plain issue: recipient's latest comment",
			steps: []step{
				issueComment(payload.CommentOpts{OnIssue: true, ID: 1002, Author: "bob", Body: "Bisected to v1.2.", At: at(1)}),
				issueComment(payload.CommentOpts{OnIssue: true, ID: 1003, Author: "carol", Body: "/thanks @bob", At: at(2)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("bob", "comment", issueCommentURL(1002), "comment")},
			},
		},
		{
			// A GitHub App edits carol's comment (sender is the bot, the
			// author is still carol). That must not make carol a bot.
			name: "person whose comment a bot edited is still a person",
			steps: []step{
				issueComment(payload.CommentOpts{ID: 1002, Author: "carol", Body: "Found the flaky test.", At: at(1)}),
				issueComment(payload.CommentOpts{
					Common: payload.Common{Sender: "tidy-app[bot]", SenderType: "Bot"},
					Action: "edited", ID: 1002, Author: "carol", At: at(1),
					Body: "Found the flaky test. (checklist updated)", PreviousBody: "Found the flaky test.",
				}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "bob", Body: "/thanks @carol", At: at(2)}),
			},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksFor("carol", "comment", commentURL(1002), "comment")},
			},
		},
	}
	runCases(t, cases)
}

func TestRecognizeRefused(t *testing.T) {
	eleven := "/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10 @u11 for everything"
	cases := []thanksCase{
		{
			name:  "self-thanks",
			steps: []step{issueComment(payload.CommentOpts{Author: "alice", Body: "/thanks @alice"})},
			want: want{
				decision: recognizer.DecisionReply,
				notices:  []string{"Thanking yourself doesn't count"},
				source:   issueSource(1001),
				records:  []recognizer.Contribution{commentRecord(1001, "alice", commentURL(1001), 0)},
			},
		},
		{
			name:  "self-thanks in another case",
			steps: []step{issueComment(payload.CommentOpts{Author: "alice", Body: "/kudos @ALICE"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"Thanking yourself"}},
		},
		{
			name:  "self-thanks in a review comment",
			steps: []step{reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "/thanks @bob"})},
			want: want{
				decision: recognizer.DecisionReply,
				notices:  []string{"Thanking yourself"},
				source: recognizer.Source{
					Kind: recognizer.SourceReviewComment, ID: 3001, HTMLURL: discussionURL(3001), ThreadID: 3001,
				},
			},
		},
		{
			name:  "known bot",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @dependabot"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"`dependabot` is a bot"}},
		},
		{
			name:  "known bot in another case",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @Copilot for the review"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"`Copilot` is a bot"}},
		},
		{
			// The parser reads "@renovate[bot]" as an invalid username, so
			// this is refused as "not a GitHub username", not as a bot.
			name:  "app bot with [bot] suffix",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @renovate[bot]"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"`renovate"}},
		},
		{
			name: "login seen in history as a bot",
			steps: []step{
				issueComment(payload.CommentOpts{ID: 1002, Author: "ci-helper", AuthorType: "Bot", Body: "Coverage: 91%", At: at(1)}),
				issueComment(payload.CommentOpts{ID: 1003, Author: "carol", Body: "/thanks @ci-helper", At: at(2)}),
			},
			want: want{decision: recognizer.DecisionReply, notices: []string{"`ci-helper` is a bot"}},
		},
		{
			name:  "too many recipients",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: eleven})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"at most 10 people"}},
		},
		{
			name:  "invalid login",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @bob_smith for the fix"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"`bob_smith` is not a GitHub username"}},
		},
		{
			name:  "team",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @acme/reviewers"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"is a team"}},
		},
		{
			name:  "no recipient",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"Tell me who to thank: `/thanks"}},
		},
		{
			name:  "no recipient with a reason",
			steps: []step{review(payload.ReviewOpts{Author: "carol", State: "commented", Body: "/shoutout for the great docs"})},
			want: want{
				decision: recognizer.DecisionReply,
				notices:  []string{"`/shoutout @someone"},
				source:   recognizer.Source{Kind: recognizer.SourceReview, ID: 2001, HTMLURL: reviewURL(2001)},
			},
		},
		{
			name:  "refused on a plain issue",
			steps: []step{issueComment(payload.CommentOpts{OnIssue: true, Author: "alice", Body: "/thanks @alice"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"Thanking yourself"}},
		},
		{
			name:  "the same refusal twice gives one notice",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks\n/thanks"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"Tell me who to thank"}},
		},
		{
			name:  "two different refusals give two notices in order",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @carol\n/kudos @dependabot"})},
			want:  want{decision: recognizer.DecisionReply, notices: []string{"Thanking yourself", "`dependabot` is a bot"}},
		},
		{
			name:  "mix: a person and the author",
			steps: []step{issueComment(payload.CommentOpts{Author: "alice", Body: "/thanks @bob @alice for the pairing"})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "the pairing")},
				notices:      []string{"Thanking yourself doesn't count"},
			},
		},
		{
			name:  "mix: a person and a bot",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @dependabot @bob"})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "")},
				notices:      []string{"`dependabot` is a bot"},
			},
		},
		{
			name:  "mix: a good command and a malformed one",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "/thanks @bob\n/kudos @acme/reviewers"})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "")},
				notices:      []string{"is a team"},
			},
		},
	}
	runCases(t, cases)
}

func TestRecognizeIgnored(t *testing.T) {
	cases := []thanksCase{
		{
			name: "a maintainer edits a command into someone else's comment",
			steps: []step{issueComment(payload.CommentOpts{
				Common: payload.Common{Sender: "mallory"},
				Action: "edited", Author: "carol", Body: "/thanks @mallory for everything", PreviousBody: "LGTM",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindComment, ID: 1001, Login: "carol", HTMLURL: commentURL(1001), At: at(0),
				}},
			},
		},
		{
			name: "author and sender are a Bot account",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "ci-helper", AuthorType: "Bot", Body: "/thanks @bob",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindComment, ID: 1001, Login: "ci-helper", Bot: true, HTMLURL: commentURL(1001), At: at(0),
				}},
			},
		},
		{
			name: "sender type Bot",
			steps: []step{issueComment(payload.CommentOpts{
				Common: payload.Common{Sender: "helper", SenderType: "Bot"},
				Author: "helper", Body: "/thanks @bob",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindComment, ID: 1001, Login: "helper", Bot: true, HTMLURL: commentURL(1001), At: at(0),
				}},
			},
		},
		{
			name: "author login ending in [bot]",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "renovate[bot]", Body: "/thanks @bob\nUpdated 3 dependencies.",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindComment, ID: 1001, Login: "renovate[bot]", Bot: true, HTMLURL: commentURL(1001), At: at(0),
				}},
			},
		},
		{
			name: "Copilot review",
			steps: []step{review(payload.ReviewOpts{
				Author: "Copilot", State: "commented", Body: "/thanks @alice for the clean diff",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2001, Login: "Copilot", Bot: true, HTMLURL: reviewURL(2001),
					At: at(0), State: "commented",
				}},
			},
		},
		{
			name: "Copilot review comment",
			steps: []step{reviewComment(payload.CommentOpts{
				ID: 3001, Author: "Copilot", AuthorType: "Bot", Body: "/kudos @alice",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3001, Login: "Copilot", Bot: true, HTMLURL: discussionURL(3001),
					At: at(0), Thread: 3001,
				}},
			},
		},
		{
			name: "the app's own reply",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "kudos-app[bot]", AuthorType: "Bot",
				Body: "🎉 Thanks @bob for catching the race!\n" + recognizer.Marker("0123456789abcdef0123") +
					"\n/thanks @bob",
			})},
			want: want{decision: recognizer.DecisionIgnore, noRecords: true},
		},
		{
			name: "a person's comment carrying the marker",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "/thanks @bob\n<!-- kudos:abc -->",
			})},
			want: want{decision: recognizer.DecisionIgnore, noRecords: true},
		},
		{
			name: "dismissed review",
			steps: []step{
				review(payload.ReviewOpts{Author: "carol", State: "approved", Body: "/thanks @bob", At: at(1)}),
				review(payload.ReviewOpts{
					Common: payload.Common{Sender: "alice"},
					Action: "dismissed", Author: "carol", Body: "/thanks @bob", At: at(1),
				}),
			},
			// The ledger keeps the review, now marked dismissed.
			want: want{decision: recognizer.DecisionIgnore, records: []recognizer.Contribution{{
				Kind: recognizer.KindReview, ID: 2001, Login: "carol", State: "dismissed",
				HTMLURL: reviewURL(2001), At: at(1),
			}}},
		},
		{
			name: "command in a fenced code block",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "Usage:\n```\n/thanks @bob for …\n```",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records:  []recognizer.Contribution{commentRecord(1001, "carol", commentURL(1001), 0)},
			},
		},
		{
			name:  "command in indented code",
			steps: []step{issueComment(payload.CommentOpts{Author: "carol", Body: "Try:\n\n    /thanks @bob"})},
			want:  want{decision: recognizer.DecisionIgnore},
		},
		{
			name: "command in a quote",
			steps: []step{reviewComment(payload.CommentOpts{
				ID: 3002, InReplyTo: 3001, Author: "carol", Body: "> /thanks @bob\n\nWho wrote this?",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3002, Login: "carol", HTMLURL: discussionURL(3002),
					At: at(0), Thread: 3001,
				}},
			},
		},
		{
			name: "command in the quoted tail of an email reply",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "Agreed.\n\nOn Mon, Nov 16, 2026 at 9:00 AM Bob wrote:\n/thanks @dave",
			})},
			want: want{decision: recognizer.DecisionIgnore},
		},
		{
			name: "no command",
			steps: []step{issueComment(payload.CommentOpts{
				Author: "carol", Body: "LGTM, thanks @bob! Let's /thanks him later.",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records:  []recognizer.Contribution{commentRecord(1001, "carol", commentURL(1001), 0)},
			},
		},
		{
			name:  "review without a body",
			steps: []step{review(payload.ReviewOpts{Author: "bob", State: "approved"})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2001, Login: "bob", HTMLURL: reviewURL(2001), At: at(0), State: "approved",
				}},
			},
		},
	}
	runCases(t, cases)
}

func TestRecognizeDeletedCommentRetractsReplies(t *testing.T) {
	cases := []struct {
		name string
		step step
		want recognizer.Source
	}{
		{"conversation comment", issueComment(payload.CommentOpts{Action: "deleted", ID: 1001, Author: "carol", Body: "/thanks @bob"}),
			recognizer.Source{Kind: recognizer.SourceIssueComment, ID: 1001, HTMLURL: commentURL(1001)}},
		{"review comment reply", reviewComment(payload.CommentOpts{Action: "deleted", ID: 3002, InReplyTo: 3001, Author: "carol", Body: "/thanks @bob"}),
			recognizer.Source{Kind: recognizer.SourceReviewComment, ID: 3002, HTMLURL: discussionURL(3002), ThreadID: 3001}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := replay(t, tc.step)
			s := got.res.Suggestion
			if s == nil || s.Kind != recognizer.KindRetract || s.Source != tc.want || len(s.ItemIDs()) != 0 {
				t.Fatalf("suggestion = %+v; want a retract job for %+v", s, tc.want)
			}
			if len(got.res.Records) != 0 || len(got.res.Removals) != 1 {
				t.Fatalf("records %v, removals %v; want the comment removed from the ledger", got.res.Records, got.res.Removals)
			}
		})
	}
}

func TestRecognizeKudosCommands(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		cfg      func(*recognizer.Config)
		wantPref *recognizer.Preference
		wantKind string // of the single notice
		wantText string // in the notice
		wantRecs int
	}{
		{name: "help", body: "/kudos help", wantKind: recognizer.NoticeHelp},
		{name: "opt-out", body: "/KUDOS opt-out please", wantPref: &recognizer.Preference{Login: "carol", OptOut: true}, wantText: "won't name you"},
		{name: "opt-in", body: "/kudos opt-in", wantPref: &recognizer.Preference{Login: "carol"}, wantText: "name you again"},
		{name: "an alias thanks", body: "/props @bob for the fix", cfg: func(c *recognizer.Config) { c.Aliases = []string{"props"} }, wantRecs: 1},
		{name: "an alias unknown to the repo", body: "/props @bob for the fix"},
		{name: "thanks switched off", body: "/thanks @bob", cfg: func(c *recognizer.Config) { c.Thanks = false }},
		{name: "help still answers with thanks off", body: "/kudos help", cfg: func(c *recognizer.Config) { c.Thanks = false }, wantKind: recognizer.NoticeHelp},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := recognizer.DefaultConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			ev, err := webhook.Extract("issue_comment", "d-1", payload.IssueComment(payload.CommentOpts{Author: "carol", Body: tc.body}))
			if err != nil {
				t.Fatal(err)
			}
			res := recognizer.Recognize(ev, recognizer.History{}, cfg, thanksNow)
			if !reflect.DeepEqual(res.Preference, tc.wantPref) {
				t.Errorf("Preference = %+v, want %+v", res.Preference, tc.wantPref)
			}
			s := res.Suggestion
			wantNotice := tc.wantKind != "" || tc.wantText != ""
			if !wantNotice && tc.wantRecs == 0 {
				if s != nil {
					t.Fatalf("Suggestion = %+v, want none", s)
				}
				return
			}
			if s == nil {
				t.Fatalf("no suggestion (why %q)", res.Why)
			}
			if len(s.Recognitions) != tc.wantRecs {
				t.Errorf("recognitions = %+v, want %d", s.Recognitions, tc.wantRecs)
			}
			if wantNotice {
				if len(s.Notices) != 1 || s.Notices[0].Kind != tc.wantKind || !strings.Contains(s.Notices[0].Text, tc.wantText) {
					t.Errorf("notices = %+v; want one of kind %q containing %q", s.Notices, tc.wantKind, tc.wantText)
				}
			}
		})
	}
}

func TestValuesKeepOnlyTheTeamsTags(t *testing.T) {
	cfg := recognizer.DefaultConfig()
	cfg.Values = []recognizer.Value{{Tag: "teamwork"}, {Tag: "craft"}}
	ev, err := webhook.Extract("issue_comment", "d-1", payload.IssueComment(payload.CommentOpts{Author: "carol",
		Body: "/thanks @bob for the #Craft and #speed #teamwork"}))
	if err != nil {
		t.Fatal(err)
	}
	res := recognizer.Recognize(ev, recognizer.History{}, cfg, thanksNow)
	if got := res.Suggestion.Recognitions[0].Values; !reflect.DeepEqual(got, []string{"craft", "teamwork"}) {
		t.Fatalf("values = %v, want [craft teamwork]", got)
	}
}

func TestRecognizeRecords(t *testing.T) {
	cases := []thanksCase{
		{
			name:  "approving review",
			steps: []step{review(payload.ReviewOpts{ID: 2005, Author: "bob", State: "approved", Body: "Ship it.", At: at(7)})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2005, Login: "bob", HTMLURL: reviewURL(2005), At: at(7), State: "approved",
				}},
			},
		},
		{
			name:  "review asking for changes",
			steps: []step{review(payload.ReviewOpts{ID: 2006, Author: "bob", State: "changes_requested", Body: "Needs tests."})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2006, Login: "bob", HTMLURL: reviewURL(2006), At: at(0),
					State: "changes_requested",
				}},
			},
		},
		{
			name:  "edited review",
			steps: []step{review(payload.ReviewOpts{Action: "edited", ID: 2007, Author: "bob", State: "commented", Body: "Nits only."})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2007, Login: "bob", HTMLURL: reviewURL(2007), At: at(0), State: "commented",
				}},
			},
		},
		{
			name:  "top-level review comment",
			steps: []step{reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Race.", At: at(3)})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3001, Login: "bob", HTMLURL: discussionURL(3001), At: at(3), Thread: 3001,
				}},
			},
		},
		{
			name:  "review comment reply",
			steps: []step{reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "alice", Body: "Fixed.", At: at(4)})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3002, Login: "alice", HTMLURL: discussionURL(3002), At: at(4), Thread: 3001,
				}},
			},
		},
		{
			name: "edited review comment reply",
			steps: []step{reviewComment(payload.CommentOpts{
				Action: "edited", ID: 3002, InReplyTo: 3001, Author: "alice", Body: "Fixed in abc.", PreviousBody: "Fixed.",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReviewComment, ID: 3002, Login: "alice", HTMLURL: discussionURL(3002), At: at(0), Thread: 3001,
				}},
			},
		},
		{
			name:  "issue comment on a PR",
			steps: []step{issueComment(payload.CommentOpts{ID: 1005, Author: "bob", Body: "Rebased.", At: at(2)})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records:  []recognizer.Contribution{commentRecord(1005, "bob", commentURL(1005), 2)},
			},
		},
		{
			name:  "issue comment on a plain issue",
			steps: []step{issueComment(payload.CommentOpts{OnIssue: true, ID: 1006, Author: "bob", Body: "Can't reproduce."})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records:  []recognizer.Contribution{commentRecord(1006, "bob", issueCommentURL(1006), 0)},
			},
		},
		{
			name: "edited issue comment",
			steps: []step{issueComment(payload.CommentOpts{
				Action: "edited", ID: 1005, Author: "bob", Body: "Rebased on main.", PreviousBody: "Rebased.",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records:  []recognizer.Contribution{commentRecord(1005, "bob", commentURL(1005), 0)},
			},
		},
		{
			// A GitHub App edits bob's comment: the sender is the bot, the
			// author (and the record's Login) is bob, a person.
			name: "comment edited by a bot stays a person's",
			steps: []step{issueComment(payload.CommentOpts{
				Common: payload.Common{Sender: "tidy-app[bot]", SenderType: "Bot"},
				Action: "edited", ID: 1005, Author: "bob", Body: "Rebased. (checklist updated)", PreviousBody: "Rebased.",
			})},
			want: want{
				decision: recognizer.DecisionIgnore,
				records:  []recognizer.Contribution{commentRecord(1005, "bob", commentURL(1005), 0)},
			},
		},
		{
			name:  "a command's own comment is recorded too",
			steps: []step{review(payload.ReviewOpts{ID: 2008, Author: "carol", State: "approved", Body: "/thanks @bob"})},
			want: want{
				decision:     recognizer.DecisionRecognize,
				recognitions: []wantRecognition{thanksPR("bob", "")},
				records: []recognizer.Contribution{{
					Kind: recognizer.KindReview, ID: 2008, Login: "carol", HTMLURL: reviewURL(2008), At: at(0), State: "approved",
				}},
			},
		},
	}
	runCases(t, cases)
}

// idOf returns the ID of the recognition of recipient (case-insensitive)
// in the result of the story.
func idOf(t *testing.T, recipient string, steps ...step) string {
	t.Helper()
	got := replay(t, steps...)
	if got.res.Suggestion == nil {
		t.Fatalf("Suggestion = nil (decision %q, why: %s), want a recognition of %s", got.res.Decision, got.res.Why, recipient)
	}
	for _, r := range got.res.Suggestion.Recognitions {
		if strings.EqualFold(r.Recipient, recipient) {
			return r.ID
		}
	}
	t.Fatalf("recognitions %q, want one for %s", recipients(got.res.Suggestion.Recognitions), recipient)
	return ""
}

func TestRecognitionIDs(t *testing.T) {
	thanks := func(o payload.CommentOpts) step {
		o.Author = or(o.Author, "carol")
		o.Body = or(o.Body, "/thanks @bob")
		return issueComment(o)
	}
	cases := []struct {
		name       string
		a, b       []step
		recipientA string
		recipientB string
		same       bool
	}{
		{
			name: "same comment, another delivery",
			a:    []step{thanks(payload.CommentOpts{}).as("d-1")},
			b:    []step{thanks(payload.CommentOpts{}).as("d-2")},
			same: true,
		},
		{
			name: "same comment, more history",
			a:    []step{thanks(payload.CommentOpts{At: at(5)})},
			b: []step{
				review(payload.ReviewOpts{Author: "bob", State: "approved", At: at(1)}),
				thanks(payload.CommentOpts{At: at(5)}),
			},
			same: true,
		},
		{
			name: "edited after created",
			a:    []step{thanks(payload.CommentOpts{})},
			b: []step{
				thanks(payload.CommentOpts{}),
				thanks(payload.CommentOpts{Action: "edited", Body: "/kudos @bob for the fix #craft", PreviousBody: "/thanks @bob"}),
			},
			same: true,
		},
		{
			name: "edited review comment reply after created",
			a:    []step{reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "carol", Body: "/thanks @bob"})},
			b: []step{
				reviewComment(payload.CommentOpts{ID: 3001, Author: "bob", Body: "Race.", At: at(-1)}),
				reviewComment(payload.CommentOpts{ID: 3002, InReplyTo: 3001, Author: "carol", Body: "/thanks @bob"}),
				reviewComment(payload.CommentOpts{
					Action: "edited", ID: 3002, InReplyTo: 3001, Author: "carol", Body: "/thanks @bob!", PreviousBody: "/thanks @bob",
				}),
			},
			same: true,
		},
		{
			name:       "login case",
			a:          []step{thanks(payload.CommentOpts{Body: "/thanks @bob"})},
			b:          []step{thanks(payload.CommentOpts{Body: "/thanks @BOB"})},
			recipientB: "BOB",
			same:       true,
		},
		{
			name: "another comment",
			a:    []step{thanks(payload.CommentOpts{ID: 1001})},
			b:    []step{thanks(payload.CommentOpts{ID: 1002})},
		},
		{
			name:       "another recipient in the same comment",
			a:          []step{thanks(payload.CommentOpts{Body: "/thanks @bob @dave"})},
			b:          []step{thanks(payload.CommentOpts{Body: "/thanks @bob @dave"})},
			recipientB: "dave",
		},
		{
			name: "same id, review comment instead of issue comment",
			a:    []step{thanks(payload.CommentOpts{ID: 1001})},
			b:    []step{reviewComment(payload.CommentOpts{ID: 1001, Author: "carol", Body: "/thanks @bob"})},
		},
		{
			name: "same id, review instead of issue comment",
			a:    []step{thanks(payload.CommentOpts{ID: 1001})},
			b:    []step{review(payload.ReviewOpts{ID: 1001, Author: "carol", Body: "/thanks @bob"})},
		},
		{
			name: "same comment id in another repository",
			a:    []step{thanks(payload.CommentOpts{})},
			b: []step{thanks(payload.CommentOpts{Common: payload.Common{
				Repo: "gadgets", RepoID: 555,
			}})},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ra, rb := or(tc.recipientA, "bob"), or(tc.recipientB, "bob")
			a, b := idOf(t, ra, tc.a...), idOf(t, rb, tc.b...)
			if tc.same && a != b {
				t.Errorf("ID of %s = %q and ID of %s = %q, want the same ID", ra, a, rb, b)
			}
			if !tc.same && a == b {
				t.Errorf("ID of %s and of %s are both %q, want different IDs", ra, rb, a)
			}
		})
	}
}

// TestRecognizeDeterministic checks that Recognize is a pure function of
// its inputs: the same event and history give the same result, notices
// included, and the clock only matters when the comment has no time.
func TestRecognizeDeterministic(t *testing.T) {
	steps := []step{
		review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved", At: at(1)}),
		reviewComment(payload.CommentOpts{ID: 3001, Author: "dave", Body: "Nit.", At: at(2)}),
		issueComment(payload.CommentOpts{
			ID: 1003, Author: "carol", At: at(3),
			Body: "/thanks @bob @carol @dependabot for the review #quality\n/kudos @dave\n/thanks",
		}),
	}
	first := replay(t, steps...)
	again := recognizer.Recognize(first.ev, first.hist, recognizer.DefaultConfig(), thanksNow)
	if !reflect.DeepEqual(first.res, again) {
		t.Errorf("second Recognize = %+v\nwant the first result %+v", again, first.res)
	}
	later := recognizer.Recognize(first.ev, first.hist, recognizer.DefaultConfig(), thanksNow.Add(48*time.Hour))
	if !reflect.DeepEqual(first.res, later) {
		t.Errorf("Recognize two days later = %+v\nwant the same result %+v", later, first.res)
	}
	redelivered := replay(t, append(steps[:2:2], steps[2].as("another-delivery"))...)
	if !reflect.DeepEqual(first.res, redelivered.res) {
		t.Errorf("result under another delivery id = %+v\nwant the same result %+v", redelivered.res, first.res)
	}
	if s := first.res.Suggestion; s == nil || len(s.Recognitions) != 2 || len(s.Notices) != 3 {
		t.Fatalf("Suggestion = %+v, want 2 recognitions (bob, dave) and 3 notices (self, bot, no recipient)", s)
	}

	// Without a comment time the suggestion falls back to the clock.
	ev := first.ev
	c := *ev.Comment
	c.At = time.Time{}
	ev.Comment = &c
	res := recognizer.Recognize(ev, first.hist, recognizer.DefaultConfig(), thanksNow)
	if res.Suggestion == nil || !res.Suggestion.At.Equal(thanksNow) {
		t.Errorf("Suggestion for a comment without time = %+v, want At = %v", res.Suggestion, thanksNow)
	}
}

func TestNeedsHistory(t *testing.T) {
	cases := []struct {
		name string
		step step
		want bool
	}{
		{"thanks comment", issueComment(payload.CommentOpts{Body: "/thanks @bob"}), true},
		{"kudos in a review", review(payload.ReviewOpts{Body: "/kudos @bob"}), true},
		{"shoutout in a review comment", reviewComment(payload.CommentOpts{Body: "/shoutout @bob"}), true},
		{"malformed command", issueComment(payload.CommentOpts{Body: "/thanks"}), true},
		{"help", issueComment(payload.CommentOpts{Body: "/kudos help"}), true},
		{"no command", issueComment(payload.CommentOpts{Body: "Thanks @bob!"}), false},
		{"empty review", review(payload.ReviewOpts{}), false},
		// A cheap over-approximation: any line starting with "/" may be a command (or an alias).
		{"command in code", issueComment(payload.CommentOpts{Body: "```\n/thanks @bob\n```"}), true},
		{"command in a quote", issueComment(payload.CommentOpts{Body: "> /thanks @bob"}), false},
		{"pull_request event", pullRequest(payload.PROpts{}), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := webhook.Extract(tc.step.event, "d-1", tc.step.body)
			if err != nil {
				t.Fatalf("Extract(%s) error: %v", tc.step.event, err)
			}
			if got := recognizer.NeedsHistory(ev); got != tc.want {
				t.Errorf("NeedsHistory = %v, want %v", got, tc.want)
			}
		})
	}
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
