// Package corpus reads the labelled pull-request conversations of
// recognizer/testdata/unblock and replays them through the recognizer the
// way the webhook would: each corpus event becomes the domain Event that
// GitHub's delivery would produce, recognizer.Recognize turns it into
// ledger records, and recognizer.DetectUnblocking reads the ledger.
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kudos-app/kudos/recognizer"
)

// Conversation is one labelled PR conversation (one YAML file).
type Conversation struct {
	// Path is the file the conversation was read from ("" when built in
	// code).
	Path   string `yaml:"-"`
	Title  string `yaml:"title"`
	Repo   string `yaml:"repo"` // owner/name
	Number int    `yaml:"number"`
	Author string `yaml:"author"`
	// Timeline are the events, in time order (the file's "events").
	Timeline []Event `yaml:"events"`
	// Expect are the (login, signal) pairs that hold; empty when nobody
	// unblocked the author.
	Expect []Expectation `yaml:"expect"`
	// Labelled is true when the file carries "expect" (even "[]").
	Labelled bool `yaml:"-"`
	// Why says which part of the labelling rule applies.
	Why string `yaml:"why"`
}

// Event is one event of a conversation.
type Event struct {
	At   time.Time `yaml:"at"`
	Type string    `yaml:"type"`
	// ID identifies comments, review comments and reviews.
	ID    int64  `yaml:"id,omitempty"`
	Actor string `yaml:"actor"`
	Bot   bool   `yaml:"bot,omitempty"`
	Body  string `yaml:"body,omitempty"`
	// Reviewer is the requested reviewer of review_requested.
	Reviewer string `yaml:"reviewer,omitempty"`
	// SHA is the head after a push.
	SHA string `yaml:"sha,omitempty"`
	// State of a review: approved, changes_requested, commented, dismissed.
	State string `yaml:"state,omitempty"`
	// InReplyTo is the review comment a review comment answers.
	InReplyTo  int64 `yaml:"in_reply_to,omitempty"`
	Suggestion bool  `yaml:"suggestion,omitempty"`
}

// Expectation is one labelled (login, signal) pair.
type Expectation struct {
	Login  string `yaml:"login"`
	Signal string `yaml:"signal"`
}

// Event types of the corpus format.
const (
	TypeOpened          = "opened"
	TypeReadyForReview  = "ready_for_review"
	TypeReviewRequested = "review_requested"
	TypePush            = "push"
	TypeComment         = "comment"
	TypeReviewComment   = "review_comment"
	TypeReview          = "review"
	TypeMerged          = "merged"
	TypeClosed          = "closed"
)

var signals = map[string]bool{
	recognizer.SignalAcknowledged: true, recognizer.SignalReReview: true,
	recognizer.SignalLongWait: true, recognizer.SignalAnswered: true,
}

var reviewStates = map[string]bool{"approved": true, "changes_requested": true, "commented": true, "dismissed": true}

