package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kudos-app/kudos/config"
	"github.com/kudos-app/kudos/recognizer"
)

const configCheckUsage = `Usage:
  kudos config check FILE      check a .github/kudos.yml and show the settings it gives
  kudos config check --example print an example file documenting every key
`

// errConfigInvalid is returned (wrapped) when a checked file has problems.
var errConfigInvalid = errors.New("config has problems")

// configProblems is the error for a file with problems: its message is a
// one-line count (the problems themselves go to stderr); errors.As finds
// the config.Errors behind it.
type configProblems struct {
	file string
	errs config.Errors
}

func (p *configProblems) Error() string {
	noun := "problems"
	if len(p.errs) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("%s: %d %s", p.file, len(p.errs), noun)
}

func (p *configProblems) Unwrap() []error { return []error{errConfigInvalid, p.errs} }

// configCheck implements `kudos config check FILE` and
// `kudos config check --example`; args are the words after "config check".
// Problems in FILE go to stderr, one "FILE:LINE: message" a line, and the
// error returned then only counts them.
func configCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kudos config check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, configCheckUsage) }
	example := fs.Bool("example", false, "print an example file documenting every key")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch {
	case *example && fs.NArg() == 0:
		_, err := io.WriteString(stdout, config.Example)
		return err
	case *example || fs.NArg() != 1:
		fs.Usage()
		return errors.New("config check: want one FILE, or --example")
	}
	name := fs.Arg(0)
	data, err := readConfig(name)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintln(stderr, ce)
			return &configProblems{file: name, errs: config.Errors{ce}}
		}
		return err
	}
	f, err := config.Parse(name, data)
	if err != nil {
		var errs config.Errors
		if !errors.As(err, &errs) {
			return err
		}
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
		return &configProblems{file: name, errs: errs}
	}
	fmt.Fprintf(stdout, "%s: ok\n", name)
	printSettings(stdout, f.Apply(recognizer.DefaultConfig()))
	return nil
}

// readConfig reads a config file, refusing (as Parse would) one larger
// than config.MaxSize without reading all of it.
func readConfig(name string) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > config.MaxSize {
		return nil, &config.Error{File: name, Line: 1,
			Msg: fmt.Sprintf("file is %d bytes; the limit is %d", st.Size(), config.MaxSize)}
	}
	data, err := io.ReadAll(io.LimitReader(fh, config.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	if len(data) > config.MaxSize {
		return nil, &config.Error{File: name, Line: 1,
			Msg: fmt.Sprintf("file is over %d bytes; the limit is %d", config.MaxSize, config.MaxSize)}
	}
	return data, nil
}

// printSettings summarises the effective settings.
func printSettings(w io.Writer, c recognizer.Config) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "  %-11s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	reviewComments := "review comments not counted"
	if c.ShoutOutReviewComments {
		reviewComments = "review comments counted"
	}
	line("features", "thanks %s, shout-outs %s (%s), unblocking %s, summaries %s",
		onOff(c.Thanks), onOff(c.ShoutOuts), reviewComments, onOff(c.Unblocking), onOff(c.Summaries))

	verbs := []string{"/thanks", "/kudos", "/shoutout"}
	for _, a := range c.Aliases {
		verbs = append(verbs, "/"+a)
	}
	line("commands", "%s", strings.Join(verbs, " "))

	if len(c.Values) == 0 {
		line("values", "none set: any #tag is kept")
	} else {
		var vs []string
		for _, v := range c.Values {
			s := "#" + v.Tag
			if v.Description != "" {
				s += " (" + v.Description + ")"
			}
			vs = append(vs, s)
		}
		line("values", "%s", strings.Join(vs, ", "))
	}

	var never []string
	never = append(never, c.NeverName...)
	for _, t := range c.NeverNameTeams {
		never = append(never, "members of "+t)
	}
	if len(never) == 0 {
		line("never name", "nobody")
	} else {
		line("never name", "%s", strings.Join(never, ", "))
	}

	line("retention", "%s", formatDuration(c.Retention))
	line("limits", "%d thanks per person per hour", c.ThanksPerHour)
	line("unblocking", "after a wait of %s", formatHours(c.LongWait))
	line("summaries", "%ss at %02d:00 %s", c.Summary.Weekday, c.Summary.Hour, c.Summary.Timezone)
	if len(c.Summary.Teams) == 0 {
		line("teams", "none: one summary per repository, posted in it")
	}
	for i, t := range c.Summary.Teams {
		var covers []string
		covers = append(covers, t.Repos...)
		if t.GitHubTeam != "" {
			covers = append(covers, "members of "+t.GitHubTeam)
		}
		label := ""
		if i == 0 {
			label = "teams:"
		}
		fmt.Fprintf(w, "  %-11s %s: %s → %s\n", label, t.Name, strings.Join(covers, ", "), t.Target)
	}
}

// formatDuration writes d in the largest whole unit: weeks, days or hours.
func formatDuration(d time.Duration) string {
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	plural := func(n int64, unit string) string {
		if n == 1 {
			return fmt.Sprintf("1 %s", unit)
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d > 0 && d%week == 0:
		return plural(int64(d/week), "week")
	case d > 0 && d%day == 0:
		return plural(int64(d/day), "day")
	case d > 0 && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	}
	return d.String()
}

// formatHours writes d in hours, as unblocking.long_wait_hours sets it.
func formatHours(d time.Duration) string {
	if d%time.Hour != 0 {
		return d.String()
	}
	if d == time.Hour {
		return "1 hour"
	}
	return fmt.Sprintf("%d hours", d/time.Hour)
}
