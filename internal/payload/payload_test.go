package payload

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v66/github"
)

var wantNames = []string{
	"full/issue_comment.created",
	"installation.created",
	"installation.deleted",
	"installation_repositories.removed",
	"issue_comment.created",
	"issue_comment.created.issue",
	"issue_comment.deleted",
	"issue_comment.deleted.issue",
	"issue_comment.edited",
	"issue_comment.edited.issue",
	"ping",
	"pull_request.closed.merged",
	"pull_request.closed.unmerged",
	"pull_request.opened",
	"pull_request.ready_for_review",
	"pull_request.reopened",
	"pull_request.review_requested",
	"pull_request_review.dismissed",
	"pull_request_review.edited",
	"pull_request_review.submitted",
	"pull_request_review_comment.created",
	"pull_request_review_comment.deleted",
	"pull_request_review_comment.edited",
	"push",
}

func TestNames(t *testing.T) {
	got := Names()
	if !slices.IsSorted(got) {
		t.Errorf("Names() not sorted: %q", got)
	}
	if !slices.Equal(got, wantNames) {
		t.Errorf("Names() = %q\nwant     %q", got, wantNames)
	}
}

func TestRaw(t *testing.T) {
	tests := []struct {
		name    string
		wantErr bool
	}{
		{"issue_comment.created", false},
		{"full/issue_comment.created", false},
		{"issue_comment.created.json", false},
		{"push", false},
		{"", true},
		{"nope", true},
		{"issue_comment", true},
		{"../payload.go", true},
		{"/etc/passwd", true},
		{"full", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Raw(tt.name)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Raw(%q) = %d bytes, want error", tt.name, len(b))
				}
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Raw(%q) error %v does not wrap fs.ErrNotExist", tt.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Raw(%q): %v", tt.name, err)
			}
			if len(b) == 0 {
				t.Fatalf("Raw(%q) empty", tt.name)
			}
		})
	}
}

