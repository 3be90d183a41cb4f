package recognizer

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/summary")

// sumT is a local time in Berlin in November 2026 (CET, UTC+1).
func sumT(day, hour, minute int) time.Time {
	return time.Date(2026, time.November, day, hour-1, minute, 0, 0, time.UTC)
}

func sumURL(repo string, number int, frag string) string {
	u := fmt.Sprintf("https://github.com/%s/pull/%d", repo, number)
	if frag != "" {
		u += "#" + frag
	}
	return u
}

func sumThanks(id, giver, recipient, repo string, number int, frag string, at time.Time, reason string, values ...string) Record {
	return Record{ID: id, Kind: KindThanks, At: at, Repo: repo, Number: number, Giver: giver, Recipient: recipient,
		ArtifactURL: sumURL(repo, number, frag), Reason: reason, Values: values}
}

func sumAct(kind ContributionKind, repo string, number int, login, author, frag string, at time.Time) Activity {
	return Activity{Kind: kind, Repo: repo, Number: number, Login: login, Author: author, URL: sumURL(repo, number, frag), At: at}
}

func sumTitled(a Activity, title string) Activity {
	a.Title = title
	return a
}

func sumPrivate[T Record | Activity](x T) T {
	switch v := any(&x).(type) {
	case *Record:
		v.Private = true
	case *Activity:
		v.Private = true
	}
	return x
}

