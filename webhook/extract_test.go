package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"reflect"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/recognizer"
)

// exEvents are the event types Extract reads, and one it ignores.
var exEvents = []string{
	string(recognizer.IssueComment), string(recognizer.Review), string(recognizer.ReviewComment),
	string(recognizer.PullRequest), string(recognizer.Push), string(recognizer.Installation),
	string(recognizer.InstallationRepositories), "ping",
}

// exClass names an error's class: what the server answers depends on it.
func exClass(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, errUnhandled):
		return "unhandled"
	case strings.HasPrefix(err.Error(), "decode "):
		return "decode"
	}
	return "other: " + err.Error()
}

// exNormalize calls Normalize, reporting a panic instead of panicking.
func exNormalize(eventType string, body []byte) (ev recognizer.Event, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	ev, err = Normalize(eventType, "delivery-1", body)
	return ev, err, nil
}

// exUTC returns ev with its times in UTC (Unix timestamps decode in Local).
func exUTC(ev recognizer.Event) recognizer.Event {
	if ev.Comment != nil {
		c := *ev.Comment
		c.At = c.At.UTC()
		ev.Comment = &c
	}
	if ev.PR != nil {
		p := *ev.PR
		p.At = p.At.UTC()
		ev.PR = &p
	}
	return ev
}

// exCompare returns how Extract disagrees with Normalize on body, or ""
// when it keeps its promise: the identical Event wherever Normalize reads
// a payload as GitHub writes it (see exCanonical), the same answer for
// event types Kudos ignores, an error naming the event where it fails,
// and never a panic.
func exCompare(eventType string, body []byte) string {
	want, werr, panicked := exNormalize(eventType, body)
	got, gerr := Extract(eventType, "delivery-1", body)
	if errors.Is(werr, errUnhandled) != errors.Is(gerr, errUnhandled) {
		return fmt.Sprintf("unhandled: Normalize %v, Extract %v", werr, gerr)
	}
	if gerr != nil && !errors.Is(gerr, errUnhandled) && !strings.HasPrefix(gerr.Error(), "decode "+eventType+" payload: ") {
		return fmt.Sprintf("Extract error %q does not name the event type", gerr)
	}
	if panicked != nil || werr != nil || !exCanonical(body) {
		// Normalize fails payloads whose unread fields do not fit
		// go-github's types, where Extract may read what it needs; a
		// panic in the reference says nothing of Extract.
		return ""
	}
	if gerr != nil {
		return fmt.Sprintf("Normalize reads the payload, Extract fails: %v", gerr)
	}
	if w, g := exUTC(want), exUTC(got); !reflect.DeepEqual(w, g) {
		return fmt.Sprintf("events differ:\nNormalize %s\nExtract   %s", exDump(w), exDump(g))
	}
	return ""
}

// exCanonical reports whether body is JSON written as GitHub writes it, in
// the ways where encoding/json and Extract read keys differently: no
// object has two keys that match case-insensitively (encoding/json lets
// the last win, Extract the first), no key has an upper-case letter or a
// rune that folds to an ASCII one (encoding/json matches "Action" and
// "\u017Fender" to action and sender), and nothing nests deeper than
// fastjson's 300 levels.
func exCanonical(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*exFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			return errors.Is(err, io.EOF) && len(stack) == 0
		}
		var top *exFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				exValueDone(stack)
				continue
			}
			k := tok.(string)
			if strings.IndexFunc(k, func(r rune) bool { return 'A' <= r && r <= 'Z' || r == '\u017F' || r == '\u212A' }) >= 0 {
				return false
			}
			for _, o := range top.keys {
				if strings.EqualFold(o, k) {
					return false
				}
			}
			top.keys = append(top.keys, k)
			top.key = false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if stack = append(stack, &exFrame{object: tok == json.Delim('{'), key: true}); len(stack) > 299 {
				return false
			}
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			exValueDone(stack)
		default:
			exValueDone(stack)
		}
	}
}

// exFrame is an object or array exCanonical is in.
type exFrame struct {
	object bool
	keys   []string
	key    bool // the next token of an object is a key
}

// exValueDone marks a value read: its object's next token is a key.
func exValueDone(stack []*exFrame) {
	if len(stack) > 0 {
		stack[len(stack)-1].key = true
	}
}

func exDump(ev recognizer.Event) string {
	b, _ := json.Marshal(ev)
	return string(b)
}

// exAgree fails t when Extract and Normalize disagree on body.
func exAgree(t testing.TB, eventType string, body []byte) {
	t.Helper()
	if d := exCompare(eventType, body); d != "" {
		t.Errorf("%s %.300q:\n%s", eventType, body, d)
	}
}

// exRead reads a body keeping numbers as written.
func exRead(t testing.TB, body []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func exWrite(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// exSet returns body with the value at a dotted path ("a.b.0.c") set to
// the JSON text val, or deleted when val is "".
func exSet(t testing.TB, body []byte, path, val string) []byte {
	t.Helper()
	root := exRead(t, body)
	parts := strings.Split(path, ".")
	cur := root
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if val == "" {
					delete(c, p)
				} else {
					c[p] = json.RawMessage(val)
				}
				continue
			}
			if c[p] == nil {
				c[p] = map[string]any{}
			}
			cur = c[p]
		case []any:
			var idx int
			if _, err := fmt.Sscan(p, &idx); err != nil || idx >= len(c) {
				t.Fatalf("bad path %q", path)
			}
			if last {
				c[idx] = json.RawMessage(val)
				continue
			}
			cur = c[idx]
		default:
			t.Fatalf("path %q runs into a %T", path, cur)
		}
	}
	return exWrite(t, root)
}

