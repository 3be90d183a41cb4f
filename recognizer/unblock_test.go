package recognizer_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/recognizer"
)

func TestClassifyAck(t *testing.T) {
	cases := []struct {
		name string
		body string
		want bool
	}{
		// Help that made something work.
		{"that fixed it", "that fixed it, thanks", true},
		{"shouting", "THAT FIXED IT. thank you @gabe-l", true},
		{"yep that was it", "yep that was it 🙏", true},
		{"that was exactly it", "Yes!! That was exactly it. Thank you so much", true},
		{"the culprit", "Bingo, that was the culprit. Thanks a ton @zed!", true},
		{"did the trick", "Oh wow, swapping the order did the trick. thank you!", true},
		{"unblocked", "unblocked 🎉 the plan is clean now", true},
		{"makes sense now", "makes sense now, thanks!", true},
		{"now I understand", "Ah, now I understand. It works, thank you @lf !!", true},
		{"TIL works now", "TIL, works now", true},
		{"good catch fixed in sha", "good catch, fixed in 1a2b3c4", true},
		{"confirmed working", "Confirmed working after applying your suggestion ✅", true},
		{"status and thanks", "Thank you!! The build passes now.", true},
		{"status and thanks far apart", "went with the tx helper, green now. thanks!", true},
		{"flake gone", "Applied, and the flake is gone. Thanks!", true},
		{"credit without thanks word", "Your patch fixed it 👍", true},
		{"someone's tip", "@sb's tip fixed it, the index is half the size", true},
		{"thanks to", "Problem solved thanks to @kim", true},
		{"fixed by your suggestion", "Fixed by your suggestion, thanks!", true},
		{"appreciate the pointer", "appreciate the pointer, it compiles now", true},
		{"non-native", "thank you very much, now it work! 🙏", true},
		{"markdown emphasis", "**That fixed it!** Thanks @bob", true},
		{"nice find and the fix", "Oof, nice find. Made `Stop` idempotent and added a test.", true},
		{"lifesaver", "@raj you're a lifesaver, 100 runs green in a row now", true},
		{"words before now", "thanks, it passes on CI now", true},
		{"quoted advice, own words", "> move the load into PersistentPreRunE\n\nyep, that was it. works now 🎉", true},
		{"with code around", "that fixed it — `go test -race ./...` passes\n```\nok  pkg 0.3s\n```", true},

		// Politeness is not acknowledgement.
		{"thanks for the review", "thanks for the review!", false},
		{"thanks for the PR", "Thanks for the PR! 🎉 looks good", false},
		{"will do", "Thanks, will do", false},
		{"lgtm thanks", "LGTM, thanks!", false},
		{"appreciate the quick review", "appreciate the quick review!", false},
		{"done thanks", "done, thanks", false},
		{"fixed thanks", "fixed, thanks", false},
		{"applied", "applied both, thanks", false},
		{"reworded", "good idea, reworded 👍", false},
		{"try tomorrow", "thanks, I'll try it tomorrow", false},
		{"polite decline", "thanks for the suggestion, but I'd rather keep it", false},
		{"thanks all", "🙏 thanks all", false},
		{"status without thanks", "CI is green now", false},
		{"status plus review thanks", "thanks for the review, CI is green now", false},
		{"works on my machine", "it works on my machine, thanks", false},
		{"thanks for the fix", "Thanks for the fix!", false},
		{"that's it from me", "Thanks, that's it from me. LGTM", false},
		{"that was it for today", "that was it for today, thanks all", false},

		// Negated, sarcastic, tentative.
		{"didn't fix", "thanks, that didn't fix it — same trace", false},
		{"didn't help", "thanks, but that didn't help", false},
		{"still failing", "still failing after that :(", false},
		{"fixed but still fails", "that fixed the build but the tests still fail", false},
		{"sarcasm broke", "thanks @bob, that broke everything 🙃", false},
		{"sarcasm nothing compiles", "great, thanks, now nothing compiles 🙄", false},
		{"good catch but intentional", "good catch, but that's intentional", false},
		{"good catch future", "good catch, I'll fix it tomorrow", false},
		{"good find alone", "good find", false},
		{"nice catch but", "nice catch, but we made it that way on purpose", false},
		{"should work", "should work now, thanks for checking", false},
		{"question", "does that fix it for you?", false},
		{"question status", "thanks! is it working now?", false},
		{"conditional", "If that fixes it, we can merge. thanks", false},
		{"self fix", "I fixed it myself in the end, thanks anyway", false},
		{"another PR unblocked", "#1188 is merged, unblocked — rebased on top of it.", false},
		{"future unblock", "once #55 lands we're unblocked, thanks", false},
		{"self unblocked", "I unblocked CI by pinning the runner, thanks", false},

		// Text that is not the writer's own words.
		{"quoted gratitude", "From the forum:\n> thanks @joaquinr, that fixed it\n\nso yes, let's ship it.", false},
		{"nested quote", ">> that fixed it, thanks\n> agreed\n\nrebased", false},
		{"fenced code", "```\nthat fixed it, thanks\n```\nlog above", false},
		{"tilde fence", "~~~text\nthat fixed it, thanks\n~~~", false},
		{"inline code", "`that fixed it, thanks` is our commit template", false},
		{"indented code", "log:\n\n    that fixed it, thanks\n", false},
		{"html comment", "<!-- that fixed it, thanks --> rebased", false},
		{"multi-line html comment", "rebased <!--\nthat fixed it, thanks\n--> on main", false},
		{"email reply tail", "ok\n\nOn Mon, Jan 5, 2026 at 10:00 Bob <bob@example.com> wrote:\nthat fixed it, thanks", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := recognizer.Classify(c.body)
			if got.Ack != c.want {
				t.Errorf("Classify(%q).Ack = %v, want %v (%+v)", c.body, got.Ack, c.want, got)
			}
		})
	}
}