func TestEventType(t *testing.T) {
	for name, want := range map[string]string{
		"issue_comment.created.issue":   "issue_comment",
		"full/issue_comment.created":    "issue_comment",
		"pull_request_review.submitted": "pull_request_review",
		"ping":                          "ping",
		"push":                          "push",
	} {
		if got := EventType(name); got != want {
			t.Errorf("EventType(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestExamples proves every embedded file is valid, pretty-printed JSON that
// go-github decodes into its typed event, and that it is what its name says.
func TestExamples(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			b, err := Raw(name)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) {
				t.Fatal("invalid JSON")
			}
			var indented bytes.Buffer
			if err := json.Indent(&indented, b, "", "  "); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(name, "full/") && !bytes.Equal(bytes.TrimSpace(indented.Bytes()), bytes.TrimSpace(b)) {
				t.Error("not pretty-printed with a 2-space indent")
			}
			// load is what the builders use; it panics on corrupt data.
			m := load(name)

			ev, err := github.ParseWebHook(EventType(name), b)
			if err != nil {
				t.Fatalf("ParseWebHook(%q): %v", EventType(name), err)
			}

			// The action in the file name matches the payload.
			parts := strings.Split(strings.TrimPrefix(name, "full/"), ".")
			if len(parts) > 1 {
				if got, _ := m["action"].(string); got != parts[1] {
					t.Errorf("action = %q, want %q", got, parts[1])
				}
			}
			if !strings.HasPrefix(name, "full/") {
				assertTrimmed(t, m)
			}

			switch e := ev.(type) {
			case *github.IssueCommentEvent:
				onIssue := strings.HasSuffix(name, ".issue")
				if got := e.GetIssue().IsPullRequest(); got == onIssue {
					t.Errorf("issue.pull_request present = %v, want %v", got, !onIssue)
				}
				if e.GetComment().GetID() == 0 || e.GetComment().GetBody() == "" || e.GetComment().GetUser().GetLogin() == "" {
					t.Errorf("comment incomplete: %+v", e.GetComment())
				}
				if !strings.HasPrefix(e.GetComment().GetHTMLURL(), e.GetIssue().GetHTMLURL()+"#issuecomment-") {
					t.Errorf("comment html_url %q not under issue html_url %q", e.GetComment().GetHTMLURL(), e.GetIssue().GetHTMLURL())
				}
				if e.GetAction() == "edited" && e.GetChanges().GetBody().From == nil {
					t.Error("edited without changes.body.from")
				}
			case *github.PullRequestEvent:
				wantMerged := name == "pull_request.closed.merged"
				if got := e.GetPullRequest().GetMerged(); got != wantMerged {
					t.Errorf("merged = %v, want %v", got, wantMerged)
				}
				if wantMerged && (e.GetPullRequest().GetMergedBy().GetLogin() == "" || e.GetPullRequest().MergedAt == nil) {
					t.Error("merged PR without merged_by/merged_at")
				}
				if e.GetAction() == "review_requested" && e.GetRequestedReviewer().GetLogin() == "" {
					t.Error("review_requested without requested_reviewer")
				}
				if e.GetNumber() == 0 || e.GetPullRequest().GetHTMLURL() == "" {
					t.Error("PR without number/html_url")
				}
			case *github.PullRequestReviewEvent:
				r := e.GetReview()
				if r.GetID() == 0 || r.GetState() == "" || r.GetHTMLURL() == "" || r.GetCommitID() == "" || r.SubmittedAt == nil {
					t.Errorf("review incomplete: %+v", r)
				}
				if e.GetAction() == "edited" {
					if _, ok := m["changes"].(map[string]any)["body"]; !ok {
						t.Error("edited review without changes.body")
					}
				}
			case *github.PullRequestReviewCommentEvent:
				c := e.GetComment()
				if c.GetID() == 0 || c.GetPullRequestReviewID() == 0 || c.GetDiffHunk() == "" || c.GetPath() == "" || c.GetHTMLURL() == "" {
					t.Errorf("review comment incomplete: %+v", c)
				}
				if e.GetAction() == "edited" && e.GetChanges().GetBody().From == nil {
					t.Error("edited without changes.body.from")
				}
			case *github.InstallationEvent:
				if e.GetInstallation().GetID() == 0 || e.GetSender().GetLogin() == "" {
					t.Error("installation event without installation id/sender")
				}
			case *github.InstallationRepositoriesEvent:
				if len(e.RepositoriesRemoved) == 0 {
					t.Error("no repositories_removed")
				}
			case *github.PushEvent:
				if e.GetRepo().GetFullName() == "" || e.GetInstallation().GetID() == 0 || len(e.Commits) == 0 {
					t.Error("push without repo/installation/commits")
				}
			case *github.PingEvent:
				if e.GetZen() == "" || e.GetHookID() == 0 {
					t.Error("ping without zen/hook_id")
				}
			default:
				t.Fatalf("unexpected event type %T", ev)
			}
		})
	}
}

