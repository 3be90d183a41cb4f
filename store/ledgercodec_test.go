package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// fullEntry sets every field of a contribution.
func fullEntry() recognizer.Contribution {
	return recognizer.Contribution{
		Kind: recognizer.KindReviewComment, ID: 1234567890123, Login: "dave", Bot: true,
		HTMLURL: "https://github.com/acme/widgets/pull/42#discussion_r123456",
		At:      time.Date(2026, 11, 20, 14, 3, 11, 987654321, time.UTC),
		State:   "changes_requested", Thread: 1234567890000, BodyLen: 421, Suggestion: true,
		Subject: "carol", SHA: "8f3c2a1e9d0b4c7f6a5e3d2c1b0a9f8e7d6c5b4a",
		Text: recognizer.TextFeatures{Ack: true, Question: true, Mentions: []string{"bob", "carol", "émile"},
			Thanked: []string{"bob"}, Negative: true, SelfFix: true, MeToo: true},
	}
}

func encodeEntry(t testing.TB, c recognizer.Contribution) string {
	t.Helper()
	b, err := store.AppendEntry(nil, c)
	if err != nil {
		t.Fatalf("encode %+v: %v", c, err)
	}
	return string(b)
}

func TestLedgerEntryRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		c    recognizer.Contribution
	}{
		{"full", fullEntry()},
		{"zero", recognizer.Contribution{}},
		{"negative numbers", recognizer.Contribution{Kind: recognizer.KindMerged, ID: -5, Thread: -1, BodyLen: -9,
			At: time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC)}},
		{"mentions only", recognizer.Contribution{Kind: recognizer.KindComment, ID: 1,
			Text: recognizer.TextFeatures{Mentions: []string{"a", ""}}}},
		{"thanked only", recognizer.Contribution{Kind: recognizer.KindComment, ID: 1,
			Text: recognizer.TextFeatures{Thanked: []string{"bob"}}}},
		{"year bounds", recognizer.Contribution{At: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
			State: strings.Repeat("x", 300)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := encodeEntry(t, tt.c)
			got, err := store.DecodeLedgerEntry(enc)
			if err != nil {
				t.Fatalf("decode %q: %v", enc, err)
			}
			if !reflect.DeepEqual(got, tt.c) {
				t.Fatalf("round trip = %+v; want %+v", got, tt.c)
			}
			if got.At.Location() != time.UTC || !got.At.Equal(tt.c.At) {
				t.Fatalf("At = %v (%v); want %v in UTC", got.At, got.At.Location(), tt.c.At)
			}
			// The old JSON entry of the same contribution reads the same.
			old, err := json.Marshal(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			if fromJSON, err := store.DecodeLedgerEntry(string(old)); err != nil || !reflect.DeepEqual(fromJSON, got) {
				t.Fatalf("JSON entry reads %+v, %v; want %+v as from the compact entry", fromJSON, err, got)
			}
		})
	}
	t.Run("other zone reads as the same instant in UTC", func(t *testing.T) {
		c := fullEntry()
		c.At = c.At.In(time.FixedZone("CET", 3600))
		got, err := store.DecodeLedgerEntry(encodeEntry(t, c))
		if err != nil || !got.At.Equal(c.At) || got.At.Location() != time.UTC {
			t.Fatalf("At = %v, %v; want %v in UTC", got.At, err, c.At)
		}
	})
	t.Run("empty lists read as nil, as from JSON", func(t *testing.T) {
		c := recognizer.Contribution{Text: recognizer.TextFeatures{Mentions: []string{}, Thanked: []string{}}}
		got, err := store.DecodeLedgerEntry(encodeEntry(t, c))
		if err != nil || got.Text.Mentions != nil || got.Text.Thanked != nil {
			t.Fatalf("decode = %+v, %v; want nil lists", got.Text, err)
		}
	})
	t.Run("time outside the years 0 to 9999 is an error, as in JSON", func(t *testing.T) {
		c := recognizer.Contribution{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
		if _, err := store.AppendEntry(nil, c); err == nil {
			t.Fatal("encoded a time in the year 10000")
		}
	})
	t.Run("appends to the caller's buffer", func(t *testing.T) {
		buf := []byte("prefix")
		b, err := store.AppendEntry(buf, fullEntry())
		if err != nil || string(b[:6]) != "prefix" || string(b[6:]) != encodeEntry(t, fullEntry()) {
			t.Fatalf("AppendEntry(%q) = %q, %v", buf, b, err)
		}
	})
}