func TestClassifyNegative(t *testing.T) {
	for body, want := range map[string]bool{
		"thanks, that didn't fix it":              true,
		"still failing after that, same error":    true,
		"no luck, it still hangs":                 true,
		"thanks @bob, that broke everything 🙃":    true,
		"that fixed it, thanks":                   false,
		"my repro fails on main and passes here":  false,
		"now it fails on main as it should":       false,
		"> still failing\n\nfixed in abc, thanks": false,
	} {
		if got := recognizer.Classify(body).Negative; got != want {
			t.Errorf("Classify(%q).Negative = %v, want %v", body, got, want)
		}
	}
}

func TestClassifyQuestion(t *testing.T) {
	cases := []struct {
		body string
		want bool
	}{
		{"how do I regenerate the mocks?", true},
		{"any idea why golangci-lint says `unused`", true},
		{"jest fails with\n```\nCannot find module\n```", true},
		{"error: linker `cc` not found", true},
		{"panic: runtime error: index out of range", true},
		{"I'm stuck on this cycle", true},
		{"hmm, the jitter test now hangs on CI after I rebased", true},
		{"(this renders `undefined` in the preview, still debugging)", true},
		{"TestSnapshot is flaky on this branch", true},
		{"Why is the snapshot different on CI", true},
		{"tests time out on arm64", true},
		{"lint complains about an unused param", true},
		{"I get a 403 from the registry", true},
		{"reload doesn't fire when the file is edited in vim", true},
		{"How I can fix it", true},
		{"is `allocate` ok as a name?", true},
		{"**can `Flush` race with `Close`?**", true},
		{"_why_ does the job_id column stay empty", true},
		{"Is the middleware order wrong? <!-- draft -->", true},

		{"rebased on main, PTAL", false},
		{"PTAL when you get a chance?", false},
		{"friendly ping @bob, could you take another look?", false},
		{"Hello, any update please? 🙏", false},
		{"LGTM", false},
		{"added the tests you asked for", false},
		{"I'd argue failing fast is better, a bad credential will fail every file anyway", false},
		{"> how do I run this?\n\nlike this: `make run`", false},
		{"```\nerror: boom\n```", false},
		{"see https://example.com/search?q=x for details", false},
	}
	for _, c := range cases {
		if got := recognizer.Classify(c.body).Question; got != c.want {
			t.Errorf("Classify(%q).Question = %v, want %v", c.body, got, c.want)
		}
	}
}

