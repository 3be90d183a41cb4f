package recognizer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command is one command line found in a comment.
type Command struct {
	Line       int      // 1-based line number in the body
	Verb       string   // "thanks", "kudos" or "shoutout", lower-case
	Sub        string   // for "/kudos help|opt-out|opt-in": that word, lower-case; empty otherwise
	Recipients []string // logins without "@", case as written, de-duplicated case-insensitively, in order
	Reason     string   // raw reason text, trimmed (not sanitised; rendering does that)
	Values     []string // "#tag" words found in Reason, lower-case, de-duplicated, in order
	Problem    string   // non-empty when the command is malformed: a short, friendly, user-facing sentence; Recipients is then empty
}

// MaxRecipients is the most people one command may thank.
const MaxRecipients = 10

const (
	// cmdMaxBody caps how much of a comment body is scanned for commands.
	cmdMaxBody = 64 << 10
	// cmdMaxLine caps how much of one command line is parsed.
	cmdMaxLine = 4 << 10
	// cmdMaxShownName caps a name quoted back in a Problem, in runes.
	cmdMaxShownName = 40
)

// cmdVerbs are the command words, lower-case, without the slash.
var cmdVerbs = [...]string{"thanks", "kudos", "shoutout"}

// cmdKudosSubs are the subcommands of /kudos, lower-case.
var cmdKudosSubs = [...]string{"help", "opt-out", "opt-in"}

// ParseCommands finds the commands in a comment body.
//
// A command is a line that starts (after at most three spaces) with /thanks,
// /kudos or /shoutout, case-insensitive, followed by whitespace or the end of
// the line. Lines in fenced or indented code, block quotes, HTML comments and
// the quoted tail of an email reply never carry commands. Only the first
// 64 KiB of the body and the first 4 KiB of a command line are looked at.
func ParseCommands(body string) []Command { return ParseCommandsWith(body, nil) }

// ParseCommandsWith is ParseCommands with extra command verbs (a
// repository's aliases, lower-case, without the slash); they act like
// /thanks.
func ParseCommandsWith(body string, aliases []string) []Command {
	if len(body) > cmdMaxBody {
		body = body[:cmdMaxBody]
	}
	var (
		cmds      []Command
		fenceChar byte // '`' or '~' while inside a fenced code block
		fenceLen  int  // length of the opening fence; 0 outside a fence
		inComment bool // inside an HTML comment
		lineNo    int
	)
	for line := range strings.Lines(body) {
		lineNo++
		line = strings.TrimSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\r")

		if inComment {
			// The line starts inside a comment: skip it, but follow the
			// comment state to its end.
			_, inComment = cmdScanHTML(line, true)
			continue
		}
		if fenceLen > 0 {
			if cmdClosesFence(line, fenceChar, fenceLen) {
				fenceLen = 0
			}
			continue
		}
		indent := cmdIndent(line)
		if indent < 0 {
			continue // indented code: a tab or 4+ spaces
		}
		text := line[indent:]
		if c, n := openingFence(text); n > 0 {
			fenceChar, fenceLen = c, n
			continue
		}
		if strings.HasPrefix(text, ">") {
			continue // block quote
		}
		if isReplyHeader(text) {
			break // the quoted tail of an email reply
		}
		var visible string
		visible, inComment = cmdScanHTML(line, false)
		if text == "" || text[0] != '/' {
			continue
		}
		if cmd, ok := cmdParseLine(line, visible, indent, lineNo, aliases); ok {
			cmds = append(cmds, cmd)
		}
	}
	return cmds
}

// ValidLogin reports whether s (without "@") is a valid GitHub username:
// 1 to 39 ASCII letters, digits and single hyphens, neither starting nor
// ending with a hyphen.
func ValidLogin(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !cmdIsLoginByte(c) {
			return false
		}
		if c == '-' && s[i-1] == '-' {
			return false
		}
	}
	return true
}

// cmdParseLine parses one line that starts, after indent spaces, with "/".
// raw is the line as written; visible is the same line with HTML comments
// removed (both share their prefix up to the first comment).
func cmdParseLine(raw, visible string, indent, lineNo int, aliases []string) (Command, bool) {
	if len(raw) > cmdMaxLine {
		raw = raw[:cmdMaxLine]
	}
	if len(visible) > cmdMaxLine {
		visible = visible[:cmdMaxLine]
	}
	s := raw[indent+1:] // after the slash
	verb := cmdMatchVerb(s, cmdVerbs[:])
	if verb == "" {
		verb = cmdMatchVerb(s, aliases)
	}
	if verb == "" {
		return Command{}, false
	}
	args := ""
	if off := indent + 1 + len(verb); off <= len(visible) {
		args = visible[off:]
	}
	cmd := Command{Line: lineNo, Verb: verb}
	if verb == "kudos" {
		if sub := cmdKudosSub(args); sub != "" {
			cmd.Sub = sub
			return cmd, true
		}
	}
	cmdParseArgs(&cmd, args)
	return cmd, true
}

