package webhook

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/recognizer"
)

// normalize reads body with Extract, the server's reader, and holds the
// expectations of the tests below to it; go-github's full decode
// (Normalize, the reference) must agree with it (exAgree), and fail or
// not as it does.
func normalize(t *testing.T, eventType, delivery string, body []byte) (recognizer.Event, error) {
	t.Helper()
	exAgree(t, eventType, body)
	ev, err := Extract(eventType, delivery, body)
	if _, werr, _ := exNormalize(eventType, body); (err == nil) != (werr == nil) {
		t.Errorf("%s: Extract = %v; Normalize = %v", eventType, err, werr)
	}
	return ev, err
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	const (
		inst   = int64(4242)
		owner  = "octo-org"
		name   = "gizmo"
		repoID = int64(987654)
		number = 7
	)
	repo := func(private bool) recognizer.Repo {
		return recognizer.Repo{ID: repoID, Owner: owner, Name: name, FullName: owner + "/" + name,
			Private: private, HTMLURL: "https://github.com/" + owner + "/" + name}
	}
	common := func(private bool) payload.Common {
		return payload.Common{Installation: inst, Owner: owner, Repo: name, RepoID: repoID,
			Private: private, Number: number, TargetAuthor: "dana"}
	}
	prURL := "https://github.com/octo-org/gizmo/pull/7"
	issueURL := "https://github.com/octo-org/gizmo/issues/7"
	dana := recognizer.Actor{Login: "dana"}
	carol := recognizer.Actor{Login: "carol"}

	tests := []struct {
		name  string
		event string
		body  []byte
		want  recognizer.Event
	}{
		{
			name:  "issue_comment on a PR in a private repo",
			event: "issue_comment",
			body: payload.IssueComment(payload.CommentOpts{Common: common(true), ID: 5005, Author: "carol",
				Body: "/thanks @bob for the fix", At: at}),
			want: recognizer.Event{Kind: recognizer.IssueComment, Action: "created", InstallationID: inst,
				Repo: repo(true), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana, Sender: carol,
				Comment: &recognizer.Comment{ID: 5005, Author: carol, Body: "/thanks @bob for the fix",
					HTMLURL: prURL + "#issuecomment-5005", At: at}},
		},
		{
			name:  "issue_comment edited on a plain issue by someone else",
			event: "issue_comment",
			body: payload.IssueComment(payload.CommentOpts{Common: func() payload.Common {
				c := common(false)
				c.Sender = "erin"
				return c
			}(), OnIssue: true, Action: "edited", ID: 5006, Author: "carol", Body: "new text", PreviousBody: "old", At: at}),
			want: recognizer.Event{Kind: recognizer.IssueComment, Action: "edited", InstallationID: inst,
				Repo: repo(false), Number: number, IsPR: false, TargetURL: issueURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "erin"},
				Comment: &recognizer.Comment{ID: 5006, Author: carol, Body: "new text",
					HTMLURL: issueURL + "#issuecomment-5006", At: at}},
		},
		{
			name:  "issue_comment by a bot",
			event: "issue_comment",
			body: payload.IssueComment(payload.CommentOpts{Common: common(false), ID: 5007,
				Author: "renovate[bot]", AuthorType: "Bot", Body: "Rebased", At: at}),
			want: recognizer.Event{Kind: recognizer.IssueComment, Action: "created", InstallationID: inst,
				Repo: repo(false), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "renovate[bot]", Bot: true},
				Comment: &recognizer.Comment{ID: 5007, Author: recognizer.Actor{Login: "renovate[bot]", Bot: true},
					Body: "Rebased", HTMLURL: prURL + "#issuecomment-5007", At: at}},
		},
		{
			name:  "pull_request_review asking for changes",
			event: "pull_request_review",
			body: payload.Review(payload.ReviewOpts{Common: common(true), ID: 2222, Author: "frank",
				State: "changes_requested", Body: "Please handle the nil case.\n/thanks @dana", At: at}),
			want: recognizer.Event{Kind: recognizer.Review, Action: "submitted", InstallationID: inst,
				Repo: repo(true), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "frank"},
				Comment: &recognizer.Comment{ID: 2222, Author: recognizer.Actor{Login: "frank"},
					Body: "Please handle the nil case.\n/thanks @dana", HTMLURL: prURL + "#pullrequestreview-2222",
					At: at, ReviewState: "changes_requested"}},
		},
		{
			name:  "pull_request_review approval without a body",
			event: "pull_request_review",
			body:  payload.Review(payload.ReviewOpts{Common: common(false), ID: 2223, Author: "frank", At: at}),
			want: recognizer.Event{Kind: recognizer.Review, Action: "submitted", InstallationID: inst,
				Repo: repo(false), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "frank"},
				Comment: &recognizer.Comment{ID: 2223, Author: recognizer.Actor{Login: "frank"},
					HTMLURL: prURL + "#pullrequestreview-2223", At: at, ReviewState: "approved"}},
		},
		{
			name:  "pull_request_review_comment replying in a thread",
			event: "pull_request_review_comment",
			body: payload.ReviewComment(payload.CommentOpts{Common: common(false), ID: 3003, InReplyTo: 3001,
				ReviewID: 2224, Author: "carol", Body: "/thanks @bob", At: at}),
			want: recognizer.Event{Kind: recognizer.ReviewComment, Action: "created", InstallationID: inst,
				Repo: repo(false), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana, Sender: carol,
				Comment: &recognizer.Comment{ID: 3003, Author: carol, Body: "/thanks @bob",
					HTMLURL: prURL + "#discussion_r3003", At: at, InReplyTo: 3001}},
		},
		{
			name:  "pull_request_review_comment starting a thread",
			event: "pull_request_review_comment",
			body: payload.ReviewComment(payload.CommentOpts{Common: common(true), ID: 3001,
				Author: "bob", Body: "This can race.", At: at}),
			want: recognizer.Event{Kind: recognizer.ReviewComment, Action: "created", InstallationID: inst,
				Repo: repo(true), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "bob"},
				Comment: &recognizer.Comment{ID: 3001, Author: recognizer.Actor{Login: "bob"}, Body: "This can race.",
					HTMLURL: prURL + "#discussion_r3001", At: at}},
		},
		{
			name:  "pull_request merged",
			event: "pull_request",
			body: payload.PullRequest(payload.PROpts{Common: func() payload.Common {
				c := common(false)
				c.Sender = "grace"
				return c
			}(), Action: "closed", Merged: true, At: at}),
			want: recognizer.Event{Kind: recognizer.PullRequest, Action: "closed", InstallationID: inst,
				Repo: repo(false), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "grace"},
				PR:     &recognizer.PRChange{Merged: true, MergedBy: recognizer.Actor{Login: "grace"}, At: at}},
		},
		{
			name:  "pull_request opened by a bot sender",
			event: "pull_request",
			body: payload.PullRequest(payload.PROpts{Common: func() payload.Common {
				c := common(true)
				c.Sender, c.SenderType = "dependabot[bot]", "Bot"
				return c
			}(), At: at}),
			want: recognizer.Event{Kind: recognizer.PullRequest, Action: "opened", InstallationID: inst,
				Repo: repo(true), Number: number, IsPR: true, TargetURL: prURL, TargetAuthor: dana,
				Sender: recognizer.Actor{Login: "dependabot[bot]", Bot: true},
				PR:     &recognizer.PRChange{At: at}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalize(t, tt.event, "del-1", tt.body)
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			want := tt.want
			want.DeliveryID = "del-1"
			// Compare instants with Equal, then the rest field by field.
			if (got.Comment == nil) != (want.Comment == nil) {
				t.Fatalf("Comment = %+v; want %+v", got.Comment, want.Comment)
			}
			if got.Comment != nil {
				if !got.Comment.At.Equal(want.Comment.At) {
					t.Errorf("Comment.At = %v; want %v", got.Comment.At, want.Comment.At)
				}
				gc, wc := *got.Comment, *want.Comment
				gc.At, wc.At = time.Time{}, time.Time{}
				if !reflect.DeepEqual(gc, wc) {
					t.Errorf("Comment =\n\t%+v\nwant\n\t%+v", gc, wc)
				}
				got.Comment, want.Comment = nil, nil
			}
			if (got.PR == nil) != (want.PR == nil) {
				t.Fatalf("PR = %+v; want %+v", got.PR, want.PR)
			}
			if got.PR != nil {
				gp, wp := *got.PR, *want.PR
				if !gp.At.Equal(wp.At) {
					t.Errorf("PR.At = %v; want %v", gp.At, wp.At)
				}
				if gp.HeadSHA == "" || gp.Title == "" {
					t.Errorf("PR = %+v; want the head sha and title from the payload", gp)
				}
				gp.At, wp.At, gp.HeadSHA, gp.Title = time.Time{}, time.Time{}, "", ""
				if !reflect.DeepEqual(gp, wp) {
					t.Errorf("PR =\n\t%+v\nwant\n\t%+v", gp, wp)
				}
				got.PR, want.PR = nil, nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Event =\n\t%+v\nwant\n\t%+v", got, want)
			}
		})
	}
}

