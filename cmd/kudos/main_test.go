package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestDemoPrintsTheStory(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"demo"}, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\nstderr:\n%s", err, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"in the review thread of comment 1002",
		"**alice** thanks @bob for catching the race in the retry loop #reliability — see bob's [review comment](https://github.com/acme/widgets/pull/42#discussion_r1002)",
		"**alice** thanks @carol and @bob for the staging soak test",
		"carol's [comment](https://github.com/acme/widgets/pull/42#issuecomment-3001) and bob's [approving review](https://github.com/acme/widgets/pull/42#pullrequestreview-2004)",
		"Thanking yourself doesn't count",
		"`dependabot` is a bot",
		"**dave** thanks @alice for driving this fix to the finish — see alice's [pull request #42]",
		"**Fix the race in the retry loop** (#42) is merged. Thank you to the people who reviewed it and helped it along:",
		"- **bob** [asked for changes](https://github.com/acme/widgets/pull/42#pullrequestreview-2001), [left a review comment, which unblocked it](https://github.com/acme/widgets/pull/42#discussion_r1002) and [unblocked the merge by approving once the fixes landed](https://github.com/acme/widgets/pull/42#pullrequestreview-2004)",
		"- **dave** [unblocked it with an answer](https://github.com/acme/widgets/pull/42#issuecomment-3102)",
		"- **carol** [suggested a code change](https://github.com/acme/widgets/pull/42#discussion_r1004)",
		"`#teamwork` — Helping each other get unstuck",
		"Done: Kudos won't name you from now on.",
		"🙌 **alice** thanks someone who prefers not to be named and @carol for the load-test scripts #teamwork",
		"Kudos posts up to 5 an hour per person",
		"Monday morning: Kudos opens the weekly summary of acme/widgets for 2026-W47",
		"\"Kudos for acme/widgets — week 2026-W47 (Nov 16 – Nov 22)\" [kudos-summary]",
		"```mermaid",
		"Kudos posted 11 comments and 1 summary issue(s) for 27 deliveries",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if n := strings.Count(got, "┌ kudos[bot] replied"); n != 11 {
		t.Errorf("demo printed %d replies, want 11", n)
	}
	if strings.Contains(got, "thanks @dave @alice") || strings.Contains(got, "thanks @dave and @alice") || strings.Contains(got, "erin") && strings.Contains(got, "thanks @erin") {
		t.Error("a thanks over the rate limit, or to someone who opted out, was posted by name")
	}
	if strings.Contains(got, "🙌 **dave** thanks @someone") {
		t.Error("a /thanks inside a code block was answered")
	}
	if !strings.Contains(errOut.String(), "NOTHING PERSISTS") {
		t.Error("the demo's embedded Redis started without its warning")
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}

func TestParseServe(t *testing.T) {
	full := map[string]string{
		"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----",
		"GITHUB_WEBHOOK_SECRET": "s",
	}
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string
		check   func(t *testing.T, c serveConfig)
	}{
		{name: "defaults", env: full, check: func(t *testing.T, c serveConfig) {
			if c.Addr != ":3000" || c.Role != "all" || c.APIURL != "https://api.github.com" || c.DryRun || c.AppID != 12 {
				t.Errorf("config = %+v", c)
			}
			key, err := c.privateKey()
			if err != nil || !bytes.Contains(key, []byte("KEY-----\nabc\n-----END")) {
				t.Errorf("escaped newlines in GITHUB_PRIVATE_KEY not restored: %q, %v", key, err)
			}
		}},
		{name: "flags override the environment", env: full, args: []string{"-addr", "127.0.0.1:9", "-role", "web"}, check: func(t *testing.T, c serveConfig) {
			if c.Addr != "127.0.0.1:9" || c.Role != "web" {
				t.Errorf("config = %+v", c)
			}
		}},
		{name: "no webhook secret", env: map[string]string{"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY": "k"}, wantErr: "GITHUB_WEBHOOK_SECRET is required"},
		{name: "a worker needs no webhook secret", env: map[string]string{"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY": "k", "KUDOS_ROLE": "worker"}},
		{name: "no app id", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_PRIVATE_KEY": "k"}, wantErr: "GITHUB_APP_ID is required"},
		{name: "app id not a number", env: map[string]string{"GITHUB_APP_ID": "twelve", "GITHUB_WEBHOOK_SECRET": "s"}, wantErr: "not a number"},
		{name: "no key", env: map[string]string{"GITHUB_APP_ID": "12", "GITHUB_WEBHOOK_SECRET": "s"}, wantErr: "GITHUB_PRIVATE_KEY"},
		{name: "dry run needs no credentials", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_DRY_RUN": "1"}, check: func(t *testing.T, c serveConfig) {
			if !c.DryRun {
				t.Error("KUDOS_DRY_RUN=1 not honoured")
			}
		}},
		{name: "web role needs no credentials", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "web"}},
		{name: "unknown role", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "both"}, wantErr: "KUDOS_ROLE"},
		{name: "retention in weeks", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "web", "KUDOS_RETENTION": "4w"}, check: func(t *testing.T, c serveConfig) {
			if c.Retention != 4*7*24*time.Hour {
				t.Errorf("retention = %v, want 4 weeks", c.Retention)
			}
		}},
		{name: "retention flag in days", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "web"}, args: []string{"-retention", "30d"}, check: func(t *testing.T, c serveConfig) {
			if c.Retention != 30*24*time.Hour {
				t.Errorf("retention = %v, want 30 days", c.Retention)
			}
		}},
		{name: "default retention", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "web"}, check: func(t *testing.T, c serveConfig) {
			if c.Retention != 13*7*24*time.Hour {
				t.Errorf("retention = %v, want 13 weeks", c.Retention)
			}
		}},
		{name: "bad retention", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "web", "KUDOS_RETENTION": "forever"}, wantErr: "KUDOS_RETENTION"},
		{name: "bad reclaim time", env: map[string]string{"GITHUB_WEBHOOK_SECRET": "s", "KUDOS_ROLE": "web", "KUDOS_RECLAIM_AFTER": "soon"}, wantErr: "KUDOS_RECLAIM_AFTER"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseServe(tc.args, func(k string) string { return tc.env[k] }, &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseServe: %v", err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, &out, &errOut); err == nil || !strings.Contains(errOut.String(), "kudos serve") {
		t.Errorf("no command: err = %v, stderr %q", err, errOut.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, &out, &errOut); err == nil {
		t.Error("unknown command accepted")
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "kudos ") {
		t.Errorf("version: %q, %v", out.String(), err)
	}
}