func TestClassifyMentions(t *testing.T) {
	cases := []struct {
		body          string
		mentions      []string
		thanked       []string
		wantAckForAll bool
	}{
		{body: "thanks @Bob and @carol-x! that fixed it", mentions: []string{"bob", "carol-x"}, thanked: []string{"bob", "carol-x"}},
		{body: "@sb's tip fixed it, build is 2x faster. @hana sure, separate PR though",
			mentions: []string{"sb", "hana"}, thanked: []string{"sb"}},
		{body: "mail me at bob@example.com or ping @acme/infra", mentions: nil},
		{body: "`@inside` code, > not quoted @here\n> @quoted", mentions: []string{"here"}},
		{body: "@-bad @bad- @a--b @ok1 @ok1 @x_y", mentions: []string{"ok1"}},
		{body: "@Bob, @bob: @BOB!", mentions: []string{"bob"}},
		{body: "```\n@fenced\n```\n@real", mentions: []string{"real"}},
		{body: "<!-- @hidden --> @shown", mentions: []string{"shown"}},
	}
	for _, c := range cases {
		got := recognizer.Classify(c.body)
		if !reflect.DeepEqual(got.Mentions, c.mentions) {
			t.Errorf("Classify(%q).Mentions = %q, want %q", c.body, got.Mentions, c.mentions)
		}
		if c.thanked != nil && !reflect.DeepEqual(got.Thanked, c.thanked) {
			t.Errorf("Classify(%q).Thanked = %q, want %q", c.body, got.Thanked, c.thanked)
		}
	}
}

func TestClassifyMeToo(t *testing.T) {
	for body, want := range map[string]bool{
		"+1":                      true,
		"+1, would love this too": true,
		"Same here on macOS":      true,
		"following, we have the same problem in the admin app": true,
		"use `t.TempDir()`, the tmp dir is shared":             false,
		"the same flag works for both":                         false,
	} {
		if got := recognizer.Classify(body).MeToo; got != want {
			t.Errorf("Classify(%q).MeToo = %v, want %v", body, got, want)
		}
	}
}

func TestClassifySelfFix(t *testing.T) {
	for body, want := range map[string]bool{
		"nvm, it was my GOFLAGS. pushed.": true,
		"found it: a stale vendor dir":    true,
		"my bad, fixed":                   true,
		"that fixed it, thanks @bob":      false,
	} {
		if got := recognizer.Classify(body).SelfFix; got != want {
			t.Errorf("Classify(%q).SelfFix = %v, want %v", body, got, want)
		}
	}
}

// --- hand-built ledgers ---

const ubPR = "https://github.com/acme/widgets/pull/7"

var ubT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// ubAt is h hours after the PR opened.
func ubAt(h float64) time.Time { return ubT0.Add(time.Duration(h * float64(time.Hour))) }

func ubText(kind recognizer.ContributionKind, id int64, who string, h float64, body string) recognizer.Contribution {
	url := fmt.Sprintf("%s#issuecomment-%d", ubPR, id)
	switch kind {
	case recognizer.KindReviewComment:
		url = fmt.Sprintf("%s#discussion_r%d", ubPR, id)
	case recognizer.KindReview:
		url = fmt.Sprintf("%s#pullrequestreview-%d", ubPR, id)
	}
	return recognizer.Contribution{Kind: kind, ID: id, Login: who, HTMLURL: url, At: ubAt(h),
		BodyLen: len([]rune(body)), Text: recognizer.Classify(body), Bot: strings.HasSuffix(who, "[bot]")}
}

func ubComment(id int64, who string, h float64, body string) recognizer.Contribution {
	return ubText(recognizer.KindComment, id, who, h, body)
}

// ubRC is a review comment; thread is the top-level comment (0: itself).
func ubRC(id, thread int64, who string, h float64, body string) recognizer.Contribution {
	c := ubText(recognizer.KindReviewComment, id, who, h, body)
	c.Thread = id
	if thread != 0 {
		c.Thread = thread
	}
	return c
}

func ubReview(id int64, who, state string, h float64, body string) recognizer.Contribution {
	c := ubText(recognizer.KindReview, id, who, h, body)
	c.State = state
	return c
}