func TestNormalizeRepositoryEvents(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"push", "installation.created", "installation.deleted", "installation_repositories.removed"} {
		t.Run(name, func(t *testing.T) {
			body, err := payload.Raw(name)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := normalize(t, payload.EventType(name), "d-1", body)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if ev.InstallationID == 0 {
				t.Fatalf("event %+v lacks its installation", ev)
			}
			switch name {
			case "push":
				if ev.Push == nil || ev.Push.Ref == "" || ev.Push.DefaultBranch == "" || ev.Repo.ID == 0 {
					t.Fatalf("push = %+v, repo %+v", ev.Push, ev.Repo)
				}
			case "installation_repositories.removed":
				if len(ev.RemovedRepos) == 0 {
					t.Fatalf("removed repositories missing: %+v", ev)
				}
			}
		})
	}
}

func TestNormalizeUnhandled(t *testing.T) {
	t.Parallel()
	raw := func(name string) []byte {
		b, err := payload.Raw(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, event string
		body        []byte
	}{
		{"ping", "ping", raw("ping")},
		{"unknown type", "check_run", []byte(`{}`)},
		{"no type", "", raw("issue_comment.created")},
		{"type in other case", "Issue_Comment", raw("issue_comment.created")},
		// Unhandled types are never decoded, so even garbage is just ignored.
		{"ping with garbage", "ping", []byte(`{"zen":`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := normalize(t, tt.event, "d", tt.body)
			if !errors.Is(err, errUnhandled) {
				t.Errorf("Normalize error = %v; want errUnhandled", err)
			}
			if exClass(err) == "decode" {
				t.Errorf("Normalize error %v is a decode error; want the 200 path", err)
			}
		})
	}
}

func TestNormalizeMalformed(t *testing.T) {
	t.Parallel()
	noKey := func(body []byte, keys ...string) []byte {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			delete(m, k)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	comment := payload.IssueComment(payload.CommentOpts{Body: "/thanks @carol"})
	review := payload.Review(payload.ReviewOpts{})
	reviewComment := payload.ReviewComment(payload.CommentOpts{})
	pr := payload.PullRequest(payload.PROpts{})

	tests := []struct {
		name, event string
		body        []byte
		// wantJSON: the error wraps encoding/json's error.
		wantJSON bool
	}{
		{"truncated issue_comment", "issue_comment", comment[:len(comment)/2], true},
		{"truncated review", "pull_request_review", review[:100], true},
		{"truncated review comment", "pull_request_review_comment", reviewComment[:len(reviewComment)-1], true},
		{"truncated pull_request", "pull_request", pr[:1], true},
		{"empty body", "issue_comment", nil, true},
		{"array", "pull_request_review", []byte(`[]`), true},
		{"wrong field type", "issue_comment", []byte(`{"installation":{"id":"forty-two"}}`), true},
		{"comment without installation", "issue_comment", noKey(comment, "installation"), false},
		{"comment without repository", "issue_comment", noKey(comment, "repository"), false},
		{"review without installation", "pull_request_review", noKey(review, "installation"), false},
		{"review comment without pull_request", "pull_request_review_comment", noKey(reviewComment, "pull_request"), false},
		{"pull_request without repository", "pull_request", noKey(pr, "repository"), false},
		{"empty object as a review", "pull_request_review", []byte(`{}`), false},
		// BUG: Normalize calls IsPullRequest on a nil *github.Issue and panics.
		{"comment without issue", "issue_comment", noKey(comment, "issue"), false},
		{"empty object as a comment", "issue_comment", []byte(`{}`), false},
		// BUG: JSON null decodes to a nil event, reported as errUnhandled.
		{"null as a comment", "issue_comment", []byte(`null`), false},
		{"null as a pull_request", "pull_request", []byte(`null`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := normalize(t, tt.event, "d", tt.body)
			if exClass(err) != "decode" {
				t.Fatalf("error = %v; want a decode error (400), not errUnhandled (200)", err)
			}
			if !strings.HasPrefix(err.Error(), "decode "+tt.event+" payload") {
				t.Errorf("error %q does not name the event type", err)
			}
			// The reference wraps encoding/json's error.
			_, nerr := Normalize(tt.event, "d", tt.body)
			var syn *json.SyntaxError
			var typ *json.UnmarshalTypeError
			isJSON := errors.As(nerr, &syn) || errors.As(nerr, &typ) || nerr != nil && strings.Contains(nerr.Error(), "unexpected end of JSON input")
			if tt.wantJSON && !isJSON {
				t.Errorf("Normalize error %v does not wrap the JSON decoding error", nerr)
			}
		})
	}
}
