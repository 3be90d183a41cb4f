package recognizer

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// participant is everything one person did on a PR, from its ledger.
type participant struct {
	login          string
	first          Contribution
	reviews        []Contribution
	reviewComments []Contribution
	comments       []Contribution
}

// ShoutOut composes the recognitions of a merged PR's shout-out from its
// ledger: each reviewer who is not the author and not a bot, with what
// they concretely did. It returns none, and says why, when nobody but the
// author took part.
func ShoutOut(s Suggestion, hist History, cfg Config) ([]Recognition, string) {
	people := map[string]*participant{}
	var order []*participant
	for _, c := range hist.Contributions {
		if c.Kind.IsTimeline() || c.Bot || cfg.isBot(c.Login) || strings.EqualFold(c.Login, s.Author) {
			continue
		}
		key := strings.ToLower(c.Login)
		p := people[key]
		if p == nil {
			p = &participant{login: c.Login, first: c}
			people[key] = p
			order = append(order, p)
		}
		switch c.Kind {
		case KindReview:
			p.reviews = append(p.reviews, c)
		case KindReviewComment:
			p.reviewComments = append(p.reviewComments, c)
		case KindComment:
			p.comments = append(p.comments, c)
		}
	}
	// People appear in the order they joined the review: never ranked.
	sort.SliceStable(order, func(i, j int) bool { return order[i].first.At.Before(order[j].first.At) })

	var unblocked map[string][]Detection
	if cfg.Unblocking {
		unblocked = map[string][]Detection{}
		for _, d := range DetectUnblocking(hist, s.Author, true, cfg) {
			unblocked[strings.ToLower(d.Login)] = append(unblocked[strings.ToLower(d.Login)], d)
		}
	}
	var recs []Recognition
	for _, p := range order {
		hs := foldUnblocking(highlights(p, hist, cfg), unblocked[strings.ToLower(p.login)])
		if len(hs) == 0 {
			continue
		}
		texts := make([]string, len(hs))
		for i, h := range hs {
			texts[i] = h.Text
		}
		recs = append(recs, Recognition{
			ID:            stableID("shoutout", itoa(s.RepoID), itoa(int64(s.Number)), strings.ToLower(p.login)),
			Kind:          KindShoutout,
			Recipient:     p.login,
			ArtifactURL:   headline(p).HTMLURL,
			ArtifactKind:  string(headline(p).Kind),
			ArtifactLabel: headline(p).Label(),
			Reason:        strings.Join(texts, ", "),
			Highlights:    hs,
			Evidence:      evidence(unblocked[strings.ToLower(p.login)]),
		})
	}
	// Each detection is also a recognition of its own, with its evidence,
	// for the weekly summary and exports.
	for _, p := range order {
		for _, d := range unblocked[strings.ToLower(p.login)] {
			recs = append(recs, Recognition{
				ID:          stableID("unblocked", itoa(s.RepoID), itoa(int64(s.Number)), strings.ToLower(d.Login), d.Signal),
				Kind:        KindUnblocked,
				Recipient:   d.Login,
				ArtifactURL: d.Evidence[len(d.Evidence)-1],
				Reason:      d.Why,
				Evidence:    d.Evidence,
			})
		}
	}
	switch {
	case len(recs) > 0:
		return recs, fmt.Sprintf("%d people to thank", len(recs))
	case len(order) > 0:
		return nil, "nobody reviewed it; conversation only"
	}
	return nil, "nobody but the author took part"
}

// foldUnblocking adds to a person's highlights how they unblocked the PR,
// with the evidence link; an approval that unblocked the merge says so.
func foldUnblocking(hs []Highlight, ds []Detection) []Highlight {
	// The most specific wording first; one highlight per link.
	rank := map[string]int{SignalAnswered: 0, SignalReReview: 1, SignalLongWait: 2, SignalAcknowledged: 3}
	ds = slices.Clone(ds)
	sort.SliceStable(ds, func(i, j int) bool { return rank[ds[i].Signal] < rank[ds[j].Signal] })
	linked := map[string]bool{}
	for _, d := range ds {
		last := d.Evidence[len(d.Evidence)-1]
		if d.Signal != SignalReReview && (linked[last] || linked[d.Evidence[0]]) {
			continue
		}
		linked[last], linked[d.Evidence[0]] = true, true
		if d.Signal == SignalAcknowledged || d.Signal == SignalAnswered {
			// Their comment is already a highlight: say what it did.
			if i := slices.IndexFunc(hs, func(h Highlight) bool { return h.URL == d.Evidence[0] || h.URL == last }); i >= 0 {
				hs[i].Text += ", which unblocked it"
				continue
			}
		}
		switch d.Signal {
		case SignalAcknowledged:
			hs = append(hs, Highlight{Text: "unblocked it, as the thread says", URL: d.Evidence[0]})
		case SignalAnswered:
			hs = append(hs, Highlight{Text: "unblocked it with an answer", URL: last})
		case SignalLongWait:
			hs = append(hs, Highlight{Text: "unblocked it by ending a long wait for review", URL: last})
		case SignalReReview:
			renamed := false
			for i := range hs {
				if hs[i].URL == last {
					hs[i].Text, renamed = "unblocked the merge by approving once the fixes landed", true
				}
			}
			if !renamed {
				hs = append(hs, Highlight{Text: "unblocked the merge by re-reviewing the fixes", URL: last})
			}
		}
	}
	return hs
}