func ubPoint(kind recognizer.ContributionKind, who string, h float64) recognizer.Contribution {
	at := ubAt(h)
	return recognizer.Contribution{Kind: kind, ID: at.UnixMilli(), Login: who, HTMLURL: ubPR, At: at}
}

func ubOpened(h float64) recognizer.Contribution { return ubPoint(recognizer.KindOpened, "alice", h) }
func ubPush(who string, h float64) recognizer.Contribution {
	return ubPoint(recognizer.KindPush, who, h)
}
func ubMerged(h float64) recognizer.Contribution { return ubPoint(recognizer.KindMerged, "alice", h) }
func ubRequest(reviewer string, h float64) recognizer.Contribution {
	c := ubPoint(recognizer.KindReviewRequested, "alice", h)
	c.Subject = reviewer
	return c
}

func ubBot(c recognizer.Contribution) recognizer.Contribution { c.Bot = true; return c }

// ubPairs renders detections as "login/signal".
func ubPairs(ds []recognizer.Detection) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Login+"/"+d.Signal)
	}
	return out
}

type ubCase struct {
	name   string
	cs     []recognizer.Contribution
	merged bool
	cfg    func(*recognizer.Config)
	want   []string // "login/signal" in output order
}

func ubRun(t *testing.T, cases []ubCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := recognizer.DefaultConfig()
			if c.cfg != nil {
				c.cfg(&cfg)
			}
			got := recognizer.DetectUnblocking(recognizer.History{Contributions: c.cs}, "alice", c.merged, cfg)
			if !reflect.DeepEqual(ubPairs(got), c.want) {
				t.Errorf("got %q, want %q", ubPairs(got), c.want)
				for _, d := range got {
					t.Logf("%s/%s: %s %v", d.Login, d.Signal, d.Why, d.Evidence)
				}
			}
			for _, d := range got {
				if d.Why == "" || len(d.Evidence) == 0 {
					t.Errorf("%s/%s lacks why or evidence: %+v", d.Login, d.Signal, d)
				}
				if strings.EqualFold(d.Login, "alice") || strings.HasSuffix(d.Login, "[bot]") {
					t.Errorf("named the author or a bot: %+v", d)
				}
			}
			if len(got) == 0 {
				why := recognizer.WhyNoUnblocking(recognizer.History{Contributions: c.cs}, "alice", c.merged, cfg)
				if !strings.HasPrefix(why, "no one unblocked alice: ") {
					t.Errorf("WhyNoUnblocking = %q", why)
				}
			}
		})
	}
}