func TestLedgerEntryCorrupt(t *testing.T) {
	full := encodeEntry(t, fullEntry())
	for n := range len(full) {
		if c, err := store.DecodeLedgerEntry(full[:n]); err == nil {
			t.Errorf("decoding the first %d of %d bytes = %+v; want an error", n, len(full), c)
		}
	}
	// zero is 15 bytes: version, flags, ID, seconds, nanoseconds,
	// Thread, BodyLen, six string lengths and two list counts, all 0.
	zero := encodeEntry(t, recognizer.Contribution{At: time.Unix(0, 0).UTC()})
	if len(zero) != 15 {
		t.Fatalf("zero entry = %q; want 15 bytes", zero)
	}
	tests := []struct {
		name, v string
	}{
		{"empty", ""},
		{"unknown version", "\x02" + zero[1:]},
		{"unknown flag", zero[:1] + "\x80" + zero[2:]},
		{"trailing byte", zero + "\x00"},
		{"overlong varint", zero[:2] + "\x80\x00" + zero[3:]},
		{"varint over 64 bits", zero[:2] + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f" + zero[3:]},
		{"nanoseconds of a whole second", zero[:4] + "\x80\x94\xeb\xdc\x03" + zero[5:]},
		{"string longer than the entry", zero[:7] + "\xff\xff\xff\xff\x0f"},
		{"list count larger than the entry", zero[:13] + "\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00"},
		{"broken JSON", `{"kind":"comment","id":`},
		{"JSON of the wrong type", `{"id":"one"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := store.DecodeLedgerEntry(tt.v); err == nil {
				t.Fatalf("decode %q = %+v; want an error", tt.v, c)
			}
		})
	}
}

// TestLedgerReadsOldJSONEntries reads a ledger holding an entry written
// before the compact codec, one written by it, and one that decodes as
// neither.
func TestLedgerReadsOldJSONEntries(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2026, 11, 20, 14, 3, 11, 5, time.UTC)
	old := recognizer.Contribution{Kind: recognizer.KindComment, ID: 1, Login: "carol",
		HTMLURL: "https://github.com/acme/widgets/pull/42#issuecomment-1", At: at, BodyLen: 12,
		Text: recognizer.TextFeatures{Ack: true, Mentions: []string{"bob"}, Thanked: []string{"bob"}}}
	fresh := fullEntry()
	fresh.At = at.Add(time.Minute)
	if err := st.AddRecords(ctx, 7, 99, 42, []recognizer.Contribution{fresh}); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	key := "kudos:{inst:7}:ledger:99:42"
	if err := st.Client().HSet(ctx, key, old.Key(), string(raw), "comment:2", "\x01garbage").Err(); err != nil {
		t.Fatal(err)
	}
	stored, err := st.Client().HGet(ctx, key, fresh.Key()).Result()
	if err != nil || strings.HasPrefix(stored, "{") {
		t.Fatalf("new entry = %q, %v; want the compact form", stored, err)
	}
	h, err := st.History(ctx, 7, 99, 42)
	if err != nil {
		t.Fatal(err)
	}
	want := []recognizer.Contribution{old, fresh}
	if !reflect.DeepEqual(h.Contributions, want) {
		t.Fatalf("history = %+v; want the old JSON entry then the new one, the garbage skipped", h.Contributions)
	}
}

func FuzzLedgerCodec(f *testing.F) {
	f.Add(encodeEntry(f, fullEntry()))
	f.Add(encodeEntry(f, recognizer.Contribution{}))
	f.Add(encodeEntry(f, recognizer.Contribution{Kind: recognizer.KindPush, ID: 1, SHA: "abc",
		At: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)}))
	old, err := json.Marshal(fullEntry())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(old))
	f.Add("")
	f.Add("\x01")
	f.Fuzz(func(t *testing.T, v string) {
		c, err := store.DecodeLedgerEntry(v)
		if err != nil {
			return
		}
		enc, err := store.AppendEntry(nil, c)
		if err != nil {
			if strings.HasPrefix(v, "{") {
				return // JSON holds times whose UTC year is out of range
			}
			t.Fatalf("re-encode of %q: %v", v, err)
		}
		if !strings.HasPrefix(v, "{") && string(enc) != v {
			t.Fatalf("encode(decode(%q)) = %q; want the same bytes", v, enc)
		}
		again, err := store.DecodeLedgerEntry(string(enc))
		if err != nil {
			t.Fatalf("decode of re-encoded %q: %v", enc, err)
		}
		if !sameEntry(again, c) {
			t.Fatalf("decode(encode(%+v)) = %+v", c, again)
		}
	})
}

// sameEntry compares entries as the compact codec keeps them: At as an
// instant in UTC, empty lists as nil. JSON may read either differently.
func sameEntry(a, b recognizer.Contribution) bool {
	norm := func(c recognizer.Contribution) recognizer.Contribution {
		c.At = c.At.UTC()
		if len(c.Text.Mentions) == 0 {
			c.Text.Mentions = nil
		}
		if len(c.Text.Thanked) == 0 {
			c.Text.Thanked = nil
		}
		return c
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// TestDecodeLedgerOrder reads a ledger with ties in time back in time
// order, then key order, whichever form its entries were written in.
func TestDecodeLedgerOrder(t *testing.T) {
	at := time.Date(2026, 11, 20, 14, 3, 11, 0, time.UTC)
	var recs []recognizer.Contribution // keys unique, times often tied
	for i := range 60 {
		kind := []recognizer.ContributionKind{recognizer.KindComment, recognizer.KindReview, recognizer.KindReviewComment}[i%3]
		recs = append(recs, recognizer.Contribution{Kind: kind, ID: int64(i * 7 % 23),
			At: at.Add(time.Duration(i*5%11) * time.Second), Login: "u" + strconv.Itoa(i)})
	}
	want := slices.Clone(recs)
	sort.SliceStable(want, func(i, j int) bool {
		if !want[i].At.Equal(want[j].At) {
			return want[i].At.Before(want[j].At)
		}
		return want[i].Key() < want[j].Key()
	})
	for _, form := range []struct {
		name   string
		encode func([]recognizer.Contribution) ([]string, error)
	}{{"json", jsonLedgerFields}, {"compact", store.LedgerFields}} {
		t.Run(form.name, func(t *testing.T) {
			fields, err := form.encode(want)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]string{}
			for i := 0; i < len(fields); i += 2 {
				m[fields[i]] = fields[i+1]
			}
			if got := store.DecodeLedger(m).Contributions; !reflect.DeepEqual(got, want) {
				t.Fatalf("history =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}
