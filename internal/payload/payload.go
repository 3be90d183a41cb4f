// Package payload holds real GitHub webhook payloads (trimmed copies of the
// public examples published in the @octokit/webhooks-examples npm package,
// see examples/SOURCE.md) and builders that turn them into realistic,
// internally consistent variants.
//
// It is used by unit tests, end-to-end tests and the offline `kudos demo`,
// so it is an ordinary (non-test) package.
package payload

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed examples
var examples embed.FS

const examplesDir = "examples"

// Raw returns the embedded example, e.g. Raw("issue_comment.created") or
// Raw("full/issue_comment.created"). The returned slice is a fresh copy.
func Raw(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".json")
	p := examplesDir + "/" + name + ".json"
	if name == "" || !fs.ValidPath(p) {
		return nil, fmt.Errorf("payload: invalid example name %q: %w", name, fs.ErrNotExist)
	}
	b, err := examples.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("payload: example %q: %w", name, fs.ErrNotExist)
	}
	return b, nil
}

// Names returns the names of all embedded examples, sorted, without ".json"
// (e.g. "issue_comment.created", "full/issue_comment.created").
func Names() []string {
	var names []string
	err := fs.WalkDir(examples, examplesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".json" {
			return nil
		}
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(p, examplesDir+"/"), ".json"))
		return nil
	})
	if err != nil {
		panic("payload: walking embedded examples: " + err.Error())
	}
	sort.Strings(names)
	return names
}

// EventType returns the X-GitHub-Event header value for an example name,
// e.g. "pull_request_review" for "pull_request_review.submitted" or
// "issue_comment" for "full/issue_comment.created".
func EventType(name string) string {
	name = path.Base(name)
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}

// DefaultAt is the default timestamp used by the builders.
var DefaultAt = time.Date(2026, 11, 20, 14, 3, 11, 0, time.UTC)

// Defaults used by the builders when a field is left zero.
const (
	DefaultInstallation       = int64(31337)
	DefaultOwner              = "acme"
	DefaultRepo               = "widgets"
	DefaultRepoID             = int64(1296269)
	DefaultNumber             = 42
	DefaultTargetAuthor       = "alice"
	DefaultAuthor             = "bob"
	DefaultCommentID          = int64(1001)
	DefaultReviewID           = int64(2001)
	DefaultRequestedReviewer  = "bob"
	defaultUserType           = "User"
	defaultReviewState        = "approved"
	defaultBranch             = "main"
	defaultHeadRef            = "feature/improve-widgets"
	defaultHeadSHA            = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	defaultBaseSHA            = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
	apiBase                   = "https://api.github.com"
	webBase                   = "https://github.com"
	authorAssociationUser     = "MEMBER"
	authorAssociationBot      = "NONE"
	targetCreatedBeforeAction = 3 * time.Hour
)

// Common fields every builder sets consistently throughout the payload
// (repository, installation, sender, html_urls).
//
// The repository owner is rendered as an organization: repository.owner has
// type "Organization" and the payload carries a matching "organization" object.
type Common struct {
	Installation int64  // default 31337
	Owner, Repo  string // default "acme", "widgets"
	RepoID       int64  // default 1296269
	Private      bool
	Number       int    // default 42
	TargetAuthor string // who opened the PR/issue; default "alice"
	Sender       string // default: the comment/review author for comment events, TargetAuthor otherwise
	SenderType   string // "User" (default) or "Bot"
	Title        string // PR or issue title; default: the example's
}

// CommentOpts configures IssueComment and ReviewComment.
type CommentOpts struct {
	Common
	Action       string // default "created"
	OnIssue      bool   // issue_comment on a plain issue (no issue.pull_request key); default false = on a PR
	ID           int64  // default 1001
	Author       string // default "bob"
	AuthorType   string // default "User"
	Body         string
	InReplyTo    int64     // review comments only
	ReviewID     int64     // review comments only; default 2001
	At           time.Time // created_at/updated_at; default 2026-11-20T14:03:11Z
	PreviousBody string    // for Action "edited": changes.body.from
}

// ReviewOpts configures Review.
type ReviewOpts struct {
	Common
	Action     string // default "submitted"
	ID         int64  // default 2001
	Author     string // default "bob"
	AuthorType string // default "User"
	State      string // "approved" (default; "dismissed" when Action is "dismissed"), "changes_requested", "commented", "dismissed"
	Body       string // empty renders as null, like GitHub does for a review without a body
	At         time.Time
}