// assertTrimmed checks that no *_url template bulk survived trimming.
func assertTrimmed(t *testing.T, v any) {
	t.Helper()
	allowed := map[string]bool{"html_url": true, "issue_url": true, "pull_request_url": true, "diff_url": true, "patch_url": true}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if strings.HasSuffix(k, "_url") && !allowed[k] {
					t.Errorf("untrimmed field %q", k)
				}
				if k == "reactions" || k == "_links" {
					t.Errorf("untrimmed field %q", k)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}

func TestFullExampleIsUntrimmed(t *testing.T) {
	full, err := Raw("full/issue_comment.created")
	if err != nil {
		t.Fatal(err)
	}
	trimmed, _ := Raw("issue_comment.created")
	if len(full) < 2*len(trimmed) {
		t.Errorf("full example (%d bytes) not much bigger than trimmed (%d bytes)", len(full), len(trimmed))
	}
	for _, field := range []string{`"followers_url"`, `"reactions"`, `"repository_url"`, `"pull_request"`} {
		if !bytes.Contains(full, []byte(field)) {
			t.Errorf("full example lacks %s", field)
		}
	}
}

// checkCommon verifies the Common fields (with defaults applied) in a typed event.
func checkCommon(t *testing.T, c Common, repo *github.Repository, inst *github.Installation, sender *github.User, org *github.Organization, wantSender, wantSenderType string) {
	t.Helper()
	owner, name := or(c.Owner, "acme"), or(c.Repo, "widgets")
	if got, want := repo.GetFullName(), owner+"/"+name; got != want {
		t.Errorf("repository.full_name = %q, want %q", got, want)
	}
	if got := repo.GetName(); got != name {
		t.Errorf("repository.name = %q, want %q", got, name)
	}
	if got := repo.GetOwner().GetLogin(); got != owner {
		t.Errorf("repository.owner.login = %q, want %q", got, owner)
	}
	if got := org.GetLogin(); org != nil && got != owner {
		t.Errorf("organization.login = %q, want %q", got, owner)
	}
	if got, want := repo.GetID(), or(c.RepoID, 1296269); got != want {
		t.Errorf("repository.id = %d, want %d", got, want)
	}
	if got := repo.GetPrivate(); got != c.Private {
		t.Errorf("repository.private = %v, want %v", got, c.Private)
	}
	wantVis := "public"
	if c.Private {
		wantVis = "private"
	}
	if got := repo.GetVisibility(); got != wantVis {
		t.Errorf("repository.visibility = %q, want %q", got, wantVis)
	}
	if got, want := repo.GetHTMLURL(), "https://github.com/"+owner+"/"+name; got != want {
		t.Errorf("repository.html_url = %q, want %q", got, want)
	}
	if got, want := repo.GetURL(), "https://api.github.com/repos/"+owner+"/"+name; got != want {
		t.Errorf("repository.url = %q, want %q", got, want)
	}
	if got, want := inst.GetID(), or(c.Installation, 31337); got != want {
		t.Errorf("installation.id = %d, want %d", got, want)
	}
	if inst.GetNodeID() == "" {
		t.Error("installation.node_id empty")
	}
	if got := sender.GetLogin(); got != wantSender {
		t.Errorf("sender.login = %q, want %q", got, wantSender)
	}
	if got := sender.GetType(); got != wantSenderType {
		t.Errorf("sender.type = %q, want %q", got, wantSenderType)
	}
}

func parse[T any](t *testing.T, event string, b []byte) T {
	t.Helper()
	if !json.Valid(b) {
		t.Fatalf("builder output is not valid JSON: %s", b)
	}
	ev, err := github.ParseWebHook(event, b)
	if err != nil {
		t.Fatalf("ParseWebHook(%q): %v", event, err)
	}
	typed, ok := ev.(T)
	if !ok {
		t.Fatalf("ParseWebHook(%q) = %T", event, ev)
	}
	return typed
}

func decodeMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var customCommon = Common{
	Installation: 99,
	Owner:        "octo-org",
	Repo:         "rocket",
	RepoID:       555,
	Private:      true,
	Number:       7,
	TargetAuthor: "carol",
	Sender:       "dave",
	SenderType:   "User",
}

func TestIssueComment(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name           string
		opts           CommentOpts
		wantAction     string
		wantID         int64
		wantAuthor     string
		wantAuthorType string
		wantSender     string
		wantSenderType string
		wantAt         time.Time
	}{
		{
			name:       "defaults",
			opts:       CommentOpts{Body: "thanks @alice!"},
			wantAction: "created", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "on plain issue",
			opts:       CommentOpts{OnIssue: true, Body: "kudos to @alice for the fix"},
			wantAction: "created", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "bot author",
			opts:       CommentOpts{Author: "kudos-app[bot]", AuthorType: "Bot", Body: "Recorded 1 kudo"},
			wantAction: "created", wantID: 1001, wantAuthor: "kudos-app[bot]", wantAuthorType: "Bot",
			wantSender: "kudos-app[bot]", wantSenderType: "Bot", wantAt: DefaultAt,
		},
		{
			name:       "edited",
			opts:       CommentOpts{Action: "edited", ID: 77, Body: "thanks @alice", PreviousBody: "thanks", At: at},
			wantAction: "edited", wantID: 77, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: at,
		},
		{
			name:       "edited on issue",
			opts:       CommentOpts{Action: "edited", OnIssue: true, Body: "new", PreviousBody: "old"},
			wantAction: "edited", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "deleted",
			opts:       CommentOpts{Action: "deleted", Body: "gone"},
			wantAction: "deleted", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "deleted on issue",
			opts:       CommentOpts{Action: "deleted", OnIssue: true, Body: "gone"},
			wantAction: "deleted", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "unknown action falls back to created",
			opts:       CommentOpts{Action: "pinned", Body: "x"},
			wantAction: "pinned", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "bob", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "custom common",
			opts:       CommentOpts{Common: customCommon, ID: 5, Author: "erin", Body: "🎉 <b>&</b>"},
			wantAction: "created", wantID: 5, wantAuthor: "erin", wantAuthorType: "User",
			wantSender: "dave", wantSenderType: "User", wantAt: DefaultAt,
		},
		{
			name:       "bot sender",
			opts:       CommentOpts{Common: Common{Sender: "dependabot[bot]", SenderType: "Bot"}, Body: "x"},
			wantAction: "created", wantID: 1001, wantAuthor: "bob", wantAuthorType: "User",
			wantSender: "dependabot[bot]", wantSenderType: "Bot", wantAt: DefaultAt,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := IssueComment(tt.opts)
			e := parse[*github.IssueCommentEvent](t, "issue_comment", b)
			c := tt.opts.Common
			checkCommon(t, c, e.GetRepo(), e.GetInstallation(), e.GetSender(), e.GetOrganization(), tt.wantSender, tt.wantSenderType)

			if got := e.GetAction(); got != tt.wantAction {
				t.Errorf("action = %q, want %q", got, tt.wantAction)
			}
			cm := e.GetComment()
			if cm.GetID() != tt.wantID {
				t.Errorf("comment.id = %d, want %d", cm.GetID(), tt.wantID)
			}
			if cm.GetBody() != tt.opts.Body {
				t.Errorf("comment.body = %q, want %q", cm.GetBody(), tt.opts.Body)
			}
			if cm.GetUser().GetLogin() != tt.wantAuthor || cm.GetUser().GetType() != tt.wantAuthorType {
				t.Errorf("comment.user = %s/%s, want %s/%s", cm.GetUser().GetLogin(), cm.GetUser().GetType(), tt.wantAuthor, tt.wantAuthorType)
			}
			if !cm.GetCreatedAt().Equal(github.Timestamp{Time: tt.wantAt}) || !cm.GetUpdatedAt().Equal(github.Timestamp{Time: tt.wantAt}) {
				t.Errorf("comment times = %v/%v, want %v", cm.GetCreatedAt(), cm.GetUpdatedAt(), tt.wantAt)
			}

			is := e.GetIssue()
			owner, repo, num := or(c.Owner, "acme"), or(c.Repo, "widgets"), or(c.Number, 42)
			if is.GetNumber() != num {
				t.Errorf("issue.number = %d, want %d", is.GetNumber(), num)
			}
			if got, want := is.GetUser().GetLogin(), or(c.TargetAuthor, "alice"); got != want {
				t.Errorf("issue.user.login = %q, want %q", got, want)
			}
			if got := is.IsPullRequest(); got == tt.opts.OnIssue {
				t.Errorf("issue.pull_request present = %v, want %v", got, !tt.opts.OnIssue)
			}
			base := "https://github.com/" + owner + "/" + repo
			api := "https://api.github.com/repos/" + owner + "/" + repo
			wantTarget := base + "/pull/" + itoa(num)
			if tt.opts.OnIssue {
				wantTarget = base + "/issues/" + itoa(num)
			} else {
				if got, want := is.GetPullRequestLinks().GetHTMLURL(), base+"/pull/"+itoa(num); got != want {
					t.Errorf("issue.pull_request.html_url = %q, want %q", got, want)
				}
				if got, want := is.GetPullRequestLinks().GetURL(), api+"/pulls/"+itoa(num); got != want {
					t.Errorf("issue.pull_request.url = %q, want %q", got, want)
				}
			}
			if got := is.GetHTMLURL(); got != wantTarget {
				t.Errorf("issue.html_url = %q, want %q", got, wantTarget)
			}
			if got, want := is.GetURL(), api+"/issues/"+itoa(num); got != want {
				t.Errorf("issue.url = %q, want %q", got, want)
			}
			if got, want := cm.GetHTMLURL(), wantTarget+"#issuecomment-"+i64toa(tt.wantID); got != want {
				t.Errorf("comment.html_url = %q, want %q", got, want)
			}
			if got, want := cm.GetURL(), api+"/issues/comments/"+i64toa(tt.wantID); got != want {
				t.Errorf("comment.url = %q, want %q", got, want)
			}
			if got, want := cm.GetIssueURL(), api+"/issues/"+itoa(num); got != want {
				t.Errorf("comment.issue_url = %q, want %q", got, want)
			}

			if tt.wantAction == "edited" {
				if got := e.GetChanges().GetBody().GetFrom(); got != tt.opts.PreviousBody {
					t.Errorf("changes.body.from = %q, want %q", got, tt.opts.PreviousBody)
				}
			} else if e.Changes != nil {
				t.Errorf("changes present for action %q", tt.wantAction)
			}
			assertConsistent(t, b)
		})
	}
}