// sumRichWeek is a busy week of team Platform in Berlin: three repos (one
// private), thanks with values and awkward reasons, shout-outs, unblocking,
// merges, first contributions, more connections than the graph shows, and
// zed, who opted out and must not appear anywhere.
func sumRichWeek(t *testing.T) SummaryInput {
	t.Helper()
	week, err := ParseWeek("2026-W47", wkTestLoc(t, "Europe/Berlin"))
	if err != nil {
		t.Fatal(err)
	}
	const w, api, vault = "acme/widgets", "acme/api", "acme/vault"
	recs := []Record{
		sumThanks("t01", "alice", "bob", w, 42, "discussion_r1001", sumT(16, 10, 0), "catching the race in the retry loop #reliability", "reliability"),
		sumThanks("t02", "carol", "bob", api, 7, "issuecomment-2001", sumT(17, 14, 30), "pairing on the flaky test with @dave <b>late</b> at night", "teamwork"),
		sumThanks("t03", "dave", "alice", w, 40, "pullrequestreview-3001", sumT(18, 9, 15), "the migration plan", "craft", "teamwork"),
		sumThanks("t04", "erin", "carol", api, 8, "", sumT(18, 16, 0), ""),
		sumThanks("t05", "ivy", "jon", api, 9, "issuecomment-2002", sumT(19, 11, 0), "taking over @zed's on-call shift so Zed could rest", "care"),
		// Sunday 23:30 local: still this week.
		sumThanks("t06", "lee", "mo", w, 46, "discussion_r1002", sumT(22, 23, 30), "a late-night rollback"),
		// Private repository: only in a private summary.
		sumPrivate(sumThanks("t07", "frank", "rosa", vault, 3, "discussion_r1003", sumT(19, 15, 0), "rotating the leaked key")),
		// zed opted out: neither as giver nor recipient.
		sumThanks("t08", "zed", "alice", w, 42, "issuecomment-2003", sumT(17, 9, 0), "the review"),
		sumThanks("t09", "alice", "Zed", w, 45, "pullrequestreview-3002", sumT(17, 9, 5), "the fix"),
		// Outside the week: Monday 00:30 of the next, and the week before.
		sumThanks("t10", "kim", "lee", w, 42, "issuecomment-2004", sumT(23, 0, 30), "next week's thanks"),
		sumThanks("t11", "mo", "nora", api, 6, "issuecomment-2005", sumT(15, 23, 59), "last week's thanks"),
	}
	// A ring of thanks so the graph has more connections than it shows.
	ring := []string{"alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "jon", "kim", "lee", "mo"}
	reasons := []string{"a thorough review", "untangling the build", "the clear write-up", "fixing the docs", "help with the release"}
	for i, giver := range ring {
		for step := 1; step <= 2; step++ {
			n := i*2 + step
			recs = append(recs, sumThanks(fmt.Sprintf("r%02d", n), giver, ring[(i+step)%len(ring)], w, 50+n,
				fmt.Sprintf("pullrequestreview-%d", 4000+n), sumT(16+n%7, 8+n%9, n), reasons[n%len(reasons)]))
		}
	}
	recs = append(recs,
		// Shout-outs and unblocking from merges.
		Record{ID: "s01", Kind: KindShoutout, At: sumT(20, 17, 0), Repo: w, Number: 42, Recipient: "bob", ArtifactURL: sumURL(w, 42, "pullrequestreview-3100")},
		Record{ID: "s02", Kind: KindShoutout, At: sumT(20, 17, 0), Repo: w, Number: 46, Recipient: "zed", ArtifactURL: sumURL(w, 46, "pullrequestreview-3101")},
		Record{ID: "s03", Kind: KindShoutout, At: sumT(21, 10, 0), Repo: api, Number: 9, Recipient: "nora", ArtifactURL: sumURL(api, 9, "pullrequestreview-3102")},
		Record{ID: "u01", Kind: KindUnblocked, At: sumT(20, 17, 0), Repo: w, Number: 42, Recipient: "oscar", ArtifactURL: sumURL(w, 42, "issuecomment-2010"), Reason: "answered the question that blocked it"},
		Record{ID: "u02", Kind: KindUnblocked, At: sumT(20, 17, 0), Repo: w, Number: 46, Recipient: "zed", ArtifactURL: sumURL(w, 46, "issuecomment-2011")},
		sumPrivate(Record{ID: "u03", Kind: KindUnblocked, At: sumT(19, 12, 0), Repo: vault, Number: 5, Recipient: "rosa", ArtifactURL: sumURL(vault, 5, "issuecomment-2012")}),
	)

	acts := []Activity{
		// acme/widgets#42 by erin: bob reviewed, oscar unblocked.
		sumAct(KindReviewComment, w, 42, "bob", "erin", "discussion_r1001", sumT(16, 9, 0)),
		sumAct(KindReview, w, 42, "bob", "erin", "pullrequestreview-3100", sumT(20, 11, 0)),
		sumAct(KindComment, w, 42, "oscar", "erin", "issuecomment-2010", sumT(19, 10, 0)),
		sumTitled(sumAct(KindMerged, w, 42, "erin", "erin", "", sumT(20, 17, 0)), "Fix the race in the retry loop"),
		// acme/api#9 by quinn, a first merged PR in acme/api; carol
		// reviewed it last week, nora this week.
		sumAct(KindReview, api, 9, "carol", "quinn", "pullrequestreview-3200", sumT(13, 10, 0)),
		sumAct(KindReview, api, 9, "nora", "quinn", "pullrequestreview-3102", sumT(21, 9, 0)),
		sumAct(KindReview, api, 9, "quinn", "quinn", "pullrequestreview-3201", sumT(21, 9, 30)),
		sumTitled(sumAct(KindMerged, api, 9, "carol", "quinn", "", sumT(21, 10, 0)), "Paginate <users> for @qa-team"),
		// acme/widgets#44 by a bot: Pat's first review in acme/widgets.
		sumAct(KindReview, w, 44, "Pat", "dependabot[bot]", "pullrequestreview-3300", sumT(18, 13, 0)),
		sumAct(KindReview, w, 44, "renovate[bot]", "dependabot[bot]", "pullrequestreview-3301", sumT(18, 12, 0)),
		sumTitled(sumAct(KindMerged, w, 44, "Pat", "dependabot[bot]", "", sumT(18, 13, 5)), "Bump lodash from 4.17.20 to 4.17.21"),
		// acme/widgets#45 by zed: left out entirely, its review too.
		sumAct(KindReview, w, 45, "nora", "zed", "pullrequestreview-3400", sumT(17, 8, 0)),
		sumTitled(sumAct(KindMerged, w, 45, "alice", "zed", "", sumT(17, 9, 0)), "Zed's cleanup"),
		// acme/widgets#46 by alice, reviewed by zed and lee.
		sumAct(KindReview, w, 46, "zed", "alice", "pullrequestreview-3101", sumT(20, 10, 0)),
		sumAct(KindReviewComment, w, 46, "lee", "alice", "discussion_r1002", sumT(20, 11, 0)),
		sumTitled(sumAct(KindMerged, w, 46, "alice", "alice", "", sumT(20, 17, 0)), "Roll back the cache change"),
		// The private repository.
		sumPrivate(sumAct(KindReview, vault, 5, "gina", "frank", "pullrequestreview-3500", sumT(19, 11, 0))),
		sumPrivate(sumTitled(sumAct(KindMerged, vault, 5, "frank", "frank", "", sumT(19, 12, 0)), "Rotate the signing key")),
		// Older activity: not firsts.
		sumAct(KindMerged, w, 30, "bob", "erin", "", time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)),
		sumAct(KindMerged, w, 31, "bob", "alice", "", time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)),
		sumAct(KindMerged, w, 32, "bob", "quinn", "", time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC)),
		sumAct(KindReview, w, 31, "bob", "alice", "pullrequestreview-2900", time.Date(2026, 10, 2, 8, 0, 0, 0, time.UTC)),
		sumAct(KindReview, w, 30, "lee", "erin", "pullrequestreview-2901", time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)),
		sumAct(KindReview, api, 3, "nora", "carol", "pullrequestreview-2902", time.Date(2026, 10, 5, 8, 0, 0, 0, time.UTC)),
		sumAct(KindReview, api, 4, "carol", "nora", "pullrequestreview-2903", time.Date(2026, 10, 6, 8, 0, 0, 0, time.UTC)),
		sumPrivate(sumAct(KindMerged, vault, 1, "frank", "frank", "", time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))),
	}
	return SummaryInput{
		Team:         "Platform",
		Week:         week,
		Recognitions: recs,
		Activity:     acts,
		Previous:     &WeekStats{Givers: 9, Receivers: 11},
		Hidden:       map[string]bool{"zed": true},
	}
}

