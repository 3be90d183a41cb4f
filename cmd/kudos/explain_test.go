package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// explainCorpusFile is a file of the labelled unblocking corpus.
func explainCorpusFile(name string) string {
	return filepath.Join("..", "..", "recognizer", "testdata", "unblock", name)
}

func TestExplainCorpusFiles(t *testing.T) {
	cases := []struct {
		file string
		want []string
		not  []string
	}{{
		// answered and acknowledged: a Terraform cycle, answered, "unblocked 🎉".
		file: "011-rds-sg-cycle.yaml",
		want: []string{
			`011-rds-sg-cycle.yaml: harborlight/infra#1533 "Move RDS into shared VPC module" by kwame (merged)`,
			"  tomasz-w unblocked kwame: answered\n    kwame asked or reported a problem; tomasz-w answered 50 minutes later, and kwame pushed",
			"    https://github.com/harborlight/infra/pull/1533#issuecomment-1750985817\n    https://github.com/harborlight/infra/pull/1533#issuecomment-1750989454\n",
			"  tomasz-w unblocked kwame: acknowledged\n    kwame (the author) said tomasz-w's help made something work (in a comment).",
			"https://github.com/harborlight/infra/pull/1533#issuecomment-1750990179",
			"  labels: match (tomasz-w/answered, tomasz-w/acknowledged)",
		},
		not: []string{"no one unblocked", "MISMATCH"},
	}, {
		// re_review and long_wait: changes requested, pushed, re-requested,
		// approved three days later.
		file: "003-rereview-after-rerequest-long.yaml",
		want: []string{
			"  gabe-l unblocked hana-j: long_wait\n    gabe-l approved 3 days 6 hours after review was requested from gabe-l, with no review in between, and it merged 40 minutes later.\n    https://github.com/acme/widgets/pull/2999#pullrequestreview-1799308228\n",
			"  gabe-l unblocked hana-j: re_review\n    gabe-l asked for changes, hana-j pushed 24 hours later, and gabe-l approved",
			"    https://github.com/acme/widgets/pull/2999#pullrequestreview-1799307427\n",
			"  labels: match (gabe-l/re_review, gabe-l/long_wait)",
		},
	}, {
		// Nobody: the reviewer's "makes sense now" thanks the author.
		file: "122-cr-then-approve-no-push.yaml",
		want: []string{
			"  no one unblocked achen: noor asked for changes but the author pushed nothing after; " +
				"noor's approval ended no long wait: approved 4 hours 41 minutes after review was requested from noor (not over 48 hours); " +
				"no question or error report from the author; the acknowledged help came from the author, who is never named\n",
			"  labels: match (nobody expected)",
		},
		not: []string{"noor unblocked achen", "MISMATCH"},
	}, {
		file: "008-long-wait-closed-unmerged.yaml",
		want: []string{
			"(closed without merging)",
			"  no one unblocked svetlana: not merged, so re_review and long_wait do not apply; 1 approval without requested changes",
		},
	}}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if err := explain([]string{explainCorpusFile(c.file)}, &out, &errOut); err != nil {
				t.Fatalf("explain: %v", err)
			}
			got := out.String()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q\n--- output ---\n%s", w, got)
				}
			}
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("output has %q\n--- output ---\n%s", n, got)
				}
			}
			if errOut.Len() != 0 {
				t.Errorf("stderr: %s", errOut.String())
			}
		})
	}
}

func TestExplainSeveralFiles(t *testing.T) {
	var out, errOut bytes.Buffer
	err := explain([]string{explainCorpusFile("005-rebased-ptal.yaml"), explainCorpusFile("037-approve-then-merge-23h.yaml")}, &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "005-rebased-ptal.yaml:") || !strings.Contains(got, "\n\n037-approve-then-merge-23h.yaml:") {
		t.Errorf("files not both explained, separated by a blank line:\n%s", got)
	}
	if !strings.Contains(got, "lfrancois unblocked hana-j: long_wait") {
		t.Errorf("long_wait missing:\n%s", got)
	}
}

func TestExplainReportsMismatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wrong.yaml")
	explainWriteFile(t, path, `title: "t"
repo: acme/widgets
number: 1
author: alice
events:
  - {at: "2026-01-01T09:00:00Z", type: opened, actor: alice}
  - {at: "2026-01-01T09:01:00Z", type: review_requested, actor: alice, reviewer: bob}
  - {at: "2026-01-04T09:00:00Z", type: review, id: 1, actor: bob, state: approved, body: ""}
  - {at: "2026-01-04T10:00:00Z", type: merged, actor: alice}
expect:
  - {login: carol, signal: answered}
why: "deliberately wrong label"
`)
	var out, errOut bytes.Buffer
	if err := explain([]string{path}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"bob unblocked alice: long_wait",
		"labels: MISMATCH: missing carol/answered; unexpected bob/long_wait",
		"label says: deliberately wrong label",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

func TestExplainWithoutLabels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unlabelled.yaml")
	explainWriteFile(t, path, `title: "t"
repo: acme/widgets
number: 2
author: alice
events:
  - {at: "2026-01-01T09:00:00Z", type: opened, actor: alice}
`)
	var out, errOut bytes.Buffer
	if err := explain([]string{path}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "(open)") || !strings.Contains(got, "no one unblocked alice: not merged, so re_review and long_wait do not apply; no human review;") {
		t.Errorf("output:\n%s", got)
	}
	if strings.Contains(got, "labels:") {
		t.Errorf("labels reported for a file without expect:\n%s", got)
	}
}

func TestExplainErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	explainWriteFile(t, bad, "title: [unclosed\n")
	unknown := filepath.Join(dir, "unknown.yaml")
	explainWriteFile(t, unknown, `title: "t"
repo: acme/widgets
number: 3
author: alice
events:
  - {at: "2026-01-01T09:00:00Z", type: teleported, actor: alice}
`)
	missing := filepath.Join(dir, "missing.yaml")

	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"missing file", []string{missing}, []string{"missing.yaml: no such file or directory"}},
		{"invalid YAML", []string{bad}, []string{"bad.yaml: invalid YAML"}},
		{"unknown event type", []string{unknown}, []string{`unknown.yaml: event 1 (teleported): unknown event type "teleported"`}},
		{"good and bad files", []string{explainCorpusFile("005-rebased-ptal.yaml"), missing, bad},
			[]string{"missing.yaml: no such file or directory", "bad.yaml: invalid YAML"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := explain(c.args, &out, &errOut)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// The readable file is still explained.
	var out, errOut bytes.Buffer
	_ = explain([]string{explainCorpusFile("005-rebased-ptal.yaml"), missing}, &out, &errOut)
	if !strings.Contains(out.String(), "no one unblocked ivanov-p") {
		t.Errorf("good file not explained:\n%s", out.String())
	}
}

func TestExplainUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := explain(nil, &out, &errOut); !errors.Is(err, errUsage) {
		t.Errorf("no args: err = %v, want errUsage", err)
	}
	if !strings.Contains(errOut.String(), "Usage: kudos explain FILE") {
		t.Errorf("usage not on stderr: %q", errOut.String())
	}
	out.Reset()
	if err := explain([]string{"-h"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "Usage: kudos explain") {
		t.Errorf("-h: err = %v, out = %q", err, out.String())
	}
}

func explainWriteFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