// Load reads and checks one conversation file.
func Load(path string) (*Conversation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said once, below
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// Parse reads and checks one conversation from YAML.
func Parse(data []byte) (*Conversation, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Conversation
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	var top map[string]yaml.Node
	if err := yaml.Unmarshal(data, &top); err == nil {
		_, c.Labelled = top["expect"]
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// check reports the first way the conversation breaks the format.
func (c *Conversation) check() error {
	if c.Author == "" {
		return errors.New(`missing "author"`)
	}
	if owner, name, ok := strings.Cut(c.Repo, "/"); !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf(`"repo" must be owner/name, got %q`, c.Repo)
	}
	if c.Number <= 0 {
		return fmt.Errorf(`"number" must be positive, got %d`, c.Number)
	}
	if len(c.Timeline) == 0 {
		return errors.New(`no "events"`)
	}
	ids := map[int64]bool{}
	for i, e := range c.Timeline {
		where := fmt.Sprintf("event %d (%s)", i+1, e.Type)
		if e.At.IsZero() {
			return fmt.Errorf(`%s: missing "at"`, where)
		}
		if i > 0 && e.At.Before(c.Timeline[i-1].At) {
			return fmt.Errorf("%s: earlier than the event before it", where)
		}
		if e.Actor == "" {
			return fmt.Errorf(`%s: missing "actor"`, where)
		}
		switch e.Type {
		case TypeOpened, TypeReadyForReview, TypeMerged, TypeClosed:
		case TypeReviewRequested:
			if e.Reviewer == "" {
				return fmt.Errorf(`%s: missing "reviewer"`, where)
			}
		case TypePush:
			if e.SHA == "" {
				return fmt.Errorf(`%s: missing "sha"`, where)
			}
		case TypeComment, TypeReviewComment, TypeReview:
			if e.ID <= 0 {
				return fmt.Errorf(`%s: missing "id"`, where)
			}
			if ids[e.ID] {
				return fmt.Errorf("%s: id %d used twice", where, e.ID)
			}
			ids[e.ID] = true
			if e.Type == TypeReview && !reviewStates[e.State] {
				return fmt.Errorf("%s: unknown review state %q", where, e.State)
			}
		default:
			return fmt.Errorf("%s: unknown event type %q", where, e.Type)
		}
	}
	for _, x := range c.Expect {
		if x.Login == "" || !signals[x.Signal] {
			return fmt.Errorf("expect: bad pair (%q, %q)", x.Login, x.Signal)
		}
	}
	return nil
}

// LoadDir reads every *.yaml file of dir, in name order.
func LoadDir(dir string) ([]*Conversation, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml files", dir)
	}
	sort.Strings(paths)
	out := make([]*Conversation, 0, len(paths))
	for _, p := range paths {
		c, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Name is the conversation's file name, or "owner/name#n".
func (c *Conversation) Name() string {
	if c.Path != "" {
		return filepath.Base(c.Path)
	}
	return fmt.Sprintf("%s#%d", c.Repo, c.Number)
}

// URL is the PR's html_url.
func (c *Conversation) URL() string {
	return fmt.Sprintf("https://github.com/%s/pull/%d", c.Repo, c.Number)
}

// Merged reports whether the conversation has a merged event.
func (c *Conversation) Merged() bool {
	for _, e := range c.Timeline {
		if e.Type == TypeMerged {
			return true
		}
	}
	return false
}

// Events turns each corpus event into the domain Event that the webhook
// would produce for GitHub's delivery of it.
func (c *Conversation) Events() []recognizer.Event {
	owner, name, _ := strings.Cut(c.Repo, "/")
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(c.Repo)))
	repo := recognizer.Repo{
		ID:    int64(h.Sum64() >> 1),
		Owner: owner, Name: name, FullName: c.Repo,
		HTMLURL: "https://github.com/" + c.Repo,
	}
	author := recognizer.Actor{Login: c.Author, Bot: c.actorIsBot(c.Author)}
	out := make([]recognizer.Event, 0, len(c.Timeline))
	for i, e := range c.Timeline {
		sender := recognizer.Actor{Login: e.Actor, Bot: e.Bot}
		ev := recognizer.Event{
			DeliveryID:     fmt.Sprintf("corpus-%s-%d-%d", c.Repo, c.Number, i+1),
			InstallationID: 1,
			Repo:           repo,
			Number:         c.Number,
			IsPR:           true,
			TargetURL:      c.URL(),
			TargetAuthor:   author,
			Sender:         sender,
		}
		at := e.At.UTC()
		switch e.Type {
		case TypeComment:
			ev.Kind, ev.Action = recognizer.IssueComment, "created"
			ev.Comment = &recognizer.Comment{ID: e.ID, Author: sender, Body: e.Body, At: at,
				HTMLURL: fmt.Sprintf("%s#issuecomment-%d", c.URL(), e.ID)}
		case TypeReviewComment:
			ev.Kind, ev.Action = recognizer.ReviewComment, "created"
			ev.Comment = &recognizer.Comment{ID: e.ID, Author: sender, Body: e.Body, At: at,
				InReplyTo: e.InReplyTo, HTMLURL: fmt.Sprintf("%s#discussion_r%d", c.URL(), e.ID)}
		case TypeReview:
			ev.Kind, ev.Action = recognizer.Review, "submitted"
			if e.State == "dismissed" {
				ev.Action = "dismissed"
			}
			ev.Comment = &recognizer.Comment{ID: e.ID, Author: sender, Body: e.Body, At: at,
				ReviewState: e.State, HTMLURL: fmt.Sprintf("%s#pullrequestreview-%d", c.URL(), e.ID)}
		default:
			ev.Kind = recognizer.PullRequest
			pr := &recognizer.PRChange{At: at, Title: c.Title}
			switch e.Type {
			case TypeOpened:
				ev.Action = "opened"
			case TypeReadyForReview:
				ev.Action = "ready_for_review"
			case TypeReviewRequested:
				ev.Action, pr.RequestedReviewer = "review_requested", e.Reviewer
			case TypePush:
				ev.Action, pr.HeadSHA = "synchronize", e.SHA
			case TypeMerged:
				ev.Action, pr.Merged, pr.MergedBy = "closed", true, sender
			case TypeClosed:
				ev.Action = "closed"
			}
			ev.PR = pr
		}
		out = append(out, ev)
	}
	return out
}

// actorIsBot reports whether any event of login carries the bot flag.
func (c *Conversation) actorIsBot(login string) bool {
	for _, e := range c.Timeline {
		if e.Bot && strings.EqualFold(e.Actor, login) {
			return true
		}
	}
	return false
}

// Replay feeds the conversation through recognizer.Recognize, as the
// webhook does, keeps the ledger as the store does (a record replaces one
// with the same key; removals delete; time order, then key), and runs the
// unblocking detector on it.
func Replay(c *Conversation, cfg recognizer.Config) (recognizer.History, []recognizer.Detection) {
	ledger := map[string]recognizer.Contribution{}
	var hist recognizer.History
	for _, ev := range c.Events() {
		res := recognizer.Recognize(ev, hist, cfg, eventTime(ev))
		for _, r := range res.Records {
			ledger[r.Key()] = r
		}
		for _, k := range res.Removals {
			delete(ledger, k)
		}
		hist = sorted(ledger)
	}
	return hist, recognizer.DetectUnblocking(hist, c.Author, c.Merged(), cfg)
}

// eventTime is when the event happened.
func eventTime(ev recognizer.Event) time.Time {
	switch {
	case ev.Comment != nil:
		return ev.Comment.At
	case ev.PR != nil:
		return ev.PR.At
	}
	return time.Time{}
}

// sorted is the ledger in the store's order: time, then key.
func sorted(ledger map[string]recognizer.Contribution) recognizer.History {
	cs := make([]recognizer.Contribution, 0, len(ledger))
	for _, c := range ledger {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if !cs[i].At.Equal(cs[j].At) {
			return cs[i].At.Before(cs[j].At)
		}
		return cs[i].Key() < cs[j].Key()
	})
	return recognizer.History{Contributions: cs}
}

// Compare matches detections against the conversation's labels as (login,
// signal) pairs, logins compared case-insensitively. It returns the
// labelled pairs that were found (tp), the detections not labelled (fp)
// and the labels not detected (fn).
func (c *Conversation) Compare(got []recognizer.Detection) (tp, fp, fn []Expectation) {
	want := map[Expectation]bool{}
	for _, x := range c.Expect {
		want[Expectation{strings.ToLower(x.Login), x.Signal}] = true
	}
	seen := map[Expectation]bool{}
	for _, d := range got {
		k := Expectation{strings.ToLower(d.Login), d.Signal}
		if seen[k] {
			continue
		}
		seen[k] = true
		if want[k] {
			tp = append(tp, Expectation{d.Login, d.Signal})
		} else {
			fp = append(fp, Expectation{d.Login, d.Signal})
		}
	}
	for _, x := range c.Expect {
		if !seen[Expectation{strings.ToLower(x.Login), x.Signal}] {
			fn = append(fn, x)
		}
	}
	return tp, fp, fn
}