func sumGolden(t *testing.T, name string, s Summary) {
	t.Helper()
	got := "# " + s.Title + "\n\n" + s.Body
	path := filepath.Join("testdata", "summary", name+".golden.md")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Summary -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (go test -run Summary -update rewrites it):\n%s", name, path, sumDiff(string(want), got))
	}
}

func sumDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, w, g)
		}
	}
	return "(same lines)"
}

func TestSummaryGolden(t *testing.T) {
	public := sumRichWeek(t)
	private := sumRichWeek(t)
	private.TargetPrivate = true
	empty := sumRichWeek(t)
	empty.Recognitions, empty.Activity = nil, nil
	cases := []struct {
		name      string
		in        SummaryInput
		wantEmpty bool
		wantStats WeekStats
	}{
		{"rich-public", public, false, WeekStats{Givers: 13, Receivers: 13}},
		{"rich-private", private, false, WeekStats{Givers: 13, Receivers: 14}},
		{"empty", empty, true, WeekStats{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := BuildSummary(c.in)
			if s.Empty != c.wantEmpty || (s.Empty && s.Body != "") || (!s.Empty && s.Body == "") {
				t.Errorf("Empty = %v with body %q, want Empty %v", s.Empty, s.Body, c.wantEmpty)
			}
			if s.Stats != c.wantStats {
				t.Errorf("Stats = %+v, want %+v", s.Stats, c.wantStats)
			}
			all := strings.ToLower(s.Title + s.Body)
			if strings.Contains(all, "zed") {
				t.Errorf("zed opted out but appears:\n%s", s.Body)
			}
			for _, secret := range []string{"vault", "rosa", "leaked", "signing"} {
				if strings.Contains(all, secret) != c.in.TargetPrivate {
					t.Errorf("private %q shown: %v, want %v", secret, !c.in.TargetPrivate, c.in.TargetPrivate)
				}
			}
			sumGolden(t, c.name, s)
		})
	}
}

func TestSummaryTitle(t *testing.T) {
	cases := []struct {
		week, zone, team, want string
	}{
		{"2026-W47", "UTC", "Platform", "Kudos for Platform — week 2026-W47 (Nov 16 – Nov 22)"},
		{"2026-W53", "Europe/Berlin", "Core", "Kudos for Core — week 2026-W53 (Dec 28 – Jan 3)"},
		{"2026-W44", "America/New_York", "@acme/web", "Kudos for @\u200bacme/web — week 2026-W44 (Oct 26 – Nov 1)"},
	}
	for _, c := range cases {
		w, _ := ParseWeek(c.week, wkTestLoc(t, c.zone))
		if got := BuildSummary(SummaryInput{Team: c.team, Week: w}).Title; got != c.want {
			t.Errorf("title %q, want %q", got, c.want)
		}
	}
}

// sumSection cuts one "### " section out of a body.
func sumSection(body, heading string) string {
	i := strings.Index(body, "### "+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest[4:], "\n### "); j >= 0 {
		j += 4
		rest = rest[:j]
	}
	return rest
}

var sumLinkRE = regexp.MustCompile(`\[[^\]]*\]\([^)]*\)`)