// PROpts configures PullRequest.
type PROpts struct {
	Common
	Action            string // default "opened"
	Merged            bool   // with Action "closed"
	MergedBy          string // default: Sender
	Draft             bool
	RequestedReviewer string // for "review_requested"; default "bob"
	At                time.Time
}

// obj is a decoded JSON object.
type obj = map[string]any

// load decodes an embedded example. Corrupt embedded data is a programming
// error (the tests decode every file), hence the panic.
func load(name string) obj {
	b, err := Raw(name)
	if err != nil {
		panic("payload: " + err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m obj
	if err := dec.Decode(&m); err != nil {
		panic(fmt.Sprintf("payload: corrupt embedded example %q: %v", name, err))
	}
	return m
}

// pick returns the example for event.action (with an optional variant
// suffix), falling back to event.fallback when no such example exists.
func pick(event, action, variant, fallback string) obj {
	for _, a := range []string{action, fallback} {
		name := event + "." + a + variant
		if _, err := fs.Stat(examples, examplesDir+"/"+name+".json"); err == nil {
			return load(name)
		}
	}
	panic("payload: missing embedded example " + event + "." + fallback + variant)
}

func encode(m obj) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // GitHub does not escape <, > and & in bodies
	if err := enc.Encode(m); err != nil {
		panic("payload: encoding: " + err.Error())
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// nodeID renders a legacy GitHub global node id ("04:User123" base64-encoded).
func nodeID(typ string, id int64) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "0%d:%s%d", len(typ), typ, id))
}

// accountID is a stable, plausible numeric id for a login so the same login
// gets the same id everywhere in (and across) payloads.
func accountID(login string) int64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(login)))
	return 1_000_000 + int64(h.Sum32()%90_000_000)
}

func user(login, typ string) obj {
	typ = or(typ, defaultUserType)
	id := accountID(login)
	html := webBase + "/" + login
	if typ == "Bot" {
		html = webBase + "/apps/" + strings.TrimSuffix(login, "[bot]")
	}
	return obj{
		"login":      login,
		"id":         id,
		"node_id":    nodeID(typ, id),
		"url":        apiBase + "/users/" + login,
		"html_url":   html,
		"type":       typ,
		"site_admin": false,
	}
}

func association(typ string) string {
	if typ == "Bot" {
		return authorAssociationBot
	}
	return authorAssociationUser
}

// ctx carries the normalized common options of one build.
type ctx struct {
	Common
	repoAPI, repoWeb string
}

func newCtx(c Common, defaultSender, defaultSenderType string) ctx {
	c.Installation = or(c.Installation, DefaultInstallation)
	c.Owner = or(c.Owner, DefaultOwner)
	c.Repo = or(c.Repo, DefaultRepo)
	c.RepoID = or(c.RepoID, DefaultRepoID)
	c.Number = or(c.Number, DefaultNumber)
	c.TargetAuthor = or(c.TargetAuthor, DefaultTargetAuthor)
	if c.Sender == "" {
		c.Sender = defaultSender
		c.SenderType = or(c.SenderType, defaultSenderType)
	}
	c.SenderType = or(c.SenderType, defaultUserType)
	full := c.Owner + "/" + c.Repo
	return ctx{Common: c, repoAPI: apiBase + "/repos/" + full, repoWeb: webBase + "/" + full}
}

func (c ctx) prAPI() string    { return fmt.Sprintf("%s/pulls/%d", c.repoAPI, c.Number) }
func (c ctx) prWeb() string    { return fmt.Sprintf("%s/pull/%d", c.repoWeb, c.Number) }
func (c ctx) issueAPI() string { return fmt.Sprintf("%s/issues/%d", c.repoAPI, c.Number) }
func (c ctx) issueWeb() string { return fmt.Sprintf("%s/issues/%d", c.repoWeb, c.Number) }

func (c ctx) owner() obj { return user(c.Owner, "Organization") }

func (c ctx) organization() obj {
	id := accountID(c.Owner)
	return obj{
		"login":       c.Owner,
		"id":          id,
		"node_id":     nodeID("Organization", id),
		"url":         apiBase + "/orgs/" + c.Owner,
		"description": "",
	}
}

// repository rewrites a (trimmed) example repository object in place.
func (c ctx) repository(r obj) obj {
	if r == nil {
		r = obj{}
	}
	visibility := "public"
	if c.Private {
		visibility = "private"
	}
	r["id"] = c.RepoID
	r["node_id"] = nodeID("Repository", c.RepoID)
	r["name"] = c.Repo
	r["full_name"] = c.Owner + "/" + c.Repo
	r["private"] = c.Private
	r["owner"] = c.owner()
	r["html_url"] = c.repoWeb
	r["url"] = c.repoAPI
	r["fork"] = false
	r["default_branch"] = defaultBranch
	r["visibility"] = visibility
	return r
}