func TestUnblockAcknowledged(t *testing.T) {
	ubRun(t, []ubCase{{
		name: "unnamed thanks goes to the last human commenter, skipping bots",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "the job is red because AWS_REGION is unset; add it to env"),
			ubPush("alice", 2),
			ubComment(2, "codecov[bot]", 2.1, "Coverage report"),
			ubComment(3, "alice", 2.2, "that fixed it, thanks")},
		want: []string{"bob/acknowledged"},
	}, {
		name: "named helper wins over a later commenter",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "pagefind also indexes /print/, ignore it there"),
			ubComment(2, "carol", 2, "unrelated: can we drop lunr?"),
			ubComment(3, "alice", 3, "@bob's tip fixed it, index build 2x faster. @carol sure, separate PR")},
		want: []string{"bob/acknowledged"},
	}, {
		name: "two named helpers",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "bump the toolchain file"),
			ubComment(2, "carol", 2, "and clear the cache"),
			ubComment(3, "alice", 3, "Thanks @bob and @carol — both together fixed it, all green now.")},
		want: []string{"bob/acknowledged", "carol/acknowledged"},
	}, {
		name: "thread reply credits the other person in the thread",
		cs: []recognizer.Contribution{ubOpened(0),
			ubRC(10, 0, "alice", 1, "TS says string | undefined here, what am I missing?"),
			ubRC(11, 10, "bob", 2, "you destructure before the guard"),
			ubRC(12, 10, "alice", 3, "makes sense now, thanks!")},
		// alice asked, so bob also answered.
		want: []string{"bob/acknowledged", "bob/answered"},
	}, {
		name: "thread reply naming someone credits them",
		cs: []recognizer.Contribution{ubOpened(0),
			ubRC(10, 0, "bob", 1, "this index is slow"),
			ubComment(1, "carol", 2, "use a covering index on (a, b)"),
			ubRC(11, 10, "alice", 3, "@carol's tip fixed it, 40ms now")},
		want: []string{"carol/acknowledged"},
	}, {
		name: "thread reply to a bot credits nobody",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 0.5, "looks fine to me"),
			ubBot(ubRC(10, 0, "Copilot", 1, "strings.ToLower is not canonical")),
			ubRC(11, 10, "alice", 2, "good catch, fixed in 4d5e6f7")},
		want: nil,
	}, {
		name: "known bot by configuration, without the flag",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "helperbot", 1, "run make snapshots"),
			ubComment(2, "alice", 2, "that fixed it, thanks")},
		cfg:  func(c *recognizer.Config) { c.KnownBots = append(c.KnownBots, "helperbot") },
		want: nil,
	}, {
		name: "named bot",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "nice"),
			ubComment(2, "alice", 2, "that fixed it, thanks @dependabot")},
		want: nil,
	}, {
		name: "reviewer says makes sense to the author: the author is never named",
		cs: []recognizer.Contribution{ubOpened(0),
			ubRC(10, 0, "bob", 1, "why reset instead of allocating?"),
			ubRC(11, 10, "alice", 2, "Reset reinitialises all state"),
			ubRC(12, 10, "bob", 3, "makes sense now, thanks")},
		want: nil,
	}, {
		name: "user thanks the author by name",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "dave", 1, "this fixed my issue, thanks @alice!")},
		want: nil,
	}, {
		name: "self-fix with nobody else around",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "healthcheck still failing, looking"),
			ubComment(2, "alice", 2, "unblocked, it was the path. thanks me")},
		want: nil,
	}, {
		name: "reviewer acknowledges a third person in a review body",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "can't reproduce on main"),
			ubComment(2, "carol", 2, "only without /etc/localtime; use the slim image"),
			ubReview(3, "bob", "approved", 3, "LGTM. And thanks @carol for the tip — that was exactly it.")},
		want: []string{"carol/acknowledged"},
	}, {
		name: "negative reply",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "guard for len == 0"),
			ubComment(2, "alice", 2, "thanks, that didn't fix it")},
		want: nil,
	}, {
		name: "bot acknowledging is no acknowledgement",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "hoist the regexp"),
			ubBot(ubComment(2, "review[bot]", 2, "that fixed it, thanks @bob"))},
		want: nil,
	}, {
		name: "acknowledged on a closed PR",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "your probe hits the admin port"),
			ubComment(2, "alice", 2, "ahh that was it. closing, thanks @bob")},
		merged: false,
		want:   []string{"bob/acknowledged"},
	}, {
		name: "two acknowledgements of one helper give one detection, the first",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "bob", 1, "set NO_PROXY"),
			ubComment(2, "alice", 2, "that was it, thanks @bob"),
			ubComment(3, "alice", 3, "works now everywhere, thanks again @bob")},
		want: []string{"bob/acknowledged"},
	}})
}

func TestUnblockAcknowledgedEvidence(t *testing.T) {
	cs := []recognizer.Contribution{ubOpened(0),
		ubComment(1, "bob", 1, "set NO_PROXY in the job env"),
		ubComment(2, "alice", 2, "yep that was it 🙏")}
	got := recognizer.DetectUnblocking(recognizer.History{Contributions: cs}, "alice", false, recognizer.DefaultConfig())
	if len(got) != 1 {
		t.Fatalf("got %+v", got)
	}
	want := []string{ubPR + "#issuecomment-1", ubPR + "#issuecomment-2"}
	if !reflect.DeepEqual(got[0].Evidence, want) {
		t.Errorf("evidence = %q, want %q", got[0].Evidence, want)
	}
	if !strings.Contains(got[0].Why, "bob's help") {
		t.Errorf("why = %q", got[0].Why)
	}
}

