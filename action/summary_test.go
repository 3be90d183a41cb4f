package action

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// Build reads a repository's earlier activity a page at a time and keeps
// only what the summary reads, and says what it would say given all of
// it: a review from weeks before still names a reviewer of a PR merged
// this week, and an earlier review still withholds a "first".
func TestSummaryBuildReadsEarlierActivity(t *testing.T) {
	ctx := context.Background()
	st := newSummaryStore(t)
	gh, sum, sc := widgetsSummary(t, st)
	week := recognizer.WeekOf(time.Now(), time.UTC).Prev()
	in := func(d int, h int) time.Time { return week.Start().Add(time.Duration(d*24+h) * time.Hour) }
	act := func(kind recognizer.ContributionKind, number int, login, author, frag string, at time.Time) recognizer.Activity {
		return recognizer.Activity{Kind: kind, Repo: "acme/widgets", Number: number, Login: login, Author: author,
			URL: fmt.Sprintf("https://github.com/acme/widgets/pull/%d%s", number, frag), At: at}
	}
	// Four weeks before this one: the oldest entries are carol's review
	// of #42 and nina's review of #7; then 3,000 comments by others,
	// several pages of them.
	long := week.Start().Add(-28 * 24 * time.Hour)
	acts := []recognizer.Activity{
		act(recognizer.KindReview, 42, "carol", "erin", "#pullrequestreview-1", long),
		act(recognizer.KindReview, 7, "nina", "erin", "#pullrequestreview-2", long.Add(time.Minute)),
		act(recognizer.KindReview, 42, "carl", "erin", "#pullrequestreview-5", long.Add(2*time.Minute)),
	}
	for i := range 3000 {
		acts = append(acts, act(recognizer.KindComment, 100+i%50, fmt.Sprintf("dev%02d", i%40), "erin",
			fmt.Sprintf("#issuecomment-%d", 1000+i), long.Add(time.Hour+time.Duration(i)*time.Minute)))
	}
	// The week: erin's #42 merged, and reviews by nina (not her first),
	// omar and pia (their first; pia's the moment the week starts).
	acts = append(acts,
		act(recognizer.KindReview, 43, "pia", "erin", "#pullrequestreview-6", week.Start()),
		act(recognizer.KindReview, 43, "nina", "erin", "#pullrequestreview-3", in(1, 10)),
		act(recognizer.KindReview, 43, "omar", "erin", "#pullrequestreview-4", in(1, 11)),
		act(recognizer.KindMerged, 42, "erin", "erin", "", in(2, 9)),
	)
	keepActivity(t, st, "d", acts)
	s, err := sum.Build(ctx, sc, week)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"reviewed by [carl](https://github.com/acme/widgets/pull/42#pullrequestreview-5), [carol](https://github.com/acme/widgets/pull/42#pullrequestreview-1)",
		"omar — first review in acme/widgets",
		"pia — first review in acme/widgets",
	} {
		if !strings.Contains(s.Body, want) {
			t.Errorf("summary lacks %q:\n%s", want, s.Body)
		}
	}
	if strings.Contains(s.Body, "nina — first review") {
		t.Errorf("nina's review is called her first, though she reviewed four weeks before:\n%s", s.Body)
	}

	// The same summary as one built from every entry at once.
	all, err := st.Activity(ctx, 1, 99, time.Time{}, week.End())
	if err != nil {
		t.Fatal(err)
	}
	if want := summaryOfAll(sc, week, all); s != want {
		t.Errorf("the summary differs from one built from all activity:\n%s\nwant:\n%s", s.Body, want.Body)
	}

	// A GitHub team's summary names only its members, in what was done
	// before the week too.
	gh.SetTeam("acme", "platform", "carol", "erin", "nina", "omar", "pia")
	sc.GitHubTeam = "acme/platform"
	if s, err = sum.Build(ctx, sc, week); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.Body, "reviewed by [carol](https://github.com/acme/widgets/pull/42#pullrequestreview-1)\n") {
		t.Errorf("the team's summary names someone outside it, or not carol, as a reviewer:\n%s", s.Body)
	}
}

// widgetsSummary is a Summarizer over st and a fake GitHub, and the scope
// of acme/widgets's own summary (installation 1, repository 99).
func widgetsSummary(tb testing.TB, st *store.Store) (*fakegithub.Server, *Summarizer, TeamScope) {
	tb.Helper()
	gh, client := newFakeGitHub(tb, "")
	return gh, &Summarizer{Store: st, GitHub: client, Logger: testLogger(tb)},
		TeamScope{Installation: 1, Name: "acme/widgets", Repos: []string{"acme/widgets"}, Target: "acme/widgets"}
}

// keepActivity records acts as delivery id of acme/widgets would.
func keepActivity(tb testing.TB, st *store.Store, id string, acts []recognizer.Activity) {
	tb.Helper()
	if _, err := st.Accept(context.Background(), store.Delivery{ID: id, InstallationID: 1, RepoID: 99, Number: 1,
		Owner: "acme", Repo: "widgets", Activity: acts}); err != nil {
		tb.Fatal(err)
	}
}

// summaryOfAll is the summary of sc's week built from all activity at
// once, with nobody hidden: what Build must say.
func summaryOfAll(sc TeamScope, week recognizer.Week, all []recognizer.Activity) recognizer.Summary {
	return recognizer.BuildSummary(recognizer.SummaryInput{Team: sc.Name, Week: week, Activity: all,
		Hidden: map[string]bool{}, Previous: &recognizer.WeekStats{}})
}
