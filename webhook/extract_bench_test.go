package webhook

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/buger/jsonparser"

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

// BenchmarkExtractLibraries runs the same walk on the 16 KB issue_comment
// with each library tried: gjson (Extract's) and jsonparser.
func BenchmarkExtractLibraries(b *testing.B) {
	body := exFullThanks(b)
	for _, lib := range []struct {
		name string
		r    *jsonReader
	}{{"gjson", &gjsonReader}, {"jsonparser", &jsonparserReader}} {
		b.Run(lib.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extract(lib.r, "issue_comment", "bench", body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// jsonparserReader drives the walk with github.com/buger/jsonparser, the
// other library tried. jsonparser does not validate, so the syntax check is
// encoding/json's own.
var jsonparserReader = jsonReader{
	valid: json.Valid,
	root:  rootValue,
	object: func(w *walker, n *node, raw []byte) error {
		return jsonparser.ObjectEach(raw, func(key, v []byte, t jsonparser.ValueType, _ int) error {
			return w.member(n, key, v, jpKind(t))
		})
	},
	array: func(w *walker, n *node, raw []byte) error {
		_, err := jsonparser.ArrayEachErr(raw, func(v []byte, t jsonparser.ValueType, _ int, err error) error {
			if err != nil {
				return err
			}
			return w.element(n, v, jpKind(t))
		})
		return err
	},
}

func jpKind(t jsonparser.ValueType) valueKind {
	switch t {
	case jsonparser.String:
		return vString
	case jsonparser.Number:
		return vNumber
	case jsonparser.Object:
		return vObject
	case jsonparser.Array:
		return vArray
	case jsonparser.Boolean:
		return vBool
	}
	return vNull
}