func TestUnblockAnswered(t *testing.T) {
	q := "any idea why `go test` fails with a nil map panic?"
	ubRun(t, []ubCase{{
		name: "answer then push within a day",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, q),
			ubComment(2, "bob", 2, "the map is never made; use make()"),
			ubPush("alice", 25.9)},
		want: []string{"bob/answered"},
	}, {
		name: "push more than a day later",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, q),
			ubComment(2, "bob", 2, "the map is never made; use make()"),
			ubPush("alice", 26.1)},
		want: nil,
	}, {
		name: "answer then acknowledgement, no push",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, q),
			ubComment(2, "bob", 2, "the map is never made; use make()"),
			ubComment(3, "alice", 3, "that was it, thanks")},
		want: []string{"bob/acknowledged", "bob/answered"},
	}, {
		name: "answer in the review thread",
		cs: []recognizer.Contribution{ubOpened(0),
			ubRC(10, 0, "alice", 1, "can Flush race with Close?"),
			ubRC(11, 10, "bob", 2, "yes: nothing waits for the ticker"),
			ubPush("alice", 3)},
		want: []string{"bob/answered"},
	}, {
		name: "a reply in another thread is no answer to a thread question",
		cs: []recognizer.Contribution{ubOpened(0),
			ubRC(10, 0, "bob", 0.5, "nit: rename this"),
			ubRC(20, 0, "alice", 1, "why does this hang on CI?"),
			ubRC(11, 10, "bob", 2, "also the docstring"),
			ubPush("alice", 3)},
		want: nil,
	}, {
		name: "a reply in an older thread is no answer to a conversation question",
		cs: []recognizer.Contribution{ubOpened(0),
			ubRC(10, 0, "bob", 0.5, "nit: rename this"),
			ubComment(1, "alice", 1, "how do I run the e2e suite?"),
			ubRC(11, 10, "bob", 2, "and the docstring"),
			ubPush("alice", 3)},
		want: nil,
	}, {
		name: "a new review comment answers a conversation question",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "TestSnapshot is flaky on this branch"),
			ubRC(10, 0, "bob", 2, "you wg.Add inside the goroutine"),
			ubPush("alice", 3)},
		want: []string{"bob/answered"},
	}, {
		name: "a me-too is no answer",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "any idea how to wait for the websocket?"),
			ubComment(2, "carol", 1.5, "following, we have the same problem"),
			ubComment(3, "bob", 2, "intercept it and wait on the alias"),
			ubPush("alice", 3)},
		want: []string{"bob/answered"},
	}, {
		name: "only a bot answered",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "how do I update the snapshots?"),
			ubBot(ubComment(2, "docs[bot]", 1.1, "run make snapshots")),
			ubPush("alice", 2)},
		want: nil,
	}, {
		name: "bot first, then a person: the person answered",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "how do I update the snapshots?"),
			ubBot(ubComment(2, "docs[bot]", 1.1, "run make snapshots")),
			ubComment(3, "bob", 1.5, "use the update label instead, the bot is outdated"),
			ubPush("alice", 2)},
		want: []string{"bob/answered"},
	}, {
		name: "review bodies are not answers",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "should we cap Retry-After?"),
			ubReview(2, "bob", "commented", 2, "yes, cap it at 5 minutes"),
			ubPush("alice", 3)},
		want: nil,
	}, {
		name: "the author answered themselves first",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, q),
			ubComment(2, "alice", 1.5, "nvm, it was my stale vendor dir. pushed."),
			ubPush("alice", 1.6),
			ubComment(3, "bob", 2, "nice"),
			ubPush("alice", 3)},
		want: nil,
	}, {
		name: "the answer did not work, then the author pushed their own fix",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, q),
			ubComment(2, "bob", 2, "guard for len == 0"),
			ubComment(3, "alice", 3, "still failing after that, same error"),
			ubPush("alice", 4)},
		want: nil,
	}, {
		name: "no question",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "alice", 1, "rebased on main, PTAL"),
			ubComment(2, "bob", 2, "nit: rename x"),
			ubPush("alice", 3)},
		want: nil,
	}, {
		name: "question by someone else than the author",
		cs: []recognizer.Contribution{ubOpened(0),
			ubComment(1, "carol", 1, "will this support partitioned writes?"),
			ubComment(2, "bob", 2, "not in this PR"),
			ubPush("alice", 3)},
		want: nil,
	}, {
		name: "question by a bot-authored PR's author",
		cs: []recognizer.Contribution{ubOpened(0),
			ubBot(ubComment(1, "alice", 1, "how do I fix this?")),
			ubComment(2, "bob", 2, "like this"),
			ubPush("alice", 3)},
		want: nil,
	}})
}