func TestSummaryThanksAlphabeticalNotRanked(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	var recs []Record
	add := func(giver, recipient string, n int) {
		recs = append(recs, sumThanks(fmt.Sprintf("%s-%s-%d", giver, recipient, n), giver, recipient, "acme/widgets", n, "", at.Add(time.Duration(n)*time.Minute), "a careful review"))
	}
	// zoe is thanked most, amy least: the order is still by name.
	for i := range 5 {
		add([]string{"ann", "ben", "cy", "dee", "eve"}[i], "zoe", 10+i)
	}
	add("ann", "Bea", 20)
	add("ben", "Bea", 21)
	add("cy", "amy", 30)
	add("dee", "Carl", 40)
	add("eve", "carla", 41)
	s := BuildSummary(SummaryInput{Team: "Web", Week: w, Recognitions: recs})
	sec := sumSection(s.Body, "Thanks this week")
	var order []string
	for line := range strings.Lines(sec) {
		if name, ok := strings.CutPrefix(line, "- **"); ok {
			order = append(order, strings.TrimSuffix(strings.TrimSpace(name), "**"))
		}
	}
	if want := []string{"amy", "Bea", "Carl", "carla", "zoe"}; !slices.Equal(order, want) {
		t.Errorf("recipients in order %v, want %v", order, want)
	}
	// No counts per person: outside the links, not a digit in the section.
	text := sumLinkRE.ReplaceAllString(sec, "")
	if i := strings.IndexAny(text, "0123456789"); i >= 0 {
		t.Errorf("a digit in the thanks section: %q\n%s", text[max(0, i-20):min(len(text), i+20)], sec)
	}
	for _, banned := range []string{"×", " x5", "points", "rank", "top ", "most "} {
		if strings.Contains(strings.ToLower(text), banned) {
			t.Errorf("thanks section says %q:\n%s", banned, sec)
		}
	}
}

func TestSummaryHiddenNeverAppear(t *testing.T) {
	in := sumRichWeek(t)
	// zed everywhere: merger, reviewer of others, thanked for others'
	// work, an unblocker of a private repo, written in a PR title.
	hiddenActs := []Activity{
		sumAct(KindMerged, "acme/api", 11, "ZED", "nora", "", sumT(19, 9, 0)),
		sumAct(KindReview, "acme/api", 12, "Zed", "carol", "pullrequestreview-9001", sumT(19, 9, 0)),
		sumAct(KindReview, "acme/api", 13, "zed", "carol", "pullrequestreview-9002", sumT(19, 9, 0)),
		{Kind: KindMerged, Repo: "acme/api", Number: 14, Login: "carol", Author: "nora", URL: sumURL("acme/api", 14, ""), At: sumT(19, 9, 0), Title: "Revert zed's change and thank @ZED"},
	}
	in.Activity = append(in.Activity, hiddenActs...)
	in.Recognitions = append(in.Recognitions,
		Record{ID: "h1", Kind: KindUnblocked, At: sumT(19, 9, 0), Repo: "acme/api", Number: 11, Recipient: "Zed", ArtifactURL: sumURL("acme/api", 11, "")},
		sumThanks("h2", "nora", "carol", "acme/api", 14, "", sumT(19, 10, 0), "working with zed, (Zed) and @zed on this"),
	)
	in.Hidden = map[string]bool{"Zed": true, "olga": true, "former": false}
	for _, private := range []bool{false, true} {
		in.TargetPrivate = private
		s := BuildSummary(in)
		all := strings.ToLower(s.Title + "\n" + s.Body)
		if strings.Contains(all, "zed") || strings.Contains(all, "olga") {
			t.Errorf("private=%v: a hidden login appears:\n%s", private, s.Body)
		}
		if !strings.Contains(s.Body, "Revert someone's change and thank someone") {
			t.Errorf("private=%v: the title with a hidden login is not scrubbed:\n%s", private, s.Body)
		}
	}
	// Hiding drops before counting: the stats don't count zed either.
	only := SummaryInput{Week: in.Week, Hidden: map[string]bool{"zed": true}, Recognitions: []Record{
		sumThanks("a", "zed", "bob", "acme/api", 1, "", sumT(18, 9, 0), "x"),
		sumThanks("b", "bob", "zed", "acme/api", 1, "", sumT(18, 9, 0), "y"),
	}}
	if s := BuildSummary(only); !s.Empty || s.Stats != (WeekStats{}) {
		t.Errorf("only hidden people: %+v", s)
	}
}

