package webhook

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/kudos-app/kudos/recognizer"
)

// Extract is the webhook's reader: it parses the payload once with
// fastjson, which rejects a document whose structure is not JSON, and
// reads only the fields the recognizer needs, never decoding whole
// go-github types. fastjson does not check string escapes, control
// characters or number syntax; Extract checks them in every field it
// reads, as encoding/json would, and leaves them unchecked elsewhere.
//
// Normalize, go-github's full decode, is the reference: on every payload
// Normalize reads, Extract returns the identical Event, reading each field
// by encoding/json's and go-github's rules (string escapes, invalid UTF-8,
// integer ranges, timestamps as RFC 3339 or Unix seconds, null as the zero
// value). A field Extract reads that holds the wrong JSON type, or sits
// under one, is an error, as it is for Normalize. Extract is more lenient
// only where Kudos reads nothing: a field it never reads may hold any
// value (Normalize fails a payload whose unread fields do not fit
// go-github's types), and object keys are matched as GitHub sends them
// (exactly, the first of duplicates), not case-insensitively.
func Extract(eventType, delivery string, payload []byte) (recognizer.Event, error) {
	kind := recognizer.EventKind(eventType)
	if !handled[kind] {
		return recognizer.Event{}, errUnhandled
	}
	x := extractors.Get().(*extractor)
	defer extractors.Put(x)
	root, err := x.parser.ParseBytes(payload)
	if err != nil {
		return recognizer.Event{}, fmt.Errorf("decode %s payload: %w", eventType, err)
	}
	r := reader{root: root, raw: x.raw[:0], strs: make([]byte, 0, 1024)}
	defer func() { x.raw = r.raw }()
	switch k, _ := r.kind(root); k {
	case kObject:
	case kNull:
		return recognizer.Event{}, fmt.Errorf("decode %s payload: empty payload", eventType)
	default:
		return recognizer.Event{}, fmt.Errorf("decode %s payload: want an object, got %s", eventType, k)
	}
	ev := r.event(recognizer.Event{DeliveryID: delivery, Kind: kind})
	if r.err != nil {
		return recognizer.Event{}, fmt.Errorf("decode %s payload: %w", eventType, r.err)
	}
	return checkEvent(ev)
}

// handled are the event types Extract reads.
var handled = map[recognizer.EventKind]bool{
	recognizer.IssueComment: true, recognizer.Review: true, recognizer.ReviewComment: true,
	recognizer.PullRequest: true, recognizer.Push: true, recognizer.Installation: true,
	recognizer.InstallationRepositories: true,
}

// extractor is what Extract reuses between deliveries: a parser keeps its
// value tree's memory, so a delivery parses without allocating. Nothing
// Extract returns points into it.
type extractor struct {
	parser fastjson.Parser
	raw    []byte
}

var extractors = sync.Pool{New: func() any { return new(extractor) }}

// reader reads typed fields from a parsed payload, keeping the first error.
type reader struct {
	root *fastjson.Value
	err  error
	// raw is scratch space for a scalar's JSON text.
	raw []byte
	// strs holds the decoded strings; never reused.
	strs []byte
}