func TestUnblockReReview(t *testing.T) {
	cr := func(h float64) recognizer.Contribution {
		return ubReview(100, "bob", "changes_requested", h, "this leaks a goroutine")
	}
	approve := func(id int64, who string, h float64) recognizer.Contribution {
		return ubReview(id, who, "approved", h, "")
	}
	ubRun(t, []ubCase{{
		name:   "changes requested, author pushed, same reviewer approved, merged",
		cs:     []recognizer.Contribution{ubOpened(0), cr(1), ubPush("alice", 2), approve(101, "bob", 3), ubMerged(4)},
		merged: true,
		want:   []string{"bob/re_review"},
	}, {
		name:   "not merged",
		cs:     []recognizer.Contribution{ubOpened(0), cr(1), ubPush("alice", 2), approve(101, "bob", 3)},
		merged: false,
		want:   nil,
	}, {
		name:   "no push in between",
		cs:     []recognizer.Contribution{ubOpened(0), cr(1), approve(101, "bob", 3), ubMerged(4)},
		merged: true,
		want:   nil,
	}, {
		name:   "the maintainer pushed, not the author",
		cs:     []recognizer.Contribution{ubOpened(0), cr(1), ubPush("bob", 2), approve(101, "bob", 3), ubMerged(4)},
		merged: true,
		want:   nil,
	}, {
		name:   "push before the change request",
		cs:     []recognizer.Contribution{ubOpened(0), ubPush("alice", 0.5), cr(1), approve(101, "bob", 3), ubMerged(4)},
		merged: true,
		want:   nil,
	}, {
		name:   "a different reviewer approved",
		cs:     []recognizer.Contribution{ubOpened(0), cr(1), ubPush("alice", 2), approve(101, "carol", 3), ubMerged(4)},
		merged: true,
		want:   nil,
	}, {
		name: "a bot asked for changes",
		cs: []recognizer.Contribution{ubOpened(0), ubBot(ubReview(100, "sonar[bot]", "changes_requested", 1, "gate failed")),
			ubPush("alice", 2), approve(101, "sonar[bot]", 3), ubMerged(4)},
		merged: true,
		want:   nil,
	}, {
		name:   "approval after the merge",
		cs:     []recognizer.Contribution{ubOpened(0), cr(1), ubPush("alice", 2), ubMerged(3), approve(101, "bob", 4)},
		merged: true,
		want:   nil,
	}, {
		name: "two reviewers, both re-reviewed",
		cs: []recognizer.Contribution{ubOpened(0), cr(1), ubReview(102, "carol", "changes_requested", 1.5, "+1"),
			ubPush("alice", 2), approve(103, "carol", 3), approve(101, "bob", 3.5), ubMerged(4)},
		merged: true,
		want:   []string{"carol/re_review", "bob/re_review"},
	}})
}

