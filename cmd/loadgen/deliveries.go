package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/webhook"
)

// A payload is encoded once, as a template holding placeholders; each
// delivery's body is the template with the placeholders replaced by its
// own values, so N distinct bodies cost one JSON encode and N copies.
// The placeholders are chosen not to occur in the examples; the numeric
// ones stay valid JSON numbers wherever they land.
const (
	slotCommentID = iota
	slotNumber
	slotGiver
	slotRecipient
	numSlots
)

var placeholders = [numSlots]string{
	slotCommentID: "9191919191",
	slotNumber:    "8282828",
	slotGiver:     "lgplaceholdergiver",
	slotRecipient: "lgplaceholderrecipient",
}

// thanksPerGiver keeps every giver well under the default limit of 20
// thanks an hour, so the worker posts every reply rather than going quiet.
const thanksPerGiver = 10

// template is a payload split at its placeholders:
// parts[0] slot[0] parts[1] slot[1] ... parts[len(parts)-1].
type template struct {
	parts [][]byte
	slots []int
	fixed int // total length of parts
}

func compile(b []byte) (*template, error) {
	t := &template{}
	for {
		at, which := -1, 0
		for s, ph := range placeholders {
			if i := bytes.Index(b, []byte(ph)); i >= 0 && (at < 0 || i < at) {
				at, which = i, s
			}
		}
		if at < 0 {
			t.parts = append(t.parts, b)
			break
		}
		t.parts = append(t.parts, b[:at])
		t.slots = append(t.slots, which)
		b = b[at+len(placeholders[which]):]
	}
	for _, p := range t.parts {
		t.fixed += len(p)
	}
	seen := map[int]bool{}
	for _, s := range t.slots {
		seen[s] = true
	}
	if !seen[slotCommentID] || !seen[slotNumber] {
		return nil, fmt.Errorf("payload template lacks the comment id or the PR number")
	}
	return t, nil
}

func (t *template) render(dst []byte, vals *[numSlots]string) []byte {
	for i, s := range t.slots {
		dst = append(dst, t.parts[i]...)
		dst = append(dst, vals[s]...)
	}
	return append(dst, t.parts[len(t.parts)-1]...)
}

// deliveries are the run's signed deliveries, built before any is sent.
// Delivery i has the id "loadgen-<run>-<i>", the comment id commentBase+i
// and the PR number (commentBase+i)/perPR: perPR comments land on each PR,
// so a PR's ledger stays the size of a busy review instead of growing with
// the run. A later run gets a new token and a later commentBase (they are
// based on the clock), so it reuses no delivery id, comment, PR or giver.
type deliveries struct {
	event       string
	run         string
	commentBase int64
	perPR       int64
	tmpl        *template
	ids         []string
	sigs        []string
}

// maxDeliveries bounds warmup+n: commentBase leaves room for 10^6 ids.
const maxDeliveries = 1_000_000

func buildDeliveries(event, kind string, thanks bool, n, perPR int, secret []byte) (*deliveries, error) {
	if n > maxDeliveries {
		return nil, fmt.Errorf("at most %d deliveries (warmup + n) a run", maxDeliveries)
	}
	raw, err := templatePayload(event, kind, thanks)
	if err != nil {
		return nil, err
	}
	t, err := compile(raw)
	if err != nil {
		return nil, err
	}
	var tok [3]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return nil, err
	}
	d := &deliveries{
		event: event, run: hex.EncodeToString(tok[:]), tmpl: t, perPR: int64(perPR),
		commentBase: time.Now().UnixMilli() % 1e9 * maxDeliveries,
		ids:         make([]string, n), sigs: make([]string, n),
	}
	buf := make([]byte, 0, d.size())
	for i := range n {
		d.ids[i] = "loadgen-" + d.run + "-" + strconv.Itoa(i)
		buf = d.body(i, buf[:0])
		d.sigs[i] = webhook.Sign(secret, buf)
	}
	if n > 0 {
		if err := d.verify(n - 1); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// idPrefix is what every delivery id of the run starts with.
func (d *deliveries) idPrefix() string { return "loadgen-" + d.run + "-" }

func (d *deliveries) values(i int) [numSlots]string {
	id := d.commentBase + int64(i)
	return [numSlots]string{
		slotCommentID: strconv.FormatInt(id, 10),
		slotNumber:    strconv.FormatInt(id/d.perPR, 10),
		slotGiver:     "lg" + d.run + "-dev" + strconv.Itoa(i/thanksPerGiver),
		slotRecipient: "lg" + d.run + "-rev" + strconv.FormatInt(id%d.perPR, 10),
	}
}

// body appends delivery i's payload to dst.
func (d *deliveries) body(i int, dst []byte) []byte {
	v := d.values(i)
	return d.tmpl.render(dst, &v)
}

// size is an upper bound of a body's length.
func (d *deliveries) size() int { return d.tmpl.fixed + len(d.tmpl.slots)*32 }

// verify decodes delivery i and checks it carries its own comment id and
// PR number: a placeholder that also occurred elsewhere in the example
// would show up here.
func (d *deliveries) verify(i int) error {
	var m struct {
		Comment struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
		} `json:"comment"`
		Issue       struct{ Number int64 } `json:"issue"`
		PullRequest struct{ Number int64 } `json:"pull_request"`
	}
	if err := json.Unmarshal(d.body(i, nil), &m); err != nil {
		return fmt.Errorf("rendered payload is not JSON: %w", err)
	}
	num := max(m.Issue.Number, m.PullRequest.Number)
	v := d.values(i)
	if strconv.FormatInt(m.Comment.ID, 10) != v[slotCommentID] || strconv.FormatInt(num, 10) != v[slotNumber] {
		return fmt.Errorf("rendered payload has comment %d on #%d, want %s on #%s", m.Comment.ID, num, v[slotCommentID], v[slotNumber])
	}
	return nil
}

