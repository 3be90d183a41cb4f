package recognizer

// EarlierActivity picks, from the activity before a summary's week, the
// few entries BuildSummary reads, so a summary never needs all of a
// repository's kept activity at once:
//
//   - the reviews and review comments on the PRs merged in the week, which
//     name those PRs' reviewers;
//   - for each person's merged PRs and reviews of others in a repository
//     that the week holds, one earlier entry of the same kind, which shows
//     the week's is not their first.
//
// Given the week's activity and only the earlier entries Keep accepts,
// BuildSummary writes what it writes given all earlier activity.
type EarlierActivity struct {
	merged map[string]bool // sumPRKey of the PRs merged in the week
	// firsts holds the firstKey of the week's merged PRs and reviews:
	// false until an earlier entry of the same key was kept.
	firsts map[string]bool
}

// NewEarlierActivity prepares the choice for week w from the activity
// that will be given for it; entries outside w are ignored.
func NewEarlierActivity(w Week, acts []Activity) *EarlierActivity {
	e := &EarlierActivity{merged: map[string]bool{}, firsts: map[string]bool{}}
	start, end := w.Start(), w.End()
	for _, a := range acts {
		if a.At.Before(start) || !a.At.Before(end) {
			continue
		}
		if a.Kind == KindMerged {
			e.merged[sumPRKey(a.Repo, a.Number)] = true
		}
		if k, ok := firstKey(a); ok {
			e.firsts[k] = false
		}
	}
	return e
}

// Keep reports whether a summary of the week reads a, an entry from
// before the week. Entries are offered in any order.
func (e *EarlierActivity) Keep(a Activity) bool {
	if (a.Kind == KindReview || a.Kind == KindReviewComment) && e.merged[sumPRKey(a.Repo, a.Number)] {
		return true
	}
	k, ok := firstKey(a)
	if !ok {
		return false
	}
	if kept, due := e.firsts[k]; due && !kept {
		e.firsts[k] = true
		return true
	}
	return false
}
