package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kudos-app/kudos/recognizer"
)

// walker checks a YAML node tree against the schema, collecting every
// problem with its line.
type walker struct {
	name string
	errs Errors
}

// errorf records a problem at node n. A non-empty path ("features.thanks")
// prefixes the message.
func (w *walker) errorf(n *yaml.Node, path, format string, args ...any) {
	line := 1
	if n != nil && n.Line > 0 {
		line = n.Line
	}
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	w.errs = append(w.errs, &Error{File: w.name, Line: line, Msg: msg})
}

// rejectAliases reports every YAML alias and anchor in the tree. Aliases
// let a small file expand into a huge one ("billion laughs"); nothing in
// this schema needs them.
func (w *walker) rejectAliases(root *yaml.Node) {
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil {
			continue
		}
		switch {
		case n.Kind == yaml.AliasNode:
			w.errorf(n, "", "YAML aliases (*%s) are not supported: write the value out in full", shorten(n.Value))
			continue // never follow an alias
		case n.Anchor != "":
			w.errorf(n, "", "YAML anchors (&%s) are not supported: write the value out in full", shorten(n.Anchor))
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
}

// field is one known key of a mapping and what to do with its value.
type field struct {
	key   string
	check func(v *yaml.Node, path string)
}

// mapping walks the mapping n at path, checking each key against fields.
// A null n (a key with nothing after it) is an empty mapping. It returns the
// key nodes of the known keys found, by key.
func (w *walker) mapping(n *yaml.Node, path, what string, fields []field) map[string]*yaml.Node {
	seen := map[string]*yaml.Node{}
	if isNull(n) {
		return seen
	}
	if n.Kind != yaml.MappingNode {
		w.errorf(n, path, "want %s, got %s", what, describe(n))
		return seen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			continue // reported by rejectAliases
		}
		if k.Kind != yaml.ScalarNode {
			w.errorf(k, path, "want a key name, got %s", describe(k))
			continue
		}
		var f *field
		for j := range fields {
			if fields[j].key == k.Value {
				f = &fields[j]
				break
			}
		}
		if f == nil {
			if v.Kind != yaml.AliasNode { // such as a merge key, "<<: *x"
				w.errorf(k, path, "unknown key %s%s", quote(k.Value), suggest(k.Value, fields))
			}
			continue
		}
		if first, dup := seen[f.key]; dup {
			w.errorf(k, path, "duplicate key %q (first on line %d)", f.key, first.Line)
			continue
		}
		seen[f.key] = k
		if v.Kind == yaml.AliasNode {
			continue // reported by rejectAliases
		}
		f.check(v, join(path, f.key))
	}
	return seen
}

// require reports a required key missing from the mapping n.
func (w *walker) require(n *yaml.Node, path string, seen map[string]*yaml.Node, key, hint string) bool {
	if _, ok := seen[key]; ok {
		return true
	}
	w.errorf(n, path, "missing required key %q%s", key, hint)
	return false
}

// list walks the list n at path, calling item for each element. A null n is
// an empty list. It returns false if n is not a list.
func (w *walker) list(n *yaml.Node, path, what string, item func(v *yaml.Node, path string)) bool {
	if isNull(n) {
		return true
	}
	if n.Kind != yaml.SequenceNode {
		w.errorf(n, path, "want %s, got %s", what, describe(n))
		return false
	}
	for i, v := range n.Content {
		if v.Kind == yaml.AliasNode {
			continue // reported by rejectAliases
		}
		item(v, fmt.Sprintf("%s[%d]", path, i))
	}
	return true
}

// boolean reads true or false.
func (w *walker) boolean(n *yaml.Node, path string) (*bool, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		b := strings.EqualFold(n.Value, "true")
		return &b, true
	}
	w.errorf(n, path, "want true or false, got %s", describe(n))
	return nil, false
}

// integer reads a whole number from lo to hi, written in decimal.
func (w *walker) integer(n *yaml.Node, path string, lo, hi int) (*int, bool) {
	if v, ok := decimal(n); ok && v >= int64(lo) && v <= int64(hi) {
		i := int(v)
		return &i, true
	}
	w.errorf(n, path, "want a whole number from %d to %d, got %s", lo, hi, describe(n))
	return nil, false
}