// common sets repository, organization, installation and sender, and
// rewrites every remaining reference to the example's repository.
func (c ctx) common(m obj) {
	if r, ok := m["repository"].(obj); ok {
		if old, _ := r["full_name"].(string); old != "" {
			rewriteRepoRefs(m, old, c.Owner+"/"+c.Repo)
		}
	}
	m["repository"] = c.repository(asObj(m["repository"]))
	m["organization"] = c.organization()
	m["installation"] = obj{"id": c.Installation, "node_id": nodeID("IntegrationInstallation", c.Installation)}
	m["sender"] = user(c.Sender, c.SenderType)
}

// pullRequest rewrites the pull_request object of a pull_request,
// pull_request_review or pull_request_review_comment example in place.
func (c ctx) pullRequest(pr obj, at time.Time) {
	id := 700_000_000 + int64(c.Number)
	pr["url"] = c.prAPI()
	pr["id"] = id
	pr["node_id"] = nodeID("PullRequest", id)
	pr["html_url"] = c.prWeb()
	if _, ok := pr["issue_url"]; ok {
		pr["issue_url"] = c.issueAPI()
	}
	for k, suffix := range map[string]string{"diff_url": ".diff", "patch_url": ".patch"} {
		if _, ok := pr[k]; ok {
			pr[k] = c.prWeb() + suffix
		}
	}
	pr["number"] = c.Number
	if c.Title != "" {
		pr["title"] = c.Title
	}
	pr["state"] = "open"
	pr["user"] = user(c.TargetAuthor, defaultUserType)
	pr["created_at"] = ts(at.Add(-targetCreatedBeforeAction))
	pr["updated_at"] = ts(at)
	pr["closed_at"] = nil
	pr["merged_at"] = nil
	pr["assignee"] = nil
	pr["assignees"] = []any{}
	pr["requested_reviewers"] = []any{}
	pr["requested_teams"] = []any{}
	pr["milestone"] = nil
	pr["author_association"] = association(defaultUserType)
	if _, ok := pr["merged"]; ok { // full pull_request objects only
		pr["merged"] = false
		pr["merged_by"] = nil
		pr["draft"] = false
	}
	sha := defaultHeadSHA
	if h := asObj(pr["head"]); h != nil {
		if s, _ := h["sha"].(string); s != "" {
			sha = s
		}
	}
	pr["head"] = obj{
		"label": c.Owner + ":" + defaultHeadRef,
		"ref":   defaultHeadRef,
		"sha":   sha,
		"user":  c.owner(),
		"repo":  c.repository(c.copyRepo(pr, "base")),
	}
	baseSHA := defaultBaseSHA
	if b := asObj(pr["base"]); b != nil {
		if s, _ := b["sha"].(string); s != "" {
			baseSHA = s
		}
	}
	pr["base"] = obj{
		"label": c.Owner + ":" + defaultBranch,
		"ref":   defaultBranch,
		"sha":   baseSHA,
		"user":  c.owner(),
		"repo":  c.repository(c.copyRepo(pr, "base")),
	}
}

// copyRepo returns a shallow copy of pr[side].repo (or nil).
func (c ctx) copyRepo(pr obj, side string) obj {
	s := asObj(pr[side])
	if s == nil {
		return nil
	}
	r := asObj(s["repo"])
	if r == nil {
		return nil
	}
	cp := make(obj, len(r))
	for k, v := range r {
		cp[k] = v
	}
	return cp
}

func asObj(v any) obj {
	m, _ := v.(obj)
	return m
}

// rewriteRepoRefs replaces links to the example's repository everywhere.
func rewriteRepoRefs(v any, oldFull, newFull string) any {
	switch t := v.(type) {
	case obj:
		for k, e := range t {
			t[k] = rewriteRepoRefs(e, oldFull, newFull)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = rewriteRepoRefs(e, oldFull, newFull)
		}
		return t
	case string:
		t = strings.ReplaceAll(t, "github.com/repos/"+oldFull, "github.com/repos/"+newFull)
		return strings.ReplaceAll(t, "github.com/"+oldFull, "github.com/"+newFull)
	default:
		return v
	}
}