// cmdMatchVerb returns the verb of verbs that s starts with, followed by
// whitespace or the end, or "".
func cmdMatchVerb(s string, verbs []string) string {
	for _, v := range verbs {
		if v != "" && len(s) >= len(v) && cmdEqualFold(s[:len(v)], v) {
			if after := s[len(v):]; after == "" || cmdStartsWithSpace(after) {
				return v
			}
		}
	}
	return ""
}

// cmdKudosSub returns the /kudos subcommand args starts with, or "".
func cmdKudosSub(args string) string {
	a := strings.TrimLeftFunc(args, unicode.IsSpace)
	end := 0
	for end < len(a) && (cmdIsASCIILetter(a[end]) || a[end] == '-') {
		end++
	}
	word := a[:end]
	if end < len(a) && !cmdStartsWithSpace(a[end:]) && !strings.ContainsRune(".!?,:;", rune(a[end])) {
		return ""
	}
	for _, sub := range cmdKudosSubs {
		if cmdEqualFold(word, sub) {
			return sub
		}
	}
	return ""
}

// cmdParseArgs reads "@a [, @b] [and @c] [for] reason" into cmd.
func cmdParseArgs(cmd *Command, args string) {
	var (
		recipients []string
		seen       = map[string]bool{}
		problem    string
		mentions   int // @-tokens read, valid or not
	)
	p := cmdSkipSpace(args, 0)
	first := p
	// An optional "to", as in "/shoutout to @bob".
	if cmdWordAt(args, p, "to") {
		if q := cmdSkipSpace(args, p+2); q > p+2 && q < len(args) && args[q] == '@' {
			p = q
		}
	}
	var reasonStart int
	for {
		p = cmdSkipSpace(args, p)
		q := p
		if mentions > 0 {
			q = cmdSkipSeparators(args, p)
		}
		var m cmdMention // kind cmdMentionNone
		if q < len(args) && args[q] == '@' {
			m = cmdScanMention(args, q)
		}
		if m.kind == cmdMentionNone {
			// The reason starts here; separators not followed by a mention
			// ("@bob and everyone") and a leading "to" belong to it.
			reasonStart = p
			if mentions == 0 {
				reasonStart = first
			}
			break
		}
		mentions++
		p = m.end
		problem = cmdAddMention(m, problem, &recipients, seen)
	}
	cmd.Reason = cmdCleanReason(args[reasonStart:])
	cmd.Values = cmdTags(cmd.Reason)
	switch {
	case problem != "":
	case len(recipients) == 0:
		problem = "Tell me who to thank: `/" + cmd.Verb + " @someone for …`."
	case len(recipients) > MaxRecipients:
		problem = "You can thank at most " + strconv.Itoa(MaxRecipients) +
			" people per command, and this one names " + strconv.Itoa(len(recipients)) + "."
	}
	if problem != "" {
		cmd.Problem = problem
		return
	}
	cmd.Recipients = recipients
}

// cmdSkipSeparators skips what may stand between two recipients: spaces,
// ",", "&" and "and".
func cmdSkipSeparators(s string, i int) int {
	for {
		i = cmdSkipSpace(s, i)
		switch {
		case i < len(s) && (s[i] == ',' || s[i] == '&'):
			i++
		case cmdWordAt(s, i, "and"):
			i += 3
		default:
			return i
		}
	}
}

// cmdAddMention records a mention: a login joins recipients (once, compared
// case-insensitively); anything else yields a problem unless one is set.
func cmdAddMention(m cmdMention, problem string, recipients *[]string, seen map[string]bool) string {
	switch m.kind {
	case cmdMentionLogin:
		key := strings.ToLower(m.name)
		if !seen[key] {
			seen[key] = true
			*recipients = append(*recipients, m.name)
		}
	case cmdMentionTeam:
		if problem == "" {
			problem = "`" + cmdShowName(m.name) + "` is a team, not a GitHub username: teams can't be thanked, only people."
		}
	case cmdMentionInvalid:
		if problem == "" {
			if shown := cmdShowName(m.name); shown != "" {
				problem = "`" + shown + "` is not a GitHub username."
			} else {
				problem = "That mention is not a GitHub username."
			}
		}
	}
	return problem
}

