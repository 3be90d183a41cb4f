// Package recognizer decides what Kudos recognises. It is pure: no network,
// no Redis, no clock of its own. webhook/ turns GitHub payloads into the
// small domain types of this file; the recognizer turns them into
// contribution records and recognition suggestions.
package recognizer

import (
	"strconv"
	"strings"
	"time"
)

// EventKind names the GitHub webhook event a domain Event came from.
type EventKind string

// The webhook events the recognizer understands.
const (
	IssueComment  EventKind = "issue_comment"
	Review        EventKind = "pull_request_review"
	ReviewComment EventKind = "pull_request_review_comment"
	PullRequest   EventKind = "pull_request"
	Push          EventKind = "push"
	// Installation and InstallationRepositories tell of the App being
	// uninstalled or losing repositories.
	Installation             EventKind = "installation"
	InstallationRepositories EventKind = "installation_repositories"
)

// ConfigPath is where a repository keeps its Kudos configuration; an
// organisation keeps its default at the same path in its ".github"
// repository.
const ConfigPath = ".github/kudos.yml"

// Actor is a GitHub account as a payload describes it.
type Actor struct {
	Login string
	// Bot is true when GitHub says the account's type is "Bot".
	Bot bool
}

// Repo identifies a repository.
type Repo struct {
	ID       int64
	Owner    string
	Name     string
	Private  bool
	HTMLURL  string
	FullName string
}

// Comment is any text a person wrote that may carry commands: an issue or
// PR conversation comment, a review body or a review comment.
type Comment struct {
	ID      int64
	Author  Actor
	Body    string
	HTMLURL string
	At      time.Time
	// InReplyTo is the review comment this review comment answers (0: none).
	InReplyTo int64
	// ReviewState is the state of a review ("approved", "changes_requested",
	// "commented"); empty for other comments.
	ReviewState string
}

// Event is one webhook delivery, normalised.
type Event struct {
	DeliveryID     string
	Kind           EventKind
	Action         string
	InstallationID int64
	Repo           Repo
	// Number is the PR or issue number.
	Number int
	// IsPR is true when Number is a pull request.
	IsPR bool
	// TargetURL is the html_url of the PR or issue.
	TargetURL string
	// TargetAuthor opened the PR or issue.
	TargetAuthor Actor
	Sender       Actor
	// Comment is set for comment, review and review comment events.
	Comment *Comment
	// PR is set for pull_request events.
	PR *PRChange
	// Push is set for push events.
	Push *PushInfo
	// RemovedRepos lists the repositories an installation lost.
	RemovedRepos []int64
}

// PushInfo is what a push changed.
type PushInfo struct {
	Ref           string
	DefaultBranch string
	// Paths added, modified or removed by the pushed commits.
	Paths []string
}

// PRChange is what a pull_request event says happened to the PR.
type PRChange struct {
	Merged   bool
	MergedBy Actor
	// At is when it happened: merged_at, closed_at or updated_at.
	At time.Time
	// RequestedReviewer is set for review_requested.
	RequestedReviewer string
	// HeadSHA is the branch head after a push (synchronize).
	HeadSHA string
	Title   string
}

// ContributionKind says what someone did on a PR or issue.
type ContributionKind string

// Contribution kinds: what people wrote, then the PR's timeline points.
const (
	KindReviewComment ContributionKind = "review_comment"
	KindReview        ContributionKind = "review"
	KindComment       ContributionKind = "comment"

	KindOpened          ContributionKind = "opened"
	KindReadyForReview  ContributionKind = "ready_for_review"
	KindReviewRequested ContributionKind = "review_requested"
	KindPush            ContributionKind = "push"
	KindMerged          ContributionKind = "merged"
	// KindBackfilled marks a ledger completed from the REST API.
	KindBackfilled ContributionKind = "backfilled"
)

// IsTimeline reports whether the kind is a point in the PR's life rather
// than something a person wrote.
func (k ContributionKind) IsTimeline() bool {
	switch k {
	case KindReviewComment, KindReview, KindComment:
		return false
	}
	return true
}

// Contribution is one thing a person did on a PR or issue, as the ledger
// records it.
type Contribution struct {
	Kind    ContributionKind `json:"kind"`
	ID      int64            `json:"id"`
	Login   string           `json:"login"`
	Bot     bool             `json:"bot,omitempty"`
	HTMLURL string           `json:"url"`
	At      time.Time        `json:"at"`
	State   string           `json:"state,omitempty"`
	// Thread is the top-level review comment of a review comment's thread.
	Thread int64 `json:"thread,omitempty"`
	// BodyLen is the length of what was written, in characters.
	BodyLen int `json:"len,omitempty"`
	// Suggestion is set when a review comment carries a suggested change.
	Suggestion bool `json:"sugg,omitempty"`
	// Subject is the requested reviewer of a review_requested point.
	Subject string `json:"subject,omitempty"`
	// SHA is the head commit of a push.
	SHA string `json:"sha,omitempty"`
	// Text features of what was written, derived once when it is recorded
	// (bodies are not stored): see Classify.
	Text TextFeatures `json:"text,omitempty"`
}

// Key is the contribution's field in the ledger: unique per artifact.
func (c Contribution) Key() string {
	var b [48]byte
	return string(c.AppendKey(b[:0]))
}

// AppendKey appends the contribution's Key to dst.
func (c Contribution) AppendKey(dst []byte) []byte {
	dst = append(append(dst, c.Kind...), ':')
	return strconv.AppendInt(dst, c.ID, 10)
}

// Label names the contribution for people reading a reply.
func (c Contribution) Label() string {
	switch c.Kind {
	case KindReviewComment:
		return "review comment"
	case KindReview:
		switch c.State {
		case "approved":
			return "approving review"
		case "changes_requested":
			return "review asking for changes"
		}
		return "review"
	}
	return "comment"
}

// History is what the ledger knows about one PR or issue.
type History struct {
	Contributions []Contribution
}

// find returns the contribution of the given kind and id.
func (h History) find(kind ContributionKind, id int64) (Contribution, bool) {
	for _, c := range h.Contributions {
		if c.Kind == kind && c.ID == id {
			return c, true
		}
	}
	return Contribution{}, false
}

// latestBy returns the most recent thing login wrote.
func (h History) latestBy(login string) (Contribution, bool) {
	var best Contribution
	found := false
	for _, c := range h.Contributions {
		if c.Kind.IsTimeline() || !strings.EqualFold(c.Login, login) {
			continue
		}
		if !found || c.At.After(best.At) || (c.At.Equal(best.At) && c.ID > best.ID) {
			best, found = c, true
		}
	}
	return best, found
}

// Has reports whether the history holds a point of the given kind.
func (h History) Has(kind ContributionKind) bool {
	for _, c := range h.Contributions {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// Complete reports whether the ledger saw the PR from its start, or was
// completed from the REST API; otherwise reviews may be missing.
func (h History) Complete() bool {
	return h.Has(KindOpened) || h.Has(KindBackfilled)
}

// isBot reports whether the ledger saw login act as a bot.
func (h History) isBot(login string) bool {
	for _, c := range h.Contributions {
		if c.Bot && strings.EqualFold(c.Login, login) {
			return true
		}
	}
	return false
}