// decimal reads a plain decimal integer ("9", "09", "-3").
func decimal(n *yaml.Node) (int64, bool) {
	if n.Kind != yaml.ScalarNode {
		return 0, false
	}
	switch n.ShortTag() {
	case "!!int", "!!float": // "09" resolves as a float
	default:
		return 0, false
	}
	s := strings.TrimPrefix(strings.TrimPrefix(n.Value, "+"), "-")
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	return v, err == nil
}

// str reads a string; numbers, booleans and dates count as their text
// (a GitHub login may well be "1234").
func (w *walker) str(n *yaml.Node, path, what string) (string, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
			return n.Value, true
		}
	}
	w.errorf(n, path, "want %s, got %s", what, describe(n))
	return "", false
}

// dups tracks the values already seen in a list, case-insensitively.
type dups map[string]int

// check reports v if seen before and remembers it otherwise.
func (d dups) check(w *walker, n *yaml.Node, path, noun, v string) bool {
	k := strings.ToLower(v)
	if first, ok := d[k]; ok {
		w.errorf(n, path, "duplicate %s %s (first on line %d)", noun, quote(v), first)
		return false
	}
	d[k] = n.Line
	return true
}

// file walks the root of a config file.
func (w *walker) file(root *yaml.Node) *File {
	f := &File{}
	seen := w.mapping(root, "", "a mapping of settings such as `version: 1`", []field{
		{"version", func(v *yaml.Node, path string) { w.version(f, v, path) }},
		{"features", func(v *yaml.Node, path string) { w.features(f, v, path) }},
		{"commands", func(v *yaml.Node, path string) { w.commands(f, v, path) }},
		{"values", func(v *yaml.Node, path string) { w.values(f, v, path) }},
		{"shoutouts", func(v *yaml.Node, path string) {
			w.mapping(v, path, "a mapping such as `review_comments: true`", []field{
				{"review_comments", func(v *yaml.Node, path string) { f.ShoutOutReviewComments, _ = w.boolean(v, path) }},
			})
		}},
		{"privacy", func(v *yaml.Node, path string) { w.privacy(f, v, path) }},
		{"retention", func(v *yaml.Node, path string) { w.retention(f, v, path) }},
		{"limits", func(v *yaml.Node, path string) {
			w.mapping(v, path, "a mapping such as `thanks_per_hour: 20`", []field{
				{"thanks_per_hour", func(v *yaml.Node, path string) { f.ThanksPerHour, _ = w.integer(v, path, 1, 1000) }},
			})
		}},
		{"unblocking", func(v *yaml.Node, path string) {
			w.mapping(v, path, "a mapping such as `long_wait_hours: 48`", []field{
				{"long_wait_hours", func(v *yaml.Node, path string) {
					if h, ok := w.integer(v, path, 1, 720); ok {
						d := time.Duration(*h) * time.Hour
						f.LongWait = &d
					}
				}},
			})
		}},
		{"summary", func(v *yaml.Node, path string) { w.summary(f, v, path) }},
	})
	if root.Kind == yaml.MappingNode {
		w.require(root, "", seen, "version", " (add `version: 1` at the top)")
	}
	return f
}

func (w *walker) version(f *File, v *yaml.Node, path string) {
	n, ok := decimal(v)
	switch {
	case !ok:
		w.errorf(v, path, "want %d, got %s", Version, describe(v))
	case n != Version:
		w.errorf(v, "", "unsupported version %d (this Kudos reads version %d)", n, Version)
	default:
		f.Version = Version
	}
}

func (w *walker) features(f *File, v *yaml.Node, path string) {
	flag := func(dst **bool) func(*yaml.Node, string) {
		return func(v *yaml.Node, path string) { *dst, _ = w.boolean(v, path) }
	}
	w.mapping(v, path, "a mapping such as `thanks: true`", []field{
		{"thanks", flag(&f.Thanks)},
		{"shoutouts", flag(&f.ShoutOuts)},
		{"unblocking", flag(&f.Unblocking)},
		{"summaries", flag(&f.Summaries)},
	})
}

// builtinVerbs and kudosSubs mirror the recognizer's command words.
var (
	builtinVerbs = []string{"thanks", "kudos", "shoutout"}
	kudosSubs    = []string{"help", "opt-out", "opt-in"}
)

