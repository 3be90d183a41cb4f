package config

import (
	"slices"

	"github.com/kudos-app/kudos/recognizer"
)

// Apply returns base with the file's settings laid over it; keys the file
// does not set keep base's values. The result shares no slices with f.
func (f *File) Apply(base recognizer.Config) recognizer.Config {
	c := base
	if f == nil {
		return c
	}
	setBool := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	setBool(&c.Thanks, f.Thanks)
	setBool(&c.ShoutOuts, f.ShoutOuts)
	setBool(&c.Unblocking, f.Unblocking)
	setBool(&c.Summaries, f.Summaries)
	setBool(&c.ShoutOutReviewComments, f.ShoutOutReviewComments)
	if f.Aliases != nil {
		c.Aliases = slices.Clone(f.Aliases)
	}
	if f.Values != nil {
		c.Values = slices.Clone(f.Values)
	}
	if f.NeverName != nil {
		c.NeverName = slices.Clone(f.NeverName)
	}
	if f.NeverNameTeams != nil {
		c.NeverNameTeams = slices.Clone(f.NeverNameTeams)
	}
	if f.Retention != nil {
		c.Retention = *f.Retention
	}
	if f.ThanksPerHour != nil {
		c.ThanksPerHour = *f.ThanksPerHour
	}
	if f.LongWait != nil {
		c.LongWait = *f.LongWait
	}
	if f.Weekday != nil {
		c.Summary.Weekday = *f.Weekday
	}
	if f.Hour != nil {
		c.Summary.Hour = *f.Hour
	}
	if f.Timezone != nil {
		c.Summary.Timezone = *f.Timezone
	}
	if f.Teams != nil {
		c.Summary.Teams = make([]recognizer.Team, len(f.Teams))
		for i, t := range f.Teams {
			t.Repos = slices.Clone(t.Repos)
			c.Summary.Teams[i] = t
		}
	}
	return c
}
