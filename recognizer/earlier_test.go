package recognizer

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// withEarlierKept is in with its activity from before the week reduced to
// what EarlierActivity keeps, offered in the order given.
func withEarlierKept(in SummaryInput) (SummaryInput, int) {
	start := in.Week.Start()
	var week []Activity
	for _, a := range in.Activity {
		if !a.At.Before(start) {
			week = append(week, a)
		}
	}
	e := NewEarlierActivity(in.Week, week)
	kept := 0
	out := in
	out.Activity = week
	for _, a := range in.Activity {
		if a.At.Before(start) && e.Keep(a) {
			out.Activity = append(out.Activity, a)
			kept++
		}
	}
	return out, kept
}

func TestEarlierActivityKeepsWhatTheSummarySays(t *testing.T) {
	rich := sumRichWeek(t)
	if _, kept := withEarlierKept(rich); kept == 0 {
		t.Fatal("the rich week keeps no earlier activity: the test checks nothing")
	}
	for _, in := range []SummaryInput{rich, func() SummaryInput { in := rich; in.TargetPrivate = true; return in }()} {
		reduced, _ := withEarlierKept(in)
		if got, want := BuildSummary(reduced), BuildSummary(in); got != want {
			t.Errorf("private target %v: the summary changes with only the kept earlier activity:\n%s", in.TargetPrivate, sumDiff(want.Body, got.Body))
		}
	}
}

func TestEarlierActivityLeavesOutWhatNoSectionReads(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	old := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	e := NewEarlierActivity(w, []Activity{
		sumAct(KindMerged, "acme/a", 1, "ann", "ben", "", at),
		sumAct(KindReview, "acme/a", 2, "cy", "dee", "pullrequestreview-2", at),
		sumAct(KindMerged, "acme/a", 9, "ann", "eve", "", old), // before the week: not this week's
	})
	cases := []struct {
		a    Activity
		keep bool
	}{
		{sumAct(KindReview, "acme/a", 1, "fay", "ben", "pullrequestreview-3", old), true},                 // reviewed a PR merged this week
		{sumAct(KindReviewComment, "ACME/A", 1, "gus", "ben", "discussion_r4", old), true},                // ... in any case of the name
		{sumAct(KindComment, "acme/a", 1, "hal", "ben", "issuecomment-5", old), false},                    // a comment names no reviewer
		{sumAct(KindMerged, "acme/a", 3, "ann", "ben", "", old), true},                                    // ben merged before: no first
		{sumAct(KindMerged, "acme/a", 4, "ann", "ben", "", old), false},                                   // one earlier merge is enough
		{sumAct(KindMerged, "acme/b", 5, "ann", "ben", "", old), false},                                   // another repository
		{sumAct(KindReview, "acme/a", 6, "Cy", "ivy", "pullrequestreview-6", old), true},                  // cy reviewed before
		{sumAct(KindReview, "acme/a", 7, "cy", "cy", "pullrequestreview-7", old), false},                  // their own PR is no review
		{sumAct(KindReview, "acme/a", 8, "jo", "ivy", "pullrequestreview-8", old), false},                 // jo did nothing this week
		{sumAct(KindMerged, "acme/a", 10, "ann", "eve", "", old.Add(-time.Hour)), false},                  // eve merged nothing this week
		{sumAct(KindReviewComment, "acme/a", 11, "cy", "ivy", "discussion_r11", old), false},              // a review comment is no first review
		{sumAct(KindReview, "acme/a", 9, "kim", "eve", "pullrequestreview-9", old.Add(time.Hour)), false}, // a PR merged before the week
	}
	for i, c := range cases {
		if got := e.Keep(c.a); got != c.keep {
			t.Errorf("case %d (%s by %s on %s#%d): Keep %v, want %v", i, c.a.Kind, c.a.Login, c.a.Repo, c.a.Number, got, c.keep)
		}
	}
}

// TestEarlierActivityRandomWeeks builds summaries of random weeks, each
// from all of its earlier activity and from what EarlierActivity keeps
// of it offered in a random order, and wants the same summary.
func TestEarlierActivityRandomWeeks(t *testing.T) {
	w, _ := ParseWeek("2026-W47", time.UTC)
	rng := rand.New(rand.NewPCG(7, 47))
	logins := []string{"ann", "Ben", "ben", "cy", "dee", "eve", "renovate[bot]", ""}
	repos := []string{"acme/a", "acme/b", "ACME/a"}
	kinds := []ContributionKind{KindMerged, KindReview, KindReviewComment, KindComment, KindOpened}
	kept, earlier := 0, 0
	for round := range 300 {
		var in SummaryInput
		in.Week, in.TargetPrivate = w, rng.IntN(2) == 0
		in.Hidden = map[string]bool{}
		if rng.IntN(3) == 0 {
			in.Hidden[logins[rng.IntN(len(logins))]] = true
		}
		for i := range 10 + rng.IntN(60) {
			// Five weeks before this one, and this one; some at the
			// moment it starts.
			at := w.Start().Add(-5*7*24*time.Hour + time.Duration(rng.Int64N(int64(6*7*24*time.Hour))))
			if rng.IntN(8) == 0 {
				at = w.Start()
			}
			repo, num := repos[rng.IntN(len(repos))], 1+rng.IntN(8)
			a := sumAct(kinds[rng.IntN(len(kinds))], repo, num, logins[rng.IntN(len(logins))], logins[rng.IntN(len(logins))],
				fmt.Sprintf("pullrequestreview-%d", i), at)
			a.Private = rng.IntN(5) == 0
			in.Activity = append(in.Activity, a)
			if a.At.Before(w.Start()) {
				earlier++
			}
		}
		in.Recognitions = []Record{
			{ID: "s", Kind: KindShoutout, At: w.Start().Add(time.Hour), Repo: "acme/a", Number: 1 + rng.IntN(8), Recipient: logins[rng.IntN(len(logins))]},
		}
		want := BuildSummary(in)
		shuffled := in
		shuffled.Activity = append([]Activity(nil), in.Activity...)
		rng.Shuffle(len(shuffled.Activity), func(i, j int) {
			shuffled.Activity[i], shuffled.Activity[j] = shuffled.Activity[j], shuffled.Activity[i]
		})
		reduced, n := withEarlierKept(shuffled)
		kept += n
		if got := BuildSummary(reduced); got != want {
			t.Fatalf("round %d: the summary changes with only the kept earlier activity:\n%s", round, sumDiff(want.Body, got.Body))
		}
	}
	if kept == 0 || kept >= earlier {
		t.Fatalf("kept %d of %d earlier entries: the rounds test neither keeping nor leaving out", kept, earlier)
	}
}