func (w *walker) commands(f *File, v *yaml.Node, path string) {
	w.mapping(v, path, "a mapping such as `aliases: [props]`", []field{
		{"aliases", func(v *yaml.Node, path string) {
			aliases := []string{}
			seen := dups{}
			ok := w.list(v, path, "a list of command words such as [props, ty]", func(v *yaml.Node, path string) {
				s, ok := w.str(v, path, "a command word such as props")
				if !ok {
					return
				}
				switch {
				case strings.HasPrefix(s, "/"):
					w.errorf(v, path, "invalid alias %s: write it without the /", quote(s))
				case !validAlias(s):
					w.errorf(v, path, "invalid alias %s: use 2 to 20 lower-case letters, digits or '-', starting with a letter", quote(s))
				case contains(builtinVerbs, s):
					w.errorf(v, path, "%s is already a command", quote(s))
				case contains(kudosSubs, s):
					w.errorf(v, path, "%s cannot be an alias: it is a /kudos subcommand (help, opt-out, opt-in)", quote(s))
				default:
					if seen.check(w, v, path, "alias", s) {
						aliases = append(aliases, s)
					}
				}
			})
			if ok {
				f.Aliases = aliases
			}
		}},
	})
}

func (w *walker) values(f *File, v *yaml.Node, path string) {
	values := []recognizer.Value{}
	seen := dups{}
	ok := w.list(v, path, "a list of values such as [{tag: teamwork}]", func(v *yaml.Node, path string) {
		var val recognizer.Value
		good := true
		keys := w.mapping(v, path, "a mapping such as {tag: teamwork, description: …}", []field{
			{"tag", func(v *yaml.Node, path string) {
				s, ok := w.str(v, path, "a tag such as teamwork (a # starts a YAML comment: leave it out)")
				switch {
				case !ok:
					good = false
				case strings.HasPrefix(s, "#"):
					w.errorf(v, path, "invalid tag %s: write it without the #", quote(s))
					good = false
				case !validTag(s):
					w.errorf(v, path, "invalid tag %s: use at most 30 letters, digits, '-' or '_', starting with a letter", quote(s))
					good = false
				case !seen.check(w, v, path, "tag", s):
					good = false
				default:
					val.Tag = strings.ToLower(s)
				}
			}},
			{"description", func(v *yaml.Node, path string) {
				if isNull(v) {
					return
				}
				s, ok := w.str(v, path, "a short description")
				s = strings.TrimSpace(s)
				switch {
				case !ok:
					good = false
				case utf8.RuneCountInString(s) > 200:
					w.errorf(v, path, "description is %d characters; the limit is 200", utf8.RuneCountInString(s))
					good = false
				case hasControl(s):
					w.errorf(v, path, "description must be one line of text")
					good = false
				default:
					val.Description = s
				}
			}},
		})
		if v.Kind != yaml.MappingNode {
			return
		}
		if w.require(v, path, keys, "tag", "") && good {
			values = append(values, val)
		}
	})
	if ok {
		f.Values = values
	}
}

func (w *walker) privacy(f *File, v *yaml.Node, path string) {
	w.mapping(v, path, "a mapping such as `never_name: {users: [carol]}`", []field{
		{"never_name", func(v *yaml.Node, path string) {
			w.mapping(v, path, "a mapping such as `users: [carol]`", []field{
				{"users", func(v *yaml.Node, path string) {
					users := []string{}
					seen := dups{}
					ok := w.list(v, path, "a list of GitHub logins such as [carol]", func(v *yaml.Node, path string) {
						if s, ok := w.login(v, path); ok && seen.check(w, v, path, "user", s) {
							users = append(users, strings.ToLower(s))
						}
					})
					if ok {
						f.NeverName = users
					}
				}},
				{"teams", func(v *yaml.Node, path string) {
					teams := []string{}
					seen := dups{}
					ok := w.list(v, path, `a list of teams such as [acme/legal]`, func(v *yaml.Node, path string) {
						if s, ok := w.team(v, path); ok && seen.check(w, v, path, "team", s) {
							teams = append(teams, s)
						}
					})
					if ok {
						f.NeverNameTeams = teams
					}
				}},
			})
		}},
	})
}

// login reads a GitHub login.
func (w *walker) login(v *yaml.Node, path string) (string, bool) {
	s, ok := w.str(v, path, "a GitHub login such as carol")
	switch {
	case !ok:
		return "", false
	case strings.HasPrefix(s, "@"):
		w.errorf(v, path, "invalid GitHub login %s: write it without the @", quote(s))
		return "", false
	case !validLogin(s):
		w.errorf(v, path, "invalid GitHub login %s: use 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen", quote(s))
		return "", false
	}
	return s, true
}