func TestReviewComment(t *testing.T) {
	tests := []struct {
		name         string
		opts         CommentOpts
		wantAction   string
		wantID       int64
		wantReviewID int64
		wantAuthor   string
		wantSender   string
	}{
		{"defaults", CommentOpts{Body: "nice catch"}, "created", 1001, 2001, "bob", "bob"},
		{"reply", CommentOpts{ID: 1002, InReplyTo: 1001, ReviewID: 2002, Author: "alice", Body: "thanks @bob!"}, "created", 1002, 2002, "alice", "alice"},
		{"edited", CommentOpts{Action: "edited", Body: "new", PreviousBody: "old"}, "edited", 1001, 2001, "bob", "bob"},
		{"deleted", CommentOpts{Action: "deleted", Body: "bye"}, "deleted", 1001, 2001, "bob", "bob"},
		{"unknown action", CommentOpts{Action: "resolved", Body: "x"}, "resolved", 1001, 2001, "bob", "bob"},
		{"custom common", CommentOpts{Common: customCommon, Body: "x"}, "created", 1001, 2001, "bob", "dave"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ReviewComment(tt.opts)
			e := parse[*github.PullRequestReviewCommentEvent](t, "pull_request_review_comment", b)
			c := tt.opts.Common
			checkCommon(t, c, e.GetRepo(), e.GetInstallation(), e.GetSender(), nil, tt.wantSender, "User")
			if got := e.GetAction(); got != tt.wantAction {
				t.Errorf("action = %q, want %q", got, tt.wantAction)
			}
			cm := e.GetComment()
			if cm.GetID() != tt.wantID || cm.GetPullRequestReviewID() != tt.wantReviewID {
				t.Errorf("comment id/review id = %d/%d, want %d/%d", cm.GetID(), cm.GetPullRequestReviewID(), tt.wantID, tt.wantReviewID)
			}
			if tt.opts.InReplyTo != 0 {
				if cm.InReplyTo == nil || *cm.InReplyTo != tt.opts.InReplyTo {
					t.Errorf("in_reply_to_id = %d, want %d", cm.GetInReplyTo(), tt.opts.InReplyTo)
				}
			} else if cm.InReplyTo != nil {
				t.Errorf("in_reply_to_id = %d, want absent", *cm.InReplyTo)
			}
			if cm.GetBody() != tt.opts.Body || cm.GetUser().GetLogin() != tt.wantAuthor || cm.GetUser().GetType() != "User" {
				t.Errorf("comment body/user = %q %s/%s", cm.GetBody(), cm.GetUser().GetLogin(), cm.GetUser().GetType())
			}
			if cm.GetDiffHunk() == "" || cm.GetPath() == "" || cm.GetLine() == 0 {
				t.Errorf("diff_hunk/path/line lost: %q %q %d", cm.GetDiffHunk(), cm.GetPath(), cm.GetLine())
			}
			owner, repo, num := or(c.Owner, "acme"), or(c.Repo, "widgets"), or(c.Number, 42)
			pr := "https://github.com/" + owner + "/" + repo + "/pull/" + itoa(num)
			if got, want := cm.GetHTMLURL(), pr+"#discussion_r"+i64toa(tt.wantID); got != want {
				t.Errorf("comment.html_url = %q, want %q", got, want)
			}
			if got, want := cm.GetPullRequestURL(), "https://api.github.com/repos/"+owner+"/"+repo+"/pulls/"+itoa(num); got != want {
				t.Errorf("comment.pull_request_url = %q, want %q", got, want)
			}
			if got := e.GetPullRequest().GetHTMLURL(); got != pr {
				t.Errorf("pull_request.html_url = %q, want %q", got, pr)
			}
			if got, want := e.GetPullRequest().GetUser().GetLogin(), or(c.TargetAuthor, "alice"); got != want {
				t.Errorf("pull_request.user.login = %q, want %q", got, want)
			}
			if !cm.GetCreatedAt().Equal(github.Timestamp{Time: DefaultAt}) {
				t.Errorf("created_at = %v, want %v", cm.GetCreatedAt(), DefaultAt)
			}
			if tt.wantAction == "edited" {
				if got := e.GetChanges().GetBody().GetFrom(); got != tt.opts.PreviousBody {
					t.Errorf("changes.body.from = %q, want %q", got, tt.opts.PreviousBody)
				}
			} else if e.Changes != nil {
				t.Errorf("changes present for action %q", tt.wantAction)
			}
			assertConsistent(t, b)
		})
	}
}