func TestSummaryPrivateFiltering(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	in := SummaryInput{Team: "Sec", Week: w,
		Recognitions: []Record{
			sumThanks("pub", "ann", "ben", "acme/open", 1, "", at, "the public fix"),
			sumPrivate(sumThanks("priv", "cy", "dee", "acme/vault", 2, "", at, "the secret fix")),
		},
		Activity: []Activity{
			{Kind: KindMerged, Repo: "acme/vault", Number: 3, Login: "cy", Author: "cy", URL: sumURL("acme/vault", 3, ""), At: at, Private: true, Title: "Rotate credentials"},
			{Kind: KindReview, Repo: "acme/vault", Number: 3, Login: "eve", Author: "cy", URL: sumURL("acme/vault", 3, "pullrequestreview-1"), At: at, Private: true},
		},
	}
	pub := BuildSummary(in)
	for _, leak := range []string{"vault", "secret", "Rotate", "cy", "dee", "eve"} {
		if strings.Contains(pub.Body, leak) {
			t.Errorf("public summary shows %q:\n%s", leak, pub.Body)
		}
	}
	if pub.Stats != (WeekStats{Givers: 1, Receivers: 1}) {
		t.Errorf("public stats %+v count private thanks", pub.Stats)
	}
	in.TargetPrivate = true
	priv := BuildSummary(in)
	for _, want := range []string{"the secret fix", "acme/vault#3", "Rotate credentials", "from cy", "**dee**", "eve"} {
		if !strings.Contains(priv.Body, want) {
			t.Errorf("private summary lacks %q:\n%s", want, priv.Body)
		}
	}
	if priv.Stats != (WeekStats{Givers: 2, Receivers: 2}) {
		t.Errorf("private stats %+v", priv.Stats)
	}
	// Only private items, for a public target: nothing to post.
	in.TargetPrivate = false
	in.Recognitions = in.Recognitions[1:]
	if s := BuildSummary(in); !s.Empty || s.Body != "" {
		t.Errorf("only private items, public target: %+v", s)
	}
}

func TestSummaryGraphCollapse(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	// n distinct edges g00→r00 ... with one thanks each, plus extra thanks
	// on the edges in strong.
	build := func(n, limit int, strong ...int) Summary {
		var recs []Record
		for i := range n {
			for k := 0; k <= strings.Count(fmt.Sprint(strong), fmt.Sprint(i)) && k < 3; k++ {
				recs = append(recs, sumThanks(fmt.Sprintf("e%d-%d", i, k), fmt.Sprintf("g%02d", i), fmt.Sprintf("r%02d", i), "acme/a", i+1, "", at, "help"))
			}
			if slices.Contains(strong, i) {
				recs = append(recs, sumThanks(fmt.Sprintf("x%d", i), fmt.Sprintf("g%02d", i), fmt.Sprintf("r%02d", i), "acme/a", i+1, "", at, "more help"))
			}
		}
		return BuildSummary(SummaryInput{Week: w, Recognitions: recs, MaxGraphEdges: limit})
	}
	edgesIn := func(s Summary) []string {
		var out []string
		for line := range strings.Lines(sumSection(s.Body, "Who thanked whom")) {
			if strings.Contains(line, " --> ") {
				out = append(out, strings.TrimSpace(line))
			}
		}
		return out
	}
	cases := []struct {
		name      string
		n, limit  int
		strong    []int
		wantEdges int
		wantLine  string
	}{
		{"under the default", 20, 0, nil, 20, ""},
		{"one over", 21, 0, nil, 20, "_1 more connection is left out to keep the graph readable._"},
		{"many over", 27, 0, nil, 20, "_7 more connections are left out to keep the graph readable._"},
		{"custom limit", 10, 4, nil, 4, "_6 more connections are left out to keep the graph readable._"},
	}
	for _, c := range cases {
		s := build(c.n, c.limit, c.strong...)
		edges := edgesIn(s)
		if len(edges) != c.wantEdges {
			t.Errorf("%s: %d edges, want %d", c.name, len(edges), c.wantEdges)
		}
		sec := sumSection(s.Body, "Who thanked whom")
		if c.wantLine == "" && strings.Contains(sec, "left out") {
			t.Errorf("%s: says connections were left out:\n%s", c.name, sec)
		}
		if c.wantLine != "" && !strings.Contains(sec, "\n"+c.wantLine+"\n") {
			t.Errorf("%s: lacks %q:\n%s", c.name, c.wantLine, sec)
		}
	}
	// The strongest survive, ties alphabetically; shown in name order.
	s := build(10, 3, 7)
	if got, want := edgesIn(s), []string{"u_g00 --> u_r00", "u_g01 --> u_r01", "u_g07 --> u_r07"}; !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	if strings.Count(s.Body, "\n```mermaid\ngraph LR\n") != 1 || !strings.Contains(s.Body, `u_g07["g07"]`) {
		t.Errorf("graph malformed:\n%s", s.Body)
	}
}

