package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/payload"
)

// aWeekOfWork plays a week (2026-W47, Nov 16–22) on two repositories of
// one team: acme/widgets (public) and acme/secret (private).
func aWeekOfWork(t *testing.T, e *env) {
	t.Helper()
	day := func(d, h int) time.Time { return time.Date(2026, 11, 16+d, h, 0, 0, 0, time.UTC) }
	secret := payload.Common{Repo: "secret", RepoID: 777, Private: true, Number: 7}
	steps := []struct {
		event string
		body  []byte
	}{
		{"pull_request", payload.PullRequest(payload.PROpts{At: day(0, 9)})},
		{"pull_request_review", payload.Review(payload.ReviewOpts{ID: 2001, Author: "bob", State: "changes_requested", At: day(0, 11)})},
		{"pull_request_review", payload.Review(payload.ReviewOpts{ID: 2002, Author: "bob", State: "approved", At: day(1, 10)})},
		{"pull_request_review", payload.Review(payload.ReviewOpts{ID: 2003, Author: "carol", State: "commented", At: day(1, 11)})},
		{"issue_comment", payload.IssueComment(payload.CommentOpts{ID: 3001, Author: "alice", Body: "/thanks @bob for the careful review #craft", At: day(1, 12)})},
		{"pull_request", payload.PullRequest(payload.PROpts{Action: "closed", Merged: true, At: day(2, 9)})},
		{"issue_comment", payload.IssueComment(payload.CommentOpts{Common: secret, ID: 3002, Author: "dave", Body: "/thanks @erin for the secret migration", At: day(3, 9)})},
	}
	for i, s := range steps {
		e.send(s.event, fmt.Sprintf("w-%d", i), s.body)
	}
	e.drained()
}

func TestSummaryEndToEnd(t *testing.T) {
	e := newEnv(t, "all")
	e.gh.SetFile("acme", ".github", ".github/kudos.yml", `version: 1
summary:
  timezone: Europe/Berlin
  teams:
    - name: platform
      repos: [acme/widgets, acme/secret]
      target: acme/widgets
`)
	e.gh.SetRepo("acme", "secret", true)
	aWeekOfWork(t, e)
	_, pemKey := appKey(t)
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(pemKey), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"REDIS_URL": e.redis.URL, "GITHUB_APP_ID": fmt.Sprint(testAppID), "GITHUB_PRIVATE_KEY_PATH": keyFile, "GITHUB_API_URL": e.gh.URL,
	}
	getenv := func(k string) string { return env[k] }
	args := []string{"--repo", "acme/widgets", "--team", "platform", "--week", "2026-W47"}

	var out, errOut bytes.Buffer
	if err := summary(context.Background(), append(args, "--print"), getenv, &out, &errOut); err != nil {
		t.Fatalf("summary --print: %v\n%s", err, errOut.String())
	}
	printed := out.String()
	if len(e.gh.Issues()) != 0 {
		t.Fatal("--print opened an issue")
	}
	for i := range 2 {
		out.Reset()
		if err := summary(context.Background(), args, getenv, &out, &errOut); err != nil {
			t.Fatalf("summary run %d: %v\n%s", i, err, errOut.String())
		}
	}
	issues := e.gh.Issues()
	if len(issues) != 1 {
		t.Fatalf("issues = %d after two runs, want 1: %+v", len(issues), issues)
	}
	is := issues[0]
	if !strings.Contains(is.Title, "platform") || !strings.Contains(is.Title, "2026-W47") || len(is.Labels) != 1 || is.Labels[0] != "kudos-summary" {
		t.Errorf("issue = %q labels %v", is.Title, is.Labels)
	}
	for _, want := range []string{
		"bob",
		"https://github.com/acme/widgets/pull/42#pullrequestreview-2002", // bob's approval, which the thanks links
		"careful review",
		"```mermaid",
	} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("summary lacks %q:\n%s", want, is.Body)
		}
	}
	// acme/secret is private and the summary goes to a public repository.
	for _, never := range []string{"erin", "secret migration", "acme/secret"} {
		if strings.Contains(is.Body, never) {
			t.Errorf("a private item leaked into a public summary (%q):\n%s", never, is.Body)
		}
	}
	if !strings.Contains(printed, is.Title) {
		t.Errorf("--print did not show the same summary:\n%s", printed)
	}
	// The same team's summary posted to a private repository keeps it.
	e.gh.SetRepo("acme", "widgets", true)
	out.Reset()
	if err := summary(context.Background(), append(args, "--print"), getenv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "erin") {
		t.Errorf("a private target lost the private repository's items:\n%s", out.String())
	}
	// An empty week posts nothing.
	out.Reset()
	if err := summary(context.Background(), []string{"--repo", "acme/widgets", "--week", "2026-W40"}, getenv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if len(e.gh.Issues()) != 1 || !strings.Contains(out.String(), "Nothing to summarise") {
		t.Errorf("empty week: %q, %d issues", out.String(), len(e.gh.Issues()))
	}
}

