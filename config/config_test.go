package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/recognizer"
)

const name = ".github/kudos.yml"

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse(name, []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	if f == nil {
		t.Fatal("Parse returned neither a File nor an error")
	}
	return f
}

func TestExampleSetsEveryField(t *testing.T) {
	f := mustParse(t, Example)
	// Laid over the zero Config, every field the file covers shows.
	got := f.Apply(recognizer.Config{})
	checks := []struct {
		field     string
		got, want any
	}{
		{"Thanks", got.Thanks, true},
		{"ShoutOuts", got.ShoutOuts, true},
		{"Unblocking", got.Unblocking, true},
		{"Summaries", got.Summaries, true},
		{"Aliases", got.Aliases, []string{"props", "ty"}},
		{"Values", got.Values, []recognizer.Value{
			{Tag: "teamwork", Description: "Helping each other get unstuck"},
			{Tag: "craft"},
		}},
		{"ShoutOutReviewComments", got.ShoutOutReviewComments, true},
		{"NeverName", got.NeverName, []string{"carol"}},
		{"NeverNameTeams", got.NeverNameTeams, []string{"acme/legal"}},
		{"Retention", got.Retention, 13 * 7 * 24 * time.Hour},
		{"ThanksPerHour", got.ThanksPerHour, 20},
		{"LongWait", got.LongWait, 48 * time.Hour},
		{"Summary.Weekday", got.Summary.Weekday, time.Monday},
		{"Summary.Hour", got.Summary.Hour, 9},
		{"Summary.Timezone", got.Summary.Timezone, "Europe/Berlin"},
		{"Summary.Teams", got.Summary.Teams, []recognizer.Team{{
			Name:       "platform",
			Repos:      []string{"acme/widgets", "acme/gears"},
			GitHubTeam: "acme/platform",
			Target:     "acme/platform-notes",
		}}},
		{"KnownBots (not in the file)", got.KnownBots, []string(nil)},
	}
	for _, c := range checks {
		t.Run(c.field, func(t *testing.T) {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("got %#v, want %#v", c.got, c.want)
			}
		})
	}
	t.Run("every File field set", func(t *testing.T) {
		v := reflect.ValueOf(*f)
		for i := range v.NumField() {
			if fv := v.Field(i); fv.IsZero() {
				t.Errorf("Example leaves File.%s unset", v.Type().Field(i).Name)
			}
		}
	})
	t.Run("over the defaults", func(t *testing.T) {
		def := recognizer.DefaultConfig()
		c := f.Apply(def)
		if !reflect.DeepEqual(c.KnownBots, def.KnownBots) {
			t.Errorf("KnownBots = %v, want the defaults", c.KnownBots)
		}
		if c.Summary.Timezone != "Europe/Berlin" {
			t.Errorf("Timezone = %q", c.Summary.Timezone)
		}
	})
}