type cmdMentionKind int

const (
	cmdMentionNone    cmdMentionKind = iota // a bare "@": not a mention
	cmdMentionLogin                         // @login, valid
	cmdMentionInvalid                       // @something that is no username
	cmdMentionTeam                          // @org/team
)

type cmdMention struct {
	kind cmdMentionKind
	name string // the login, team ("org/team") or invalid name as written
	end  int    // index just after the mention and its glued punctuation
}

// cmdScanMention reads the mention at s[at] == '@'. Punctuation glued to
// its end ("@bob!", "@bob,") is not part of the name.
func cmdScanMention(s string, at int) cmdMention {
	i := at + 1
	j := i
	for j < len(s) && cmdIsLoginByte(s[j]) {
		j++
	}
	name := s[i:j]
	if name != "" && j+1 < len(s) && s[j] == '/' && cmdIsTeamByte(s[j+1]) {
		k := j + 1
		for k < len(s) && cmdIsTeamByte(s[k]) {
			k++
		}
		end, _ := cmdScanTail(s, k)
		return cmdMention{kind: cmdMentionTeam, name: s[i:k], end: end}
	}
	end, clean := cmdScanTail(s, j)
	switch {
	case !clean:
		return cmdMention{
			kind: cmdMentionInvalid,
			name: strings.TrimRightFunc(s[i:end], cmdIsTrailingPunct),
			end:  end,
		}
	case name == "":
		return cmdMention{kind: cmdMentionNone}
	case !ValidLogin(name):
		return cmdMention{kind: cmdMentionInvalid, name: name, end: end}
	}
	return cmdMention{kind: cmdMentionLogin, name: name, end: end}
}

// cmdScanTail reads what is glued to a mention from s[i] up to whitespace,
// ",", "&", "@", a dash or colon that starts the reason ("@bob—great"), or
// the end. clean reports whether it is only punctuation.
func cmdScanTail(s string, i int) (end int, clean bool) {
	clean = true
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || r == ',' || r == '&' || r == '@' {
			break
		}
		if clean && (r == '—' || r == '–' || r == ':') {
			break
		}
		if !cmdIsTrailingPunct(r) {
			clean = false
		}
		i += size
	}
	return i, clean
}

// cmdIsTrailingPunct reports whether r may be glued after a login without
// being part of it ("@bob!", "@bob."). "_" and "/" are not: "bob_smith"
// is an invalid name, not "bob" followed by punctuation.
func cmdIsTrailingPunct(r rune) bool {
	return unicode.IsPunct(r) && r != '_' && r != '/' && r != '#' && r != '@'
}

// cmdCleanReason trims the reason and strips a leading separator and "for".
func cmdCleanReason(s string) string {
	s = strings.TrimSpace(s)
	for {
		r, size := utf8.DecodeRuneInString(s)
		if r != ':' && r != '-' && r != '—' && r != '–' && r != ',' {
			break
		}
		s = strings.TrimSpace(s[size:])
	}
	if cmdWordAt(s, 0, "for") {
		s = strings.TrimSpace(s[3:])
	}
	return s
}

// cmdTags returns the "#tag" words of reason, lower-case, de-duplicated, in
// order. A tag starts with a letter (so "#123" issue references are not
// tags) and continues with letters, digits, "-" and "_". Tags inside code
// spans, URLs ("…/page#anchor") and entities ("&#x27;") do not count.
func cmdTags(reason string) []string {
	var (
		tags   []string
		failed []int
		prev   rune = ' '
	)
	for i := 0; i < len(reason); {
		c := reason[i]
		if c == '`' {
			end, _ := codeSpanEnd(reason, i, &failed)
			i, prev = end, '`'
			continue
		}
		r, size := utf8.DecodeRuneInString(reason[i:])
		if c == '#' && (unicode.IsSpace(prev) || strings.ContainsRune("([{\"'*_~“‘", prev)) {
			j := i + 1
			if first, n := utf8.DecodeRuneInString(reason[j:]); n > 0 && unicode.IsLetter(first) {
				for j < len(reason) {
					t, n := utf8.DecodeRuneInString(reason[j:])
					if !unicode.IsLetter(t) && !unicode.IsDigit(t) && t != '-' && t != '_' {
						break
					}
					j += n
				}
				tag := strings.ToLower(reason[i+1 : j])
				dup := false
				for _, have := range tags {
					if have == tag {
						dup = true
						break
					}
				}
				if !dup {
					tags = append(tags, tag)
				}
				r, _ = utf8.DecodeLastRuneInString(reason[i:j])
				i = j
				prev = r
				continue
			}
		}
		prev = r
		i += size
	}
	return tags
}