func TestSummaryGraphNodeIDs(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	s := BuildSummary(SummaryInput{Week: w, Recognitions: []Record{
		sumThanks("1", "a-b", "end", "acme/a", 1, "", at, "x"),
		sumThanks("2", "A_B", "Mo", "acme/a", 2, "", at, "y"),
		sumThanks("3", "mo", "a-b", "acme/a", 3, "", at, "z"),
	}})
	graph := sumSection(s.Body, "Who thanked whom")
	for _, want := range []string{`u_a_b["a-b"]`, `u_a_b_2["A_B"]`, `u_end["end"]`, `u_mo["Mo"]`, "u_a_b --> u_end", "u_a_b_2 --> u_mo", "u_mo --> u_a_b"} {
		if !strings.Contains(graph, want) {
			t.Errorf("graph lacks %q:\n%s", want, graph)
		}
	}
	if strings.Contains(graph, "u_mo_2") {
		t.Errorf("mo and Mo are one person:\n%s", graph)
	}
}

func TestSummaryTrendLine(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	recs := []Record{
		sumThanks("1", "ann", "ben", "acme/a", 1, "", at, "x"),
		sumThanks("2", "cy", "ben", "acme/a", 2, "", at, "y"),
		sumThanks("3", "Ann", "dee", "acme/a", 3, "", at, "z"),
	}
	cases := []struct {
		name string
		recs []Record
		prev *WeekStats
		want string
	}{
		{"with last week", recs, &WeekStats{Givers: 4, Receivers: 5}, "2 people gave thanks and 2 received thanks this week (last week: 4 and 5)."},
		{"without last week", recs, nil, "2 people gave thanks and 2 received thanks this week."},
		{"one person", recs[:1], &WeekStats{}, "1 person gave thanks and 1 received thanks this week (last week: 0 and 0)."},
	}
	for _, c := range cases {
		s := BuildSummary(SummaryInput{Week: w, Recognitions: c.recs, Previous: c.prev})
		if last := s.Body[strings.LastIndex(strings.TrimSuffix(s.Body, "\n"), "\n")+1:]; last != c.want+"\n" {
			t.Errorf("%s: last line %q, want %q", c.name, last, c.want)
		}
	}
}

// A week across a DST transition has 25 (or 23) hours more or less than
// 7×24: filtering uses its real bounds.
func TestSummaryDSTWeekBounds(t *testing.T) {
	ny := wkTestLoc(t, "America/New_York")
	local := func(m time.Month, d, h, mi int) time.Time { return time.Date(2026, m, d, h, mi, 0, 0, ny) }
	cases := []struct {
		name string
		week string
		at   time.Time
		in   bool
	}{
		// 2026-W44 (Oct 26 – Nov 1) falls back: 169 hours.
		{"Sunday 23:30 after fall back", "2026-W44", local(11, 1, 23, 30), true},
		{"Monday 00:00 next week", "2026-W44", local(11, 2, 0, 0), false},
		{"Monday 00:00 of the week", "2026-W44", local(10, 26, 0, 0), true},
		{"Sunday 23:59 before it", "2026-W44", local(10, 25, 23, 59), false},
		// 2026-W10 (Mar 2 – 8) springs forward: 167 hours.
		{"Sunday 23:30 after spring forward", "2026-W10", local(3, 8, 23, 30), true},
		{"Monday 00:30 next week", "2026-W10", local(3, 9, 0, 30), false},
	}
	for _, c := range cases {
		w, _ := ParseWeek(c.week, ny)
		s := BuildSummary(SummaryInput{Week: w, Recognitions: []Record{
			sumThanks("1", "ann", "ben", "acme/a", 1, "", c.at, "the late fix"),
		}})
		if got := !s.Empty && strings.Contains(s.Body, "the late fix"); got != c.in {
			t.Errorf("%s: %s in %s = %v, want %v", c.name, c.at, c.week, got, c.in)
		}
	}
	// A naive 7×24h week would have ended at Sunday 23:00 local.
	w, _ := ParseWeek("2026-W44", ny)
	if naive := w.Start().Add(7 * 24 * time.Hour); !local(11, 1, 23, 30).After(naive) {
		t.Fatalf("the case does not test DST: naive end %s", naive.In(ny))
	}
}