func exRaw(t testing.TB, name string) []byte {
	t.Helper()
	b, err := payload.Raw(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExtractAgreesOnExamples runs every embedded real payload through
// Extract and Normalize, under its own event type and under every other.
func TestExtractAgreesOnExamples(t *testing.T) {
	t.Parallel()
	names := payload.Names()
	if len(names) < 20 {
		t.Fatalf("only %d embedded examples", len(names))
	}
	events := 0
	for _, name := range names {
		body := exRaw(t, name)
		if _, err := Extract(payload.EventType(name), "delivery-1", body); err == nil {
			events++
		}
		for _, et := range exEvents {
			exAgree(t, et, body)
		}
	}
	// Some real examples come without an installation, as GitHub sends
	// them to repository webhooks; the rest are events.
	if events < 12 {
		t.Errorf("only %d of %d examples make an event", events, len(names))
	}
}

// exBuilderCases are realistic variants of every event Kudos reads.
func exBuilderCases() map[string]struct {
	event string
	body  []byte
} {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	type c = struct {
		event string
		body  []byte
	}
	ic := string(recognizer.IssueComment)
	rv := string(recognizer.Review)
	rc := string(recognizer.ReviewComment)
	pr := string(recognizer.PullRequest)
	cases := map[string]c{
		"comment on a PR":         {ic, payload.IssueComment(payload.CommentOpts{Body: "/thanks @carol for the review"})},
		"comment on an issue":     {ic, payload.IssueComment(payload.CommentOpts{OnIssue: true, Body: "/thanks @carol"})},
		"comment by a bot":        {ic, payload.IssueComment(payload.CommentOpts{Author: "dependabot[bot]", AuthorType: "Bot", Body: "Bumps x."})},
		"comment with bot sender": {ic, payload.IssueComment(payload.CommentOpts{Common: payload.Common{Sender: "kudos[bot]", SenderType: "Bot"}})},
		"comment edited":          {ic, payload.IssueComment(payload.CommentOpts{Action: "edited", Body: "/thanks @dave", PreviousBody: "thanks"})},
		"comment deleted":         {ic, payload.IssueComment(payload.CommentOpts{Action: "deleted", OnIssue: true})},
		"comment unicode":         {ic, payload.IssueComment(payload.CommentOpts{Body: "Merci café ✓ 🙏 \u2028 <b>&amp;</b>\n\ttab \"quoted\" back\\slash"})},
		"comment empty body":      {ic, payload.IssueComment(payload.CommentOpts{Body: ""})},
		"comment private repo": {ic, payload.IssueComment(payload.CommentOpts{
			Common: payload.Common{Owner: "Octo-Org", Repo: "secret.repo", Private: true, Number: 7, Installation: 99, RepoID: 5, TargetAuthor: "zed", Title: "Fix it"},
			At:     at, ID: 77, Body: "/kudos @alice",
		})},
		"review approved":           {rv, payload.Review(payload.ReviewOpts{Body: "LGTM /thanks @alice"})},
		"review changes requested":  {rv, payload.Review(payload.ReviewOpts{State: "changes_requested", Body: "Please fix"})},
		"review commented":          {rv, payload.Review(payload.ReviewOpts{State: "commented"})},
		"review dismissed":          {rv, payload.Review(payload.ReviewOpts{Action: "dismissed"})},
		"review edited":             {rv, payload.Review(payload.ReviewOpts{Action: "edited", Body: "edited"})},
		"review upper-case state":   {rv, payload.Review(payload.ReviewOpts{State: "APPROVED", At: at})},
		"review by a bot":           {rv, payload.Review(payload.ReviewOpts{Author: "copilot[bot]", AuthorType: "Bot", State: "commented", Body: "Looks fine"})},
		"review comment":            {rc, payload.ReviewComment(payload.CommentOpts{Body: "nit: `x := 1`"})},
		"review comment reply":      {rc, payload.ReviewComment(payload.CommentOpts{InReplyTo: 1000, ID: 1002, Body: "/thanks @bob"})},
		"review comment edited":     {rc, payload.ReviewComment(payload.CommentOpts{Action: "edited", PreviousBody: "a", Body: "b"})},
		"review comment deleted":    {rc, payload.ReviewComment(payload.CommentOpts{Action: "deleted"})},
		"review comment by a bot":   {rc, payload.ReviewComment(payload.CommentOpts{Author: "lint[bot]", AuthorType: "Bot", Body: "```suggestion\nx\n```"})},
		"PR opened":                 {pr, payload.PullRequest(payload.PROpts{At: at})},
		"PR opened as draft":        {pr, payload.PullRequest(payload.PROpts{Draft: true})},
		"PR closed merged":          {pr, payload.PullRequest(payload.PROpts{Action: "closed", Merged: true, At: at})},
		"PR closed merged by a bot": {pr, payload.PullRequest(payload.PROpts{Action: "closed", Merged: true, MergedBy: "mergify[bot]", Common: payload.Common{Sender: "mergify[bot]", SenderType: "Bot"}})},
		"PR closed unmerged":        {pr, payload.PullRequest(payload.PROpts{Action: "closed", At: at})},
		"PR review requested":       {pr, payload.PullRequest(payload.PROpts{Action: "review_requested", RequestedReviewer: "erin"})},
		"PR ready for review":       {pr, payload.PullRequest(payload.PROpts{Action: "ready_for_review"})},
		"PR reopened":               {pr, payload.PullRequest(payload.PROpts{Action: "reopened"})},
		"PR edited":                 {pr, payload.PullRequest(payload.PROpts{Action: "edited", Common: payload.Common{Title: "Renamed ✓"}})},
		"push touching files": {string(recognizer.Push), payload.Push(payload.PushOpts{
			Modified: []string{".github/kudos.yml", "README.md", "dir/ü.go"},
		})},
		"push to a branch":       {string(recognizer.Push), payload.Push(payload.PushOpts{Ref: "refs/heads/feature"})},
		"push without files":     {string(recognizer.Push), payload.Push(payload.PushOpts{})},
		"push private":           {string(recognizer.Push), payload.Push(payload.PushOpts{Common: payload.Common{Private: true, Owner: "o", Repo: "r"}, Modified: []string{"a"}})},
		"installation deleted":   {string(recognizer.Installation), exRawNoT("installation.deleted")},
		"installation created":   {string(recognizer.Installation), exRawNoT("installation.created")},
		"repositories removed":   {string(recognizer.InstallationRepositories), exRawNoT("installation_repositories.removed")},
		"ping is not handled":    {"ping", exRawNoT("ping")},
		"unknown event":          {"star", exRawNoT("ping")},
		"comment as wrong event": {"Issue_Comment", payload.IssueComment(payload.CommentOpts{})},
	}
	sync := payload.PullRequest(payload.PROpts{Action: "synchronize"})
	cases["PR synchronize"] = c{pr, exSetNoT(sync, "after", `"0123456789abcdef0123456789abcdef01234567"`)}
	cases["PR synchronize empty after"] = c{pr, exSetNoT(sync, "after", `""`)}
	push := payload.Push(payload.PushOpts{Modified: []string{"m1", "m2"}})
	push = exSetNoT(push, "commits.0.added", `["a1","a2"]`)
	push = exSetNoT(push, "commits.0.removed", `["r1"]`)
	cases["push with added, modified, removed"] = c{string(recognizer.Push), push}
	two := exSetNoT(push, "commits", `[{"added":["x"],"modified":["y"],"removed":["z"]},{"modified":["w"]},{}]`)
	cases["push with three commits"] = c{string(recognizer.Push), two}
	noLogin := exSetNoT(push, "repository.owner", `{"name":"Acme Corp","email":"a@example.com"}`)
	cases["push owner without login"] = c{string(recognizer.Push), noLogin}
	return cases
}

// exRawNoT and exSetNoT are exRaw and exSet for building tables.
func exRawNoT(name string) []byte {
	b, err := payload.Raw(name)
	if err != nil {
		panic(err)
	}
	return b
}

func exSetNoT(body []byte, path, val string) []byte {
	return exSet(panicTB{}, body, path, val)
}

type panicTB struct{ testing.TB }

func (panicTB) Helper()                      {}
func (panicTB) Fatal(args ...any)            { panic(fmt.Sprint(args...)) }
func (panicTB) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }

func TestExtractAgreesOnBuilders(t *testing.T) {
	t.Parallel()
	for name, tc := range exBuilderCases() {
		t.Run(name, func(t *testing.T) {
			exAgree(t, tc.event, tc.body)
		})
	}
}

// TestExtractReadsFields checks a few fields by hand, so that agreement
// is not agreement on nothing.
func TestExtractReadsFields(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := payload.IssueComment(payload.CommentOpts{
		Common: payload.Common{Owner: "acme", Repo: "widgets", Number: 42, Installation: 31337, TargetAuthor: "alice"},
		Author: "renovate[bot]", AuthorType: "Bot", ID: 1001, At: at, Body: "caf\u00e9 \U0001F64F /thanks @bob",
	})
	ev, err := Extract("issue_comment", "d-9", body)
	if err != nil {
		t.Fatal(err)
	}
	want := recognizer.Event{
		DeliveryID: "d-9", Kind: recognizer.IssueComment, Action: "created", InstallationID: 31337,
		Repo:   recognizer.Repo{ID: payload.DefaultRepoID, Owner: "acme", Name: "widgets", FullName: "acme/widgets", HTMLURL: "https://github.com/acme/widgets"},
		Number: 42, IsPR: true, TargetURL: "https://github.com/acme/widgets/pull/42",
		TargetAuthor: recognizer.Actor{Login: "alice"}, Sender: recognizer.Actor{Login: "renovate[bot]", Bot: true},
		Comment: &recognizer.Comment{ID: 1001, Author: recognizer.Actor{Login: "renovate[bot]", Bot: true},
			Body: "café 🙏 /thanks @bob", HTMLURL: "https://github.com/acme/widgets/pull/42#issuecomment-1001", At: at},
	}
	if !reflect.DeepEqual(ev, want) {
		t.Fatalf("Extract =\n%s\nwant\n%s", exDump(ev), exDump(want))
	}
	if _, err := Extract("ping", "d", body); !errors.Is(err, errUnhandled) {
		t.Errorf("ping: err = %v; want errUnhandled", err)
	}
}

// TestExtractAgreesOnMalformed covers payloads a sender gets wrong, and
// the corners of encoding/json that Extract mirrors.
func TestExtractAgreesOnMalformed(t *testing.T) {
	t.Parallel()
	comment := payload.IssueComment(payload.CommentOpts{Body: "/thanks @carol"})
	review := payload.Review(payload.ReviewOpts{Body: "ok"})
	reviewComment := payload.ReviewComment(payload.CommentOpts{InReplyTo: 5})
	pr := payload.PullRequest(payload.PROpts{Action: "closed", Merged: true})
	push := payload.Push(payload.PushOpts{Modified: []string{"a", "b"}})
	inst := exRaw(t, "installation_repositories.removed")
	ic, rv, rc, pe, pu, ir := "issue_comment", "pull_request_review", "pull_request_review_comment", "pull_request", "push", "installation_repositories"
	// appendKey adds a member at the end of the top-level object: a
	// duplicate key, which encoding/json lets win.
	appendKey := func(body []byte, member string) []byte {
		i := bytes.LastIndexByte(body, '}')
		return slices.Concat(body[:i], []byte(","+member), body[i:])
	}
	// prependKey adds a member at the start: the original key wins.
	prependKey := func(body []byte, member string) []byte {
		i := bytes.IndexByte(body, '{')
		return slices.Concat(body[:i+1], []byte(member+","), body[i+1:])
	}
	type tc struct {
		name, event string
		body        []byte
	}
	tests := []tc{
		{"empty body", ic, nil},
		{"spaces", ic, []byte("  \n\t ")},
		{"null", ic, []byte(`null`)},
		{"null with spaces", pe, []byte(" null\n")},
		{"null push", pu, []byte(`null`)},
		{"null installation", "installation", []byte(`null`)},
		{"empty object", ic, []byte(`{}`)},
		{"empty object review", rv, []byte(`{}`)},
		{"empty object push", pu, []byte(`{}`)},
		{"empty object installation", "installation", []byte(`{}`)},
		{"array", rv, []byte(`[]`)},
		{"string", ic, []byte(`"x"`)},
		{"number", ic, []byte(`1`)},
		{"true", ic, []byte(`true`)},
		{"two values", ic, []byte(`{} {}`)},
		{"trailing comma", ic, []byte(`{"action":"x",}`)},
		{"single quotes", ic, []byte(`{'action':'x'}`)},
		{"control character in string", ic, []byte("{\"action\":\"a\x01b\"}")},
		{"bad escape", ic, []byte(`{"action":"\x"}`)},
		{"short unicode escape", ic, []byte(`{"action":"\u12"}`)},
		{"leading zero", ic, []byte(`{"installation":{"id":01}}`)},
		{"installation id as string", ic, []byte(`{"installation":{"id":"forty-two"}}`)},
		{"installation id float", ic, exSet(t, comment, "installation.id", `31337.0`)},
		{"installation id exponent", ic, exSet(t, comment, "installation.id", `3e4`)},
		{"installation id overflow", ic, exSet(t, comment, "installation.id", `9223372036854775808`)},
		{"installation id max", ic, exSet(t, comment, "installation.id", `9223372036854775807`)},
		{"installation id min", ic, exSet(t, comment, "installation.id", `-9223372036854775808`)},
		{"installation id below min", ic, exSet(t, comment, "installation.id", `-9223372036854775809`)},
		{"installation id negative zero", ic, exSet(t, comment, "installation.id", `-0`)},
		{"installation id null", ic, exSet(t, comment, "installation.id", `null`)},
		{"installation null", ic, exSet(t, comment, "installation", `null`)},
		{"installation array", ic, exSet(t, comment, "installation", `[]`)},
		{"number as string", ic, exSet(t, comment, "issue.number", `"42"`)},
		{"number huge", ic, exSet(t, comment, "issue.number", `1e400`)},
		{"comment without installation", ic, exSet(t, comment, "installation", "")},
		{"comment without repository", ic, exSet(t, comment, "repository", "")},
		{"comment without issue", ic, exSet(t, comment, "issue", "")},
		{"comment with null issue", ic, exSet(t, comment, "issue", "null")},
		{"comment without comment", ic, exSet(t, comment, "comment", "")},
		{"issue without pull_request", ic, exSet(t, comment, "issue.pull_request", "")},
		{"issue with null pull_request", ic, exSet(t, comment, "issue.pull_request", "null")},
		{"issue with empty pull_request", ic, exSet(t, comment, "issue.pull_request", "{}")},
		{"issue with array pull_request", ic, exSet(t, comment, "issue.pull_request", "[]")},
		{"repository without owner", ic, exSet(t, comment, "repository.owner", "")},
		{"repository without owner or name", ic, exSet(t, exSet(t, comment, "repository.owner", ""), "repository.name", "")},
		{"repository without name", ic, exSet(t, comment, "repository.name", "")},
		{"repository full_name without slash", ic, exSet(t, exSet(t, comment, "repository.owner", ""), "repository.full_name", `"noslash"`)},
		{"repository full_name with two slashes", ic, exSet(t, exSet(t, comment, "repository.name", "null"), "repository.full_name", `"a/b/c"`)},
		{"private as string", ic, exSet(t, comment, "repository.private", `"true"`)},
		{"private as number", ic, exSet(t, comment, "repository.private", `1`)},
		{"user type Bot escaped", ic, exSet(t, comment, "comment.user.type", `"B\u006ft"`)},
		{"user type bot lower-case", ic, exSet(t, comment, "comment.user.type", `"bot"`)},
		{"user type number", ic, exSet(t, comment, "comment.user.type", `1`)},
		{"body with escapes", ic, exSet(t, comment, "comment.body", `"caf\u00e9 \ud83d\ude4f \n\t\"\\\/ \u0000"`)},
		{"body with lone high surrogate", ic, exSet(t, comment, "comment.body", `"a\ud83db"`)},
		{"body with lone low surrogate", ic, exSet(t, comment, "comment.body", `"a\ude4fb"`)},
		{"body with two high surrogates", ic, exSet(t, comment, "comment.body", `"\ud83d\ud83d\ude4f"`)},
		{"body with surrogate then escape", ic, exSet(t, comment, "comment.body", `"\ud83d\u0041"`)},
		{"body with surrogate at end", ic, exSet(t, comment, "comment.body", `"x\ud800"`)},
		{"body with invalid UTF-8", ic, bytes.Replace(comment, []byte(`/thanks @carol`), []byte("bad \xff\xfe \xc3( \xed\xa0\x80 ok"), 1)},
		{"body with invalid UTF-8 and escape", ic, bytes.Replace(comment, []byte(`/thanks @carol`), []byte("\\n\xff\\u00e9\xe2\x82"), 1)},
		{"body null", ic, exSet(t, comment, "comment.body", `null`)},
		{"body number", ic, exSet(t, comment, "comment.body", `5`)},
		{"body object", ic, exSet(t, comment, "comment.body", `{}`)},
		{"created_at unix", ic, exSet(t, comment, "comment.created_at", `1700000000`)},
		{"created_at unix millis", ic, exSet(t, comment, "comment.created_at", `1700000000000`)},
		{"created_at negative", ic, exSet(t, comment, "comment.created_at", `-5`)},
		{"created_at float", ic, exSet(t, comment, "comment.created_at", `1700000000.5`)},
		{"created_at fraction", ic, exSet(t, comment, "comment.created_at", `"2026-11-20T14:03:11.123456Z"`)},
		{"created_at offset", ic, exSet(t, comment, "comment.created_at", `"2026-11-20T14:03:11+02:00"`)},
		{"created_at lower-case z", ic, exSet(t, comment, "comment.created_at", `"2026-11-20T14:03:11z"`)},
		{"created_at bad day", ic, exSet(t, comment, "comment.created_at", `"2026-02-30T14:03:11Z"`)},
		{"created_at leap day", ic, exSet(t, comment, "comment.created_at", `"2028-02-29T14:03:11Z"`)},
		{"created_at hour 24", ic, exSet(t, comment, "comment.created_at", `"2026-11-20T24:03:11Z"`)},
		{"created_at second 60", ic, exSet(t, comment, "comment.created_at", `"2026-11-20T14:03:60Z"`)},
		{"created_at date only", ic, exSet(t, comment, "comment.created_at", `"2026-11-20"`)},
		{"created_at escaped", ic, exSet(t, comment, "comment.created_at", `"\u0032026-11-20T14:03:11Z"`)},
		{"created_at empty", ic, exSet(t, comment, "comment.created_at", `""`)},
		{"created_at null", ic, exSet(t, comment, "comment.created_at", `null`)},
		{"created_at bool", ic, exSet(t, comment, "comment.created_at", `true`)},
		{"created_at object", ic, exSet(t, comment, "comment.created_at", `{}`)},
		{"unread timestamp garbage", ic, exSet(t, comment, "issue.updated_at", `"yesterday"`)},
		{"unread int as string", ic, exSet(t, comment, "repository.forks_count", `"3"`)},
		{"unread bool as string", ic, exSet(t, comment, "repository.fork", `"no"`)},
		{"unread string as number", ic, exSet(t, comment, "repository.description", `3`)},
		{"unread object as string", ic, exSet(t, comment, "repository.license", `"MIT"`)},
		{"unread slice as object", ic, exSet(t, comment, "issue.labels", `{}`)},
		{"unread slice of strings with number", ic, exSet(t, comment, "repository.topics", `["a",1]`)},
		{"unread slice of strings with null", ic, exSet(t, comment, "repository.topics", `["a",null]`)},
		{"unread map of bools", ic, exSet(t, comment, "repository.permissions", `{"admin":true,"pull":null}`)},
		{"unread map of bools with string", ic, exSet(t, comment, "repository.permissions", `{"admin":"yes"}`)},
		{"unread map as array", ic, exSet(t, comment, "repository.permissions", `[]`)},
		{"unread interface map", ic, exSet(t, comment, "repository.custom_properties", `{"a":[1,{"b":null}],"c":1.5e300}`)},
		{"unread interface overflow", ic, exSet(t, comment, "repository.custom_properties", `{"a":1e400}`)},
		{"unread interface negative overflow", ic, exSet(t, comment, "repository.custom_properties", `{"a":[-2e308]}`)},
		{"unread interface underflow", ic, exSet(t, comment, "repository.custom_properties", `{"a":1e-400}`)},
		{"unread interface long integer", ic, exSet(t, comment, "repository.custom_properties", `{"a":`+strings.Repeat("9", 400)+`}`)},
		{"unread interface long fraction", ic, exSet(t, comment, "repository.custom_properties", `{"a":0.`+strings.Repeat("9", 400)+`}`)},
		{"unread interface as string", ic, exSet(t, comment, "repository.custom_properties", `"x"`)},
		{"unknown field anything", ic, exSet(t, comment, "zzz", `{"a":[1e400,"x",{"b":null}]}`)},
		{"upper-case keys", ic, bytes.ReplaceAll(bytes.ReplaceAll(comment, []byte(`"number"`), []byte(`"NUMBER"`)), []byte(`"installation"`), []byte(`"Installation"`))},
		{"kelvin sign key", ic, bytes.ReplaceAll(comment, []byte(`"sender"`), []byte(`"\u017Fender"`))},
		{"kelvin sign key raw", ic, bytes.ReplaceAll(comment, []byte(`"sender"`), []byte("\"\u017Fender\""))},
		{"escaped key", ic, bytes.ReplaceAll(comment, []byte(`"action"`), []byte(`"\u0061ction"`))},
		{"key with invalid UTF-8", ic, bytes.ReplaceAll(comment, []byte(`"action"`), []byte("\"action\xff\""))},
		{"long escaped key", ic, appendKey(comment, `"`+strings.Repeat(`\u0041`, 100)+`":1`)},
		{"long kelvin key", ic, appendKey(comment, `"`+strings.Repeat("\u212a", 30)+`":1`)},
		{"duplicate action last wins", ic, appendKey(comment, `"action":"edited"`)},
		{"duplicate action first loses", ic, prependKey(comment, `"action":"edited"`)},
		{"duplicate action null", ic, appendKey(comment, `"action":null`)},
		{"duplicate issue merges", ic, appendKey(comment, `"issue":{"html_url":"https://x"}`)},
		{"duplicate issue after null", ic, appendKey(comment, `"issue":null,"issue":{"number":3}`)},
		{"duplicate repository null", ic, appendKey(comment, `"repository":null`)},
		{"duplicate comment type error", ic, appendKey(comment, `"comment":{"id":"x"}`)},
		{"duplicate upper-case key", ic, appendKey(comment, `"ACTION":"deleted"`)},
		{"review without installation", rv, exSet(t, review, "installation", "")},
		{"review without pull_request", rv, exSet(t, review, "pull_request", "")},
		{"review body null", rv, exSet(t, review, "review.body", "null")},
		{"review state mixed case", rv, exSet(t, review, "review.state", `"Changes_REQUESTED"`)},
		{"review state unicode", rv, exSet(t, review, "review.state", `"ÀPPROVED \u0130"`)},
		{"review submitted_at null", rv, exSet(t, review, "review.submitted_at", "null")},
		{"review comment without pull_request", rc, exSet(t, reviewComment, "pull_request", "")},
		{"review comment in_reply_to string", rc, exSet(t, reviewComment, "comment.in_reply_to_id", `"5"`)},
		{"review comment in_reply_to null", rc, exSet(t, reviewComment, "comment.in_reply_to_id", `null`)},
		{"pull_request without repository", pe, exSet(t, pr, "repository", "")},
		{"pull_request merged null", pe, exSet(t, pr, "pull_request.merged", "null")},
		{"pull_request merged string", pe, exSet(t, pr, "pull_request.merged", `"true"`)},
		{"pull_request merged_at null", pe, exSet(t, pr, "pull_request.merged_at", "null")},
		{"pull_request merged_by null", pe, exSet(t, pr, "pull_request.merged_by", "null")},
		{"pull_request head null", pe, exSet(t, pr, "pull_request.head", "null")},
		{"pull_request after", pe, exSet(t, pr, "after", `"abc"`)},
		{"pull_request after number", pe, exSet(t, pr, "after", `1`)},
		{"pull_request requested_reviewer", pe, exSet(t, pr, "requested_reviewer", `{"login":"q","type":"Bot"}`)},
		{"pull_request action closed unmerged", pe, exSet(t, exSet(t, pr, "pull_request.merged", "false"), "action", `"closed"`)},
		{"pull_request action opened", pe, exSet(t, pr, "action", `"opened"`)},
		{"pull_request action escaped closed", pe, exSet(t, pr, "action", `"clo\u0073ed"`)},
		{"pull_request number zero", pe, exSet(t, pr, "pull_request.number", "0")},
		{"push without installation", pu, exSet(t, push, "installation", "")},
		{"push without repository", pu, exSet(t, push, "repository", "")},
		{"push repository id zero", pu, exSet(t, push, "repository.id", "0")},
		{"push owner name only", pu, exSet(t, push, "repository.owner", `{"name":"Acme"}`)},
		{"push owner login null", pu, exSet(t, push, "repository.owner.login", `null`)},
		{"push pushed_at unix", pu, exSet(t, push, "repository.pushed_at", `1700000000`)},
		{"push pushed_at garbage", pu, exSet(t, push, "repository.pushed_at", `"soon"`)},
		{"push commits null", pu, exSet(t, push, "commits", `null`)},
		{"push commits empty", pu, exSet(t, push, "commits", `[]`)},
		{"push commits object", pu, exSet(t, push, "commits", `{}`)},
		{"push commit string", pu, exSet(t, push, "commits", `["x"]`)},
		{"push commit paths with null", pu, exSet(t, push, "commits", `[{"added":["a",null,"b"],"modified":null,"removed":[]}]`)},
		{"push commit paths number", pu, exSet(t, push, "commits", `[{"added":[1]}]`)},
		{"push commit paths escaped", pu, exSet(t, push, "commits", `[{"added":["d\u00efr/\ud83d\ude4f.go"]}]`)},
		{"push commit added null then array", pu, exSet(t, push, "commits", `[{"added":null,"added":["z"]}]`)},
		{"push duplicate commits merge", pu, appendKey(push, `"commits":[{"removed":["gone"]}]`)},
		{"push duplicate commits shorter", pu, appendKey(exSet(t, push, "commits", `[{"added":["1"]},{"added":["2"]},{"added":["3"]}]`), `"commits":[{"removed":["r"]}]`)},
		{"push duplicate commits regrow", pu, appendKey(exSet(t, push, "commits", `[{"added":["1"]},{"added":["2"]},{"added":["3"]}]`), `"commits":[{"removed":["r"]}],"commits":[{},{},{},{},{}]`)},
		{"push duplicate commits empty", pu, appendKey(exSet(t, push, "commits", `[{"added":["1"]},{"added":["2"]}]`), `"commits":[],"commits":[{},{}]`)},
		{"push duplicate commits with nulls", pu, appendKey(exSet(t, push, "commits", `[{"added":["1"]},{"added":["2"]}]`), `"commits":[{},null],"commits":[{},{}]`)},
		{"push duplicate paths with null", pu, exSet(t, push, "commits", `[{"added":["a","b","c"],"added":["x",null],"added":[null,null,null,null]}]`)},
		{"push commit timestamp bad", pu, exSet(t, push, "commits.0.timestamp", `"x"`)},
		{"installation_repositories removed null", ir, exSet(t, inst, "repositories_removed", `null`)},
		{"installation_repositories removed empty", ir, exSet(t, inst, "repositories_removed", `[]`)},
		{"installation_repositories removed with null", ir, exSet(t, inst, "repositories_removed", `[null,{"id":3},{"id":null},{}]`)},
		{"installation_repositories removed id string", ir, exSet(t, inst, "repositories_removed", `[{"id":"3"}]`)},
		{"installation_repositories duplicate removed", ir, appendKey(exSet(t, inst, "repositories_removed", `[{"id":1},{"id":2}]`), `"repositories_removed":[{"name":"x"}],"repositories_removed":[{},{},{}]`)},
		{"installation_repositories without installation", ir, exSet(t, inst, "installation", "")},
		{"installation with id zero", "installation", exSet(t, exRaw(t, "installation.deleted"), "installation.id", "0")},
		{"installation account garbage", "installation", exSet(t, exRaw(t, "installation.deleted"), "installation.account", `"x"`)},
		{"deep nesting ok", ic, appendKey(comment, `"zz":`+strings.Repeat("[", 9990)+strings.Repeat("]", 9990))},
		{"deep nesting too deep", ic, appendKey(comment, `"zz":`+strings.Repeat("[", 10001)+strings.Repeat("]", 10001))},
		{"deep nesting in interface", ic, exSet(t, comment, "repository.custom_properties", `{"a":`+strings.Repeat("[", 5000)+"1e999"+strings.Repeat("]", 5000)+"}")},
	}
	// A repository's parent's parent's ...: deep, but not past fastjson's
	// limit of 300 levels.
	deep := func(depth int, bottom string) string {
		return strings.Repeat(`{"id":1,"parent":`, depth) + bottom + strings.Repeat(`}`, depth)
	}
	for _, d := range []int{10, 100, 290} {
		for _, bottom := range []string{`{"id":2}`, `{"id":"x"}`, `null`, `{"created_at":"later"}`, `[]`} {
			tests = append(tests, tc{fmt.Sprintf("repository parents %d deep, then %s", d, bottom), ic, exSet(t, comment, "repository.parent", deep(d, bottom))})
		}
	}
	// Every prefix of a small payload is malformed.
	small := []byte(`{"action":"created","installation":{"id":1},"repository":{"id":2,"full_name":"a/b"},"issue":{"number":3,"pull_request":{}},"comment":{"id":4,"body":"caf\u00e9","created_at":"2026-11-20T14:03:11Z"}}`)
	tests = append(tests, tc{"small", ic, small})
	for i := range len(small) {
		if _, err := Extract(ic, "d", small[:i]); err == nil {
			t.Errorf("small[:%d]: Extract reads it", i)
		}
	}
	for _, tt := range tests {
		if d := exCompare(tt.event, tt.body); d != "" {
			t.Errorf("%s: %s", tt.name, d)
		}
	}
	// Every way to truncate the real payloads.
	step := 7
	if raceEnabled {
		step = 37
	}
	for _, body := range [][]byte{comment, review, pr, push, inst} {
		for i := 0; i < len(body); i += step {
			for _, et := range []string{ic, rv, pe, pu, ir} {
				if _, err := Extract(et, "d", body[:i]); err == nil {
					t.Fatalf("%s truncated at %d: Extract reads it", et, i)
				}
			}
		}
	}
}

// exPaths lists the dotted paths of every value in v (arrays: first two
// elements).
func exPaths(v any, prefix string, out *[]string) {
	switch c := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := prefix + k
			*out = append(*out, p)
			exPaths(c[k], p+".", out)
		}
	case []any:
		for i := range min(len(c), 2) {
			p := fmt.Sprintf("%s%d", prefix, i)
			*out = append(*out, p)
			exPaths(c[i], p+".", out)
		}
	}
}