func TestMinimalFilesChangeNothing(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"version only", "version: 1"},
		{"with newline", "version: 1\n"},
		{"with comments", "# Kudos settings\nversion: 1 # schema\n# the rest: defaults\n"},
		{"document markers", "---\nversion: 1\n...\n"},
		{"byte order mark", "\ufeffversion: 1\n"},
		{"UTF-16", "\xff\xfev\x00e\x00r\x00s\x00i\x00o\x00n\x00:\x00 \x001\x00\n\x00"},
		{"CRLF", "version: 1\r\n"},
		{"empty sections", "version: 1\nfeatures:\nsummary: {}\nprivacy:\n  never_name:\n"},
		{"flow style", "{version: 1}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, tc.src)
			if got, want := f.Apply(recognizer.DefaultConfig()), recognizer.DefaultConfig(); !reflect.DeepEqual(got, want) {
				t.Errorf("Apply changed the defaults:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestPartialFilesChangeOnlyWhatTheySet(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		change    func(c *recognizer.Config)
	}{
		{"one feature off", "version: 1\nfeatures:\n  summaries: false\n",
			func(c *recognizer.Config) { c.Summaries = false }},
		{"all features off", "version: 1\nfeatures: {thanks: false, shoutouts: False, unblocking: FALSE, summaries: false}\n",
			func(c *recognizer.Config) {
				c.Thanks, c.ShoutOuts, c.Unblocking, c.Summaries = false, false, false, false
			}},
		{"review comments off", "version: 1\nshoutouts:\n  review_comments: false\n",
			func(c *recognizer.Config) { c.ShoutOutReviewComments = false }},
		{"aliases", "version: 1\ncommands:\n  aliases:\n    - props\n    - ty\n    - high-5\n",
			func(c *recognizer.Config) { c.Aliases = []string{"props", "ty", "high-5"} }},
		{"no aliases", "version: 1\ncommands:\n  aliases: []\n",
			func(c *recognizer.Config) { c.Aliases = []string{} }},
		{"values lower-cased", "version: 1\nvalues:\n  - tag: TeamWork\n    description: '  Helping out  '\n  - tag: naïve_2\n",
			func(c *recognizer.Config) {
				c.Values = []recognizer.Value{{Tag: "teamwork", Description: "Helping out"}, {Tag: "naïve_2"}}
			}},
		{"never name", "version: 1\nprivacy:\n  never_name:\n    users: [Carol, 1234, d-e]\n    teams: [Acme/Legal_Team]\n",
			func(c *recognizer.Config) {
				c.NeverName = []string{"carol", "1234", "d-e"}
				c.NeverNameTeams = []string{"acme/legal_team"}
			}},
		{"retention in days", "version: 1\nretention: 90d\n",
			func(c *recognizer.Config) { c.Retention = 90 * 24 * time.Hour }},
		{"retention in hours", "version: 1\nretention: 2160h\n",
			func(c *recognizer.Config) { c.Retention = 2160 * time.Hour }},
		{"retention of one week", "version: 1\nretention: 1w\n",
			func(c *recognizer.Config) { c.Retention = 7 * 24 * time.Hour }},
		{"retention of two years", "version: 1\nretention: 730d\n",
			func(c *recognizer.Config) { c.Retention = 730 * 24 * time.Hour }},
		{"limits", "version: 1\nlimits:\n  thanks_per_hour: 1000\n",
			func(c *recognizer.Config) { c.ThanksPerHour = 1000 }},
		{"long wait", "version: 1\nunblocking:\n  long_wait_hours: 720\n",
			func(c *recognizer.Config) { c.LongWait = 720 * time.Hour }},
		{"schedule", "version: 1\nsummary:\n  weekday: Friday\n  hour: 0\n",
			func(c *recognizer.Config) { c.Summary.Weekday, c.Summary.Hour = time.Friday, 0 }},
		{"hour with a leading zero", "version: 1\nsummary:\n  hour: 08\n",
			func(c *recognizer.Config) { c.Summary.Hour = 8 }},
		{"timezone", "version: 1\nsummary:\n  timezone: America/Argentina/Buenos_Aires\n",
			func(c *recognizer.Config) { c.Summary.Timezone = "America/Argentina/Buenos_Aires" }},
		{"teams", "version: 1\nsummary:\n  teams:\n    - name: web\n      repos: [acme/site]\n      target: acme/site\n    - name: Legal & Privacy\n      github_team: ACME/legal\n      target: acme/legal.notes\n",
			func(c *recognizer.Config) {
				c.Summary.Teams = []recognizer.Team{
					{Name: "web", Repos: []string{"acme/site"}, Target: "acme/site"},
					{Name: "Legal & Privacy", GitHubTeam: "acme/legal", Target: "acme/legal.notes"},
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := recognizer.DefaultConfig()
			tc.change(&want)
			if got := mustParse(t, tc.src).Apply(recognizer.DefaultConfig()); !reflect.DeepEqual(got, want) {
				t.Errorf("\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestApplySharesNothing(t *testing.T) {
	f := mustParse(t, Example)
	c := f.Apply(recognizer.DefaultConfig())
	c.Aliases[0] = "changed"
	c.Values[0].Tag = "changed"
	c.NeverName[0] = "changed"
	c.NeverNameTeams[0] = "changed"
	c.Summary.Teams[0].Repos[0] = "changed"
	c.Summary.Teams[0].Name = "changed"
	again := f.Apply(recognizer.DefaultConfig())
	if again.Aliases[0] != "props" || again.Values[0].Tag != "teamwork" || again.NeverName[0] != "carol" ||
		again.NeverNameTeams[0] != "acme/legal" || again.Summary.Teams[0].Repos[0] != "acme/widgets" ||
		again.Summary.Teams[0].Name != "platform" {
		t.Errorf("changing one Apply result changed the File: %+v", again)
	}
	var nilFile *File
	if got := nilFile.Apply(recognizer.DefaultConfig()); !reflect.DeepEqual(got, recognizer.DefaultConfig()) {
		t.Errorf("nil File changed the config")
	}
}

func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string // FILE:LINE: message, in order
	}{
		{"unknown top-level key",
			"version: 1\nfeaturs:\n  thanks: true\n",
			[]string{`.github/kudos.yml:2: unknown key "featurs" (did you mean "features"?)`}},
		{"unknown key far from any",
			"version: 1\ncolour: blue\n",
			[]string{`.github/kudos.yml:2: unknown key "colour" (known keys: version, features, commands, values, shoutouts, privacy, retention, limits, unblocking, summary)`}},
		{"unknown nested key with suggestion",
			"version: 1\nsummary:\n  weekday: monday\n  timezon: UTC\n",
			[]string{`.github/kudos.yml:4: summary: unknown key "timezon" (did you mean "timezone"?)`}},
		{"unknown key in a list item",
			"version: 1\nvalues:\n  - tag: craft\n    descripton: Care\n",
			[]string{`.github/kudos.yml:4: values[0]: unknown key "descripton" (did you mean "description"?)`}},
		{"swapped letters",
			"version: 1\nfeatures:\n  thnaks: true\n",
			[]string{`.github/kudos.yml:3: features: unknown key "thnaks" (did you mean "thanks"?)`}},
		{"wrong type: string for bool",
			"version: 1\nfeatures:\n  thanks: yes please\n",
			[]string{`.github/kudos.yml:3: features.thanks: want true or false, got "yes please"`}},
		{"wrong type: quoted bool",
			"version: 1\nfeatures:\n  shoutouts: \"false\"\n",
			[]string{`.github/kudos.yml:3: features.shoutouts: want true or false, got "false"`}},
		{"wrong type: list for mapping",
			"version: 1\nfeatures: [thanks]\n",
			[]string{".github/kudos.yml:2: features: want a mapping such as `thanks: true`, got a list"}},
		{"wrong type: string for number",
			"version: 1\nlimits:\n  thanks_per_hour: lots\n",
			[]string{`.github/kudos.yml:3: limits.thanks_per_hour: want a whole number from 1 to 1000, got "lots"`}},
		{"wrong type: fraction",
			"version: 1\nunblocking:\n  long_wait_hours: 1.5\n",
			[]string{`.github/kudos.yml:3: unblocking.long_wait_hours: want a whole number from 1 to 720, got 1.5`}},
		{"wrong type: mapping for list",
			"version: 1\ncommands:\n  aliases: {props: true}\n",
			[]string{`.github/kudos.yml:3: commands.aliases: want a list of command words such as [props, ty], got a mapping`}},
		{"wrong type: list for string",
			"version: 1\nsummary:\n  timezone: [UTC]\n",
			[]string{`.github/kudos.yml:3: summary.timezone: want a time zone name such as Europe/Berlin or UTC, got a list`}},
		{"wrong type: custom tag",
			"version: 1\nfeatures:\n  thanks: !yes true\n",
			[]string{`.github/kudos.yml:3: features.thanks: want true or false, got a value tagged !yes`}},
		{"wrong type: root is a list",
			"- version: 1\n",
			[]string{".github/kudos.yml:1: want a mapping of settings such as `version: 1`, got a list"}},
		{"bad version",
			"version: 2\n",
			[]string{`.github/kudos.yml:1: unsupported version 2 (this Kudos reads version 1)`}},
		{"version not a number",
			"version: \"1\"\n",
			[]string{`.github/kudos.yml:1: version: want 1, got "1"`}},
		{"missing version",
			"features:\n  thanks: false\n",
			[]string{".github/kudos.yml:1: missing required key \"version\" (add `version: 1` at the top)"}},
		{"empty file",
			"",
			[]string{".github/kudos.yml:1: empty file: needs at least `version: 1`"}},
		{"only comments",
			"# nothing yet\n\n",
			[]string{".github/kudos.yml:1: empty file: needs at least `version: 1`"}},
		{"only null",
			"~\n",
			[]string{".github/kudos.yml:1: empty file: needs at least `version: 1`"}},
		{"old Mac line breaks",
			"version: 1\rfeatures:\r  thanks: maybe\r",
			[]string{`.github/kudos.yml:3: features.thanks: want true or false, got "maybe"`}},
		{"duplicate key",
			"version: 1\nfeatures:\n  thanks: true\n  thanks: false\n",
			[]string{`.github/kudos.yml:4: features: duplicate key "thanks" (first on line 3)`}},
		{"bad tag",
			"version: 1\nvalues:\n  - tag: 1st-class\n  - tag: \"#craft\"\n  - tag: team work\n",
			[]string{
				`.github/kudos.yml:3: values[0].tag: invalid tag "1st-class": use at most 30 letters, digits, '-' or '_', starting with a letter`,
				`.github/kudos.yml:4: values[1].tag: invalid tag "#craft": write it without the #`,
				`.github/kudos.yml:5: values[2].tag: invalid tag "team work": use at most 30 letters, digits, '-' or '_', starting with a letter`,
			}},
		{"tag too long",
			"version: 1\nvalues:\n  - tag: " + strings.Repeat("a", 31) + "\n",
			[]string{`.github/kudos.yml:3: values[0].tag: invalid tag "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": use at most 30 letters, digits, '-' or '_', starting with a letter`}},
		{"tag left out by a comment",
			"version: 1\nvalues:\n  - tag: #craft\n",
			[]string{`.github/kudos.yml:3: values[0].tag: want a tag such as teamwork (a # starts a YAML comment: leave it out), got nothing`}},
		{"duplicate tag",
			"version: 1\nvalues:\n  - tag: craft\n  - tag: teamwork\n  - tag: Craft\n",
			[]string{`.github/kudos.yml:5: values[2].tag: duplicate tag "Craft" (first on line 3)`}},
		{"value without tag",
			"version: 1\nvalues:\n  - description: Care\n",
			[]string{`.github/kudos.yml:3: values[0]: missing required key "tag"`}},
		{"value as a bare word",
			"version: 1\nvalues: [craft]\n",
			[]string{`.github/kudos.yml:2: values[0]: want a mapping such as {tag: teamwork, description: …}, got "craft"`}},
		{"description too long",
			"version: 1\nvalues:\n  - tag: craft\n    description: " + strings.Repeat("x", 201) + "\n",
			[]string{`.github/kudos.yml:4: values[0].description: description is 201 characters; the limit is 200`}},
		{"description on two lines",
			"version: 1\nvalues:\n  - tag: craft\n    description: |\n      one\n      two\n",
			[]string{`.github/kudos.yml:4: values[0].description: description must be one line of text`}},
		{"bad login",
			"version: 1\nprivacy:\n  never_name:\n    users:\n      - carol-\n      - \"@dave\"\n      - " + strings.Repeat("e", 40) + "\n",
			[]string{
				`.github/kudos.yml:5: privacy.never_name.users[0]: invalid GitHub login "carol-": use 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen`,
				`.github/kudos.yml:6: privacy.never_name.users[1]: invalid GitHub login "@dave": write it without the @`,
				`.github/kudos.yml:7: privacy.never_name.users[2]: invalid GitHub login "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee": use 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen`,
			}},
		{"duplicate login",
			"version: 1\nprivacy:\n  never_name:\n    users: [carol, Carol]\n",
			[]string{`.github/kudos.yml:4: privacy.never_name.users[1]: duplicate user "Carol" (first on line 4)`}},
		{"bad team slug",
			"version: 1\nprivacy:\n  never_name:\n    teams: [legal, acme/le gal, acme/]\n",
			[]string{
				`.github/kudos.yml:4: privacy.never_name.teams[0]: invalid team "legal": want "org/team-slug", such as acme/legal`,
				`.github/kudos.yml:4: privacy.never_name.teams[1]: invalid team "acme/le gal": want "org/team-slug", such as acme/legal`,
				`.github/kudos.yml:4: privacy.never_name.teams[2]: invalid team "acme/": want "org/team-slug", such as acme/legal`,
			}},
		{"bad timezone",
			"version: 1\nsummary:\n  timezone: Europe/Berln\n",
			[]string{`.github/kudos.yml:3: summary.timezone: unknown time zone "Europe/Berln": want an IANA name such as Europe/Berlin or UTC`}},
		{"timezone Local",
			"version: 1\nsummary:\n  timezone: Local\n",
			[]string{`.github/kudos.yml:3: summary.timezone: unknown time zone "Local": want an IANA name such as Europe/Berlin or UTC`}},
		{"timezone path",
			"version: 1\nsummary:\n  timezone: ../../etc/passwd\n",
			[]string{`.github/kudos.yml:3: summary.timezone: unknown time zone "../../etc/passwd": want an IANA name such as Europe/Berlin or UTC`}},
		{"bad weekday",
			"version: 1\nsummary:\n  weekday: mon\n",
			[]string{`.github/kudos.yml:3: summary.weekday: want a day of the week (monday to sunday), got "mon"`}},
		{"hour 24",
			"version: 1\nsummary:\n  hour: 24\n",
			[]string{`.github/kudos.yml:3: summary.hour: want a whole number from 0 to 23, got 24`}},
		{"negative hour",
			"version: 1\nsummary:\n  hour: -1\n",
			[]string{`.github/kudos.yml:3: summary.hour: want a whole number from 0 to 23, got -1`}},
		{"huge number",
			"version: 1\nlimits:\n  thanks_per_hour: 99999999999999999999999\n",
			[]string{`.github/kudos.yml:3: limits.thanks_per_hour: want a whole number from 1 to 1000, got 99999999999999999999999`}},
		{"bad duration",
			"version: 1\nretention: 13 weeks\n",
			[]string{`.github/kudos.yml:2: retention: invalid duration "13 weeks": want a duration in weeks (13w), days (90d) or hours (2160h)`}},
		{"duration without unit",
			"version: 1\nretention: 90\n",
			[]string{`.github/kudos.yml:2: retention: want a duration in weeks (13w), days (90d) or hours (2160h), got 90`}},
		{"retention too short",
			"version: 1\nretention: 6d\n",
			[]string{`.github/kudos.yml:2: retention: "6d" is too short: keep records at least 1 week (1w)`}},
		{"retention too long",
			"version: 1\nretention: 105w\n",
			[]string{`.github/kudos.yml:2: retention: "105w" is too long: keep records at most 2 years (730d)`}},
		{"retention overflowing",
			"version: 1\nretention: 99999999999999999999w\n",
			[]string{`.github/kudos.yml:2: retention: "99999999999999999999w" is too long: keep records at most 2 years (730d)`}},
		{"alias clash with help",
			"version: 1\ncommands:\n  aliases: [props, help]\n",
			[]string{`.github/kudos.yml:3: commands.aliases[1]: "help" cannot be an alias: it is a /kudos subcommand (help, opt-out, opt-in)`}},
		{"alias clash with a command",
			"version: 1\ncommands:\n  aliases: [kudos]\n",
			[]string{`.github/kudos.yml:3: commands.aliases[0]: "kudos" is already a command`}},
		{"bad aliases",
			"version: 1\ncommands:\n  aliases:\n    - Props\n    - t\n    - /ty\n    - props\n    - props\n",
			[]string{
				`.github/kudos.yml:4: commands.aliases[0]: invalid alias "Props": use 2 to 20 lower-case letters, digits or '-', starting with a letter`,
				`.github/kudos.yml:5: commands.aliases[1]: invalid alias "t": use 2 to 20 lower-case letters, digits or '-', starting with a letter`,
				`.github/kudos.yml:6: commands.aliases[2]: invalid alias "/ty": write it without the /`,
				`.github/kudos.yml:8: commands.aliases[4]: duplicate alias "props" (first on line 7)`,
			}},
		{"team without target",
			"version: 1\nsummary:\n  teams:\n    - name: web\n      repos: [acme/site]\n",
			[]string{`.github/kudos.yml:4: summary.teams[0]: missing required key "target" (the "owner/name" repository where the summary issue is opened)`}},
		{"team without repos or github_team",
			"version: 1\nsummary:\n  teams:\n    - name: web\n      target: acme/site\n",
			[]string{`.github/kudos.yml:4: summary.teams[0]: needs repos, github_team or both, to say whose activity the summary covers`}},
		{"team with empty repos",
			"version: 1\nsummary:\n  teams:\n    - name: web\n      repos: []\n      target: acme/site\n",
			[]string{`.github/kudos.yml:4: summary.teams[0]: needs at least one repository in repos, or a github_team`}},
		{"team without name",
			"version: 1\nsummary:\n  teams:\n    - repos: [acme/site]\n      target: acme/site\n",
			[]string{`.github/kudos.yml:4: summary.teams[0]: missing required key "name"`}},
		{"duplicate team name",
			"version: 1\nsummary:\n  teams:\n    - {name: web, repos: [acme/a], target: acme/a}\n    - {name: Web, repos: [acme/b], target: acme/b}\n",
			[]string{`.github/kudos.yml:5: summary.teams[1].name: duplicate team name "Web" (first on line 4)`}},
		{"bad team fields",
			"version: 1\nsummary:\n  teams:\n    - name: \"" + strings.Repeat("n", 51) + "\"\n      repos: [acme, acme/ok, acme/ok]\n      github_team: acme\n      target: -acme/notes\n",
			[]string{
				`.github/kudos.yml:4: summary.teams[0].name: invalid team name "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn…": use one line of 1 to 50 characters`,
				`.github/kudos.yml:5: summary.teams[0].repos[0]: invalid repository "acme": want "owner/name", such as acme/widgets`,
				`.github/kudos.yml:5: summary.teams[0].repos[2]: duplicate repository "acme/ok" (first on line 5)`,
				`.github/kudos.yml:6: summary.teams[0].github_team: invalid team "acme": want "org/team-slug", such as acme/legal`,
				`.github/kudos.yml:7: summary.teams[0].target: invalid repository "-acme/notes": want "owner/name", such as acme/widgets`,
			}},
		{"YAML syntax error",
			"version: 1\nfeatures:\n  thanks: true\n   summaries: false\n",
			[]string{`.github/kudos.yml:4: YAML syntax error: mapping values are not allowed in this context`}},
		{"YAML syntax error: unclosed list",
			"version: 1\ncommands:\n  aliases: [props, ty\nvalues: []\n",
			[]string{`.github/kudos.yml:3: YAML syntax error: did not find expected ',' or ']'`}},
		{"YAML syntax error: tab indent",
			"version: 1\nfeatures:\n\tthanks: true\n",
			[]string{`.github/kudos.yml:3: YAML syntax error: found character that cannot start any token`}},
		{"YAML syntax error: unclosed at the end",
			"version: 1\nvalues: [\n",
			[]string{`.github/kudos.yml:2: YAML syntax error: did not find expected node content`}},
		{"YAML syntax error: unclosed mapping, no newline",
			"{",
			[]string{`.github/kudos.yml:1: YAML syntax error: did not find expected node content`}},
		{"YAML syntax error on line 1",
			"version: 1: 2\n",
			[]string{`.github/kudos.yml:1: YAML syntax error: mapping values are not allowed in this context`}},
		{"control character",
			"version: 1\nfeatures:\n  thanks: tr\x01ue\n",
			[]string{`.github/kudos.yml:3: YAML syntax error: control characters are not allowed`}},
		{"invalid UTF-8",
			"version: 1\n\nvalues:\n  - tag: caf\xe9\n",
			[]string{`.github/kudos.yml:4: YAML syntax error: incomplete UTF-8 octet sequence`}},
		{"alias node",
			"version: 1\nfeatures: &on\n  thanks: true\nsummary: *on\n",
			[]string{
				`.github/kudos.yml:2: YAML anchors (&on) are not supported: write the value out in full`,
				`.github/kudos.yml:4: YAML aliases (*on) are not supported: write the value out in full`,
			}},
		{"alias as a required value",
			"version: &v 1\nsummary:\n  teams:\n    - name: *v\n      repos: [acme/a]\n      target: acme/a\n",
			[]string{
				`.github/kudos.yml:1: YAML anchors (&v) are not supported: write the value out in full`,
				`.github/kudos.yml:4: YAML aliases (*v) are not supported: write the value out in full`,
			}},
		{"alias to an undefined anchor",
			"version: 1\nfeatures:\n  thanks: *yes\n",
			[]string{`.github/kudos.yml:3: YAML aliases (*yes) are not supported: write the value out in full`}},
		{"merge key",
			"version: 1\nfeatures: &f {thanks: true}\nsummary:\n  <<: *f\n",
			[]string{
				`.github/kudos.yml:2: YAML anchors (&f) are not supported: write the value out in full`,
				`.github/kudos.yml:4: YAML aliases (*f) are not supported: write the value out in full`,
			}},
		{"second document",
			"version: 1\n---\nfeatures: {thanks: false}\n",
			[]string{`.github/kudos.yml:3: a second YAML document starts here (after a --- line): put every setting in one document`}},
		{"several problems at once",
			"summary:\n  hour: 25\n  weekday: someday\nfeatures:\n  thanks: maybe\nversion: 3\nextra: 1\n",
			[]string{
				`.github/kudos.yml:2: summary.hour: want a whole number from 0 to 23, got 25`,
				`.github/kudos.yml:3: summary.weekday: want a day of the week (monday to sunday), got "someday"`,
				`.github/kudos.yml:5: features.thanks: want true or false, got "maybe"`,
				`.github/kudos.yml:6: unsupported version 3 (this Kudos reads version 1)`,
				`.github/kudos.yml:7: unknown key "extra" (known keys: version, features, commands, values, shoutouts, privacy, retention, limits, unblocking, summary)`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(name, []byte(tc.src))
			if f != nil {
				t.Errorf("Parse returned a File with the error")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse error = %v (%T), want Errors", err, err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if err.Error() != strings.Join(tc.want, "\n") {
				t.Errorf("Error() = %q, want the problems one per line", err.Error())
			}
		})
	}
}

func TestBillionLaughsIsRefused(t *testing.T) {
	// Nine levels of nine aliases each would expand to 9^9 strings.
	var b strings.Builder
	b.WriteString("version: 1\nvalues:\n  - tag: l0\n    description: &l0 lol\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "  - tag: l%d\n    description: &l%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	f, err := Parse(name, []byte(b.String()))
	var errs Errors
	if f != nil || !errors.As(err, &errs) {
		t.Fatalf("Parse = %v, %v; want Errors", f, err)
	}
	anchors, aliases := 0, 0
	for _, e := range errs {
		switch {
		case strings.HasPrefix(e.Msg, "YAML anchors (&l"):
			anchors++
		case strings.HasPrefix(e.Msg, "YAML aliases (*l"):
			aliases++
		case strings.HasSuffix(e.Msg, "description: want a short description, got a list"):
			// the list of aliases itself, never expanded
		default:
			t.Errorf("unexpected problem %v", e)
		}
		if e.Line < 4 || e.Line > 20 {
			t.Errorf("problem on line %d: %v", e.Line, e)
		}
	}
	if anchors != 9 || aliases != 8*9 {
		t.Errorf("got %d anchors and %d aliases refused, want 9 and 72", anchors, aliases)
	}
}

func TestOversizedFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		ok   bool
	}{
		{"at the limit", MaxSize, true},
		{"one byte over", MaxSize + 1, false},
		{"a megabyte", 1 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "version: 1\n"
			src += strings.Repeat("#", tc.size-len(src)-1) + "\n"
			f, err := Parse(name, []byte(src))
			if tc.ok {
				if err != nil || f == nil {
					t.Fatalf("Parse = %v, %v", f, err)
				}
				return
			}
			want := fmt.Sprintf(".github/kudos.yml:1: file is %d bytes; the limit is 65536", tc.size)
			if f != nil || err == nil || err.Error() != want {
				t.Errorf("Parse = %v, %v; want %q", f, err, want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: ".github/kudos.yml", Line: 7, Msg: `unknown key "featurs" (did you mean "features"?)`}
	if got, want := e.Error(), `.github/kudos.yml:7: unknown key "featurs" (did you mean "features"?)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	es := Errors{e, {File: "x.yml", Line: 9, Msg: "two"}}
	if got, want := es.Error(), e.Error()+"\nx.yml:9: two"; got != want {
		t.Errorf("Errors.Error() = %q, want %q", got, want)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"featurs", "features", 1}, {"thnaks", "thanks", 1},
		{"kitten", "sitting", 3}, {"tz", "timezone", 6}, {"ünï", "uni", 2},
	} {
		t.Run(tc.a+"→"+tc.b, func(t *testing.T) {
			if got := distance(tc.a, tc.b); got != tc.want {
				t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}
