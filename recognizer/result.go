package recognizer

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Decision is what the recognizer made of an event.
type Decision string

// The three outcomes of recognising an event.
const (
	// DecisionIgnore: nothing to say (contributions may still be recorded).
	DecisionIgnore Decision = "ignore"
	// DecisionReply: the app answers with a notice only (a refusal or a usage hint).
	DecisionReply Decision = "reply"
	// DecisionRecognize: the app delivers at least one recognition.
	DecisionRecognize Decision = "recognize"
)

// Result is the recognizer's answer for one event: decisions as data.
type Result struct {
	Decision Decision
	// Why explains the decision for logs, tests and explain output.
	Why string
	// Records are contributions for the PR's ledger; a record replaces one
	// with the same Key.
	Records []Contribution
	// Removals are keys of ledger records to delete (deleted comments).
	Removals []string
	// Preference is set by /kudos opt-out and /kudos opt-in.
	Preference *Preference
	// Suggestion is the reply to post; nil when Decision is DecisionIgnore.
	Suggestion *Suggestion
}

// SourceKind says where a command was written.
type SourceKind string

// Where commands can be written.
const (
	SourceIssueComment  SourceKind = "issue_comment"
	SourceReview        SourceKind = "review"
	SourceReviewComment SourceKind = "review_comment"
	// SourceMerge: the PR was merged; ID is the PR number.
	SourceMerge SourceKind = "merge"
)

// Suggestion kinds.
const (
	// KindThanks answers a /thanks command.
	KindThanks = "thanks"
	// KindShoutout thanks a merged PR's reviewers; the worker composes its
	// recognitions from the ledger when it posts.
	KindShoutout = "shoutout"
	// KindUnblocked is a recognition of someone who unblocked a PR; it is
	// delivered inside the PR's shout-out, never in a comment of its own.
	KindUnblocked = "unblocked"
	// KindConfig asks the worker to reload a repository's configuration
	// (every repository's when RepoID is 0).
	KindConfig = "config"
	// KindPurge asks the worker to delete an installation's data, or that
	// of the repositories in Purge.
	KindPurge = "purge"
	// KindRetract asks the worker to delete the replies to a comment that
	// was deleted.
	KindRetract = "retract"
)

// Source is the comment that triggered a suggestion.
type Source struct {
	Kind    SourceKind `json:"kind"`
	ID      int64      `json:"id"`
	HTMLURL string     `json:"url"`
	// ThreadID is the top-level review comment of the thread a review comment
	// belongs to; replies go there. 0 for other sources.
	ThreadID int64 `json:"thread_id,omitempty"`
}

// Recognition is one person recognised for one thing.
type Recognition struct {
	// ID is deterministic: the same triggering comment and recipient always
	// give the same ID, so duplicates and edits never yield a second reply.
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Recipient string `json:"recipient"`
	// ArtifactURL links the most specific thing the recipient did.
	ArtifactURL string `json:"artifact_url"`
	// ArtifactKind is what ArtifactURL points at: a contribution kind, or
	// "pull_request" / "issue" when nothing more specific is known.
	ArtifactKind string `json:"artifact_kind"`
	// ArtifactLabel names the artifact for people: "review comment",
	// "approving review", "comment", "pull request #42".
	ArtifactLabel string   `json:"artifact_label"`
	Reason        string   `json:"reason,omitempty"`
	Values        []string `json:"values,omitempty"`
	// Highlights say concretely what a shout-out recipient did, each with
	// its link.
	Highlights []Highlight `json:"highlights,omitempty"`
	// Evidence holds the links that show how the recipient unblocked a PR.
	Evidence []string `json:"evidence,omitempty"`
	// Anonymous: the recipient asked not to be named; the reply thanks
	// them without their name or a link that would show it.
	Anonymous bool `json:"anonymous,omitempty"`
}

// Highlight is one specific thing someone did, with the link to it.
type Highlight struct {
	Text string `json:"text"`
	URL  string `json:"url,omitempty"`
}

// Preference is someone's choice about being named by Kudos.
type Preference struct {
	Login  string
	OptOut bool
}

// Notice kinds that the worker renders with repository data.
const (
	// NoticeHelp: usage and the team's values.
	NoticeHelp = "help"
)

// Notice is a short message to the person who wrote a command: a refusal or
// a usage hint. Its ID is deterministic like a Recognition's.
type Notice struct {
	ID   string `json:"id"`
	Text string `json:"text,omitempty"`
	// Kind is empty for plain text, or NoticeHelp.
	Kind string `json:"kind,omitempty"`
}

// Suggestion is one reply for the worker to post: the recognitions a
// comment asked for and the notices it earned.
type Suggestion struct {
	// Kind is KindThanks (the default when empty) or KindShoutout.
	Kind           string        `json:"kind,omitempty"`
	InstallationID int64         `json:"installation_id"`
	RepoID         int64         `json:"repo_id"`
	Owner          string        `json:"owner"`
	Repo           string        `json:"repo"`
	Private        bool          `json:"private,omitempty"`
	Number         int           `json:"number"`
	IsPR           bool          `json:"is_pr"`
	TargetURL      string        `json:"target_url"`
	Giver          string        `json:"giver"`
	Source         Source        `json:"source"`
	At             time.Time     `json:"at"`
	Recognitions   []Recognition `json:"recognitions,omitempty"`
	Notices        []Notice      `json:"notices,omitempty"`
	// AnonymousGiver: the giver asked not to be named.
	AnonymousGiver bool `json:"anonymous_giver,omitempty"`
	// Purge lists the repositories whose data to delete (KindPurge).
	Purge []int64 `json:"purge,omitempty"`
	// Author opened the PR and Title is its title; set for shout-outs.
	Author string `json:"author,omitempty"`
	Title  string `json:"title,omitempty"`
}

// Key identifies the reply: one per triggering comment.
func (s Suggestion) Key() string {
	return string(s.Source.Kind) + ":" + itoa(s.Source.ID)
}

// ItemIDs lists the IDs of everything the reply delivers.
func (s Suggestion) ItemIDs() []string {
	ids := make([]string, 0, len(s.Recognitions)+len(s.Notices))
	for _, r := range s.Recognitions {
		ids = append(ids, r.ID)
	}
	for _, n := range s.Notices {
		ids = append(ids, n.ID)
	}
	return ids
}

// ArtifactOf reports whether the suggestion links something login did on
// the PR or issue, which proves login is a real account.
func (s Suggestion) ArtifactOf(login string) bool {
	for _, r := range s.Recognitions {
		if strings.EqualFold(r.Recipient, login) && r.ArtifactKind != "pull_request" && r.ArtifactKind != "issue" {
			return true
		}
	}
	return strings.EqualFold(s.Author, login)
}

// stableID hashes its parts into a short, deterministic identifier.
func stableID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Marker is the hidden text every comment the app posts carries, one per
// recognition or notice it delivers.
func Marker(id string) string { return "<!-- kudos:" + id + " -->" }

// markerPrefix starts every marker; text carrying it was written by Kudos.
const markerPrefix = "<!-- kudos:"

// HasMarker reports whether body was written by Kudos.
func HasMarker(body string) bool { return strings.Contains(body, markerPrefix) }