func TestUnblockLongWait(t *testing.T) {
	approve := func(who string, h float64) recognizer.Contribution {
		return ubReview(200, who, "approved", h, "")
	}
	ubRun(t, []ubCase{{
		name:   "three days, merged an hour later",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0.1), approve("bob", 72), ubMerged(73)},
		merged: true,
		want:   []string{"bob/long_wait"},
	}, {
		name:   "47 hours",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 47), ubMerged(48)},
		merged: true,
		want:   nil,
	}, {
		name:   "exactly 48 hours is not more than 48",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 48), ubMerged(49)},
		merged: true,
		want:   nil,
	}, {
		name:   "48 hours and a minute",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 48+1.0/60), ubMerged(49)},
		merged: true,
		want:   []string{"bob/long_wait"},
	}, {
		name:   "configured threshold",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 30), ubMerged(31)},
		merged: true,
		cfg:    func(c *recognizer.Config) { c.LongWait = 24 * time.Hour },
		want:   []string{"bob/long_wait"},
	}, {
		name:   "zero threshold means the default",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 30), ubMerged(31)},
		merged: true,
		cfg:    func(c *recognizer.Config) { c.LongWait = 0 },
		want:   nil,
	}, {
		name:   "a re-request restarts the clock",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), ubRequest("bob", 90), approve("bob", 95), ubMerged(96)},
		merged: true,
		want:   nil,
	}, {
		name: "ready for review restarts the clock",
		cs: []recognizer.Contribution{ubOpened(0), ubPoint(recognizer.KindReadyForReview, "alice", 200),
			approve("bob", 210), ubMerged(211)},
		merged: true,
		want:   nil,
	}, {
		name: "a human review in between",
		cs: []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), ubReview(199, "carol", "commented", 24, "skimmed it"),
			approve("bob", 72), ubMerged(73)},
		merged: true,
		want:   nil,
	}, {
		name: "bot reviews, comments and pushes do not break the wait",
		cs: []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0),
			ubBot(ubReview(199, "Copilot", "commented", 1, "generated 1 comment")),
			ubComment(5, "carol", 20, "+1"), ubPush("alice", 30),
			approve("bob", 72), ubMerged(73)},
		cfg:    func(c *recognizer.Config) { c.KnownBots = append(c.KnownBots, "copilot") },
		merged: true,
		want:   []string{"bob/long_wait"},
	}, {
		name:   "merged more than a day after the approval",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 72), ubMerged(72 + 25)},
		merged: true,
		want:   nil,
	}, {
		name:   "closed without merging",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), approve("bob", 72)},
		merged: false,
		want:   nil,
	}, {
		name:   "a bot approved",
		cs:     []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), ubBot(approve("auto[bot]", 96)), ubMerged(97)},
		merged: true,
		want:   nil,
	}, {
		name: "the second of two approvals",
		cs: []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0), ubRequest("carol", 0),
			approve("bob", 96), ubReview(201, "carol", "approved", 97, "lgtm"), ubMerged(98)},
		merged: true,
		want:   []string{"bob/long_wait"},
	}})
}

func TestUnblockOrder(t *testing.T) {
	cs := []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0),
		ubComment(1, "alice", 1, "how do I run the e2e suite locally?"),
		ubComment(2, "zed", 2, "make e2e-local"),
		ubPush("alice", 3),
		ubComment(3, "alice", 3.5, "that did it, thanks @zed"),
		ubReview(4, "bob", "changes_requested", 4, "needs a test"),
		ubPush("alice", 5),
		ubRequest("bob", 5.1), // the re-request starts a new wait
		ubReview(5, "bob", "approved", 60, ""),
		ubMerged(61)}
	got := recognizer.DetectUnblocking(recognizer.History{Contributions: cs}, "alice", true, recognizer.DefaultConfig())
	want := []string{"zed/answered", "zed/acknowledged", "bob/long_wait", "bob/re_review"}
	// answered is decided by the push at 3h, acknowledged at 3.5h; bob's
	// two signals share the approval's time and sort by signal name.
	if !reflect.DeepEqual(ubPairs(got), want) {
		t.Errorf("got %q, want %q", ubPairs(got), want)
	}
	// The ledger's order does not matter.
	rev := append([]recognizer.Contribution(nil), cs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	again := recognizer.DetectUnblocking(recognizer.History{Contributions: rev}, "alice", true, recognizer.DefaultConfig())
	if !reflect.DeepEqual(got, again) {
		t.Errorf("order of the ledger changed the result:\n%+v\n%+v", got, again)
	}
}

func TestUnblockWhyNone(t *testing.T) {
	cs := []recognizer.Contribution{ubOpened(0), ubRequest("bob", 0),
		ubReview(1, "bob", "approved", 2, "lgtm"),
		ubReview(2, "carol", "approved", 3, ""),
		ubMerged(4)}
	got := recognizer.WhyNoUnblocking(recognizer.History{Contributions: cs}, "alice", true, recognizer.DefaultConfig())
	for _, want := range []string{"no one unblocked alice: ", "2 approvals without requested changes", "no acknowledged help", "no question"} {
		if !strings.Contains(got, want) {
			t.Errorf("WhyNoUnblocking = %q, lacks %q", got, want)
		}
	}
}