// commentBody is the text of every comment: a /thanks command, or (with
// -thanks=false) a plain comment that Kudos only records.
func commentBody(thanks bool) string {
	if thanks {
		return "/thanks @" + placeholders[slotRecipient] + " for catching the race in the retry loop (load test comment " + placeholders[slotCommentID] + ")"
	}
	return "Pushed a fix for the race in the retry loop (load test comment " + placeholders[slotCommentID] + ")."
}

// templatePayload renders the payload with placeholders: "full" is the
// real 16 KB issue_comment example, re-encoded the way it is stored (two
// spaces of indent); "small" is the package's trimmed builder output.
func templatePayload(event, kind string, thanks bool) ([]byte, error) {
	body := commentBody(thanks)
	id, _ := strconv.ParseInt(placeholders[slotCommentID], 10, 64)
	num, _ := strconv.Atoi(placeholders[slotNumber])
	opts := payload.CommentOpts{Common: payload.Common{Number: num}, ID: id, Author: placeholders[slotGiver], Body: body}
	switch {
	case kind == "small" && event == "issue_comment":
		return payload.IssueComment(opts), nil
	case kind == "small" && event == "pull_request_review_comment":
		return payload.ReviewComment(opts), nil
	case kind == "full" && event == "issue_comment":
		return fullIssueComment(body)
	case kind != "small" && kind != "full":
		return nil, fmt.Errorf("-payload %q: want full or small", kind)
	}
	return nil, fmt.Errorf("-event %q with -payload %s: want issue_comment (full or small) or pull_request_review_comment (small)", event, kind)
}

func fullIssueComment(body string) ([]byte, error) {
	raw, err := payload.Raw("full/issue_comment.created")
	if err != nil {
		return nil, err
	}
	for _, ph := range placeholders {
		if bytes.Contains(raw, []byte(ph)) {
			return nil, fmt.Errorf("the example already contains the placeholder %q", ph)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	issue, _ := m["issue"].(map[string]any)
	comment, _ := m["comment"].(map[string]any)
	repo, _ := m["repository"].(map[string]any)
	sender, _ := m["sender"].(map[string]any)
	if issue == nil || comment == nil || repo == nil || sender == nil {
		return nil, fmt.Errorf("the full issue_comment example lacks issue, comment, repository or sender")
	}
	user, _ := comment["user"].(map[string]any)
	full, _ := repo["full_name"].(string)
	if user == nil || full == "" {
		return nil, fmt.Errorf("the full issue_comment example lacks comment.user or repository.full_name")
	}
	id, num := placeholders[slotCommentID], placeholders[slotNumber]
	api, web := "https://api.github.com/repos/"+full, "https://github.com/"+full
	issue["number"] = json.Number(num)
	issue["url"] = api + "/issues/" + num
	issue["html_url"] = web + "/pull/" + num
	comment["id"] = json.Number(id)
	comment["body"] = body
	comment["url"] = api + "/issues/comments/" + id
	comment["html_url"] = web + "/pull/" + num + "#issuecomment-" + id
	comment["issue_url"] = api + "/issues/" + num
	user["login"] = placeholders[slotGiver]
	sender["login"] = placeholders[slotGiver]
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