func (o *CommentOpts) normalize() ctx {
	o.Action = or(o.Action, "created")
	o.ID = or(o.ID, DefaultCommentID)
	o.Author = or(o.Author, DefaultAuthor)
	o.AuthorType = or(o.AuthorType, defaultUserType)
	o.ReviewID = or(o.ReviewID, DefaultReviewID)
	if o.At.IsZero() {
		o.At = DefaultAt
	}
	return newCtx(o.Common, o.Author, o.AuthorType)
}

func setChanges(m obj, action, previous string) {
	if action == "edited" {
		m["changes"] = obj{"body": obj{"from": previous}}
	} else {
		delete(m, "changes")
	}
}

// IssueComment builds an "issue_comment" webhook payload: a comment on a pull
// request (default) or, with OnIssue, on a plain issue.
func IssueComment(o CommentOpts) []byte {
	c := o.normalize()
	variant := ""
	if o.OnIssue {
		variant = ".issue"
	}
	m := pick("issue_comment", o.Action, variant, "created")
	m["action"] = o.Action
	c.common(m)

	target := c.issueWeb()
	iss := asObj(m["issue"])
	issueID := 400_000_000 + int64(c.Number)
	iss["url"] = c.issueAPI()
	iss["id"] = issueID
	iss["node_id"] = nodeID("Issue", issueID)
	iss["number"] = c.Number
	if c.Title != "" {
		iss["title"] = c.Title
	}
	iss["user"] = user(c.TargetAuthor, defaultUserType)
	iss["state"] = "open"
	iss["assignee"] = nil
	iss["assignees"] = []any{}
	iss["milestone"] = nil
	iss["closed_at"] = nil
	iss["created_at"] = ts(o.At.Add(-targetCreatedBeforeAction))
	iss["updated_at"] = ts(o.At)
	iss["author_association"] = association(defaultUserType)
	if o.OnIssue {
		delete(iss, "pull_request")
	} else {
		target = c.prWeb()
		iss["pull_request"] = obj{
			"url":       c.prAPI(),
			"html_url":  c.prWeb(),
			"diff_url":  c.prWeb() + ".diff",
			"patch_url": c.prWeb() + ".patch",
			"merged_at": nil,
		}
	}
	iss["html_url"] = target

	cm := asObj(m["comment"])
	cm["url"] = fmt.Sprintf("%s/issues/comments/%d", c.repoAPI, o.ID)
	cm["html_url"] = fmt.Sprintf("%s#issuecomment-%d", target, o.ID)
	cm["issue_url"] = c.issueAPI()
	cm["id"] = o.ID
	cm["node_id"] = nodeID("IssueComment", o.ID)
	cm["user"] = user(o.Author, o.AuthorType)
	cm["created_at"] = ts(o.At)
	cm["updated_at"] = ts(o.At)
	cm["author_association"] = association(o.AuthorType)
	cm["body"] = o.Body

	setChanges(m, o.Action, o.PreviousBody)
	return encode(m)
}

// ReviewComment builds a "pull_request_review_comment" webhook payload (a
// comment on a line of a pull request's diff).
func ReviewComment(o CommentOpts) []byte {
	c := o.normalize()
	m := pick("pull_request_review_comment", o.Action, "", "created")
	m["action"] = o.Action
	c.common(m)
	c.pullRequest(asObj(m["pull_request"]), o.At)

	cm := asObj(m["comment"])
	cm["url"] = fmt.Sprintf("%s/pulls/comments/%d", c.repoAPI, o.ID)
	cm["pull_request_review_id"] = o.ReviewID
	cm["id"] = o.ID
	cm["node_id"] = nodeID("PullRequestReviewComment", o.ID)
	cm["user"] = user(o.Author, o.AuthorType)
	cm["body"] = o.Body
	cm["created_at"] = ts(o.At)
	cm["updated_at"] = ts(o.At)
	cm["html_url"] = fmt.Sprintf("%s#discussion_r%d", c.prWeb(), o.ID)
	cm["pull_request_url"] = c.prAPI()
	cm["author_association"] = association(o.AuthorType)
	if o.InReplyTo != 0 {
		cm["in_reply_to_id"] = o.InReplyTo
	} else {
		delete(cm, "in_reply_to_id")
	}

	setChanges(m, o.Action, o.PreviousBody)
	return encode(m)
}