func TestSummaryEscapesReasons(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	s := BuildSummary(SummaryInput{Week: w, Recognitions: []Record{
		sumThanks("1", "ann", "ben", "acme/a", 1, "discussion_r9", at, "helping @cy and @acme/team <script>alert(1)</script>\n### not a heading & more"),
	}})
	for _, want := range []string{"@\u200bcy", "@\u200bacme/team", "&lt;script&gt;", "&lt;/script&gt;", "heading &amp; more", "[review comment on acme/a#1](https://github.com/acme/a/pull/1#discussion_r9)"} {
		if !strings.Contains(s.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, s.Body)
		}
	}
	if regexp.MustCompile(`@[A-Za-z0-9]`).MatchString(s.Body) || strings.Contains(s.Body, "<script") || strings.Contains(s.Body, "\n###  not") {
		t.Errorf("body pings, injects HTML or breaks structure:\n%s", s.Body)
	}
}

func TestSummaryHelpedAndFirsts(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	old := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	in := SummaryInput{Week: w,
		Recognitions: []Record{
			sumThanks("t", "ann", "ben", "acme/a", 1, "", at, "thanks"),
			{ID: "u", Kind: KindUnblocked, At: at, Repo: "acme/a", Number: 2, Recipient: "Uma", ArtifactURL: sumURL("acme/a", 2, "issuecomment-5")},
			{ID: "s", Kind: KindShoutout, At: at, Repo: "acme/a", Number: 2, Recipient: "vic", ArtifactURL: sumURL("acme/a", 2, "pullrequestreview-6")},
		},
		Activity: []Activity{
			sumAct(KindReview, "acme/a", 1, "ben", "cy", "pullrequestreview-1", at), // thanked: not helped
			sumAct(KindReview, "acme/a", 0, "ben", "cy", "pullrequestreview-0", old),
			sumAct(KindReview, "acme/a", 2, "vic", "dee", "pullrequestreview-6", at),                  // helped, and a first review in acme/a
			sumAct(KindReview, "acme/b", 3, "vic", "dee", "pullrequestreview-7", at.Add(time.Hour)),   // first in acme/b too
			sumAct(KindReview, "acme/a", 4, "vic", "dee", "pullrequestreview-8", at.Add(2*time.Hour)), // not a first
			sumAct(KindReview, "acme/a", 5, "wes", "dee", "pullrequestreview-9", at),                  // reviewed before: helped, no first
			sumAct(KindReview, "acme/a", 0, "wes", "dee", "pullrequestreview-10", old),                // ... here
			sumAct(KindReview, "acme/a", 6, "xi", "xi", "pullrequestreview-11", at),                   // own PR: neither
			sumAct(KindReview, "acme/a", 7, "ci-helper[bot]", "dee", "pullrequestreview-12", at),      // bot: neither
			sumAct(KindReviewComment, "acme/a", 2, "Yan", "dee", "discussion_r13", at),                // review comments count as helping
			sumAct(KindMerged, "acme/a", 2, "ann", "dee", "", at.Add(3*time.Hour)),                    // dee's first merge in acme/a
			sumAct(KindMerged, "acme/b", 8, "ann", "cy", "", at),                                      // cy merged before in acme/b
			sumAct(KindMerged, "acme/b", 9, "ann", "cy", "", old),                                     // ...
			sumAct(KindMerged, "acme/b", 10, "ann", "renovate[bot]", "", at),                          // a bot's: no first
			sumPrivate(sumAct(KindMerged, "acme/b", 11, "ann", "cy", "", old.Add(-time.Hour))),        // private history still counts
			sumPrivate(sumAct(KindReview, "acme/c", 12, "zoe", "dee", "pullrequestreview-14", at)),    // private: nothing
			sumAct(KindMerged, "acme/c", 13, "ann", "zoe", "", old.Add(-time.Hour)),                   // old, outside the week
		},
	}
	s := BuildSummary(in)
	helped := sumSection(s.Body, "Helped without a thank-you yet")
	var names []string
	for line := range strings.Lines(helped) {
		if rest, ok := strings.CutPrefix(line, "- "); ok {
			names = append(names, strings.Fields(rest)[0])
		}
	}
	if want := []string{"Uma", "vic", "wes", "Yan"}; !slices.Equal(names, want) {
		t.Errorf("helped %v, want %v:\n%s", names, want, helped)
	}
	if !strings.Contains(helped, "- Uma — unblocked [acme/a#2](https://github.com/acme/a/pull/2#issuecomment-5)\n") {
		t.Errorf("Uma's unblocking is not linked:\n%s", helped)
	}
	if !strings.Contains(helped, "`/thanks` would land well") {
		t.Errorf("helped is not an invitation:\n%s", helped)
	}
	firsts := sumSection(s.Body, "First contributions")
	want := "### First contributions\n\n" +
		"- dee — first merged pull request in acme/a: [acme/a#2](https://github.com/acme/a/pull/2)\n" +
		"- vic — first review in acme/a: [review on acme/a#2](https://github.com/acme/a/pull/2#pullrequestreview-6)\n" +
		"- vic — first review in acme/b: [review on acme/b#3](https://github.com/acme/b/pull/3#pullrequestreview-7)\n"
	if firsts != want {
		t.Errorf("firsts:\n%s\nwant:\n%s", firsts, want)
	}
	merged := sumSection(s.Body, "Merged this week")
	if !strings.Contains(merged, "- [acme/a#2](https://github.com/acme/a/pull/2) by dee — reviewed by [vic](https://github.com/acme/a/pull/2#pullrequestreview-6), [Yan](https://github.com/acme/a/pull/2#discussion_r13); unblocked by [Uma](https://github.com/acme/a/pull/2#issuecomment-5)\n") {
		t.Errorf("merged:\n%s", merged)
	}
}

