package recognizer_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kudos-app/kudos/internal/corpus"
	"github.com/kudos-app/kudos/recognizer"
)

// The unblocking detector must be right when it names someone: these are
// the floors on the labelled corpus. Precision matters more than recall.
const (
	corpusMinPrecision = 0.90
	corpusMinRecall    = 0.60
)

// corpusCounts are true positives, false positives and false negatives.
type corpusCounts struct{ tp, fp, fn int }

func (c corpusCounts) precision() float64 {
	if c.tp+c.fp == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fp)
}

func (c corpusCounts) recall() float64 {
	if c.tp+c.fn == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fn)
}

// TestCorpusUnblocking replays every labelled conversation through the
// production path (Recognize, the ledger, DetectUnblocking) and compares
// the detections with the labels as (login, signal) pairs.
func TestCorpusUnblocking(t *testing.T) {
	convs, err := corpus.LoadDir(filepath.Join("testdata", "unblock"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := recognizer.DefaultConfig()
	signals := []string{recognizer.SignalAcknowledged, recognizer.SignalAnswered, recognizer.SignalReReview, recognizer.SignalLongWait}
	per := map[string]*corpusCounts{}
	for _, s := range signals {
		per[s] = &corpusCounts{}
	}
	var all corpusCounts
	var misses []string
	for _, c := range convs {
		if !c.Labelled {
			t.Errorf("%s: no expect labels", c.Name())
			continue
		}
		_, got := corpus.Replay(c, cfg)
		tp, fp, fn := c.Compare(got)
		for _, x := range tp {
			all.tp++
			per[x.Signal].tp++
		}
		for _, x := range fp {
			all.fp++
			per[x.Signal].fp++
			why := ""
			for _, d := range got {
				if strings.EqualFold(d.Login, x.Login) && d.Signal == x.Signal {
					why = d.Why
				}
			}
			misses = append(misses, fmt.Sprintf("FP %s: %s %s — %s", c.Name(), x.Login, x.Signal, why))
		}
		for _, x := range fn {
			all.fn++
			per[x.Signal].fn++
			misses = append(misses, fmt.Sprintf("FN %s: %s %s — label: %s", c.Name(), x.Login, x.Signal, c.Why))
		}
	}
	sort.Strings(misses)
	for _, m := range misses {
		t.Log(m)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "unblocking corpus: %d conversations\n", len(convs))
	fmt.Fprintf(&b, "%-13s %4s %4s %4s %9s %7s\n", "signal", "tp", "fp", "fn", "precision", "recall")
	row := func(name string, c corpusCounts) {
		fmt.Fprintf(&b, "%-13s %4d %4d %4d %9.3f %7.3f\n", name, c.tp, c.fp, c.fn, c.precision(), c.recall())
	}
	for _, s := range signals {
		row(s, *per[s])
	}
	row("overall", all)
	t.Log("\n" + b.String())

	if p := all.precision(); p < corpusMinPrecision {
		t.Errorf("overall precision %.3f < %.2f", p, corpusMinPrecision)
	}
	if r := all.recall(); r < corpusMinRecall {
		t.Errorf("overall recall %.3f < %.2f", r, corpusMinRecall)
	}
}

// TestCorpusReplayIsDeterministic: the same conversation always gives the
// same detections in the same order.
func TestCorpusReplayIsDeterministic(t *testing.T) {
	convs, err := corpus.LoadDir(filepath.Join("testdata", "unblock"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := recognizer.DefaultConfig()
	for _, c := range convs {
		_, first := corpus.Replay(c, cfg)
		if _, again := corpus.Replay(c, cfg); fmt.Sprint(first) != fmt.Sprint(again) {
			t.Fatalf("%s: detections differ between replays:\n%v\n%v", c.Name(), first, again)
		}
		seen := map[string]bool{}
		for _, d := range first {
			k := strings.ToLower(d.Login) + "/" + d.Signal
			if seen[k] {
				t.Errorf("%s: %s detected twice", c.Name(), k)
			}
			seen[k] = true
			if d.Why == "" || len(d.Evidence) == 0 {
				t.Errorf("%s: %s lacks a why or evidence: %+v", c.Name(), k, d)
			}
			for _, u := range d.Evidence {
				if !strings.HasPrefix(u, c.URL()) {
					t.Errorf("%s: evidence %q is not a link into the PR", c.Name(), u)
				}
			}
		}
	}
}