func TestReview(t *testing.T) {
	at := time.Date(2027, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name       string
		opts       ReviewOpts
		wantAction string
		wantState  string
		wantID     int64
		wantAuthor string
		wantType   string
		wantSender string
		wantAt     time.Time
	}{
		{"defaults", ReviewOpts{}, "submitted", "approved", 2001, "bob", "User", "bob", DefaultAt},
		{"changes requested", ReviewOpts{State: "changes_requested", Body: "please fix", ID: 9, At: at}, "submitted", "changes_requested", 9, "bob", "User", "bob", at},
		{"commented", ReviewOpts{State: "commented", Body: "great work @alice"}, "submitted", "commented", 2001, "bob", "User", "bob", DefaultAt},
		{"edited", ReviewOpts{Action: "edited", Body: "LGTM!"}, "edited", "approved", 2001, "bob", "User", "bob", DefaultAt},
		{"dismissed", ReviewOpts{Action: "dismissed"}, "dismissed", "dismissed", 2001, "bob", "User", "bob", DefaultAt},
		{"bot reviewer", ReviewOpts{Author: "copilot[bot]", AuthorType: "Bot", State: "commented"}, "submitted", "commented", 2001, "copilot[bot]", "Bot", "copilot[bot]", DefaultAt},
		{"unknown action", ReviewOpts{Action: "weird"}, "weird", "approved", 2001, "bob", "User", "bob", DefaultAt},
		{"custom common", ReviewOpts{Common: customCommon, Author: "erin"}, "submitted", "approved", 2001, "erin", "User", "dave", DefaultAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Review(tt.opts)
			e := parse[*github.PullRequestReviewEvent](t, "pull_request_review", b)
			c := tt.opts.Common
			checkCommon(t, c, e.GetRepo(), e.GetInstallation(), e.GetSender(), e.GetOrganization(), tt.wantSender, tt.wantType)
			if got := e.GetAction(); got != tt.wantAction {
				t.Errorf("action = %q, want %q", got, tt.wantAction)
			}
			r := e.GetReview()
			if r.GetID() != tt.wantID || r.GetState() != tt.wantState || r.GetBody() != tt.opts.Body {
				t.Errorf("review id/state/body = %d/%q/%q, want %d/%q/%q", r.GetID(), r.GetState(), r.GetBody(), tt.wantID, tt.wantState, tt.opts.Body)
			}
			if tt.opts.Body == "" && r.Body != nil {
				t.Errorf("empty review body rendered as %q, want null", *r.Body)
			}
			if r.GetUser().GetLogin() != tt.wantAuthor || r.GetUser().GetType() != tt.wantType {
				t.Errorf("review.user = %s/%s", r.GetUser().GetLogin(), r.GetUser().GetType())
			}
			if !r.GetSubmittedAt().Equal(github.Timestamp{Time: tt.wantAt}) {
				t.Errorf("submitted_at = %v, want %v", r.GetSubmittedAt(), tt.wantAt)
			}
			owner, repo, num := or(c.Owner, "acme"), or(c.Repo, "widgets"), or(c.Number, 42)
			pr := "https://github.com/" + owner + "/" + repo + "/pull/" + itoa(num)
			if got, want := r.GetHTMLURL(), pr+"#pullrequestreview-"+i64toa(tt.wantID); got != want {
				t.Errorf("review.html_url = %q, want %q", got, want)
			}
			if got, want := r.GetPullRequestURL(), "https://api.github.com/repos/"+owner+"/"+repo+"/pulls/"+itoa(num); got != want {
				t.Errorf("review.pull_request_url = %q, want %q", got, want)
			}
			if got := r.GetCommitID(); got == "" || got != e.GetPullRequest().GetHead().GetSHA() {
				t.Errorf("review.commit_id = %q, head sha %q", got, e.GetPullRequest().GetHead().GetSHA())
			}
			if e.GetPullRequest().GetNumber() != num || e.GetPullRequest().GetHTMLURL() != pr {
				t.Errorf("pull_request number/html_url = %d %q", e.GetPullRequest().GetNumber(), e.GetPullRequest().GetHTMLURL())
			}
			_, hasChanges := decodeMap(t, b)["changes"]
			if hasChanges != (tt.wantAction == "edited") {
				t.Errorf("changes present = %v for action %q", hasChanges, tt.wantAction)
			}
			assertConsistent(t, b)
		})
	}
}