func evidence(ds []Detection) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Evidence...)
	}
	return out
}

// headline is the contribution a reviewer's shout-out links first.
func headline(p *participant) Contribution {
	if r, ok := lastApproval(p.reviews); ok {
		return r
	}
	if len(p.reviews) > 0 {
		return p.reviews[0]
	}
	if len(p.reviewComments) > 0 {
		return p.reviewComments[0]
	}
	return p.first
}

// highlights says what a reviewer did, most telling first, each with its
// link. The wording follows what happened; nothing is said that the
// ledger does not show.
func highlights(p *participant, hist History, cfg Config) []Highlight {
	var hs []Highlight
	at := map[string]time.Time{} // to tell the story in order
	add := func(text string, c Contribution) {
		hs = append(hs, Highlight{Text: text, URL: c.HTMLURL})
		at[text] = c.At
	}
	changes := byState(p.reviews, "changes_requested")
	approval, approved := lastApproval(p.reviews)
	switch {
	case len(changes) > 0 && approved && approval.At.After(changes[0].At):
		add("asked for changes"+times(len(changes)), changes[0])
		if pushesBetween(hist, changes[len(changes)-1], approval) > 0 {
			add("approved once the fixes landed", approval)
		} else {
			add("then approved", approval)
		}
	case approved:
		text := "approved it"
		if approval.BodyLen >= 280 {
			text = "approved it with a detailed review"
		}
		add(text, approval)
	case len(changes) > 0:
		add("asked for changes"+times(len(changes)), changes[0])
	case len(p.reviews) > 0:
		// Comment-only or dismissed reviews: they still read the change.
		add("reviewed it"+times(len(p.reviews)), p.reviews[len(p.reviews)-1])
	}
	if cfg.ShoutOutReviewComments && len(p.reviewComments) > 0 {
		reviewCommentHighlights(p, hist, add)
	}
	sort.SliceStable(hs, func(i, j int) bool { return at[hs[i].Text].Before(at[hs[j].Text]) })
	return hs
}

// reviewCommentHighlights says what a reviewer's comments on the diff
// did: how many, the code they suggested, the discussion they started.
func reviewCommentHighlights(p *participant, hist History, add func(string, Contribution)) {
	var plain, sugg []Contribution
	for _, c := range p.reviewComments {
		if c.Suggestion {
			sugg = append(sugg, c)
		} else {
			plain = append(plain, c)
		}
	}
	switch len(plain) {
	case 0:
	case 1:
		add("left a review comment", plain[0])
	default:
		add(fmt.Sprintf("left %d review comments", len(plain)), plain[0])
	}
	switch len(sugg) {
	case 0:
	case 1:
		add("suggested a code change", sugg[0])
	default:
		add(fmt.Sprintf("suggested %d code changes", len(sugg)), sugg[0])
	}
	if top, replies := liveliestThread(p, hist); replies >= 2 {
		add(fmt.Sprintf("started the thread that drew %d replies", replies), top)
	}
}

func byState(reviews []Contribution, state string) []Contribution {
	var out []Contribution
	for _, r := range reviews {
		if r.State == state {
			out = append(out, r)
		}
	}
	return out
}

func lastApproval(reviews []Contribution) (Contribution, bool) {
	a := byState(reviews, "approved")
	if len(a) == 0 {
		return Contribution{}, false
	}
	return a[len(a)-1], true
}

func times(n int) string {
	switch n {
	case 1:
		return ""
	case 2:
		return " twice"
	}
	return fmt.Sprintf(" %d times", n)
}

// pushesBetween counts pushes to the PR between two contributions.
func pushesBetween(hist History, from, to Contribution) int {
	n := 0
	for _, c := range hist.Contributions {
		if c.Kind == KindPush && c.At.After(from.At) && c.At.Before(to.At) {
			n++
		}
	}
	return n
}

// liveliestThread is the review thread p started that drew the most
// replies from others.
func liveliestThread(p *participant, hist History) (Contribution, int) {
	var best Contribution
	most := 0
	for _, top := range p.reviewComments {
		if top.Thread != top.ID {
			continue
		}
		n := 0
		for _, c := range hist.Contributions {
			if c.Kind == KindReviewComment && c.Thread == top.ID && c.ID != top.ID && !strings.EqualFold(c.Login, p.login) {
				n++
			}
		}
		if n > most {
			best, most = top, n
		}
	}
	return best, most
}
