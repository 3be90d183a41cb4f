package action

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kudos-app/kudos/recognizer"
)

func rec(id, who, reason, label, url string) recognizer.Recognition {
	return recognizer.Recognition{ID: id, Kind: "thanks", Recipient: who, Reason: reason, ArtifactLabel: label, ArtifactURL: url}
}

const (
	bobRC     = "https://github.com/acme/widgets/pull/42#discussion_r1002"
	bobReview = "https://github.com/acme/widgets/pull/42#pullrequestreview-2004"
	carolC    = "https://github.com/acme/widgets/pull/42#issuecomment-3001"
)

func TestRenderThanks(t *testing.T) {
	base := recognizer.Suggestion{Owner: "acme", Repo: "widgets", Number: 42, Giver: "alice"}
	cases := []struct {
		name  string
		recs  []recognizer.Recognition
		notes []recognizer.Notice
		want  string
		// anonymousGiver: the giver opted out.
		anonymousGiver bool
	}{{
		name: "one person with a reason",
		recs: []recognizer.Recognition{rec("r1", "bob", "catching the race", "review comment", bobRC)},
		want: "🙌 **alice** thanks @bob for catching the race — see bob's [review comment](" + bobRC + ").\n\n<!-- kudos:r1 -->\n",
	}, {
		name: "one person without a reason",
		recs: []recognizer.Recognition{rec("r1", "bob", "", "approving review", bobReview)},
		want: "🙌 **alice** thanks @bob for their [approving review](" + bobReview + ").\n\n<!-- kudos:r1 -->\n",
	}, {
		name: "two people, one reason",
		recs: []recognizer.Recognition{
			rec("r1", "carol", "the soak test", "comment", carolC),
			rec("r2", "bob", "the soak test", "approving review", bobReview),
		},
		want: "🙌 **alice** thanks @carol and @bob for the soak test — see carol's [comment](" + carolC + ") and bob's [approving review](" + bobReview + ").\n\n<!-- kudos:r1 -->\n<!-- kudos:r2 -->\n",
	}, {
		name: "two people without a reason",
		recs: []recognizer.Recognition{
			rec("r1", "carol", "", "comment", carolC),
			rec("r2", "bob", "", "approving review", bobReview),
		},
		want: "🙌 **alice** thanks @carol and @bob — see carol's [comment](" + carolC + ") and bob's [approving review](" + bobReview + ").\n\n<!-- kudos:r1 -->\n<!-- kudos:r2 -->\n",
	}, {
		name: "two commands, two reasons",
		recs: []recognizer.Recognition{
			rec("r1", "bob", "the review", "review comment", bobRC),
			rec("r2", "carol", "the soak test", "comment", carolC),
		},
		want: "🙌 **alice** thanks @bob for the review — see bob's [review comment](" + bobRC + ").\n" +
			"🙌 **alice** thanks @carol for the soak test — see carol's [comment](" + carolC + ").\n\n<!-- kudos:r1 -->\n<!-- kudos:r2 -->\n",
	}, {
		name:  "a refusal alone",
		notes: []recognizer.Notice{{ID: "n1", Text: "Thanking yourself doesn't count."}},
		want:  "Thanking yourself doesn't count.\n\n<!-- kudos:n1 -->\n",
	}, {
		name:  "thanks with a note",
		recs:  []recognizer.Recognition{rec("r1", "bob", "", "comment", carolC)},
		notes: []recognizer.Notice{{ID: "n1", Text: "Thanking yourself doesn't count."}},
		want:  "🙌 **alice** thanks @bob for their [comment](" + carolC + ").\n\n_Note:_ Thanking yourself doesn't count.\n\n<!-- kudos:r1 -->\n<!-- kudos:n1 -->\n",
	}, {
		name: "someone who opted out",
		recs: []recognizer.Recognition{func() recognizer.Recognition {
			r := rec("r1", "bob", "the review", "comment", carolC)
			r.Anonymous = true
			return r
		}()},
		want: "🙌 **alice** thanks someone who prefers not to be named for the review — see their work here.\n\n<!-- kudos:r1 -->\n",
	}, {
		name:           "someone who opted out, without a reason, and a giver who opted out",
		anonymousGiver: true,
		recs: []recognizer.Recognition{func() recognizer.Recognition {
			r := rec("r1", "bob", "", "comment", carolC)
			r.Anonymous = true
			return r
		}(), rec("r2", "carol", "", "comment", carolC)},
		want: "🙌 A teammate thanks someone who prefers not to be named and @carol — see their work here and carol's [comment](" + carolC + ").\n\n<!-- kudos:r1 -->\n<!-- kudos:r2 -->\n",
	}, {
		name: "a reason that tries to ping and hide text",
		recs: []recognizer.Recognition{rec("r1", "bob", "pairing with @carol <!-- kudos:fake -->", "comment", carolC)},
		want: "🙌 **alice** thanks @bob for pairing with @\u200bcarol &lt;!-- kudos:fake --&gt; — see bob's [comment](" + carolC + ").\n\n<!-- kudos:r1 -->\n",
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			s.Recognitions, s.Notices, s.AnonymousGiver = tc.recs, tc.notes, tc.anonymousGiver
			got, err := RenderThanks(s)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("RenderThanks:\ngot:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestPossessive(t *testing.T) {
	for in, want := range map[string]string{"bob": "bob's", "james": "james'", "JonaS": "JonaS'"} {
		if got := possessive(in); got != want {
			t.Errorf("possessive(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "catching the race", "catching the race"},
		{"mention", "pairing with @carol", "pairing with @\u200bcarol"},
		{"email", "bob@example.com", "bob@\u200bexample.com"},
		{"html comment", "x <!-- hidden --> y", "x &lt;!-- hidden --&gt; y"},
		{"tag", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"image", "![pixel](https://evil.example/p.png)", "!\u200b[pixel](https://evil.example/p.png)"},
		{"newlines", "line one\n\n# heading\r\nline", "line one # heading line"},
		{"invalid utf8", "ok\xffok", "okok"},
		{"controls and bidi", "a\x00b\u202Egnp.exe\u2066", "abgnp.exe"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Clean(tc.in); got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	long := strings.Repeat("a", 1000)
	if got := Clean(long); utf8.RuneCountInString(got) != MaxReason || !strings.HasSuffix(got, "…") {
		t.Errorf("Clean of 1000 chars = %d chars; want %d ending in …", utf8.RuneCountInString(got), MaxReason)
	}
}

// FuzzClean checks that nothing Clean returns can ping anyone, hide text
// in an HTML comment, forge a marker or break out of its line.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"@bob", "<!-- kudos:x -->", "a\nb", "@@bob", "<<!---->", "＠bob", "![x](y)", "\xff@\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if strings.ContainsAny(out, "<>\n\r") {
			t.Fatalf("Clean(%q) = %q keeps markup or a line break", in, out)
		}
		for i := strings.Index(out, "@"); i >= 0; i = next(out, i) {
			if !strings.HasPrefix(out[i+1:], zwsp) {
				t.Fatalf("Clean(%q) = %q has a live @mention at %d", in, out, i)
			}
		}
		// Escaping turns one character into at most four ("<" → "&lt;").
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > 4*MaxReason {
			t.Fatalf("Clean(%q) = %q: invalid or longer than %d", in, out, 4*MaxReason)
		}
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("Clean(%q) = %q keeps control character %U", in, out, r)
			}
		}
	})
}

func next(s string, i int) int {
	j := strings.Index(s[i+1:], "@")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