// event fills ev from the payload as Normalize does.
func (r *reader) event(ev recognizer.Event) recognizer.Event {
	ev.InstallationID = r.int64(r.root, "installation", "id")
	ev.Sender = r.actor(r.root, "sender")
	switch ev.Kind {
	case recognizer.Installation:
		ev.Action = r.string(r.root, "action")
		return ev
	case recognizer.InstallationRepositories:
		ev.Action = r.string(r.root, "action")
		r.each(r.root, func(repo *fastjson.Value) {
			ev.RemovedRepos = append(ev.RemovedRepos, r.int64(repo, "id"))
		}, "repositories_removed")
		return ev
	case recognizer.Push:
		ev.Repo = r.repo()
		if name := r.string(r.root, "repository", "owner", "name"); ev.Repo.Owner == "" {
			ev.Repo.Owner = name
		}
		ev.Push = &recognizer.PushInfo{Ref: r.string(r.root, "ref"), DefaultBranch: r.string(r.root, "repository", "default_branch")}
		r.each(r.root, func(c *fastjson.Value) {
			for _, list := range []string{"added", "modified", "removed"} {
				r.each(c, func(p *fastjson.Value) {
					ev.Push.Paths = append(ev.Push.Paths, r.string(p))
				}, list)
			}
		}, "commits")
		return ev
	}

	ev.Action = r.string(r.root, "action")
	ev.Repo = r.repo()
	if ev.Repo.Owner == "" || ev.Repo.Name == "" {
		if o, n, ok := strings.Cut(ev.Repo.FullName, "/"); ok {
			ev.Repo.Owner, ev.Repo.Name = o, n
		}
	}
	var pr *fastjson.Value
	if ev.Kind == recognizer.IssueComment {
		issue := r.object(r.root, "issue")
		ev.Number = int(r.int64(issue, "number"))
		ev.IsPR = r.object(issue, "pull_request") != nil
		ev.TargetURL = r.string(issue, "html_url")
		ev.TargetAuthor = r.actor(issue, "user")
	} else {
		pr = r.object(r.root, "pull_request")
		ev.Number, ev.IsPR = int(r.int64(pr, "number")), true
		ev.TargetURL = r.string(pr, "html_url")
		ev.TargetAuthor = r.actor(pr, "user")
	}

	switch ev.Kind {
	case recognizer.IssueComment, recognizer.ReviewComment:
		c := r.object(r.root, "comment")
		ev.Comment = &recognizer.Comment{
			ID: r.int64(c, "id"), Author: r.actor(c, "user"), Body: r.string(c, "body"),
			HTMLURL: r.string(c, "html_url"), At: r.time(c, "created_at"),
		}
		if ev.Kind == recognizer.ReviewComment {
			ev.Comment.InReplyTo = r.int64(c, "in_reply_to_id")
		}
	case recognizer.Review:
		rv := r.object(r.root, "review")
		ev.Comment = &recognizer.Comment{
			ID: r.int64(rv, "id"), Author: r.actor(rv, "user"), Body: r.string(rv, "body"),
			HTMLURL: r.string(rv, "html_url"), At: r.time(rv, "submitted_at"),
			ReviewState: strings.ToLower(r.string(rv, "state")),
		}
	case recognizer.PullRequest:
		ev.PR = r.prChange(pr, ev.Action)
	}
	return ev
}

func (r *reader) repo() recognizer.Repo {
	repo := r.object(r.root, "repository")
	return recognizer.Repo{
		ID: r.int64(repo, "id"), Owner: r.string(repo, "owner", "login"), Name: r.string(repo, "name"),
		FullName: r.string(repo, "full_name"), Private: r.bool(repo, "private"), HTMLURL: r.string(repo, "html_url"),
	}
}

// prChange reads a pull_request event's change to pr, its pull request.
func (r *reader) prChange(pr *fastjson.Value, action string) *recognizer.PRChange {
	c := &recognizer.PRChange{
		Merged: r.bool(pr, "merged"), MergedBy: r.actor(pr, "merged_by"),
		RequestedReviewer: r.string(r.root, "requested_reviewer", "login"),
		HeadSHA:           r.string(pr, "head", "sha"), Title: r.string(pr, "title"),
	}
	// Every timestamp is read, as Normalize decodes every one.
	merged, closed, created, updated := r.time(pr, "merged_at"), r.time(pr, "closed_at"), r.time(pr, "created_at"), r.time(pr, "updated_at")
	switch {
	case action == "closed" && c.Merged:
		c.At = merged
	case action == "closed":
		c.At = closed
	case action == "opened":
		c.At = created
	default:
		c.At = updated
	}
	if after := r.string(r.root, "after"); after != "" {
		c.HeadSHA = after
	}
	return c
}

func (r *reader) actor(v *fastjson.Value, path ...string) recognizer.Actor {
	u := r.object(v, path...)
	return recognizer.Actor{Login: r.string(u, "login"), Bot: r.string(u, "type") == "Bot"}
}

// errWrongType is the error of a field holding the wrong JSON type.
var errWrongType = errors.New("wrong JSON type")

// errInvalid is the error of a field holding a value of the right JSON
// type that is not valid JSON or does not fit: a bad string escape, a
// number with a leading zero or out of range, a malformed timestamp.
var errInvalid = errors.New("invalid")

// jsonKind is a value's JSON type.
type jsonKind uint8

const (
	kNull jsonKind = iota
	kBool
	kNumber
	kString
	kObject
	kArray
)

func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an object", "an array"}[k]
}

