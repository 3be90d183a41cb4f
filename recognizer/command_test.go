package recognizer

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// cmdTestCase is one row of the ParseCommands table. A wanted Problem is a
// required substring of the Problem got (not the whole sentence).
type cmdTestCase struct {
	name string
	body string
	want []Command
}

// cmdWant builds the expected Command for a plain accepted command.
func cmdWant(line int, verb string, reason string, recipients ...string) Command {
	return Command{Line: line, Verb: verb, Recipients: recipients, Reason: reason}
}

// cmdWantProblem builds an expected refused Command; Problem is a required substring.
func cmdWantProblem(line int, verb, reason, sub string) Command {
	return Command{Line: line, Verb: verb, Reason: reason, Problem: sub}
}

func cmdWithValues(c Command, values ...string) Command {
	c.Values = values
	return c
}

func TestParseCommands(t *testing.T) {
	eleven := "/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10 @u11 for everything"
	ten := "/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10 for everything"
	login39 := strings.Repeat("a", 39)
	login40 := strings.Repeat("a", 40)

	cases := []cmdTestCase{
		// Verbs, aliases and case.
		{"thanks", "/thanks @bob", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"kudos", "/kudos @bob", []Command{cmdWant(1, "kudos", "", "bob")}},
		{"shoutout", "/shoutout @bob", []Command{cmdWant(1, "shoutout", "", "bob")}},
		{"capitalised verb", "/Thanks @bob", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"upper-case verb", "/KUDOS @bob", []Command{cmdWant(1, "kudos", "", "bob")}},
		{"mixed-case verb", "/ShoutOut @bob", []Command{cmdWant(1, "shoutout", "", "bob")}},
		{"recipient case kept", "/thanks @BoB", []Command{cmdWant(1, "thanks", "", "BoB")}},
		{"tab after verb", "/thanks\t@bob", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"many spaces after verb", "/thanks     @bob     for it", []Command{cmdWant(1, "thanks", "it", "bob")}},
		{"thanksgiving is not a command", "/thanksgiving @bob", nil},
		{"kudos2 is not a command", "/kudos2 @bob", nil},
		{"verb glued to mention", "/thanks@bob", nil},
		{"verb glued to punctuation", "/thanks! @bob", nil},
		{"unknown verb", "/thank @bob", nil},
		{"kelvin sign is not k", "/than\u212As @bob", nil},
		{"no slash", "thanks @bob", nil},
		{"bare verb", "/thanks", []Command{cmdWantProblem(1, "thanks", "", "Tell me who to thank")}},
		{"bare verb and spaces", "/kudos   ", []Command{cmdWantProblem(1, "kudos", "", "`/kudos @someone for …`")}},

		// Start of line and indentation.
		{"mid-line", "big /thanks @bob", nil},
		{"list item", "- /thanks @bob", nil},
		{"one leading space", " /thanks @bob", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"three leading spaces", "   /thanks @bob", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"four leading spaces is code", "    /thanks @bob", nil},
		{"leading tab is code", "\t/thanks @bob", nil},
		{"spaces then tab is code", "  \t/thanks @bob", nil},

		// Fenced code.
		{"backtick fence", "```\n/thanks @bob\n```\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"tilde fence", "~~~\n/thanks @bob\n~~~\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"fence with info string", "```go\n/thanks @bob\n```\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"indented fence", "   ```\n/thanks @bob\n   ```\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"unclosed fence runs to the end", "```\n/thanks @bob\n\n/thanks @carol", nil},
		{"longer fence needs as long a closer", "````\n```\n/thanks @bob\n````\n/thanks @carol", []Command{cmdWant(5, "thanks", "", "carol")}},
		{"closer may be longer", "```\n/thanks @bob\n`````\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"tilde does not close backticks", "```\n~~~\n/thanks @bob\n```\n/thanks @carol", []Command{cmdWant(5, "thanks", "", "carol")}},
		{"closer with text is no closer", "```\n``` x\n/thanks @bob", nil},
		{"four-space closer is no closer", "```\n    ```\n/thanks @bob", nil},
		{"two backticks are no fence", "``\n/thanks @bob", []Command{cmdWant(2, "thanks", "", "bob")}},
		{"backticks in info string: no fence", "```a`b\n/thanks @bob", []Command{cmdWant(2, "thanks", "", "bob")}},

		// Block quotes.
		{"quote", "> /thanks @bob", nil},
		{"quote without space", ">/thanks @bob", nil},
		{"nested quote", "> > /thanks @bob", nil},
		{"indented quote", "  > /thanks @bob", nil},
		{"after a quote", "> earlier\n/thanks @bob", []Command{cmdWant(2, "thanks", "", "bob")}},

		// HTML comments.
		{"single-line comment", "<!-- /thanks @bob -->\n/thanks @carol", []Command{cmdWant(2, "thanks", "", "carol")}},
		{"multi-line comment", "<!--\n/thanks @bob\n-->\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"comment opened mid-line", "text <!-- start\n/thanks @bob\nend -->\n/thanks @carol", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"line closing a comment is skipped", "<!--\n--> /thanks @bob\n/thanks @carol", []Command{cmdWant(3, "thanks", "", "carol")}},
		{"unclosed comment runs to the end", "<!--\n/thanks @bob", nil},
		{"comment within a command line", "/thanks @bob <!-- @carol --> for it", []Command{cmdWant(1, "thanks", "it", "bob")}},
		{"comment opened on a command line", "/thanks @bob for it <!-- and\n/thanks @carol\n-->", []Command{cmdWant(1, "thanks", "it", "bob")}},
		{"comment marker in code span", "use `<!--` here\n/thanks @bob", []Command{cmdWant(2, "thanks", "", "bob")}},
		{"comment in fence is code", "```\n<!--\n```\n/thanks @bob", []Command{cmdWant(4, "thanks", "", "bob")}},
		{"empty comment", "<!---->\n/thanks @bob", []Command{cmdWant(2, "thanks", "", "bob")}},

		// Inline code.
		{"line starting with backtick", "`/thanks @bob`", nil},
		{"code span as first argument", "/thanks `@bob` for it", []Command{cmdWantProblem(1, "thanks", "`@bob` for it", "Tell me who to thank")}},
		{"code span in reason", "/thanks @bob for fixing `@carol`'s #bug", []Command{cmdWithValues(cmdWant(1, "thanks", "fixing `@carol`'s #bug", "bob"), "bug")}},
		{"tag in code span is no tag", "/thanks @bob for `#define` and #c-lang", []Command{cmdWithValues(cmdWant(1, "thanks", "`#define` and #c-lang", "bob"), "c-lang")}},

		// Email reply tail.
		{"email reply tail", "/thanks @bob\n\nOn Mon, Nov 16, 2026 at 10:02 AM Bob <bob@example.com> wrote:\n/thanks @carol\n> /thanks @dan",
			[]Command{cmdWant(1, "thanks", "", "bob")}},
		{"reply tail without quotes", "hi\nOn Tue, Carol wrote:\n\n/kudos @dan", nil},
		{"text mentioning wrote is fine", "I wrote: /thanks\n/thanks @bob", []Command{cmdWant(2, "thanks", "", "bob")}},
		{"reply header inside fence is code", "```\nOn Mon Bob wrote:\n```\n/thanks @bob", []Command{cmdWant(4, "thanks", "", "bob")}},

		// Punctuation around logins.
		{"exclamation", "/thanks @bob!", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"period", "/thanks @bob.", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"comma", "/thanks @bob,", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"several marks", "/thanks @bob!!!", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"colon then reason", "/thanks @bob: great catch", []Command{cmdWant(1, "thanks", "great catch", "bob")}},
		{"dash then reason", "/thanks @bob - great catch", []Command{cmdWant(1, "thanks", "great catch", "bob")}},
		{"em dash then reason", "/thanks @bob — great catch", []Command{cmdWant(1, "thanks", "great catch", "bob")}},
		{"glued em dash", "/thanks @bob—great catch", []Command{cmdWant(1, "thanks", "great catch", "bob")}},
		{"comma then for", "/thanks @bob, for the fix", []Command{cmdWant(1, "thanks", "the fix", "bob")}},
		{"hyphenated login", "/thanks @bob-smith!", []Command{cmdWant(1, "thanks", "", "bob-smith")}},
		{"glued colon", "/thanks @bob:great catch", []Command{cmdWant(1, "thanks", "great catch", "bob")}},
		{"period then sentence", "/thanks @bob. Great work", []Command{cmdWant(1, "thanks", "Great work", "bob")}},
		{"closing parenthesis", "/thanks @bob) for it", []Command{cmdWant(1, "thanks", "it", "bob")}},
		{"dotted name is invalid", "/thanks @bob.smith", []Command{cmdWantProblem(1, "thanks", "", "`bob.smith` is not a GitHub username")}},

		// Lists of recipients.
		{"spaces", "/thanks @bob @carol", []Command{cmdWant(1, "thanks", "", "bob", "carol")}},
		{"commas and and", "/thanks @bob, @carol and @dan for the reviews", []Command{cmdWant(1, "thanks", "the reviews", "bob", "carol", "dan")}},
		{"oxford comma", "/thanks @bob, @carol, and @dan", []Command{cmdWant(1, "thanks", "", "bob", "carol", "dan")}},
		{"ampersand", "/thanks @bob & @carol", []Command{cmdWant(1, "thanks", "", "bob", "carol")}},
		{"AND upper-case", "/thanks @bob AND @carol", []Command{cmdWant(1, "thanks", "", "bob", "carol")}},
		{"no spaces after commas", "/thanks @bob,@carol", []Command{cmdWant(1, "thanks", "", "bob", "carol")}},
		{"and without a mention starts the reason", "/thanks @bob and everyone else", []Command{cmdWant(1, "thanks", "and everyone else", "bob")}},
		{"andrew is not and", "/thanks @bob andrew", []Command{cmdWant(1, "thanks", "andrew", "bob")}},
		{"to before recipients", "/shoutout to @bob for the demo", []Command{cmdWant(1, "shoutout", "the demo", "bob")}},
		{"to without mention", "/thanks to everyone", []Command{cmdWantProblem(1, "thanks", "to everyone", "Tell me who to thank")}},

		// Reasons.
		{"for reason", "/thanks @bob for catching the race", []Command{cmdWant(1, "thanks", "catching the race", "bob")}},
		{"FOR upper-case", "/thanks @bob FOR catching the race", []Command{cmdWant(1, "thanks", "catching the race", "bob")}},
		{"reason without for", "/thanks @bob great catch!", []Command{cmdWant(1, "thanks", "great catch!", "bob")}},
		{"forever is not for", "/thanks @bob forever", []Command{cmdWant(1, "thanks", "forever", "bob")}},
		{"for and nothing", "/thanks @bob for", []Command{cmdWant(1, "thanks", "", "bob")}},
		{"reason trimmed", "/thanks @bob for   the fix   ", []Command{cmdWant(1, "thanks", "the fix", "bob")}},
		{"reason kept raw", "/thanks @bob for <b>bold</b> **work**", []Command{cmdWant(1, "thanks", "<b>bold</b> **work**", "bob")}},
		{"mention in reason is not a recipient", "/thanks @bob for pairing with @carol", []Command{cmdWant(1, "thanks", "pairing with @carol", "bob")}},
		{"mention in reason without for", "/thanks @bob great pairing with @carol", []Command{cmdWant(1, "thanks", "great pairing with @carol", "bob")}},
		{"for then mentions", "/thanks @bob for @carol's sake", []Command{cmdWant(1, "thanks", "@carol's sake", "bob")}},

		// Counts and duplicates.
		{"ten recipients", ten, []Command{cmdWant(1, "thanks", "everything", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10")}},
		{"eleven recipients", eleven, []Command{cmdWantProblem(1, "thanks", "everything", "at most 10 people per command, and this one names 11")}},
		{"duplicates do not count twice", "/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10 @U1 @u2 for everything", []Command{cmdWant(1, "thanks", "everything", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10")}},
		{"duplicate case-insensitive keeps first", "/thanks @Bob @bob @BOB", []Command{cmdWant(1, "thanks", "", "Bob")}},
		{"duplicates in a list", "/thanks @bob, @carol and @Bob", []Command{cmdWant(1, "thanks", "", "bob", "carol")}},

		// Invalid logins and teams.
		{"leading hyphen", "/thanks @-bob", []Command{cmdWantProblem(1, "thanks", "", "`-bob` is not a GitHub username")}},
		{"trailing hyphen", "/thanks @bob-", []Command{cmdWantProblem(1, "thanks", "", "`bob-` is not a GitHub username")}},
		{"double hyphen", "/thanks @a--b", []Command{cmdWantProblem(1, "thanks", "", "`a--b` is not a GitHub username")}},
		{"39 chars", "/thanks @" + login39, []Command{cmdWant(1, "thanks", "", login39)}},
		{"40 chars", "/thanks @" + login40, []Command{cmdWantProblem(1, "thanks", "", "`"+login40+"` is not a GitHub username")}},
		{"underscore", "/thanks @bob_smith for it", []Command{cmdWantProblem(1, "thanks", "it", "`bob_smith` is not a GitHub username")}},
		{"underscore then punctuation", "/thanks @bob_smith!", []Command{cmdWantProblem(1, "thanks", "", "`bob_smith` is not")}},
		{"non-ASCII login", "/thanks @josé", []Command{cmdWantProblem(1, "thanks", "", "`josé` is not a GitHub username")}},
		{"invalid among valid", "/thanks @bob @bob_smith @carol", []Command{cmdWantProblem(1, "thanks", "", "`bob_smith`")}},
		{"team", "/thanks @kudos-app/core for the release", []Command{cmdWantProblem(1, "thanks", "the release", "`kudos-app/core` is a team")}},
		{"team says people", "/thanks @org/team", []Command{cmdWantProblem(1, "thanks", "", "teams can't be thanked, only people")}},
		{"team among people", "/thanks @bob and @org/team", []Command{cmdWantProblem(1, "thanks", "", "`org/team` is a team")}},
		{"bare at sign", "/thanks @ for it", []Command{cmdWantProblem(1, "thanks", "@ for it", "Tell me who to thank")}},
		{"backtick in invalid name", "/thanks @bo`b", []Command{cmdWantProblem(1, "thanks", "", "`bo'b` is not")}},

		// Values.
		{"value tags", "/thanks @bob for the #Teamwork and #mentoring", []Command{cmdWithValues(cmdWant(1, "thanks", "the #Teamwork and #mentoring", "bob"), "teamwork", "mentoring")}},
		{"issue refs are not tags", "/thanks @bob for fixing #123 #teamwork", []Command{cmdWithValues(cmdWant(1, "thanks", "fixing #123 #teamwork", "bob"), "teamwork")}},
		{"tags de-duplicated", "/thanks @bob #Docs #docs #DOCS", []Command{cmdWithValues(cmdWant(1, "thanks", "#Docs #docs #DOCS", "bob"), "docs")}},
		{"tag characters", "/thanks @bob #code_review-2, #x.", []Command{cmdWithValues(cmdWant(1, "thanks", "#code_review-2, #x.", "bob"), "code_review-2", "x")}},
		{"URL anchor is no tag", "/thanks @bob for https://example.com/doc#section (#docs)", []Command{cmdWithValues(cmdWant(1, "thanks", "https://example.com/doc#section (#docs)", "bob"), "docs")}},
		{"tags on a refused command", "/thanks for the #help", []Command{cmdWithValues(cmdWantProblem(1, "thanks", "the #help", "Tell me who to thank"), "help")}},

		// Several commands, line numbers and line endings.
		{"several commands", "Great work!\n\n/thanks @bob for the review\nand more\n/kudos @carol, @dan for the docs #docs\n/shoutout",
			[]Command{
				cmdWant(3, "thanks", "the review", "bob"),
				cmdWithValues(cmdWant(5, "kudos", "the docs #docs", "carol", "dan"), "docs"),
				cmdWantProblem(6, "shoutout", "", "Tell me who to thank"),
			}},
		{"crlf", "hi\r\n/thanks @bob for it\r\n/kudos @carol\r\n", []Command{cmdWant(2, "thanks", "it", "bob"), cmdWant(3, "kudos", "", "carol")}},
		{"crlf fences", "```\r\n/thanks @bob\r\n```\r\n/thanks @carol\r\n", []Command{cmdWant(4, "thanks", "", "carol")}},
		{"crlf bare verb", "/thanks\r\n", []Command{cmdWantProblem(1, "thanks", "", "Tell me who to thank")}},

		// /kudos subcommands.
		{"kudos help", "/kudos help", []Command{{Line: 1, Verb: "kudos", Sub: "help"}}},
		{"kudos opt-out", "/kudos opt-out", []Command{{Line: 1, Verb: "kudos", Sub: "opt-out"}}},
		{"kudos opt-in", "/kudos opt-in", []Command{{Line: 1, Verb: "kudos", Sub: "opt-in"}}},
		{"subcommand case", "/KUDOS Opt-Out", []Command{{Line: 1, Verb: "kudos", Sub: "opt-out"}}},
		{"subcommand trailing text ignored", "/kudos help me please @bob", []Command{{Line: 1, Verb: "kudos", Sub: "help"}}},
		{"subcommand with period", "/kudos opt-in.", []Command{{Line: 1, Verb: "kudos", Sub: "opt-in"}}},
		{"helpful is not help", "/kudos helpful", []Command{cmdWantProblem(1, "kudos", "helpful", "Tell me who to thank")}},
		{"only kudos takes subcommands", "/thanks help", []Command{cmdWantProblem(1, "thanks", "help", "Tell me who to thank")}},
		{"subcommand after recipient is a reason", "/kudos @bob help", []Command{cmdWant(1, "kudos", "help", "bob")}},

		// Limits and hostile input.
		{"NUL bytes", "/thanks @bob\x00 for it\x00", []Command{cmdWantProblem(1, "thanks", "it\x00", "is not a GitHub username")}},
		{"invalid UTF-8", "/thanks @bob \xff\xfe #ok", []Command{cmdWithValues(cmdWant(1, "thanks", "\xff\xfe #ok", "bob"), "ok")}},
		{"long line cut at 4 KiB", "/thanks @bob " + strings.Repeat("x", 5000) + " @carol", []Command{cmdWant(1, "thanks", strings.Repeat("x", cmdMaxLine-len("/thanks @bob ")), "bob")}},
		{"body cut at 64 KiB", strings.Repeat("\n", 70000) + "/thanks @bob", nil},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseCommands(tc.body)
			if len(got) != len(tc.want) {
				t.Fatalf("ParseCommands(%q) = %d commands %+v, want %d %+v", cmdShort(tc.body), len(got), got, len(tc.want), tc.want)
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if !strings.Contains(g.Problem, w.Problem) || (w.Problem == "") != (g.Problem == "") {
					t.Errorf("command %d: Problem = %q, want it to contain %q", i, g.Problem, w.Problem)
				}
				g.Problem, w.Problem = "", ""
				if g.Line != w.Line || g.Verb != w.Verb || g.Sub != w.Sub || g.Reason != w.Reason ||
					!slices.Equal(g.Recipients, w.Recipients) || !slices.Equal(g.Values, w.Values) {
					t.Errorf("command %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
			cmdCheckInvariants(t, tc.body, got)
		})
	}
}

func TestParseCommandsProblemsDoNotPing(t *testing.T) {
	for _, body := range []string{
		"/thanks",
		"/thanks @org/team",
		"/thanks @bob_smith",
		"/thanks @a@b_c",
		"/thanks @x\x00\x01",
		"/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10 @u11",
		"/thanks @" + strings.Repeat("é", 100),
	} {
		for _, c := range ParseCommands(body) {
			if c.Problem == "" {
				t.Errorf("%q: no problem", body)
			}
			if strings.Count(c.Problem, "\n") > 0 || !utf8.ValidString(c.Problem) {
				t.Errorf("%q: problem %q is not one clean line", body, c.Problem)
			}
			if utf8.RuneCountInString(c.Problem) > 160 {
				t.Errorf("%q: problem %q is too long", body, c.Problem)
			}
		}
	}
}

func TestValidLogin(t *testing.T) {
	for _, tc := range []struct {
		login string
		want  bool
	}{
		{"bob", true},
		{"Bob", true},
		{"b", true},
		{"1", true},
		{"bob-smith", true},
		{"b-o-b", true},
		{"bob42", true},
		{"42bob", true},
		{strings.Repeat("a", 39), true},
		{"", false},
		{strings.Repeat("a", 40), false},
		{"-bob", false},
		{"bob-", false},
		{"-", false},
		{"a--b", false},
		{"bob_smith", false},
		{"bob.smith", false},
		{"@bob", false},
		{"org/team", false},
		{"josé", false},
		{"bob smith", false},
		{"bob\x00", false},
	} {
		t.Run(strconv.Quote(tc.login), func(t *testing.T) {
			if got := ValidLogin(tc.login); got != tc.want {
				t.Errorf("ValidLogin(%q) = %v, want %v", tc.login, got, tc.want)
			}
		})
	}
}

func FuzzParseCommands(f *testing.F) {
	for _, seed := range []string{
		"",
		"/thanks @bob for catching the race",
		"/kudos @bob, @carol and @dan for the reviews #teamwork #123",
		"/shoutout to @bob: great catch",
		"/kudos help\n/kudos opt-out\n/KUDOS Opt-In",
		"```\n/thanks @bob\n```\n~~~~\n/thanks @carol\n~~~\n/thanks @dan",
		"> /thanks @bob\n    /thanks @carol\n\t/thanks @dan\n`/thanks @erin`",
		"<!-- /thanks @bob\n/thanks @carol --> /thanks @dan\n/thanks @erin <!-- @frank -->",
		"/thanks @bob\n\nOn Mon, Nov 16, 2026 at 10:02 AM Bob <bob@example.com> wrote:\n> /thanks @carol",
		"/thanks @-bob @bob- @a--b @bob_smith @org/team",
		"/thanks @u1 @u2 @u3 @u4 @u5 @u6 @u7 @u8 @u9 @u10 @u11",
		"/thanks\r\n/thanks @bob!\r\n/thanksgiving @carol",
		"/thanks @bob\x00\xff\xfe `<!--` #x",
		"   /than\u212As @bob\n/thanks\u00a0@bob\u2014great",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		cmdCheckInvariants(t, body, ParseCommands(body))
	})
}

// cmdCheckInvariants checks what must hold for any body.
func cmdCheckInvariants(t *testing.T, body string, cmds []Command) {
	t.Helper()
	lines := strings.Split(body, "\n")
	last := 0
	for _, c := range cmds {
		if c.Line < 1 || c.Line > len(lines) {
			t.Fatalf("Line %d outside 1..%d", c.Line, len(lines))
		}
		if c.Line <= last {
			t.Errorf("Line %d not after previous command's line %d", c.Line, last)
		}
		last = c.Line
		if !slices.Contains(cmdVerbs[:], c.Verb) {
			t.Errorf("Verb %q unknown", c.Verb)
		}
		line := lines[c.Line-1]
		for i := 0; i < 3 && strings.HasPrefix(line, " "); i++ {
			line = line[1:]
		}
		prefix := "/" + c.Verb
		if len(line) < len(prefix) || !cmdEqualFold(line[:len(prefix)], prefix) {
			t.Errorf("line %d %q does not start with %q", c.Line, cmdShort(lines[c.Line-1]), prefix)
		}
		if c.Sub != "" && (c.Verb != "kudos" || !slices.Contains(cmdKudosSubs[:], c.Sub)) {
			t.Errorf("Sub %q with Verb %q", c.Sub, c.Verb)
		}
		if c.Sub != "" && (len(c.Recipients) > 0 || c.Problem != "") {
			t.Errorf("subcommand %q with recipients %v or problem %q", c.Sub, c.Recipients, c.Problem)
		}
		if c.Problem != "" && len(c.Recipients) > 0 {
			t.Errorf("both Problem %q and Recipients %v", c.Problem, c.Recipients)
		}
		if c.Problem == "" && c.Sub == "" && len(c.Recipients) == 0 {
			t.Errorf("neither Problem, Sub nor Recipients on line %d", c.Line)
		}
		if len(c.Recipients) > MaxRecipients {
			t.Errorf("%d recipients > %d", len(c.Recipients), MaxRecipients)
		}
		seen := map[string]bool{}
		for _, r := range c.Recipients {
			if !ValidLogin(r) {
				t.Errorf("recipient %q is not a valid login", r)
			}
			if seen[strings.ToLower(r)] {
				t.Errorf("recipient %q twice", r)
			}
			seen[strings.ToLower(r)] = true
		}
		if c.Reason != strings.TrimSpace(c.Reason) {
			t.Errorf("reason %q not trimmed", c.Reason)
		}
		for _, v := range c.Values {
			if v == "" || v != strings.ToLower(v) || !strings.Contains(strings.ToLower(c.Reason), "#"+v) {
				t.Errorf("value %q not a lower-case tag of reason %q", v, c.Reason)
			}
		}
		if c.Problem != "" {
			if !utf8.ValidString(c.Problem) || strings.ContainsAny(c.Problem, "\r\n\x00") {
				t.Errorf("problem %q is not clean text", c.Problem)
			}
			// "@" only inside code spans: the message never pings anyone.
			for i, part := range strings.Split(c.Problem, "`") {
				if i%2 == 0 && strings.Contains(part, "@") {
					t.Errorf("problem %q has an @ outside code", c.Problem)
				}
			}
		}
	}
}

func cmdShort(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