func TestPullRequest(t *testing.T) {
	at := time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		name         string
		opts         PROpts
		wantAction   string
		wantState    string
		wantMerged   bool
		wantMergedBy string
		wantDraft    bool
		wantReviewer string
		wantSender   string
		wantAt       time.Time
	}{
		{name: "defaults", opts: PROpts{}, wantAction: "opened", wantState: "open", wantSender: "alice", wantAt: DefaultAt},
		{name: "opened draft", opts: PROpts{Draft: true, At: at}, wantAction: "opened", wantState: "open", wantDraft: true, wantSender: "alice", wantAt: at},
		{name: "closed merged", opts: PROpts{Action: "closed", Merged: true, MergedBy: "bob", Common: Common{Sender: "bob"}}, wantAction: "closed", wantState: "closed", wantMerged: true, wantMergedBy: "bob", wantSender: "bob", wantAt: DefaultAt},
		{name: "closed merged default merger", opts: PROpts{Action: "closed", Merged: true}, wantAction: "closed", wantState: "closed", wantMerged: true, wantMergedBy: "alice", wantSender: "alice", wantAt: DefaultAt},
		{name: "closed unmerged", opts: PROpts{Action: "closed"}, wantAction: "closed", wantState: "closed", wantSender: "alice", wantAt: DefaultAt},
		{name: "reopened", opts: PROpts{Action: "reopened"}, wantAction: "reopened", wantState: "open", wantSender: "alice", wantAt: DefaultAt},
		{name: "ready_for_review", opts: PROpts{Action: "ready_for_review"}, wantAction: "ready_for_review", wantState: "open", wantSender: "alice", wantAt: DefaultAt},
		{name: "review_requested", opts: PROpts{Action: "review_requested", RequestedReviewer: "carol"}, wantAction: "review_requested", wantState: "open", wantReviewer: "carol", wantSender: "alice", wantAt: DefaultAt},
		{name: "review_requested default", opts: PROpts{Action: "review_requested"}, wantAction: "review_requested", wantState: "open", wantReviewer: "bob", wantSender: "alice", wantAt: DefaultAt},
		{name: "unknown action", opts: PROpts{Action: "labeled"}, wantAction: "labeled", wantState: "open", wantSender: "alice", wantAt: DefaultAt},
		{name: "custom common", opts: PROpts{Common: customCommon}, wantAction: "opened", wantState: "open", wantSender: "dave", wantAt: DefaultAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := PullRequest(tt.opts)
			e := parse[*github.PullRequestEvent](t, "pull_request", b)
			c := tt.opts.Common
			checkCommon(t, c, e.GetRepo(), e.GetInstallation(), e.GetSender(), e.GetOrganization(), tt.wantSender, "User")
			if got := e.GetAction(); got != tt.wantAction {
				t.Errorf("action = %q, want %q", got, tt.wantAction)
			}
			owner, repo, num := or(c.Owner, "acme"), or(c.Repo, "widgets"), or(c.Number, 42)
			pr := e.GetPullRequest()
			if e.GetNumber() != num || pr.GetNumber() != num {
				t.Errorf("number = %d/%d, want %d", e.GetNumber(), pr.GetNumber(), num)
			}
			if got, want := pr.GetHTMLURL(), "https://github.com/"+owner+"/"+repo+"/pull/"+itoa(num); got != want {
				t.Errorf("html_url = %q, want %q", got, want)
			}
			if got, want := pr.GetURL(), "https://api.github.com/repos/"+owner+"/"+repo+"/pulls/"+itoa(num); got != want {
				t.Errorf("url = %q, want %q", got, want)
			}
			if got, want := pr.GetUser().GetLogin(), or(c.TargetAuthor, "alice"); got != want {
				t.Errorf("user.login = %q, want %q", got, want)
			}
			if pr.GetState() != tt.wantState || pr.GetMerged() != tt.wantMerged || pr.GetDraft() != tt.wantDraft {
				t.Errorf("state/merged/draft = %q/%v/%v, want %q/%v/%v", pr.GetState(), pr.GetMerged(), pr.GetDraft(), tt.wantState, tt.wantMerged, tt.wantDraft)
			}
			if got := pr.GetMergedBy().GetLogin(); got != tt.wantMergedBy {
				t.Errorf("merged_by = %q, want %q", got, tt.wantMergedBy)
			}
			if tt.wantMerged != (pr.MergedAt != nil) {
				t.Errorf("merged_at = %v with merged %v", pr.MergedAt, tt.wantMerged)
			}
			if tt.wantMerged && !pr.GetMergedAt().Equal(github.Timestamp{Time: tt.wantAt}) {
				t.Errorf("merged_at = %v, want %v", pr.GetMergedAt(), tt.wantAt)
			}
			if (tt.wantState == "closed") != (pr.ClosedAt != nil) {
				t.Errorf("closed_at = %v with state %q", pr.ClosedAt, tt.wantState)
			}
			if !pr.GetUpdatedAt().Equal(github.Timestamp{Time: tt.wantAt}) {
				t.Errorf("updated_at = %v, want %v", pr.GetUpdatedAt(), tt.wantAt)
			}
			if got := e.GetRequestedReviewer().GetLogin(); got != tt.wantReviewer {
				t.Errorf("requested_reviewer = %q, want %q", got, tt.wantReviewer)
			}
			if got, want := pr.GetBase().GetRepo().GetFullName(), owner+"/"+repo; got != want {
				t.Errorf("base.repo.full_name = %q, want %q", got, want)
			}
			assertConsistent(t, b)
		})
	}
}