// team reads an "org/team-slug", lower-cased.
func (w *walker) team(v *yaml.Node, path string) (string, bool) {
	s, ok := w.str(v, path, `a team such as acme/legal`)
	if !ok {
		return "", false
	}
	if !validTeam(s) {
		w.errorf(v, path, `invalid team %s: want "org/team-slug", such as acme/legal`, quote(s))
		return "", false
	}
	return strings.ToLower(s), true
}

// repo reads an "owner/name".
func (w *walker) repo(v *yaml.Node, path string) (string, bool) {
	s, ok := w.str(v, path, `a repository such as acme/widgets`)
	if !ok {
		return "", false
	}
	if !validRepo(s) {
		w.errorf(v, path, `invalid repository %s: want "owner/name", such as acme/widgets`, quote(s))
		return "", false
	}
	return s, true
}

const (
	week         = 7 * 24 * time.Hour
	minRetention = week
	maxRetention = 2 * 365 * 24 * time.Hour
)

func (w *walker) retention(f *File, v *yaml.Node, path string) {
	const want = "a duration in weeks (13w), days (90d) or hours (2160h)"
	s, ok := "", false
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
		s, ok = v.Value, true
	}
	if !ok {
		w.errorf(v, path, "want %s, got %s", want, describe(v))
		return
	}
	d, ok := parseDuration(s)
	switch {
	case !ok:
		w.errorf(v, path, "invalid duration %s: want %s", quote(s), want)
	case d < minRetention:
		w.errorf(v, path, "%s is too short: keep records at least 1 week (1w)", quote(s))
	case d > maxRetention:
		w.errorf(v, path, "%s is too long: keep records at most 2 years (730d)", quote(s))
	default:
		f.Retention = &d
	}
}