// TestExtractAgreesOnRetypedFields replaces every value of a payload of
// each event, in turn, with values of every JSON type, and deletes it.
func TestExtractAgreesOnRetypedFields(t *testing.T) {
	t.Parallel()
	alternatives := []string{
		``, `null`, `"x"`, `"Bot"`, `""`, `0`, `7`, `-1`, `1.5`, `1e3`, `1e400`, `true`, `false`, `{}`, `[]`,
		`[null]`, `{"id":5,"login":"L"}`, `"2026-11-20T14:03:11Z"`, `1700000000`, `9223372036854775808`,
	}
	if testing.Short() || raceEnabled {
		// The race detector slows Normalize's reflection tenfold.
		alternatives = []string{``, `null`, `"x"`, `1.5`, `{}`, `[]`}
	}
	bases := map[string][]byte{
		"issue_comment":               payload.IssueComment(payload.CommentOpts{Body: "/thanks @carol"}),
		"pull_request_review":         payload.Review(payload.ReviewOpts{Body: "ok"}),
		"pull_request_review_comment": payload.ReviewComment(payload.CommentOpts{InReplyTo: 9}),
		"pull_request":                payload.PullRequest(payload.PROpts{Action: "closed", Merged: true}),
		"push":                        payload.Push(payload.PushOpts{Modified: []string{"a"}}),
		"installation":                exRaw(t, "installation.deleted"),
		"installation_repositories":   exRaw(t, "installation_repositories.removed"),
	}
	for event, base := range bases {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			var paths []string
			exPaths(exRead(t, base), "", &paths)
			n := 0
			for _, p := range paths {
				for _, alt := range alternatives {
					body := exSetArrayOK(t, base, p, alt)
					d := exCompare(event, body)
					// A wrong type where Extract reads, or on its way (an
					// object there may hold a wrong type Extract skips).
					leaf := exReads(event, p, true)
					if _, werr, _ := exNormalize(event, body); d == "" && werr != nil &&
						(leaf || exReads(event, p, false) && !strings.HasPrefix(alt, "{")) {
						if _, gerr := Extract(event, "d", body); gerr == nil {
							d = fmt.Sprintf("Normalize fails (%v), Extract reads it", werr)
						}
					}
					if d != "" {
						t.Errorf("%s = %s: %s", p, alt, d)
						if n++; n > 10 {
							t.FailNow()
						}
					}
				}
				// The same key, upper-cased, added after the original.
				if i := strings.LastIndexByte(p, '.'); !strings.ContainsAny(p[i+1:], "0123456789") {
					up := exSetArrayOK(t, base, p[:i+1]+strings.ToUpper(p[i+1:]), `null`)
					if d := exCompare(event, up); d != "" {
						t.Errorf("upper-case %s: %s", p, d)
					}
				}
			}
		})
	}
}