// Review builds a "pull_request_review" webhook payload.
func Review(o ReviewOpts) []byte {
	o.Action = or(o.Action, "submitted")
	o.ID = or(o.ID, DefaultReviewID)
	o.Author = or(o.Author, DefaultAuthor)
	o.AuthorType = or(o.AuthorType, defaultUserType)
	if o.State == "" {
		o.State = defaultReviewState
		if o.Action == "dismissed" {
			o.State = "dismissed"
		}
	}
	if o.At.IsZero() {
		o.At = DefaultAt
	}
	c := newCtx(o.Common, o.Author, o.AuthorType)

	m := pick("pull_request_review", o.Action, "", "submitted")
	m["action"] = o.Action
	if o.Action != "edited" {
		delete(m, "changes")
	}
	c.common(m)
	pr := asObj(m["pull_request"])
	c.pullRequest(pr, o.At)

	rv := asObj(m["review"])
	rv["id"] = o.ID
	rv["node_id"] = nodeID("PullRequestReview", o.ID)
	rv["user"] = user(o.Author, o.AuthorType)
	if o.Body == "" {
		rv["body"] = nil
	} else {
		rv["body"] = o.Body
	}
	if head := asObj(pr["head"]); head != nil {
		rv["commit_id"] = head["sha"]
	}
	rv["submitted_at"] = ts(o.At)
	rv["state"] = o.State
	rv["html_url"] = fmt.Sprintf("%s#pullrequestreview-%d", c.prWeb(), o.ID)
	rv["pull_request_url"] = c.prAPI()
	rv["author_association"] = association(o.AuthorType)
	return encode(m)
}

// PullRequest builds a "pull_request" webhook payload.
func PullRequest(o PROpts) []byte {
	o.Action = or(o.Action, "opened")
	if o.At.IsZero() {
		o.At = DefaultAt
	}
	c := newCtx(o.Common, or(o.Common.TargetAuthor, DefaultTargetAuthor), defaultUserType)
	o.MergedBy = or(o.MergedBy, c.Sender)
	o.RequestedReviewer = or(o.RequestedReviewer, DefaultRequestedReviewer)

	var m obj
	switch o.Action {
	case "closed":
		if o.Merged {
			m = load("pull_request.closed.merged")
		} else {
			m = load("pull_request.closed.unmerged")
		}
	default:
		m = pick("pull_request", o.Action, "", "opened")
	}
	m["action"] = o.Action
	m["number"] = c.Number
	c.common(m)

	pr := asObj(m["pull_request"])
	c.pullRequest(pr, o.At)
	if o.Action == "opened" {
		pr["created_at"] = ts(o.At)
	}
	pr["draft"] = o.Draft
	if o.Action == "closed" {
		pr["state"] = "closed"
		pr["closed_at"] = ts(o.At)
		if o.Merged {
			pr["merged"] = true
			pr["merged_at"] = ts(o.At)
			pr["merged_by"] = user(o.MergedBy, c.typeOf(o.MergedBy))
		}
	}
	if o.Action == "review_requested" {
		rr := user(o.RequestedReviewer, defaultUserType)
		m["requested_reviewer"] = rr
		pr["requested_reviewers"] = []any{rr}
	} else {
		delete(m, "requested_reviewer")
	}
	return encode(m)
}

// typeOf returns the account type to use for login: the sender's type when
// login is the sender, "User" otherwise.
func (c ctx) typeOf(login string) string {
	if login == c.Sender {
		return c.SenderType
	}
	return defaultUserType
}

// PushOpts configure a push payload.
type PushOpts struct {
	Common
	// Ref defaults to the default branch, refs/heads/main.
	Ref string
	// Modified are the paths the pushed commit modifies.
	Modified []string
}

// Push builds a push to the repository whose one commit modifies the
// given paths.
func Push(o PushOpts) []byte {
	c := newCtx(o.Common, DefaultTargetAuthor, defaultUserType)
	m := load("push")
	c.common(m)
	m["ref"] = or(o.Ref, "refs/heads/main")
	repo := asObj(m["repository"])
	repo["default_branch"] = "main"
	repo["master_branch"] = "main"
	modified := make([]any, len(o.Modified))
	for i, p := range o.Modified {
		modified[i] = p
	}
	for _, key := range []string{"commits"} {
		commits, _ := m[key].([]any)
		for _, cm := range commits {
			co := asObj(cm)
			co["added"], co["removed"], co["modified"] = []any{}, []any{}, modified
		}
	}
	if hc, ok := m["head_commit"].(obj); ok {
		hc["added"], hc["removed"], hc["modified"] = []any{}, []any{}, modified
	}
	return encode(m)
}