// kind returns v's JSON type and, for a scalar, its JSON text: a string's
// raw, escaped text between its quotes. Unlike Type and StringBytes, which
// decode a string in place by fastjson's own rules, MarshalTo hands over a
// string as parsed, for encoding/json's rules to decode it. A nil v is
// null.
func (r *reader) kind(v *fastjson.Value) (jsonKind, []byte) {
	if v == nil {
		return kNull, nil
	}
	// Object and Array would describe a mismatch with Type, decoding.
	if v.GetObject() != nil {
		return kObject, nil
	}
	if v.GetArray() != nil {
		return kArray, nil // an empty array may be nil: MarshalTo tells
	}
	r.raw = v.MarshalTo(r.raw[:0])
	switch text := r.raw; {
	case text[0] == '[':
		return kArray, nil
	case len(text) >= 2 && text[0] == '"':
		return kString, text[1 : len(text)-1]
	case string(text) == "null":
		return kNull, nil
	case string(text) == "true" || string(text) == "false":
		return kBool, text
	default:
		return kNumber, text
	}
}

// fail records that the field at path holds got where want belongs.
func (r *reader) fail(path []string, want string, got jsonKind) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: want %s, got %s: %w", strings.Join(path, "."), want, got, errWrongType)
	}
}

// invalid records that the field at path holds a value of the right type
// that is no valid what.
func (r *reader) invalid(path []string, what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w %s", strings.Join(path, "."), errInvalid, what)
	}
}

// at returns the value at path under v, its type and its text (see kind).
// A missing value is null, and so is everything under a missing or null
// object; anything but an object on the way is an error.
func (r *reader) at(v *fastjson.Value, path ...string) (*fastjson.Value, jsonKind, []byte) {
	for i, key := range path {
		switch k, _ := r.kind(v); k {
		case kNull:
			return nil, kNull, nil
		case kObject:
			v = v.Get(key)
		default:
			r.fail(path[:i], "an object", k)
			return nil, kNull, nil
		}
	}
	k, text := r.kind(v)
	return v, k, text
}

// object returns the object at path, or nil when it is missing or null.
func (r *reader) object(v *fastjson.Value, path ...string) *fastjson.Value {
	v, k, _ := r.at(v, path...)
	switch k {
	case kObject:
		return v
	case kNull:
	default:
		r.fail(path, "an object", k)
	}
	return nil
}

// string reads a string as encoding/json does.
func (r *reader) string(v *fastjson.Value, path ...string) string {
	_, k, text := r.at(v, path...)
	switch {
	case k == kNull:
		return ""
	case k != kString:
		r.fail(path, "a string", k)
		return ""
	}
	start := len(r.strs)
	if plain(text) {
		r.strs = append(r.strs, text...)
	} else {
		var ok bool
		if r.strs, ok = appendUnquoted(r.strs, text); !ok {
			r.strs = r.strs[:start]
			r.invalid(path, "JSON string")
			return ""
		}
	}
	if len(r.strs) == start {
		return ""
	}
	// The bytes are never written again (a grown buffer is a new array),
	// so the string may share them: the strings of an Event share one
	// allocation while they fit the buffer's first 1 KB, and a few when a
	// long comment body grows it. Any of them keeps the buffer alive,
	// which a delivery's Event, dropped once recorded, never holds long.
	return unsafe.String(&r.strs[start], len(r.strs)-start)
}

// int64 reads an integer as encoding/json does: no fraction, no exponent,
// in range.
func (r *reader) int64(v *fastjson.Value, path ...string) int64 {
	_, k, text := r.at(v, path...)
	if k == kNull {
		return 0
	}
	if k != kNumber {
		r.fail(path, "an integer", k)
		return 0
	}
	n, ok := parseInt(text)
	if !ok {
		r.invalid(path, "integer")
	}
	return n
}

func (r *reader) bool(v *fastjson.Value, path ...string) bool {
	_, k, text := r.at(v, path...)
	if k != kBool && k != kNull {
		r.fail(path, "a boolean", k)
	}
	return k == kBool && text[0] == 't'
}

// time reads a go-github Timestamp.
func (r *reader) time(v *fastjson.Value, path ...string) time.Time {
	_, k, text := r.at(v, path...)
	if k == kNull {
		return time.Time{}
	}
	if k != kString && k != kNumber {
		r.fail(path, "a timestamp", k)
		return time.Time{}
	}
	t, ok := parseTimestamp(text, k == kString)
	if !ok {
		r.invalid(path, "timestamp")
	}
	return t
}

// each calls f with every element of the array at path (f reads a null
// element as nothing, or zero).
func (r *reader) each(v *fastjson.Value, f func(*fastjson.Value), path ...string) {
	v, k, _ := r.at(v, path...)
	switch k {
	case kArray:
	case kNull:
		return
	default:
		r.fail(path, "an array", k)
		return
	}
	for _, e := range v.GetArray() {
		f(e)
	}
}