// exReadPaths are the fields Extract reads, by event ("*": any element).
var exReadPaths = func() map[string][]string {
	common := []string{"action", "installation.id", "sender.login", "sender.type", "repository.id",
		"repository.owner.login", "repository.name", "repository.full_name", "repository.private", "repository.html_url"}
	pr := append(slices.Clone(common), "pull_request.number", "pull_request.html_url",
		"pull_request.user.login", "pull_request.user.type")
	comment := []string{"comment.id", "comment.user.login", "comment.user.type", "comment.body", "comment.html_url", "comment.created_at"}
	installation := []string{"action", "installation.id", "sender.login", "sender.type"}
	return map[string][]string{
		"issue_comment": slices.Concat(common, comment, []string{"issue.number", "issue.pull_request",
			"issue.html_url", "issue.user.login", "issue.user.type"}),
		"pull_request_review": slices.Concat(pr, []string{"review.id", "review.user.login", "review.user.type",
			"review.body", "review.html_url", "review.submitted_at", "review.state"}),
		"pull_request_review_comment": slices.Concat(pr, comment, []string{"comment.in_reply_to_id"}),
		"pull_request": slices.Concat(pr, []string{"pull_request.merged", "pull_request.merged_by.login",
			"pull_request.merged_by.type", "pull_request.head.sha", "pull_request.title", "pull_request.merged_at",
			"pull_request.closed_at", "pull_request.created_at", "pull_request.updated_at",
			"requested_reviewer.login", "after"}),
		"push": {"installation.id", "sender.login", "sender.type", "repository.id", "repository.owner.login",
			"repository.owner.name", "repository.name", "repository.full_name", "repository.private",
			"repository.html_url", "repository.default_branch", "ref",
			"commits.*.added.*", "commits.*.modified.*", "commits.*.removed.*"},
		"installation":              installation,
		"installation_repositories": append(slices.Clone(installation), "repositories_removed.*.id"),
	}
}()