// TestDeterministic: the same options give the same bytes.
func TestDeterministic(t *testing.T) {
	builders := map[string]func() []byte{
		"IssueComment":  func() []byte { return IssueComment(CommentOpts{Body: "x"}) },
		"ReviewComment": func() []byte { return ReviewComment(CommentOpts{Body: "x"}) },
		"Review":        func() []byte { return Review(ReviewOpts{}) },
		"PullRequest":   func() []byte { return PullRequest(PROpts{}) },
	}
	for name, build := range builders {
		t.Run(name, func(t *testing.T) {
			if a, b := build(), build(); !bytes.Equal(a, b) {
				t.Error("output differs between calls")
			}
		})
	}
}

// assertConsistent checks that nothing of the example's identity leaked into
// builder output and that each login maps to one account id.
func assertConsistent(t *testing.T, b []byte) {
	t.Helper()
	for _, leak := range []string{"Codertocat", "octocat", "Octocoders", "Hello-World/", "/Hello-World\""} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("output still mentions example identity %q", leak)
		}
	}
	ids := map[string]any{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if login, ok := x["login"].(string); ok {
				if prev, seen := ids[login]; seen && prev != x["id"] {
					t.Errorf("login %q has ids %v and %v", login, prev, x["id"])
				}
				ids[login] = x["id"]
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(decodeMap(t, b))
}

func itoa(n int) string     { return strconv.Itoa(n) }
func i64toa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPushBuilder(t *testing.T) {
	body := Push(PushOpts{Common: Common{Repo: ".github"}, Modified: []string{".github/kudos.yml"}})
	ev, err := github.ParseWebHook("push", body)
	if err != nil {
		t.Fatal(err)
	}
	p := ev.(*github.PushEvent)
	if p.GetRef() != "refs/heads/main" || p.GetRepo().GetDefaultBranch() != "main" || p.GetRepo().GetFullName() != "acme/.github" ||
		p.GetInstallation().GetID() != DefaultInstallation || len(p.Commits) == 0 || p.Commits[0].Modified[0] != ".github/kudos.yml" {
		t.Fatalf("push = ref %s, branch %s, repo %s, inst %d, commits %+v", p.GetRef(), p.GetRepo().GetDefaultBranch(),
			p.GetRepo().GetFullName(), p.GetInstallation().GetID(), p.Commits)
	}
}
