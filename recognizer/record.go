package recognizer

import (
	"fmt"
	"time"
)

// Record is one delivered recognition, one recipient a line, as exports
// write it. Field names are public: they may be added to, never renamed.
type Record struct {
	ID   string    `json:"id"`
	Kind string    `json:"kind"` // KindThanks, KindShoutout or KindUnblocked
	At   time.Time `json:"at"`
	// Week is the ISO week ("2026-W47") of At in UTC; summaries recompute
	// it in their own time zone.
	Week        string   `json:"week"`
	Repo        string   `json:"repo"` // "owner/name"
	Number      int      `json:"number"`
	Giver       string   `json:"giver"` // empty for the app's own recognitions
	Recipient   string   `json:"recipient"`
	ArtifactURL string   `json:"artifact_url"`
	Reason      string   `json:"reason"`
	Values      []string `json:"values"`
	Evidence    []string `json:"evidence"`
	// Private: the repository was private when the recognition was made.
	Private bool `json:"private"`
}

// Activity is one contribution kept for weekly summaries: what someone
// did, where and when, without what they wrote.
type Activity struct {
	Kind   ContributionKind `json:"kind"`
	Repo   string           `json:"repo"`
	Number int              `json:"number"`
	Login  string           `json:"login"`
	// Author opened the PR or issue the activity is on.
	Author  string    `json:"author,omitempty"`
	URL     string    `json:"url"`
	At      time.Time `json:"at"`
	State   string    `json:"state,omitempty"`
	Private bool      `json:"private,omitempty"`
	Title   string    `json:"title,omitempty"`
}

// ISOWeek names the ISO week of t in loc, e.g. "2026-W47".
func ISOWeek(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ActivityOf turns the contributions an event recorded into the activity
// kept for weekly summaries: what people wrote, and merges. Bots' doings
// are left out.
func ActivityOf(ev Event, recs []Contribution) []Activity {
	var out []Activity
	for _, c := range recs {
		switch c.Kind {
		case KindReview, KindReviewComment, KindComment, KindMerged, KindOpened:
		default:
			continue
		}
		if c.Bot {
			continue
		}
		a := Activity{
			Kind: c.Kind, Repo: ev.Repo.FullName, Number: ev.Number, Login: c.Login,
			Author: ev.TargetAuthor.Login, URL: c.HTMLURL, At: c.At, State: c.State, Private: ev.Repo.Private,
		}
		if ev.PR != nil {
			a.Title = ev.PR.Title
		}
		out = append(out, a)
	}
	return out
}

// RecordsOf returns the records of the recognitions in ids that s
// delivered, one per recipient.
func RecordsOf(s Suggestion, ids []string) []Record {
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
	}
	var out []Record
	for _, r := range s.Recognitions {
		if !keep[r.ID] {
			continue
		}
		rec := Record{
			ID: r.ID, Kind: r.Kind, At: s.At.UTC(), Week: ISOWeek(s.At, time.UTC),
			Repo: s.Owner + "/" + s.Repo, Number: s.Number, Recipient: r.Recipient,
			ArtifactURL: r.ArtifactURL, Reason: r.Reason, Values: r.Values, Evidence: r.Evidence,
			Private: s.Private,
		}
		if r.Kind == KindThanks || r.Kind == "" {
			rec.Kind, rec.Giver = KindThanks, s.Giver
		}
		if rec.Values == nil {
			rec.Values = []string{}
		}
		if rec.Evidence == nil {
			rec.Evidence = []string{}
		}
		out = append(out, rec)
	}
	return out
}