// exReads reports whether Extract reads the field at path or, unless
// exact, a field under it.
func exReads(event, path string, exact bool) bool {
	got := strings.Split(path, ".")
	for _, rp := range exReadPaths[event] {
		want := strings.Split(rp, ".")
		if len(got) > len(want) || exact && len(got) != len(want) {
			continue
		}
		match := true
		for i, g := range got {
			if w := want[i]; w != g && !(w == "*" && g != "" && strings.Trim(g, "0123456789") == "") {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// exSetArrayOK is exSet, deleting an array element by setting it null.
func exSetArrayOK(t testing.TB, body []byte, path, val string) []byte {
	last := path[strings.LastIndexByte(path, '.')+1:]
	if val == "" && last != "" && last[0] >= '0' && last[0] <= '9' {
		val = "null"
	}
	return exSet(t, body, path, val)
}

// TestExtractRandomMutations flips, deletes and inserts bytes of real
// payloads: mostly malformed JSON, sometimes valid JSON of a new shape.
func TestExtractRandomMutations(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() || raceEnabled {
		n = 300
	}
	var bodies [][]byte
	var events []string
	cases := exBuilderCases()
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		bodies = append(bodies, cases[name].body)
		events = append(events, cases[name].event)
	}
	interesting := []string{`"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, `null`, `0`, `-`, `e`, `\u00`, `\ud83d`, "\xff", `"a":`, `1`, `t`}
	for i := range n {
		k := rng.IntN(len(bodies))
		b := slices.Clone(bodies[k])
		for range 1 + rng.IntN(3) {
			if len(b) == 0 {
				break
			}
			at := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[at] = byte(rng.IntN(256))
			case 1:
				end := min(len(b), at+1+rng.IntN(8))
				b = slices.Delete(b, at, end)
			default:
				b = slices.Insert(b, at, []byte(interesting[rng.IntN(len(interesting))])...)
			}
		}
		if d := exCompare(events[k], b); d != "" {
			t.Fatalf("mutation %d: %s\nbody %q", i, d, b)
		}
	}
}

// TestExtractTimestampUnquoted checks that parsing a timestamp without
// its quotes (the layout that takes time.Parse's RFC 3339 fast path)
// reads what go-github's quoted layout reads, on dates around every
// month end and field limit.
func TestExtractTimestampUnquoted(t *testing.T) {
	t.Parallel()
	layout := `"` + time.RFC3339 + `"`
	for _, y := range []string{"0000", "0001", "1900", "1970", "2000", "2024", "2026", "2100", "9999"} {
		for _, m := range []string{"00", "01", "02", "04", "06", "09", "11", "12", "13"} {
			for _, d := range []string{"00", "01", "28", "29", "30", "31", "32"} {
				for _, hms := range []string{"00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "1a:00:00"} {
					s := y + "-" + m + "-" + d + "T" + hms + "Z"
					want, werr := time.Parse(layout, `"`+s+`"`)
					got, ok := parseTimestamp([]byte(s), true)
					if ok != (werr == nil) || !got.Equal(want) || got.Location() != want.Location() {
						t.Errorf("%s: parseTimestamp = %v, %v; time.Parse = %v, %v", s, got, ok, want, werr)
					}
				}
			}
		}
	}
}

// raceEnabled reports a -race build, where allocation counts differ.
var raceEnabled = func() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}()

func TestExtractAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts need a normal build")
	}
	for _, tc := range []struct {
		name, event string
		body        []byte
		max         float64
	}{
		// One buffer holding every returned string, and the Comment or PR.
		{"pull_request", "pull_request", payload.PullRequest(payload.PROpts{Action: "closed", Merged: true}), 2},
		{"16 KB issue_comment", "issue_comment", exFullThanks(t), 2},
	} {
		allocs := testing.AllocsPerRun(50, func() {
			if _, err := Extract(tc.event, "d", tc.body); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > tc.max {
			t.Errorf("%s: Extract allocates %.0f times; want at most %.0f", tc.name, allocs, tc.max)
		}
	}
}

// FuzzExtractAgrees checks that wherever Normalize reads a payload as
// GitHub writes it Extract returns the identical Event, that its errors
// name the event, and that it never panics.
func FuzzExtractAgrees(f *testing.F) {
	for _, name := range payload.Names() {
		body, err := payload.Raw(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(slices.Index(exEvents, payload.EventType(name))), body)
	}
	for _, tc := range exBuilderCases() {
		if i := slices.Index(exEvents, tc.event); i >= 0 {
			f.Add(uint8(i), tc.body)
		}
	}
	f.Fuzz(func(t *testing.T, event uint8, body []byte) {
		et := exEvents[int(event)%len(exEvents)]
		if d := exCompare(et, body); d != "" {
			t.Fatal(d)
		}
	})
}

// TestExtractChecksTheFieldsItReads: fastjson leaves string escapes,
// control characters and number syntax unchecked, so Extract checks them
// in every field it reads and fails the payload as encoding/json does;
// in a field it never reads they pass, as the doc says.
func TestExtractChecksTheFieldsItReads(t *testing.T) {
	t.Parallel()
	comment := payload.IssueComment(payload.CommentOpts{Body: "/thanks @carol"})
	for _, tc := range []struct {
		name, path, value string
		read              bool
	}{
		{"unknown escape", "comment.body", `"a\qb"`, true},
		{"escaped apostrophe", "comment.body", `"it\'s"`, true},
		{"short unicode escape", "comment.body", `"\u12"`, true},
		{"control character", "comment.body", "\"a\x01b\"", true},
		{"control character in a non-ASCII string", "comment.body", "\"caf\u00e9\x1f\"", true},
		{"leading zero", "installation.id", `01`, true},
		{"negative leading zero", "installation.id", `-01`, true},
		{"bare minus", "installation.id", `-`, true},
		{"unknown escape, unread", "comment.author_association", `"a\qb"`, false},
		{"leading zero, unread", "comment.node_id", `01`, false},
	} {
		// encoding/json writes only valid JSON: set a marker, then put the
		// raw text in its place.
		body := bytes.Replace(exSet(t, comment, tc.path, `"kudos-marker"`), []byte(`"kudos-marker"`), []byte(tc.value), 1)
		if json.Valid(body) {
			t.Fatalf("%s: encoding/json takes the payload; the case tests nothing", tc.name)
		}
		_, err := Extract("issue_comment", "d", body)
		if tc.read && err == nil {
			t.Errorf("%s in %s: Extract = %v; want an error", tc.name, tc.path, err)
		}
		if errors.Is(err, errWrongType) {
			t.Errorf("%s in %s: Extract = %v; want it called invalid (or malformed), not a wrong type", tc.name, tc.path, err)
		}
		if !tc.read && err != nil {
			t.Errorf("%s in %s, which Kudos never reads: Extract = %v; want it read", tc.name, tc.path, err)
		}
	}
}
