package store_test

import (
	"context"
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
