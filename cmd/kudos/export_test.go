package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/kudos-app/kudos/internal/payload"
)

func TestExportWritesDeliveredRecognitions(t *testing.T) {
	e := newEnv(t, "all")
	e.send("pull_request", "d-0", payload.PullRequest(payload.PROpts{}))
	e.send("pull_request_review", "d-1", payload.Review(payload.ReviewOpts{ID: 2001, Author: "bob", State: "approved"}))
	e.send("issue_comment", "d-2", thanksFrom("alice", 3001, "/thanks @bob @carol for the careful review #craft"))
	e.send("issue_comment", "d-3", thanksFrom("dave", 3002, "/kudos opt-out"))
	e.send("issue_comment", "d-4", thanksFrom("alice", 3003, "/thanks @dave"))
	e.send("pull_request", "d-5", mergedPR())
	e.waitReplies(4)
	t.Setenv("REDIS_URL", e.redis.URL)

	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"export", "--repo", "acme/widgets"}, &out, &errOut); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	type line struct {
		Kind        string `json:"kind"`
		Giver       string `json:"giver"`
		Recipient   string `json:"recipient"`
		Repo        string `json:"repo"`
		Week        string `json:"week"`
		ArtifactURL string `json:"artifact_url"`
	}
	var got []line
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		for _, f := range exportColumns {
			if _, ok := m[f]; !ok {
				t.Errorf("line lacks field %q: %s", f, l)
			}
		}
		var r line
		_ = json.Unmarshal([]byte(l), &r)
		got = append(got, r)
	}
	want := []line{
		{"thanks", "alice", "bob", "acme/widgets", "2026-W47", "https://github.com/acme/widgets/pull/42#pullrequestreview-2001"},
		{"thanks", "alice", "carol", "acme/widgets", "2026-W47", "https://github.com/acme/widgets/pull/42"},
		{"shoutout", "", "bob", "acme/widgets", "2026-W47", "https://github.com/acme/widgets/pull/42#pullrequestreview-2001"},
	}
	if len(got) != len(want) {
		t.Fatalf("exported %d lines, want %d (dave opted out):\n%s", len(got), len(want), out.String())
	}
	// All happened at the same instant: compare as sets.
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing line %+v in %+v", w, got)
		}
	}
	if strings.Contains(out.String(), "dave") {
		t.Errorf("export names someone who opted out:\n%s", out.String())
	}

	out.Reset()
	if err := run(context.Background(), []string{"export", "--org", "acme", "--format", "csv", "--since", "2026-11-20", "--until", "2026-11-20"}, &out, &errOut); err != nil {
		t.Fatalf("export csv: %v\n%s", err, errOut.String())
	}
	text := out.String()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(exportColumns, ",") || !strings.Contains(text, ",craft,") {
		t.Fatalf("csv = %v, %v", rows, err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"export", "--org", "acme", "--since", "2026-11-21"}, &out, &errOut); err != nil || out.Len() != 0 {
		t.Fatalf("export after the week: %q, %v", out.String(), err)
	}
	for _, bad := range [][]string{{"export"}, {"export", "--repo", "acme"}, {"export", "--repo", "a/b", "--org", "a"}, {"export", "--org", "a", "--format", "xml"}, {"export", "--org", "a", "--since", "yesterday"}} {
		if err := run(context.Background(), bad, &out, &errOut); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
}