func TestSummaryClosesTheTeamsPreviousSummary(t *testing.T) {
	e := newEnv(t, "all")
	for i, d := range []time.Time{time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)} {
		e.send("issue_comment", fmt.Sprintf("d-%d", i), payload.IssueComment(payload.CommentOpts{ID: int64(3001 + i), Author: "alice", Body: "/thanks @bob", At: d}))
	}
	e.drained()
	_, pemKey := appKey(t)
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(pemKey), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"REDIS_URL": e.redis.URL, "GITHUB_APP_ID": fmt.Sprint(testAppID), "GITHUB_PRIVATE_KEY_PATH": keyFile, "GITHUB_API_URL": e.gh.URL}
	var out, errOut bytes.Buffer
	for _, week := range []string{"2026-W46", "2026-W47"} {
		if err := summary(context.Background(), []string{"--repo", "acme/widgets", "--week", week}, func(k string) string { return env[k] }, &out, &errOut); err != nil {
			t.Fatalf("summary %s: %v\n%s", week, err, errOut.String())
		}
	}
	issues := e.gh.Issues()
	if len(issues) != 2 {
		t.Fatalf("issues = %+v, want one a week", issues)
	}
	state := map[string]string{}
	for _, is := range issues {
		state[is.Title[strings.Index(is.Title, "2026-W"):][:8]] = is.State
	}
	if state["2026-W46"] != "closed" || state["2026-W47"] != "open" {
		t.Fatalf("states = %v; the W46 summary must be closed when W47's opens", state)
	}
}

func TestSummaryOfAGitHubTeamCountsOnlyItsMembers(t *testing.T) {
	e := newEnv(t, "all")
	e.gh.SetFile("acme", "widgets", ".github/kudos.yml", `version: 1
summary:
  teams:
    - name: web
      github_team: acme/web
      target: acme/widgets
`)
	e.gh.SetTeam("acme", "web", "alice", "bob")
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	e.send("issue_comment", "d-1", payload.IssueComment(payload.CommentOpts{ID: 3001, Author: "alice", Body: "/thanks @bob for the pairing", At: at}))
	e.send("issue_comment", "d-2", payload.IssueComment(payload.CommentOpts{ID: 3002, Author: "zed", Body: "/thanks @yan for the outside help", At: at}))
	e.drained()
	var out, errOut bytes.Buffer
	env := map[string]string{"REDIS_URL": e.redis.URL}
	args := []string{"--repo", "acme/widgets", "--team", "web", "--week", "2026-W47", "--print"}
	if err := summary(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("a team summary without GitHub credentials: %v; want a clear error", err)
	}
	_, pemKey := appKey(t)
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(pemKey), 0o600); err != nil {
		t.Fatal(err)
	}
	env["GITHUB_APP_ID"], env["GITHUB_PRIVATE_KEY_PATH"], env["GITHUB_API_URL"] = fmt.Sprint(testAppID), keyFile, e.gh.URL
	if err := summary(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut); err != nil {
		t.Fatalf("summary: %v\n%s", err, errOut.String())
	}
	got := out.String()
	if !strings.Contains(got, "Kudos for web") || !strings.Contains(got, "the pairing") {
		t.Fatalf("the team's own thanks are missing:\n%s", got)
	}
	if strings.Contains(got, "zed") || strings.Contains(got, "yan") {
		t.Fatalf("thanks between people outside the team appear:\n%s", got)
	}
}
