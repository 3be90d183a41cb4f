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
