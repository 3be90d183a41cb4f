package store_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// BenchmarkDelivery is the store's share of one /thanks delivery: the
// lookup round trip (dedup + ledger) and the accept round trip (queue,
// ledger, dedup mark), against a real redis-server on a unix socket.
func BenchmarkDelivery(b *testing.B) {
	ctx := context.Background()
	st := store.New(redistest.Start(b).Client(b), store.Options{})
	rec := recognizer.Contribution{Kind: recognizer.KindComment, ID: 1, Login: "alice",
		HTMLURL: "https://github.com/acme/widgets/pull/42#issuecomment-1", At: time.Now()}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		id := "d-" + strconv.Itoa(i)
		if _, err := st.Lookup(ctx, 7, id, 99, 42, true); err != nil {
			b.Fatal(err)
		}
		rec.ID = int64(i%50 + 1)
		if _, err := st.Accept(ctx, store.Delivery{ID: id, InstallationID: 7, RepoID: 99, Number: 42,
			Records: []recognizer.Contribution{rec}, Suggestion: suggestion(rec.ID, "bob")}); err != nil {
			b.Fatal(err)
		}
	}
}

// busyLedger is the ledger of a busy PR: 50 comments, review comments and
// reviews by a handful of people, some mentioning others.
func busyLedger() []recognizer.Contribution {
	logins := []string{"alice", "bob", "carol", "dave", "erin-the-reviewer", "dependabot[bot]"}
	kinds := []recognizer.ContributionKind{recognizer.KindComment, recognizer.KindReviewComment, recognizer.KindReview}
	at := time.Date(2026, 11, 20, 14, 3, 11, 0, time.UTC)
	recs := make([]recognizer.Contribution, 50)
	for i := range recs {
		id := int64(123456 + i)
		c := recognizer.Contribution{Kind: kinds[i%len(kinds)], ID: id, Login: logins[i%len(logins)],
			Bot: i%len(logins) == 5, HTMLURL: "https://github.com/acme/widgets/pull/42#issuecomment-" + strconv.FormatInt(id, 10),
			At: at.Add(time.Duration(i) * 7 * time.Minute), BodyLen: 40 + 13*i}
		switch c.Kind {
		case recognizer.KindReview:
			c.State = "approved"
		case recognizer.KindReviewComment:
			c.Thread, c.Suggestion = id-id%4, i%4 == 0
		}
		if i%3 == 0 {
			c.Text.Mentions = []string{logins[(i+1)%len(logins)], logins[(i+2)%len(logins)]}
			c.Text.Question = i%2 == 0
		}
		if i%6 == 0 {
			c.Text.Ack, c.Text.Thanked = true, c.Text.Mentions[:1]
		}
		recs[i] = c
	}
	return recs
}

// jsonLedgerFields is how ledger fields were written before the compact
// codec.
func jsonLedgerFields(recs []recognizer.Contribution) ([]string, error) {
	fields := make([]string, 0, 2*len(recs))
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		fields = append(fields, r.Key(), string(b))
	}
	return fields, nil
}

// BenchmarkLedgerEncode encodes a busy PR's 50 ledger entries, as HSET
// fields.
func BenchmarkLedgerEncode(b *testing.B) {
	recs := busyLedger()
	for _, bb := range []struct {
		name   string
		encode func([]recognizer.Contribution) ([]string, error)
	}{{"json", jsonLedgerFields}, {"compact", store.LedgerFields}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bb.encode(recs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLedgerDecode reads a busy PR's 50-entry ledger hash back into
// a history, from entries written as JSON and in the compact form.
func BenchmarkLedgerDecode(b *testing.B) {
	recs := busyLedger()
	for _, bb := range []struct {
		name   string
		encode func([]recognizer.Contribution) ([]string, error)
	}{{"json", jsonLedgerFields}, {"compact", store.LedgerFields}} {
		fields, err := bb.encode(recs)
		if err != nil {
			b.Fatal(err)
		}
		m := make(map[string]string, len(recs))
		for i := 0; i < len(fields); i += 2 {
			m[fields[i]] = fields[i+1]
		}
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if h := store.DecodeLedger(m); len(h.Contributions) != len(recs) {
					b.Fatalf("decoded %d entries; want %d", len(h.Contributions), len(recs))
				}
			}
		})
	}
}