// cmdScanHTML follows HTML comments through one line. It returns the line
// with comments removed and whether the line ends inside a comment.
// Comment markers inside code spans do not count.
func cmdScanHTML(line string, inComment bool) (visible string, endsInComment bool) {
	if !inComment && !strings.Contains(line, "<!--") {
		return line, false
	}
	var (
		b      strings.Builder
		failed []int
	)
	for i := 0; i < len(line); {
		if inComment {
			j := strings.Index(line[i:], "-->")
			if j < 0 {
				return b.String(), true
			}
			i += j + 3
			inComment = false
			continue
		}
		switch {
		case line[i] == '`':
			end, _ := codeSpanEnd(line, i, &failed)
			b.WriteString(line[i:end])
			i = end
		case strings.HasPrefix(line[i:], "<!--"):
			// "<!-->" and "<!--->" are complete (empty) comments.
			inComment = true
			i += 2
		default:
			b.WriteByte(line[i])
			i++
		}
	}
	return b.String(), inComment
}

// codeSpanEnd returns the end of the code span opening with the backtick
// run at s[i] and closed true, or, when no closing run of the same length
// follows, the end of that run and closed false. failed records run
// lengths known to have no closing run after the current position, which
// keeps a scan of a line linear in practice.
func codeSpanEnd(s string, i int, failed *[]int) (end int, closed bool) {
	j := i
	for j < len(s) && s[j] == '`' {
		j++
	}
	n := j - i
	for _, f := range *failed {
		if f == n {
			return j, false
		}
	}
	for k := j; k < len(s); {
		if s[k] != '`' {
			k++
			continue
		}
		m := k
		for m < len(s) && s[m] == '`' {
			m++
		}
		if m-k == n {
			return m, true
		}
		k = m
	}
	*failed = append(*failed, n)
	return j, false
}

// cmdIndent returns the number of leading spaces (0–3) of line, or -1 when
// the line is indented code (a tab or 4+ spaces first).
func cmdIndent(line string) int {
	n := 0
	for n < len(line) && n < 4 && line[n] == ' ' {
		n++
	}
	if n == 4 || (n < len(line) && line[n] == '\t') {
		return -1
	}
	return n
}

// cmdClosesFence reports whether line closes a fence of n c characters.
func cmdClosesFence(line string, c byte, n int) bool {
	i := 0
	for i < len(line) && i < 4 && line[i] == ' ' {
		i++
	}
	if i == 4 {
		return false
	}
	j := i
	for j < len(line) && line[j] == c {
		j++
	}
	if j-i < n {
		return false
	}
	return strings.TrimRight(line[j:], " \t") == ""
}

// cmdShowName makes a name safe to quote in a code span in a Problem:
// valid UTF-8, no control characters, backticks or "@", and short.
func cmdShowName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == cmdMaxShownName {
			b.WriteString("…")
			break
		}
		switch {
		case r == '`':
			r = '\''
		case r == '@', r == utf8.RuneError, !unicode.IsPrint(r):
			continue
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// cmdWordAt reports whether s has the ASCII word w (any case) at i,
// followed by the end, whitespace or punctuation other than "-" and "_".
func cmdWordAt(s string, i int, w string) bool {
	if i < 0 || i+len(w) > len(s) || !cmdEqualFold(s[i:i+len(w)], w) {
		return false
	}
	if e := i + len(w); e < len(s) {
		r, _ := utf8.DecodeRuneInString(s[e:])
		if !unicode.IsSpace(r) && (!unicode.IsPunct(r) || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// cmdSkipSpace returns the index of the first non-space rune at or after i.
func cmdSkipSpace(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

func cmdStartsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// cmdEqualFold compares ASCII case-insensitively (unlike strings.EqualFold,
// "K" KELVIN SIGN does not match "k").
func cmdEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func cmdIsASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func cmdIsLoginByte(c byte) bool {
	return cmdIsASCIILetter(c) || '0' <= c && c <= '9' || c == '-'
}

func cmdIsTeamByte(c byte) bool { return cmdIsLoginByte(c) || c == '_' || c == '.' }