// parseDuration reads "13w", "90d" or a Go duration such as "2160h".
// Weeks or days too many to represent read as the longest duration.
func parseDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "w"):
		unit = week
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	}
	if unit == 0 {
		d, err := time.ParseDuration(s)
		return d, err == nil
	}
	num := s[:len(s)-1]
	if num == "" || strings.Trim(num, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > int64((1<<63-1)/unit) {
		return 1<<63 - 1, true
	}
	return time.Duration(n) * unit, true
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

func (w *walker) summary(f *File, v *yaml.Node, path string) {
	w.mapping(v, path, "a mapping such as `weekday: monday`", []field{
		{"weekday", func(v *yaml.Node, path string) {
			const want = "a day of the week (monday to sunday)"
			s, ok := w.str(v, path, want)
			if !ok {
				return
			}
			d, ok := weekdays[strings.ToLower(strings.TrimSpace(s))]
			if !ok {
				w.errorf(v, path, "want %s, got %s", want, describe(v))
				return
			}
			f.Weekday = &d
		}},
		{"hour", func(v *yaml.Node, path string) { f.Hour, _ = w.integer(v, path, 0, 23) }},
		{"timezone", func(v *yaml.Node, path string) {
			s, ok := w.str(v, path, "a time zone name such as Europe/Berlin or UTC")
			if !ok {
				return
			}
			if !validTimezone(s) {
				w.errorf(v, path, "unknown time zone %s: want an IANA name such as Europe/Berlin or UTC", quote(s))
				return
			}
			f.Timezone = &s
		}},
		{"teams", func(v *yaml.Node, path string) { w.teams(f, v, path) }},
	})
}

func (w *walker) teams(f *File, v *yaml.Node, path string) {
	teams := []recognizer.Team{}
	names := dups{}
	ok := w.list(v, path, "a list of teams such as [{name: platform, repos: [acme/widgets], target: acme/notes}]", func(v *yaml.Node, path string) {
		var t recognizer.Team
		good := true
		sourceBad := false // repos or github_team had a problem of its own
		keys := w.mapping(v, path, "a mapping such as {name: platform, repos: [acme/widgets], target: acme/notes}", []field{
			{"name", func(v *yaml.Node, path string) {
				s, ok := w.str(v, path, "a team name such as platform")
				s = strings.TrimSpace(s)
				switch {
				case !ok:
					good = false
				case s == "" || utf8.RuneCountInString(s) > 50 || hasControl(s):
					w.errorf(v, path, "invalid team name %s: use one line of 1 to 50 characters", quote(s))
					good = false
				case !names.check(w, v, path, "team name", s):
					good = false
				default:
					t.Name = s
				}
			}},
			{"repos", func(v *yaml.Node, path string) {
				seen := dups{}
				if !w.list(v, path, "a list of repositories such as [acme/widgets]", func(v *yaml.Node, path string) {
					if s, ok := w.repo(v, path); !ok || !seen.check(w, v, path, "repository", s) {
						good, sourceBad = false, true
					} else {
						t.Repos = append(t.Repos, s)
					}
				}) {
					good, sourceBad = false, true
				}
			}},
			{"github_team", func(v *yaml.Node, path string) {
				if s, ok := w.team(v, path); ok {
					t.GitHubTeam = s
				} else {
					good, sourceBad = false, true
				}
			}},
			{"target", func(v *yaml.Node, path string) {
				if s, ok := w.repo(v, path); ok {
					t.Target = s
				} else {
					good = false
				}
			}},
		})
		if v.Kind != yaml.MappingNode {
			return
		}
		if !w.require(v, path, keys, "name", "") {
			good = false
		}
		if !w.require(v, path, keys, "target", ` (the "owner/name" repository where the summary issue is opened)`) {
			good = false
		}
		_, hasRepos := keys["repos"]
		_, hasTeam := keys["github_team"]
		if !sourceBad && len(t.Repos) == 0 && t.GitHubTeam == "" {
			if hasRepos || hasTeam {
				w.errorf(v, path, "needs at least one repository in repos, or a github_team")
			} else {
				w.errorf(v, path, "needs repos, github_team or both, to say whose activity the summary covers")
			}
			good = false
		}
		if good {
			teams = append(teams, t)
		}
	})
	if ok {
		f.Teams = teams
	}
}

// validAlias: 2–20 lower-case ASCII letters, digits or '-', starting with a
// letter.
func validAlias(s string) bool {
	if len(s) < 2 || len(s) > 20 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validTag: at most 30 letters, digits, '-' or '_', starting with a letter
// (the recognizer's #tag syntax).
func validTag(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 30 || !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		if i == 0 && !unicode.IsLetter(r) {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// validLogin: GitHub's login rules: 1–39 ASCII letters, digits and single
// hyphens, not starting or ending with a hyphen.
func validLogin(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// validTeam: "org/team-slug".
func validTeam(s string) bool {
	org, slug, ok := strings.Cut(s, "/")
	if !ok || !validLogin(org) || len(slug) == 0 || len(slug) > 100 {
		return false
	}
	for i := 0; i < len(slug); i++ {
		if !isAlnum(slug[i]) && slug[i] != '-' && slug[i] != '_' {
			return false
		}
	}
	return true
}

// validRepo: "owner/name".
func validRepo(s string) bool {
	owner, name, ok := strings.Cut(s, "/")
	if !ok || !validLogin(owner) || len(name) == 0 || len(name) > 100 || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// validTimezone: an IANA name the time package knows (from the embedded
// tzdata when the system has none). "Local" is the server's zone, not a
// team's, so it is refused.
func validTimezone(s string) bool {
	if s == "" || len(s) > 64 || s == "Local" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && !strings.ContainsRune("/_-+", rune(c)) {
			return false
		}
	}
	_, err := time.LoadLocation(s)
	return err == nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe says what a node holds, for "got …" in messages.
func describe(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case n.Kind == yaml.DocumentNode:
		return "a document"
	}
	switch tag := n.ShortTag(); tag {
	case "!!str":
		return quote(n.Value)
	case "!!int", "!!float", "!!bool", "!!timestamp":
		return shorten(n.Value)
	default:
		return "a value tagged " + shorten(tag)
	}
}

// maxShown caps, in runes, a value quoted back in a message.
const maxShown = 40

// shorten cuts s to maxShown runes.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return s
	}
	return string([]rune(s)[:maxShown]) + "…"
}

// quote is a shortened, Go-quoted s.
func quote(s string) string { return strconv.Quote(shorten(s)) }

// suggest returns ` (did you mean "X"?)` for the known key closest to key,
// within an edit distance of 2, or a list of the known keys.
func suggest(key string, fields []field) string {
	best, bestD := "", 3
	lk := strings.ToLower(key)
	if utf8.RuneCountInString(lk) <= 64 {
		for _, f := range fields {
			if d := distance(lk, f.key); d < bestD && d < utf8.RuneCountInString(lk) {
				best, bestD = f.key, d
			}
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return " (known keys: " + strings.Join(keys, ", ") + ")"
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost 1.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
