package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kudos-app/kudos/internal/corpus"
	"github.com/kudos-app/kudos/recognizer"
)

const explainUsage = `Usage: kudos explain FILE [FILE...]

Replays each PR conversation file (the format of
recognizer/testdata/unblock/README.md) through the recognizer and says who
unblocked the author, by which signal, why, and with which links. When a
file carries "expect" labels, it also says whether the detections match.
`

// explain implements "kudos explain FILE [FILE...]". Files that cannot be
// read are reported in the returned error; the others are still explained.
func explain(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, explainUsage)
		return errUsage
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, explainUsage)
			return nil
		}
	}
	cfg := recognizer.DefaultConfig()
	var errs []error
	for i, path := range args {
		c, err := corpus.Load(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		explainOne(stdout, c, cfg)
	}
	if len(errs) > 0 {
		return fmt.Errorf("explain: %w", errors.Join(errs...))
	}
	return nil
}

// explainOne prints what the detector makes of one conversation.
func explainOne(w io.Writer, c *corpus.Conversation, cfg recognizer.Config) {
	status := "open"
	for _, e := range c.Timeline {
		switch e.Type {
		case corpus.TypeMerged:
			status = "merged"
		case corpus.TypeClosed:
			status = "closed without merging"
		}
	}
	fmt.Fprintf(w, "%s: %s#%d %q by %s (%s)\n", c.Name(), c.Repo, c.Number, c.Title, c.Author, status)

	hist, got := corpus.Replay(c, cfg)
	if len(got) == 0 {
		fmt.Fprintf(w, "  %s\n", recognizer.WhyNoUnblocking(hist, c.Author, c.Merged(), cfg))
	}
	for _, d := range got {
		fmt.Fprintf(w, "  %s unblocked %s: %s\n", d.Login, c.Author, d.Signal)
		fmt.Fprintf(w, "    %s\n", d.Why)
		for _, u := range d.Evidence {
			fmt.Fprintf(w, "    %s\n", u)
		}
	}
	if !c.Labelled {
		return
	}
	_, fp, fn := c.Compare(got)
	if len(fp) == 0 && len(fn) == 0 {
		if len(c.Expect) == 0 {
			fmt.Fprintln(w, "  labels: match (nobody expected)")
		} else {
			fmt.Fprintf(w, "  labels: match (%s)\n", pairs(c.Expect))
		}
		return
	}
	var diff []string
	if len(fn) > 0 {
		diff = append(diff, "missing "+pairs(fn))
	}
	if len(fp) > 0 {
		diff = append(diff, "unexpected "+pairs(fp))
	}
	fmt.Fprintf(w, "  labels: MISMATCH: %s\n", strings.Join(diff, "; "))
	if c.Why != "" {
		fmt.Fprintf(w, "  label says: %s\n", c.Why)
	}
}

// pairs renders (login, signal) pairs as "bob/answered, carol/long_wait".
func pairs(xs []corpus.Expectation) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.Login + "/" + x.Signal
	}
	return strings.Join(s, ", ")
}