func TestSummaryEmptyWeek(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	outside := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		in   SummaryInput
	}{
		{"nothing", SummaryInput{Week: w}},
		{"all outside the week", SummaryInput{Week: w,
			Recognitions: []Record{sumThanks("1", "ann", "ben", "acme/a", 1, "", outside, "x")},
			Activity:     []Activity{sumAct(KindMerged, "acme/a", 1, "ann", "ben", "", outside.Add(-8*24*time.Hour))}}},
		{"only comments and a bot's review", SummaryInput{Week: w, Activity: []Activity{
			sumAct(KindComment, "acme/a", 1, "ann", "ben", "issuecomment-1", outside.Add(-time.Hour)),
			sumAct(KindReview, "acme/a", 1, "dependabot[bot]", "ben", "pullrequestreview-1", outside.Add(-time.Hour)),
			sumAct(KindOpened, "acme/a", 1, "ben", "ben", "", outside.Add(-time.Hour)),
		}}},
	}
	for _, c := range cases {
		s := BuildSummary(c.in)
		if !s.Empty || s.Body != "" || s.Title == "" {
			t.Errorf("%s: %+v, want Empty with no body", c.name, s)
		}
	}
}

func TestSummaryDeterministic(t *testing.T) {
	in := sumRichWeek(t)
	want := BuildSummary(in)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := in
		shuffled.Recognitions = slices.Clone(in.Recognitions)
		shuffled.Activity = slices.Clone(in.Activity)
		rng.Shuffle(len(shuffled.Recognitions), func(i, j int) {
			shuffled.Recognitions[i], shuffled.Recognitions[j] = shuffled.Recognitions[j], shuffled.Recognitions[i]
		})
		rng.Shuffle(len(shuffled.Activity), func(i, j int) {
			shuffled.Activity[i], shuffled.Activity[j] = shuffled.Activity[j], shuffled.Activity[i]
		})
		if got := BuildSummary(shuffled); got != want {
			t.Fatalf("input order changes the summary:\n%s", sumDiff(want.Body, got.Body))
		}
	}
}

func TestSummaryOfABusyWeekFitsInAnIssue(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	var recs []Record
	var acts []Activity
	for i := range 20_000 {
		giver, recipient := fmt.Sprintf("dev%03d", i%400), fmt.Sprintf("dev%03d", (i*7+1)%400)
		recs = append(recs, sumThanks(fmt.Sprintf("r%d", i), giver, recipient, "acme/widgets", 100+i%300, "", at.Add(time.Duration(i)*time.Second),
			"a careful review of the retry loop and its backoff"))
	}
	for i := range 2_000 {
		acts = append(acts, Activity{Kind: KindMerged, Repo: "acme/widgets", Number: 5000 + i, Login: "dev001", Author: fmt.Sprintf("dev%03d", i%400),
			URL: fmt.Sprintf("https://github.com/acme/widgets/pull/%d", 5000+i), At: at.Add(time.Duration(i) * time.Minute), Title: "Tidy the retry loop"})
	}
	s := BuildSummary(SummaryInput{Team: "Platform", Week: w, Recognitions: recs, Activity: acts})
	if n := len(s.Body); n > 65536 || n < 10_000 {
		t.Fatalf("summary body is %d bytes; GitHub takes at most 65,536 and a busy week still says a lot", n)
	}
	for _, want := range []string{"`kudos export` lists every thanks", "…and more thanks from others", "### Merged this week"} {
		if !strings.Contains(s.Body, want) {
			t.Errorf("busy summary lacks %q", want)
		}
	}
}
