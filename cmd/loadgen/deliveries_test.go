package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/webhook"
)

func TestDeliveriesAreDistinctAndSigned(t *testing.T) {
	secret := []byte("s3cret")
	for _, c := range []struct{ event, kind string }{
		{"issue_comment", "full"}, {"issue_comment", "small"}, {"pull_request_review_comment", "small"},
	} {
		t.Run(c.event+"/"+c.kind, func(t *testing.T) {
			const n = 120
			d, err := buildDeliveries(c.event, c.kind, true, n, 50, secret)
			if err != nil {
				t.Fatal(err)
			}
			ids, comments := map[string]bool{}, map[int64]bool{}
			for i := range n {
				body := d.body(i, nil)
				if len(body) > d.size() {
					t.Fatalf("body %d is %d bytes, over the bound %d", i, len(body), d.size())
				}
				if err := webhook.Verify(secret, body, d.sigs[i]); err != nil {
					t.Fatalf("delivery %d: %v", i, err)
				}
				ev, err := webhook.Extract(c.event, d.ids[i], body)
				if err != nil {
					t.Fatalf("delivery %d does not normalize: %v", i, err)
				}
				if ids[d.ids[i]] || comments[ev.Comment.ID] {
					t.Fatalf("delivery %d repeats id %s or comment %d", i, d.ids[i], ev.Comment.ID)
				}
				ids[d.ids[i]], comments[ev.Comment.ID] = true, true
				if !strings.HasPrefix(d.ids[i], d.idPrefix()) || !strings.HasPrefix(d.idPrefix(), "loadgen-") {
					t.Fatalf("delivery id %q lacks the run's prefix %q", d.ids[i], d.idPrefix())
				}
				if ev.Comment.ID != d.commentBase+int64(i) || int64(ev.Number) != ev.Comment.ID/50 {
					t.Fatalf("delivery %d: comment %d on #%d", i, ev.Comment.ID, ev.Number)
				}
				if !strings.HasPrefix(ev.Comment.Body, "/thanks @lg"+d.run+"-rev") || !strings.Contains(ev.Comment.Body, strconv.FormatInt(ev.Comment.ID, 10)) {
					t.Fatalf("delivery %d body %q", i, ev.Comment.Body)
				}
				if ev.Comment.Author.Login != "lg"+d.run+"-dev"+strconv.Itoa(i/thanksPerGiver) {
					t.Fatalf("delivery %d author %q", i, ev.Comment.Author.Login)
				}
				if strings.Contains(string(body), "placeholder") {
					t.Fatalf("delivery %d kept a placeholder", i)
				}
			}
		})
	}
}

// TestFullPayloadIsTheRealExample checks the full payload is the 16 KB
// example with only the comment, PR number and people changed.
func TestFullPayloadIsTheRealExample(t *testing.T) {
	d, err := buildDeliveries("issue_comment", "full", false, 1, 50, []byte("s"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := payload.Raw("full/issue_comment.created")
	body := d.body(0, nil)
	if len(body) < 15000 || len(body) > len(raw)+2000 {
		t.Fatalf("full body is %d bytes; the example is %d", len(body), len(raw))
	}
	var got, want map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(raw, &want)
	for _, k := range []string{"repository", "organization", "installation", "action"} {
		g, _ := json.Marshal(got[k])
		w, _ := json.Marshal(want[k])
		if string(g) != string(w) {
			t.Errorf("%s changed", k)
		}
	}
	if b := got["comment"].(map[string]any)["body"].(string); strings.Contains(b, "/thanks") || strings.Contains(strings.ToLower(b), "thank") {
		t.Errorf("-thanks=false body %q carries thanks", b)
	}
}

func TestUnsupportedPayloads(t *testing.T) {
	for _, c := range []struct{ event, kind string }{
		{"pull_request_review_comment", "full"}, {"push", "small"}, {"issue_comment", "medium"},
	} {
		if _, err := buildDeliveries(c.event, c.kind, true, 1, 50, []byte("s")); err == nil {
			t.Errorf("-event %s -payload %s accepted", c.event, c.kind)
		}
	}
}

func TestCompile(t *testing.T) {
	tm, err := compile([]byte(`{"id":9191919191,"n":8282828,"u":"x/8282828#9191919191"}`))
	if err != nil {
		t.Fatal(err)
	}
	vals := [numSlots]string{slotCommentID: "5", slotNumber: "77"}
	if got := string(tm.render(nil, &vals)); got != `{"id":5,"n":77,"u":"x/77#5"}` {
		t.Fatalf("render = %s", got)
	}
	if _, err := compile([]byte(`{"id":1}`)); err == nil {
		t.Fatal("a template without placeholders compiled")
	}
}
