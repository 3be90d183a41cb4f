package webhook

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
)

// exFullThanks is the real 16 KB issue_comment example carrying a command.
func exFullThanks(tb testing.TB) []byte {
	tb.Helper()
	body := exRaw(tb, "full/issue_comment.created")
	old := []byte(`"You are totally right! I'll get this fixed right away."`)
	if !bytes.Contains(body, old) {
		tb.Fatal("the full example's comment body changed")
	}
	return bytes.Replace(body, old, []byte(`"Great catch.\r\n\r\n/thanks @bob for catching the race"`), 1)
}

// exBenchPayloads are the payloads of BenchmarkExtract and BenchmarkNormalize.
func exBenchPayloads(tb testing.TB) []struct {
	name, event string
	body        []byte
} {
	return []struct {
		name, event string
		body        []byte
	}{
		{"issue_comment", "issue_comment", exFullThanks(tb)},
		{"review", "pull_request_review", payload.Review(payload.ReviewOpts{Body: "LGTM\n\n/thanks @alice for the tests"})},
		{"review_comment", "pull_request_review_comment", payload.ReviewComment(payload.CommentOpts{InReplyTo: 1000, Body: "/thanks @bob"})},
		{"pull_request", "pull_request", payload.PullRequest(payload.PROpts{Action: "closed", Merged: true})},
	}
}

func BenchmarkExtract(b *testing.B) {
	for _, p := range exBenchPayloads(b) {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(p.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Extract(p.event, "bench", p.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, p := range exBenchPayloads(b) {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(p.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Normalize(p.event, "bench", p.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExtractReaders reads the 16 KB issue_comment's fields with
// each way tried: Extract (fastjson), encoding/json into a struct of only
// the fields read, and go-github's full decode (Normalize).
func BenchmarkExtractReaders(b *testing.B) {
	body := exFullThanks(b)
	readers := []struct {
		name string
		read func() error
	}{
		{"fastjson", func() error { _, err := Extract("issue_comment", "bench", body); return err }},
		{"encoding-json-fields", func() error { var f exNeededFields; return json.Unmarshal(body, &f) }},
		{"go-github", func() error { _, err := Normalize("issue_comment", "bench", body); return err }},
	}
	for _, r := range readers {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := r.read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// exNeededFields are the issue_comment fields Extract reads.
type exNeededFields struct {
	Action       string
	Installation struct{ ID int64 }
	Repository   struct {
		ID       int64
		Owner    struct{ Login string }
		Name     string
		FullName string `json:"full_name"`
		Private  bool
		HTMLURL  string `json:"html_url"`
	}
	Sender exUser
	Issue  struct {
		Number      int
		PullRequest *struct{} `json:"pull_request"`
		HTMLURL     string    `json:"html_url"`
		User        exUser
	}
	Comment struct {
		ID        int64
		User      exUser
		Body      string
		HTMLURL   string    `json:"html_url"`
		CreatedAt time.Time `json:"created_at"`
	}
}

type exUser struct{ Login, Type string }
