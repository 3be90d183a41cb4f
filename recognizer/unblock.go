package recognizer

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// TextFeatures are what the unblocking detector needs to know about a
// comment's text.
type TextFeatures struct {
	// Ack: the text thanks someone for something that now works.
	Ack bool `json:"ack,omitempty"`
	// Question: the text asks a question or reports an error.
	Question bool `json:"q,omitempty"`
	// Mentions are the logins @-named outside quotes and code.
	Mentions []string `json:"m,omitempty"`
	// Thanked are the Mentions named in the sentences that acknowledge
	// or thank ("that fixed it, thanks @bob"), in order; set only with Ack.
	Thanked []string `json:"to,omitempty"`
	// Negative: the text says that help did not work, or is sarcastic
	// about it ("still failing", "didn't help", "that broke everything 🙃").
	Negative bool `json:"neg,omitempty"`
	// SelfFix: the writer says they found the answer themselves ("nvm,
	// it was my GOFLAGS", "found it", "my bad").
	SelfFix bool `json:"self,omitempty"`
	// MeToo: the text only joins in ("+1", "same here", "following, we
	// have the same problem"); it answers nothing.
	MeToo bool `json:"me,omitempty"`
}

// textMaxBody caps how much of a body is classified.
const textMaxBody = 64 << 10

// codeMark stands for inline code in the text that Classify reads, so that
// "renders `undefined`" still reads as a report while the code itself,
// and any gratitude or mention inside it, is never read.
const codeMark = "§"

// Classify derives the text features of a comment body. It reads English
// prose only: fenced, indented and inline code, block quotes, HTML
// comments and the quoted tail of an email reply are left out, so quoted
// gratitude never counts.
func Classify(body string) TextFeatures {
	if len(body) > textMaxBody {
		body = body[:textMaxBody]
	}
	visible := visibleProse(body)
	f := TextFeatures{Mentions: mentionsIn(visible)}
	norm := normalizeProse(visible)
	sentences := splitSentences(norm)
	var sc0 scan
	sc0.init(norm)
	sc := &sc0

	f.Negative = negativeRE.match(sc, norm)
	f.SelfFix = selfFixRE.match(sc, norm)
	f.MeToo = meTooRE.match(sc, strings.TrimSpace(norm))

	var (
		strong, status, grateful bool
		ackSentences             []int
	)
	for i, s := range sentences {
		asks := strings.HasSuffix(s, "?")
		q := questionIn(sc, s)
		if q {
			f.Question = true
		}
		if asks {
			continue // "did that fix it?" acknowledges nothing
		}
		g := gratitudeIn(sc, s)
		if g {
			grateful = true
		}
		st := strongAckIn(sc, s, norm)
		if st {
			strong = true
		}
		su := statusIn(sc, s)
		if su {
			status = true
		}
		if st || su || g {
			ackSentences = append(ackSentences, i)
		}
	}
	f.Ack = (strong || (status && grateful)) && !f.Negative
	if f.Ack {
		// Mentions in the acknowledging and thanking sentences only:
		// "@sbernard's tip fixed it. @hana-j sure, separate PR" thanks
		// sbernard, not hana-j.
		seen := map[string]bool{}
		for _, i := range ackSentences {
			for _, m := range mentionsIn(sentences[i]) {
				if !seen[m] {
					seen[m] = true
					f.Thanked = append(f.Thanked, m)
				}
			}
		}
	}
	return f
}

// visibleProse returns the prose of a Markdown body: fenced and indented
// code blocks become a line holding codeMark, inline code spans become
// codeMark, and block quotes, HTML comments and the quoted tail of an
// email reply are dropped.
func visibleProse(body string) string {
	var (
		b         strings.Builder
		fenceChar byte
		fenceLen  int
		inComment bool
		prevBlank = true
		inIndent  bool
	)
	for line := range strings.Lines(body) {
		line = strings.TrimRight(line, "\r\n")
		if inComment {
			var rest string
			rest, inComment = dropHTMLComments(line, true)
			if strings.TrimSpace(rest) != "" {
				b.WriteString(inlineCode(rest))
				b.WriteByte('\n')
			}
			continue
		}
		if fenceLen > 0 {
			if closesFence(line, fenceChar, fenceLen) {
				fenceLen = 0
				prevBlank = true
			}
			continue
		}
		blank := strings.TrimSpace(line) == ""
		if indentedCode(line) && (prevBlank || inIndent) && !blank {
			if !inIndent {
				b.WriteString(codeMark + "\n")
			}
			inIndent = true
			continue
		}
		if !blank {
			inIndent = false
		}
		text := strings.TrimLeft(line, " ")
		if c, n := openingFence(text); n > 0 {
			fenceChar, fenceLen = c, n
			b.WriteString(codeMark + "\n")
			continue
		}
		if strings.HasPrefix(text, ">") {
			prevBlank = false
			continue // block quote: someone else's words
		}
		if isReplyHeader(text) {
			break // the quoted tail of an email reply
		}
		var visible string
		visible, inComment = dropHTMLComments(line, false)
		b.WriteString(inlineCode(visible))
		b.WriteByte('\n')
		prevBlank = blank
	}
	return b.String()
}

// dropHTMLComments removes HTML comments from one line and reports whether
// the line ends inside one.
func dropHTMLComments(line string, inComment bool) (string, bool) {
	var b strings.Builder
	for {
		if inComment {
			j := strings.Index(line, "-->")
			if j < 0 {
				return b.String(), true
			}
			line = line[j+3:]
			inComment = false
			continue
		}
		i := strings.Index(line, "<!--")
		if i < 0 {
			b.WriteString(line)
			return b.String(), false
		}
		b.WriteString(line[:i])
		line = line[i+4:]
		inComment = true
	}
}

// inlineCode replaces each code span of a line with codeMark. A backtick
// run without a closing run of the same length is kept as text.
func inlineCode(line string) string {
	if !strings.Contains(line, "`") {
		return line
	}
	var b strings.Builder
	var failed []int
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		end, closed := codeSpanEnd(line, i, &failed)
		if closed {
			b.WriteString(" " + codeMark + " ")
		} else {
			b.WriteString(line[i:end])
		}
		i = end
	}
	return b.String()
}

// indentedCode reports whether a line is indented code: a tab or four
// spaces first.
func indentedCode(line string) bool {
	return strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    ")
}

// openingFence reports the fence a line (after its indent) opens.
func openingFence(text string) (byte, int) {
	if text == "" || (text[0] != '`' && text[0] != '~') {
		return 0, 0
	}
	c := text[0]
	n := 0
	for n < len(text) && text[n] == c {
		n++
	}
	if n < 3 || (c == '`' && strings.IndexByte(text[n:], '`') >= 0) {
		return 0, 0
	}
	return c, n
}

// closesFence reports whether line closes a fence of n c characters.
func closesFence(line string, c byte, n int) bool {
	t := strings.TrimLeft(line, " ")
	j := 0
	for j < len(t) && t[j] == c {
		j++
	}
	return j >= n && strings.TrimSpace(t[j:]) == ""
}

// isReplyHeader reports whether text is the "On … wrote:" line that starts
// the quoted part of an email reply.
func isReplyHeader(text string) bool {
	t := strings.TrimSpace(text)
	return len(t) > len("On  wrote:") && strings.HasPrefix(t, "On ") && strings.HasSuffix(t, " wrote:")
}

// mentionsIn returns the valid @logins of s, lower-case, de-duplicated, in
// order. E-mail addresses and teams ("@org/team") are not mentions.
func mentionsIn(s string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if r == '@' || r == '/' || r == '.' || r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue // an e-mail address or a path
			}
		}
		j := i + 1
		for j < len(s) && isLoginByte(s[j]) {
			j++
		}
		name := s[i+1 : j]
		if j < len(s) && (s[j] == '/' || s[j] == '_' || s[j] == '@') {
			continue // a team, or not a login
		}
		if !validLogin(name) {
			continue
		}
		l := strings.ToLower(name)
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
		i = j - 1
	}
	return out
}

func isLoginByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

// validLogin reports whether s is a valid GitHub username.
func validLogin(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLoginByte(s[i]) || (s[i] == '-' && s[i-1] == '-') {
			return false
		}
	}
	return true
}

// proseReplacer unifies apostrophes, quotes, dashes and spaces. Every
// string it replaces starts with a non-ASCII byte.
var proseReplacer = strings.NewReplacer(
	"’", "'", "‘", "'", "“", `"`, "”", `"`, "—", " — ", "–", " — ",
	"\u00a0", " ", "…", ". ",
)

// normalizeProse lower-cases prose and unifies what varies in typing:
// apostrophes, quotes, dashes and spaces. URLs become "url".
func normalizeProse(s string) string {
	s = replaceURLs(s)
	s = stripEmphasis(s)
	if !isASCII(s) {
		s = proseReplacer.Replace(s)
	}
	s = strings.ToLower(s)
	return collapseSpaces(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// replaceURLs replaces each URL with " url ", as the pattern
// (?i)\bhttps?://\S+ would: case-insensitive "http", an optional "s"
// (which (?i) lets be "S" or "ſ"), "://" and the non-space after it.
func replaceURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b []byte
	last := 0 // s[last:] is not copied yet
	for i := 0; i < len(s); i++ {
		if s[i] != 'h' && s[i] != 'H' || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		end := urlEnd(s, i)
		if end < 0 {
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, " url "...)
		last = end
		i = end - 1
	}
	if last == 0 {
		return s
	}
	return string(append(b, s[last:]...))
}

// urlEnd returns where the URL that starts at i ends, or -1.
func urlEnd(s string, i int) int {
	j := i + 1
	for _, c := range []byte("ttp") {
		if j >= len(s) || s[j]|0x20 != c {
			return -1
		}
		j++
	}
	// "s" first (the pattern's s? is greedy), then without it.
	if strings.HasPrefix(s[j:], "s") || strings.HasPrefix(s[j:], "S") {
		if end := urlRest(s, j+1); end >= 0 {
			return end
		}
	} else if strings.HasPrefix(s[j:], "ſ") {
		if end := urlRest(s, j+len("ſ")); end >= 0 {
			return end
		}
	}
	return urlRest(s, j)
}

// urlRest matches "://" and one or more non-space characters at j.
func urlRest(s string, j int) int {
	if !strings.HasPrefix(s[j:], "://") {
		return -1
	}
	k := j + 3
	for k < len(s) && !isSpaceByte(s[k]) {
		k++
	}
	if k == j+3 {
		return -1
	}
	return k
}

// stripEmphasis drops emphasis markers ("**that fixed it!**", "_why_ does
// it fail?") as replacing each match of the pattern
// \*+|~~|(?:^|\s)_+|_+(?:\s|$|[.,!?;:)]) with itself trimmed of "*~_"
// would.
func stripEmphasis(s string) string {
	if !strings.ContainsAny(s, "*_") && !strings.Contains(s, "~~") {
		return s
	}
	var b []byte
	last, changed := 0, false // s[last:] is not copied yet
	cut := func(i, j int, keep string) {
		b = append(b, s[last:i]...)
		b = append(b, keep...)
		last, changed = j, true
	}
	underscores := func(i int) int {
		for i < len(s) && s[i] == '_' {
			i++
		}
		return i
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '*':
			j := i
			for j < len(s) && s[j] == '*' {
				j++
			}
			cut(i, j, "")
			i = j
		case c == '~' && i+1 < len(s) && s[i+1] == '~':
			cut(i, i+2, "")
			i += 2
		case c == '_' && i == 0: // ^_+
			j := underscores(i)
			cut(i, j, "")
			i = j
		case isSpaceByte(c) && i+1 < len(s) && s[i+1] == '_': // \s_+
			j := underscores(i + 1)
			cut(i, j, s[i:i+1])
			i = j
		case c == '_': // _+(?:\s|$|[.,!?;:)])
			j := underscores(i)
			switch {
			case j == len(s):
				cut(i, j, "")
			case isSpaceByte(s[j]) || strings.IndexByte(".,!?;:)", s[j]) >= 0:
				cut(i, j+1, s[j:j+1])
				j++
			}
			i = j
		default:
			i++
		}
	}
	if !changed {
		return s
	}
	return string(append(b, s[last:]...))
}

// isSpaceByte reports whether c is in \s: [\t\n\f\r ].
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// isWordByte reports whether c is in \w: [0-9A-Za-z_].
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// collapseSpaces replaces each run of spaces and tabs with one space.
func collapseSpaces(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if s[i] == '\t' || s[i] == ' ' && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\t') {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for i < len(s) {
		if s[i] != ' ' && s[i] != '\t' {
			b = append(b, s[i])
			i++
			continue
		}
		b = append(b, ' ')
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	return string(b)
}

// splitSentences cuts normalised prose into sentences at line ends and at
// ".", "!", "?" or ";" followed by a space or the end. A sentence keeps
// its final "?" so that questions can be told apart.
func splitSentences(s string) []string {
	var out []string
	start := 0
	add := func(end int) {
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
		start = end
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			add(i)
			start = i + 1
		case '.', '!', '?', ';':
			if i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == ')' {
				// Keep a run of "?!" together and let the last char decide.
				j := i
				for j+1 < len(s) && strings.IndexByte(".!?", s[j+1]) >= 0 {
					j++
				}
				q := strings.IndexByte(s[i:j+1], '?') >= 0
				add(j + 1)
				if q && len(out) > 0 && !strings.HasSuffix(out[len(out)-1], "?") {
					out[len(out)-1] += "?"
				}
				i = j
			}
		}
	}
	add(len(s))
	return out
}

// The patterns below read normalised prose (lower-case, see
// normalizeProse). Each names a general way of saying something, never a
// particular conversation.
var (
	// Credit for something that now works: "that fixed it", "yep that
	// was it", "that did the trick", "unblocked", "makes sense now".
	fixedItRE = guard(`(\S+)\s+(?:\w+ly\s+)?(?:fixed|solved|resolved)\s+(?:it|this|that|the (?:issue|problem|build|error|failure|tests?|flake|ci|crash|hang)|my (?:issue|problem))\b`)
	strongRE  = guardUnion([]string{
		`\b(?:that|this|which)\s+(?:did|does)\s+(?:it|the trick)\b`,
		`\bdid the trick\b`,
		`\b(?:that|this)\s+was\s+(?:exactly |indeed |definitely |totally |precisely |just )?it\b`,
		`\b(?:that|this)'?s exactly it\b`,
		`\b(?:that|this) was (?:exactly |indeed |definitely )?(?:the|my) (?:problem|issue|culprit|cause|bug|missing piece)\b`,
		`\bunblocked\b`,
		`\bunblocks me\b`,
		`\bunstuck\b`,
		`\bmakes? (?:total |perfect |so much |a lot of )?sense now\b`,
		`\b(?:now|finally) i (?:understand|get it|see)\b`,
		`\bconfirmed (?:it )?work(?:s|ing)\b`,
		`\b(?:that|this|your \w+|'s \w+) (?:helped|worked)\b`,
		`\b(?:solved|fixed|resolved|works?|working|passing|passes|green) (?:now )?thanks to\b`,
		`\b(?:fixed|solved|resolved|works?|working|passing|passes)\b[^.!?]{0,30}\b(?:by|with|using|after) (?:applying |using |adding )?(?:your|@[a-z0-9-]+'s)\b`,
	})
	goodCatchRE = guard(`\b(?:good|nice|great|excellent) (?:catch|find|spot|eye)\b`)
	// What may follow "good catch" and keep it from counting.
	goodCatchButRE = guardAny(`\b(?:but|however|though|although|intentional|intended|on purpose|by design|expected|not a bug|will|i'll|going to|gonna)\b`)
	// What "good catch" needs beside it: the fix, or thanks.
	goodCatchFixRE = guardAny(`\b(?:fixed|addressed|changed|updated|pushed|switched|added|made|moved|removed|replaced|wrapped|reverted|went with)\b`)

	// Something that works now; counts with thanks or credit beside it.
	statusRE = guardUnion([]string{
		`\b(?:works|working|work|pass|passes|passing|green|compiles|compiling|builds|building|clean|gone|match|matches|fine|resolved)(?:\s+[a-z0-9-]+){0,3}\s+now\b`,
		`\bnow (?:it|everything|all|that|this|ci|e2e|tests?|the \w+) (?:works?|pass(?:es)?|compiles|builds|runs|is (?:green|fine|clean|gone|working))\b`,
		`\b(?:it|everything|this|that) works?(?: now| again| fine| perfectly| great)?(?:[!.,;:)]|\s*$|\s+[^\sa-z0-9])`,
		`\bworks? (?:perfectly|great|like a charm|for me|fine)\b`,
		`\ball (?:jobs |checks |tests |builds )?(?:are |is )?green\b`,
		`\b(?:ci|build|tests?|e2e|checks?|pipeline|jobs?|it)(?:'s| is| are)? green\b`,
		`\b(?:flake|error|failure|panic|warning|issue|problem|crash|hang|timeout|cycle|race)s? (?:is |are )?(?:gone|fixed|resolved)\b`,
		`\bno longer (?:fails|failing|hangs|hanging|panics|crashes|flakes|flaky|times out|errors|broken)\b`,
	})
	// A status only counts when nothing negates it right before.
	statusNegRE = guardAny(`(?:n't|\bnot|\bnever|\bno)\s*$`)

	// Thanks, or credit given to someone's help.
	thanksRE = guard(`\b(?:thanks|thank you|thank u|thx|ty|tysm|cheers|kudos|appreciated|appreciate|grazie|merci|danke|gracias)\b|🙏`)
	// Thanks for the review or the PR: politeness, not credit for help.
	politeThanksRE = guard(`\b(?:(?:thanks|thank you|thx|ty|appreciate(?: it)?)(?: (?:a lot|so much|very much))?,? (?:@[a-z0-9-]+ )?for|appreciate) (?:the |your |a |this )?(?:quick |fast |thorough |detailed |careful |speedy |prompt )?(?:review|reviews|reviewing|pr|pull request|approval|look|looking|merge|merging|feedback|comments|patience|contribution|fix|work|tackling|doing)\b`)
	creditRE       = guardAny(`\b(?:lifesaver|life saver|life-saver|saved (?:me|my day|the day|us)|you rock|you're a star|legend)\b|\byour (?:suggestion|tip|fix|hint|advice|help|pointer|idea|patch|change|answer|explanation|comment|diff)s?\b|'s (?:tip|suggestion|fix|hint|advice|help|pointer|idea|patch|answer|explanation)\b|\btil\b|\b(?:as|like) you (?:said|suggested)\b`)

	// Words that make a statement tentative when they come before it:
	// "should work now", "once #12 lands we're unblocked".
	hedgeRE = guardAny(`\b(?:should|would|will|might|may|hopefully|if|once|let me know|could|maybe|probably|try|see if|whether|until|unless|not sure|don't think|do not think|doubt|wonder)\b`)
	// The writer as the subject right before a phrase.
	selfSubjectRE = guardAny(`\b(?:i|we|i've|we've|i have|we have|i just|we just)\s*$`)
	// "that was it" closing a list, not crediting help.
	itForRE = guardAny(`^\s*(?:for (?:today|now|the day|this week|me)|from me)\b`)
	// A PR or issue reference: "#1188 is merged, unblocked" is about
	// another PR landing, not about anyone's help.
	prRefRE = guardAny(`#\d+`)

	// Help that did not work, and sarcasm.
	negativeRE = guardEach([]string{
		`\b(?:didn't|did not|doesn't|does not|don't|won't|isn't|is not|wasn't|was not|still not|not)\s+(?:really |quite |seem to |actually |help to )?(?:fix|help|work|solve|resolve|change anything|do it|do anything|make a difference)\b`,
		`\bstill\s+(?:fails|failing|fail|broken|hangs|hanging|panics|panicking|red|errors|erroring|crashes|crashing|the same|same|times out|timing out|flaky|doesn't|does not|not|no|getting|seeing|get|see)\b`,
		`\bsame (?:error|trace|failure|problem|issue|panic|result)\b`,
		`\bno (?:luck|dice|change|difference)\b`,
		`\b(?:broke|breaks) (?:everything|it|the build|ci|all|\w+ again)\b`,
		`\bnothing (?:compiles|works|builds|passes|changed)\b`,
		`\bmade (?:it|things) worse\b`,
		`\bnot (?:fixed|working|resolved)\b`,
		`🙃|🙄|😒|🤦|😑`,
	})

	// The writer found it out alone.
	selfFixRE = guardAny(`\b(?:nvm|never ?mind|found it|figured it out|figured out|my bad|my mistake|scratch that|solved it myself|fixed it myself|was my fault)\b|\bit was my\b|\bignore (?:that|me|my last)\b`)

	// Joining in rather than answering.
	meTooRE = guardAny(`^(?:\+1|me too|same here|same|following|subscribing|bump|\^+)\b|\b(?:same (?:problem|issue|error) here|(?:we|i) (?:have|see|hit|get) the same (?:problem|issue|error|thing))\b`)

	// Questions and reports of errors or failures.
	questionRE = guardEach([]string{
		`\bany ?(?:idea|ideas|clue|clues|hint|hints|pointers|thoughts)\b`,
		`\banyone (?:know|seen|have)\b`,
		`\bhow (?:do|can|should|would|to) (?:i|we|you)\b`,
		`\bhow i (?:can|should|do)\b`,
		`\bwhat am i (?:missing|doing wrong)\b`,
		`\b(?:i'm |i am |i'm still |still |got |get |it )?stuck\b`,
		`\bpanic(?:s|ked)?:|\bpanics\b`,
		`\berror(?:\[\w+\])?:`,
		`\b(?:fails?|failed|failing)\s+(?:with|at|on|in|because|when|for|to)\b`,
		`\b(?:fails?|failed|failing)\s*:`,
		`\b(?:tests?|jobs?|builds?|ci|checks?|lint|linter|e2e|pipeline|workflow|deploy|step|suite)\s+(?:is |are |keeps |still |now )?(?:fail|fails|failed|failing|broken|red|hangs|hanging|time out|times out|timed out|timing out|flaky|flakes)\b`,
		`\b(?:complains?|complaining|warns)\b`,
		`\b(?:i get|i'm getting|i am getting|getting|i see|i'm seeing|seeing) (?:a |an |the )?(?:\d{3}|error|errors|exception|panic|failure|warning|crash|timeout|segfault|` + codeMark + `)`,
		`^(?:why|how come|what's wrong|is there a way|any way)\b`,
		`\b(?:hangs|hanging|times out|timed out|timing out)\b`,
		`\bflaky\b|\bflake\b`,
		`\brenders? (?:` + codeMark + `|undefined|null|nan|blank|nothing|empty)`,
		`\b(?:doesn't|does not|don't|won't|can't|cannot|isn't|is not|not)\s+(?:work|working|fire|firing|compile|build|pass|run|load|resolve|start|find|show|connect|reproduce)\b`,
		`\b(?:can't|cannot|unable to)\b`,
		`\b(?:is|are|gets|get) (?:ignored|skipped)\b`,
		`\b(?:debugging|no idea why|not sure (?:why|how|what))\b`,
		`\b(?:exception|traceback|segfault|segmentation fault|crashes|crashed)\b`,
	})
	// Questions that only ask for a review or the PR's status.
	pingRE = guardAny(`\b(?:ptal|take a look|have a look|a quick look|another look|review (?:this|it|again|please)|re-?review|any update|any news|ping|when you (?:have|get) (?:time|a (?:chance|minute))|ok to merge|good to merge|can (?:we|i|you) merge|mind (?:taking|having))\b`)
)

// strongAckIn reports whether sentence s (of normalised text norm)
// credits help for something that now works. sc is the scan of norm.
func strongAckIn(sc *scan, s, norm string) bool {
	for _, loc := range fixedItRE.findAllSubmatch(sc, s) {
		subj := strings.Trim(s[loc[2]:loc[3]], ",:—-")
		switch subj {
		case "i", "we", "i've", "we've", "i'd", "ive", "just", "finally", "have", "has", "had",
			"and", "then", "also", "eventually", "i'll", "will", "would", "should", "could":
			continue
		}
		if !hedgeRE.match(sc, s[:loc[0]]) {
			return true
		}
	}
	for _, loc := range strongRE.findAll(sc, s) {
		m := s[loc[0]:loc[1]]
		if hedgeRE.match(sc, s[:loc[0]]) {
			continue
		}
		if strings.HasPrefix(m, "unblock") && prRefRE.match(sc, s) {
			continue // another PR landing unblocked it
		}
		if selfSubjectRE.match(sc, s[:loc[0]]) && (strings.HasPrefix(m, "unblock") || strings.HasPrefix(m, "unstuck")) {
			continue // "I unblocked CI by …": the writer's own doing
		}
		if strings.HasSuffix(m, " it") && itForRE.match(sc, s[loc[1]:]) {
			continue // "that was it for today"
		}
		if strings.HasSuffix(m, "helped") || strings.HasSuffix(m, "worked") {
			// "that worked" credits help; "that worked before" does not.
			if rest := s[loc[1]:]; strings.HasPrefix(rest, " before") || strings.HasPrefix(rest, " until") {
				continue
			}
		}
		return true
	}
	if loc := goodCatchRE.find(sc, s); loc != nil {
		after := s[loc[1]:]
		if !goodCatchButRE.match(sc, after) &&
			(goodCatchFixRE.match(sc, after) || thanksRE.match(sc, s) || goodCatchFixRE.match(sc, norm)) {
			return true
		}
	}
	return false
}

// statusIn reports whether sentence s says that something works now.
func statusIn(sc *scan, s string) bool {
	for _, loc := range statusRE.findAll(sc, s) {
		before := s[:loc[0]]
		if statusNegRE.match(sc, before) || hedgeRE.match(sc, before) {
			continue
		}
		return true
	}
	return false
}

// gratitudeIn reports whether sentence s thanks someone or credits their
// help, leaving out thanks for the review or the PR.
func gratitudeIn(sc *scan, s string) bool {
	if creditRE.match(sc, s) {
		return true
	}
	thanks := thanksRE.findAll(sc, s)
	if thanks == nil {
		return false
	}
	polite := politeThanksRE.findAll(sc, s)
	for _, loc := range thanks {
		inPolite := false
		for _, p := range polite {
			if loc[0] >= p[0] && loc[0] < p[1] {
				inPolite = true
				break
			}
		}
		if !inPolite {
			return true
		}
	}
	return false
}

// questionIn reports whether sentence s asks a question or reports an
// error or failure. Asking for a review or an update is not a question
// about the work.
func questionIn(sc *scan, s string) bool {
	if pingRE.match(sc, s) {
		return false
	}
	return strings.HasSuffix(s, "?") || questionRE.match(sc, s)
}

// Classify runs on every comment, so the patterns above are guarded: a
// pattern is only run on a text that holds, for each of the pattern's
// literal requirements, one of the strings that every match of the
// pattern must contain (derived from the pattern's syntax by mustContain).
// A text without them cannot match, so skipping the pattern changes no
// result; a text with them is read by the pattern itself.

// guardLits are the strings the guards look for; guardedRE.need holds
// indexes into it.
var (
	guardLits   []guardString
	guardLitIDs = map[string]int{}
)

// guardString is a string a guard looks for, with what scan.mayHold needs.
type guardString struct {
	s string
	// pairs are the pairKeys of its adjacent bytes; for a string of one
	// byte, none.
	pairs []uint16
	// anywhere: the string holds '?', which splitSentences may add.
	anywhere bool
}

func guardLit(s string) int {
	if id, ok := guardLitIDs[s]; ok {
		return id
	}
	l := guardString{s: s, anywhere: strings.Contains(s, "?")}
	for i := 0; i+1 < len(s); i++ {
		l.pairs = append(l.pairs, pairKey(s[i], s[i+1]))
	}
	guardLits = append(guardLits, l)
	guardLitIDs[s] = len(guardLits) - 1
	return len(guardLits) - 1
}

// pairKey folds two adjacent bytes into 13 bits. Pairs of lower-case
// letters only share a key with pairs that hold a capital, a digit or a
// sign.
func pairKey(a, b byte) uint16 {
	return (uint16(a)<<5 ^ uint16(b)) & (pairKeys - 1)
}

const pairKeys = 1 << 13

// scan records the bytes and the pairKeys of the adjacent bytes of a
// text. A string that is a part of the text can only hold a guard string
// whose bytes and pair keys the text holds. Guards given a scan must only
// be asked about parts of its text, or such parts with "?" appended
// (splitSentences does that): guard strings holding '?' are not filtered.
type scan struct {
	bytes [4]uint64
	pairs [pairKeys / 64]uint64
}

func (sc *scan) init(text string) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		sc.bytes[c>>6] |= 1 << (c & 63)
		if i+1 < len(text) {
			k := pairKey(c, text[i+1])
			sc.pairs[k>>6] |= 1 << (k & 63)
		}
	}
}

// mayHold reports whether a part of the text may hold guard string id.
func (sc *scan) mayHold(id int) bool {
	l := &guardLits[id]
	if l.anywhere {
		return true
	}
	if len(l.pairs) == 0 {
		c := l.s[0]
		return sc.bytes[c>>6]&(1<<(c&63)) != 0
	}
	for _, k := range l.pairs {
		if sc.pairs[k>>6]&(1<<(k&63)) == 0 {
			return false
		}
	}
	return true
}

// guardedRE is a regular expression with the literal requirements of its
// matches.
type guardedRE struct {
	re *regexp.Regexp
	// need holds clauses: every match contains one of the strings of each
	// (indexes into guardLits).
	need [][]int
}

// guard compiles expr and derives its literal requirements.
func guard(expr string) *guardedRE {
	g := &guardedRE{re: regexp.MustCompile(expr)}
	for _, clause := range mustContain(expr) {
		ids := make([]int, len(clause))
		for i, lit := range clause {
			ids[i] = guardLit(lit)
		}
		g.need = append(g.need, ids)
	}
	return g
}

// may reports whether s, a part of the text sc scanned, can hold a match.
func (g *guardedRE) may(sc *scan, s string) bool {
	for _, clause := range g.need {
		found := false
		for _, id := range clause {
			if sc.mayHold(id) && strings.Contains(s, guardLits[id].s) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (g *guardedRE) match(sc *scan, s string) bool {
	return g.may(sc, s) && g.re.MatchString(s)
}

func (g *guardedRE) find(sc *scan, s string) []int {
	if !g.may(sc, s) {
		return nil
	}
	return g.re.FindStringIndex(s)
}

func (g *guardedRE) findAll(sc *scan, s string) [][]int {
	if !g.may(sc, s) {
		return nil
	}
	return g.re.FindAllStringIndex(s, -1)
}

func (g *guardedRE) findAllSubmatch(sc *scan, s string) [][]int {
	if !g.may(sc, s) {
		return nil
	}
	return g.re.FindAllStringSubmatchIndex(s, -1)
}

// anyRE matches where one of its alternatives matches: the alternatives
// of one pattern, each guarded on its own, for callers that only ask
// whether the pattern matches.
type anyRE struct {
	all  *guardedRE // the whole pattern, for its guard
	alts []*guardedRE
}

func guardEach(alts []string) *anyRE {
	a := &anyRE{all: guard(strings.Join(alts, "|"))}
	for _, alt := range alts {
		for _, part := range alternatives(alt) {
			a.alts = append(a.alts, guard(part))
		}
	}
	return a
}

func guardAny(expr string) *anyRE {
	return guardEach([]string{expr})
}

// alternatives splits expr into patterns that together match where expr
// matches: at its top-level "|", and each part of the form P(?:a|b|…)S
// into Pa S, Pb S, … (concatenation distributes over alternation) for a
// few plain P and S.
func alternatives(expr string) []string {
	var out []string
	for _, part := range splitAlternation(expr) {
		out = append(out, distribute(part)...)
	}
	return out
}

// splitAlternation splits expr at the "|" outside groups and classes.
func splitAlternation(expr string) []string {
	var parts []string
	start := 0
	scanGroups(expr, func(i int, c byte, depth int) bool {
		if c == '|' && depth == 0 {
			parts = append(parts, expr[start:i])
			start = i + 1
		}
		return true
	})
	return append(parts, expr[start:])
}

// scanGroups calls visit for each byte of expr outside escapes and
// character classes, with the group depth after it, until visit returns
// false. It reports whether the scan ended outside any class and at depth
// zero.
func scanGroups(expr string, visit func(i int, c byte, depth int) bool) bool {
	depth, inClass := 0, false
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '\\':
			i++
			continue
		case inClass:
			if c == ']' {
				inClass = false
			}
			continue
		case c == '[':
			inClass = true
			if strings.HasPrefix(expr[i+1:], "^") {
				i++
			}
			if strings.HasPrefix(expr[i+1:], "]") {
				i++ // a leading ']' is a member
			}
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
		}
		if !visit(i, c, depth) {
			return false
		}
	}
	return depth == 0 && !inClass
}

// distribute returns P+"(?:"+a+")"+S for each top-level alternative a of
// the group when part is P(?:…)S for a P and S below, else part alone.
func distribute(part string) []string {
	for _, pre := range []string{`^\s*`, `\b`, `^`, ``} {
		for _, suf := range []string{`\s*$`, `\b`, ``} {
			open, end := pre+"(?:", ")"+suf
			if len(part) < len(open)+len(end) || !strings.HasPrefix(part, open) || !strings.HasSuffix(part, end) {
				continue
			}
			inner := part[len(open) : len(part)-len(end)]
			if !balanced(inner) {
				continue
			}
			alts := splitAlternation(inner)
			if len(alts) < 2 {
				return []string{part}
			}
			out := make([]string, len(alts))
			for i, a := range alts {
				out[i] = open + a + end
			}
			return out
		}
	}
	return []string{part}
}

// balanced reports whether the groups of expr all close within it.
func balanced(expr string) bool {
	return scanGroups(expr, func(_ int, _ byte, depth int) bool { return depth >= 0 })
}

func (a *anyRE) match(sc *scan, s string) bool {
	if !a.all.may(sc, s) {
		return false
	}
	for _, g := range a.alts {
		if g.match(sc, s) {
			return true
		}
	}
	return false
}

// unionRE is a pattern made of alternatives whose matches are needed. An
// alternative that cannot match anywhere in a text changes none of the
// pattern's matches there (a leftmost-first match is the first
// alternative that matches at the leftmost place), so the text is read by
// the pattern of the alternatives that may match, in their order.
type unionRE struct {
	all   *guardedRE
	alts  []*guardedRE
	exprs []string
	// reduced caches the patterns of subsets of the alternatives, by
	// bit mask; about maxReduced of them (goroutines compiling at once
	// may each add one past it).
	reduced  sync.Map
	nReduced atomic.Int32
}

const maxReduced = 128

func guardUnion(alts []string) *unionRE {
	if len(alts) > 64 {
		panic("guardUnion: too many alternatives")
	}
	u := &unionRE{all: guard(strings.Join(alts, "|")), exprs: alts}
	for _, alt := range alts {
		u.alts = append(u.alts, guard(alt))
	}
	return u
}

func (u *unionRE) findAll(sc *scan, s string) [][]int {
	if !u.all.may(sc, s) {
		return nil
	}
	var mask uint64
	for i, g := range u.alts {
		if g.may(sc, s) {
			mask |= 1 << i
		}
	}
	if mask == 0 {
		return nil
	}
	return u.pattern(mask).FindAllStringIndex(s, -1)
}

// pattern returns the pattern of the alternatives in mask.
func (u *unionRE) pattern(mask uint64) *regexp.Regexp {
	if mask == 1<<len(u.alts)-1 {
		return u.all.re
	}
	if re, ok := u.reduced.Load(mask); ok {
		return re.(*regexp.Regexp)
	}
	if u.nReduced.Load() >= maxReduced {
		return u.all.re
	}
	var parts []string
	for i, e := range u.exprs {
		if mask&(1<<i) != 0 {
			parts = append(parts, e)
		}
	}
	re := regexp.MustCompile(strings.Join(parts, "|"))
	if _, loaded := u.reduced.LoadOrStore(mask, re); !loaded {
		u.nReduced.Add(1)
	}
	return re
}

const (
	// maxExact bounds the sets of strings the analysis enumerates.
	maxExact = 64
	// maxClauses bounds the requirements kept for one pattern.
	maxClauses = 3
)

// litInfo is what mustContain knows about the matches of a pattern node.
type litInfo struct {
	// known: every match is one of exact. Empty-width assertions count
	// as matching "", which only adds strings.
	known bool
	exact []string
	// need: every match contains one string of each clause.
	need [][]string
}

// mustContain returns clauses of strings such that every match of expr
// contains one string of each clause. Parts of expr it cannot enumerate
// (character classes of more than a few runes, repetition that may match
// nothing, case folding) require nothing, so the result errs towards
// requiring less.
func mustContain(expr string) [][]string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	info := analyze(re)
	need := info.need
	if info.known {
		need = nil
		addClause(&need, info.exact)
	}
	// Keep the most selective clauses.
	sort.SliceStable(need, func(i, j int) bool { return betterClause(need[i], need[j]) })
	if len(need) > maxClauses {
		need = need[:maxClauses]
	}
	return need
}

func analyze(re *syntax.Regexp) litInfo {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r == utf8.RuneError || (re.Flags&syntax.FoldCase != 0 && unicode.SimpleFold(r) != r) {
				return litInfo{}
			}
		}
		return litInfo{known: true, exact: []string{string(re.Rune)}}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo >= 16 || len(out)+int(hi-lo)+1 > 16 {
				return litInfo{}
			}
			for r := lo; r <= hi; r++ {
				if r == utf8.RuneError || !utf8.ValidRune(r) {
					return litInfo{}
				}
				out = append(out, string(r))
			}
		}
		if len(out) == 0 {
			return litInfo{}
		}
		return litInfo{known: true, exact: out}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return litInfo{known: true, exact: []string{""}}
	case syntax.OpCapture:
		return analyze(re.Sub[0])
	case syntax.OpPlus:
		return litInfo{need: needOf(analyze(re.Sub[0]))}
	case syntax.OpQuest:
		return optional(analyze(re.Sub[0]))
	case syntax.OpRepeat:
		switch {
		case re.Min == 0 && re.Max == 1:
			return optional(analyze(re.Sub[0]))
		case re.Min == 1 && re.Max == 1:
			return analyze(re.Sub[0])
		case re.Min >= 1:
			return litInfo{need: needOf(analyze(re.Sub[0]))}
		}
		return litInfo{}
	case syntax.OpConcat:
		var need [][]string
		prod := []string{""}
		all := true
		for _, sub := range re.Sub {
			si := analyze(sub)
			if si.known {
				if p := cross(prod, si.exact); p != nil {
					prod = p
					continue
				}
				all = false
				addClause(&need, prod)
				prod = si.exact
				continue
			}
			all = false
			addClause(&need, prod)
			prod = []string{""}
			need = append(need, si.need...)
		}
		if all {
			return litInfo{known: true, exact: prod}
		}
		addClause(&need, prod)
		return litInfo{need: need}
	case syntax.OpAlternate:
		infos := make([]litInfo, len(re.Sub))
		all, n := true, 0
		for i, sub := range re.Sub {
			infos[i] = analyze(sub)
			all = all && infos[i].known
			n += len(infos[i].exact)
		}
		if all && n <= maxExact {
			var exact []string
			for _, si := range infos {
				exact = append(exact, si.exact...)
			}
			return litInfo{known: true, exact: exact}
		}
		// One clause: the union of each alternative's best clause.
		var union []string
		for _, si := range infos {
			need := needOf(si)
			if len(need) == 0 {
				return litInfo{}
			}
			best := need[0]
			for _, c := range need[1:] {
				if betterClause(c, best) {
					best = c
				}
			}
			union = append(union, best...)
		}
		var need [][]string
		addClause(&need, union)
		return litInfo{need: need}
	}
	return litInfo{}
}

// optional is the info of a node that may also match nothing.
func optional(si litInfo) litInfo {
	if !si.known || len(si.exact)+1 > maxExact {
		return litInfo{}
	}
	return litInfo{known: true, exact: append(append([]string(nil), si.exact...), "")}
}

// needOf returns the clauses of si.
func needOf(si litInfo) [][]string {
	if !si.known {
		return si.need
	}
	var need [][]string
	addClause(&need, si.exact)
	return need
}

// cross returns every a+b, or nil when there would be too many.
func cross(as, bs []string) []string {
	if len(as)*len(bs) > maxExact {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out
}

// addClause adds the clause "one of set" to need, unless set holds "",
// which every text contains. Strings that contain another string of the
// set are dropped: that one is found wherever they are.
func addClause(need *[][]string, set []string) {
	var c []string
	for i, s := range set {
		if s == "" {
			return
		}
		redundant := false
		for j, t := range set {
			if j != i && strings.Contains(s, t) && (s != t || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			c = append(c, s)
		}
	}
	if len(c) > 0 {
		*need = append(*need, c)
	}
}

// betterClause reports whether clause a is likely more selective than b:
// its shortest string is longer, or it has fewer strings.
func betterClause(a, b []string) bool {
	ma, mb := shortest(a), shortest(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func shortest(c []string) int {
	n := -1
	for _, s := range c {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// Signals: the ways someone can unblock a PR's author.
const (
	// SignalAcknowledged: someone said this person's help made something
	// work or got them unstuck.
	SignalAcknowledged = "acknowledged"
	// SignalReReview: this person asked for changes, the author pushed,
	// and this person approved before the merge.
	SignalReReview = "re_review"
	// SignalLongWait: this person's approval ended a long wait for review
	// and the PR merged soon after.
	SignalLongWait = "long_wait"
	// SignalAnswered: this person answered the author's question or error
	// report, and the author pushed or acknowledged it within a day.
	SignalAnswered = "answered"
)

// Detection is one person found to have unblocked a PR's author.
type Detection struct {
	Login  string `json:"login"`
	Signal string `json:"signal"`
	// Evidence are the html_urls of what shows it, in time order.
	Evidence []string `json:"evidence"`
	// Why says in one sentence what happened.
	Why string `json:"why"`
	// at is when the decisive evidence happened; it orders detections.
	at time.Time
}

const (
	// defaultLongWait is used when the configuration sets no LongWait.
	defaultLongWait = 48 * time.Hour
	// followUpWindow: an answer counts when the author pushes or
	// acknowledges it within this time.
	followUpWindow = 24 * time.Hour
	// mergeWindow: a long wait counts when the PR merges within this
	// time after the approval that ended it.
	mergeWindow = 24 * time.Hour
)

// DetectUnblocking names the people who unblocked the author of a PR, from
// its ledger alone. It never names the author or a bot; re_review and
// long_wait need the PR to be merged. Each person appears at most once per
// signal, ordered by the time of the evidence, then login, then signal.
// When in doubt it names nobody: precision matters more than recall.
// Callers decide whether cfg.Unblocking lets them act on the result.
func DetectUnblocking(hist History, author string, merged bool, cfg Config) []Detection {
	d := newDetector(hist, author, merged, cfg)
	d.acknowledged()
	d.answered()
	if merged {
		d.reReview()
		d.longWait()
	}
	return d.result()
}

// WhyNoUnblocking says in one line why DetectUnblocking names nobody, as
// facts about the ledger ("no one unblocked alice: 2 approvals without
// requested changes; no acknowledged help"). It is meant for explain
// output and logs.
func WhyNoUnblocking(hist History, author string, merged bool, cfg Config) string {
	d := newDetector(hist, author, merged, cfg)
	var why []string
	why = append(why, d.reviewFacts()...)
	why = append(why, d.questionFacts()...)
	why = append(why, d.ackFacts())
	who := author
	if who == "" {
		who = "the author"
	}
	return "no one unblocked " + who + ": " + strings.Join(why, "; ")
}

// detector holds one PR's ledger in time order and what it found.
type detector struct {
	cs      []Contribution
	author  string
	merged  bool
	mergeAt time.Time // zero when the ledger has no merge point
	cfg     Config
	hist    History
	found   map[string]*Detection // by login (lower-case) + "\x00" + signal
	names   map[string]string     // lower-case login → as written in the ledger
}

func newDetector(hist History, author string, merged bool, cfg Config) *detector {
	cs := append([]Contribution(nil), hist.Contributions...)
	sort.SliceStable(cs, func(i, j int) bool {
		if !cs[i].At.Equal(cs[j].At) {
			return cs[i].At.Before(cs[j].At)
		}
		return cs[i].Key() < cs[j].Key()
	})
	d := &detector{cs: cs, author: author, merged: merged, cfg: cfg, hist: hist,
		found: map[string]*Detection{}, names: map[string]string{}}
	for _, c := range cs {
		if c.Login != "" && !c.Kind.IsTimeline() {
			if _, ok := d.names[strings.ToLower(c.Login)]; !ok {
				d.names[strings.ToLower(c.Login)] = c.Login
			}
		}
		if c.Kind == KindMerged && merged {
			d.mergeAt = c.At
		}
	}
	return d
}

// isAuthor reports whether login opened the PR.
func (d *detector) isAuthor(login string) bool {
	return d.author != "" && strings.EqualFold(login, d.author)
}

// isBot reports whether login is a bot: by its name, the configuration,
// or because the ledger saw it act as one.
func (d *detector) isBot(login string) bool {
	return d.cfg.isBot(login) || d.hist.isBot(login)
}

// human reports whether c was written by a person (not a bot).
func (d *detector) human(c Contribution) bool {
	return c.Login != "" && !c.Bot && !d.isBot(c.Login)
}

// eligible reports whether login may be named: a person other than the
// author.
func (d *detector) eligible(login string) bool {
	return login != "" && !d.isAuthor(login) && !d.isBot(login)
}

// name returns login as the ledger writes it.
func (d *detector) name(login string) string {
	if n, ok := d.names[strings.ToLower(login)]; ok {
		return n
	}
	return login
}

func (d *detector) add(login, signal string, at time.Time, why string, evidence ...string) {
	key := strings.ToLower(login) + "\x00" + signal
	if have, ok := d.found[key]; ok && !at.Before(have.at) {
		return
	}
	var ev []string
	for _, e := range evidence {
		if e != "" && (len(ev) == 0 || ev[len(ev)-1] != e) {
			ev = append(ev, e)
		}
	}
	d.found[key] = &Detection{Login: d.name(login), Signal: signal, Evidence: ev, Why: why, at: at}
}

func (d *detector) result() []Detection {
	out := make([]Detection, 0, len(d.found))
	for _, det := range d.found {
		out = append(out, *det)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		if la, lb := strings.ToLower(a.Login), strings.ToLower(b.Login); la != lb {
			return la < lb
		}
		return a.Signal < b.Signal
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// written reports whether c is something a person wrote that can carry
// help or an acknowledgement: a comment, a review comment, or a review
// with a body.
func written(c Contribution) bool {
	switch c.Kind {
	case KindComment, KindReviewComment:
		return true
	case KindReview:
		return c.BodyLen > 0
	}
	return false
}

// helpers returns whom acknowledgement ack credits, following the
// labelling rule: in a review thread the author of the comment it replies
// to; else the people it names in its thanks; else the writer of the most
// recent human comment before it by someone else. The result may hold the
// author or bots; callers filter. helper is that earlier contribution when
// known.
func (d *detector) helpers(i int) (logins []string, helpedBy map[string]Contribution) {
	ack := d.cs[i]
	helpedBy = map[string]Contribution{}
	if ack.Kind == KindReviewComment && ack.Thread != 0 && ack.Thread != ack.ID && len(ack.Text.Thanked) == 0 {
		// The comment it answers: the latest one in the thread by someone
		// else. That may be a bot (a reply to Copilot) or the author, who
		// are then filtered out rather than skipped.
		for j := i - 1; j >= 0; j-- {
			c := d.cs[j]
			if c.Kind != KindReviewComment || (c.Thread != ack.Thread && c.ID != ack.Thread) ||
				strings.EqualFold(c.Login, ack.Login) {
				continue
			}
			helpedBy[strings.ToLower(c.Login)] = c
			return []string{c.Login}, helpedBy
		}
		return nil, helpedBy
	}
	if len(ack.Text.Thanked) > 0 {
		for _, m := range ack.Text.Thanked {
			if strings.EqualFold(m, ack.Login) {
				continue
			}
			logins = append(logins, m)
			for j := i - 1; j >= 0; j-- {
				if c := d.cs[j]; written(c) && strings.EqualFold(c.Login, m) {
					helpedBy[m] = c
					break
				}
			}
		}
		return logins, helpedBy
	}
	for j := i - 1; j >= 0; j-- {
		c := d.cs[j]
		if !written(c) || strings.EqualFold(c.Login, ack.Login) || !d.human(c) {
			continue
		}
		helpedBy[strings.ToLower(c.Login)] = c
		return []string{c.Login}, helpedBy
	}
	return nil, helpedBy
}

// isAck reports whether c is a person's acknowledgement of help.
func (d *detector) isAck(c Contribution) bool {
	return written(c) && d.human(c) && c.Text.Ack && !c.Text.Negative
}

// acknowledged: someone says a person's help made something work.
func (d *detector) acknowledged() {
	for i, c := range d.cs {
		if !d.isAck(c) {
			continue
		}
		logins, by := d.helpers(i)
		for _, h := range logins {
			if !d.eligible(h) || strings.EqualFold(h, c.Login) {
				continue
			}
			help := by[strings.ToLower(h)]
			who := c.Login
			where := "in a comment"
			switch {
			case c.Kind == KindReviewComment && c.Thread != c.ID:
				where = "in reply to their review comment"
			case c.Kind == KindReview:
				where = "in a review"
			}
			if d.isAuthor(c.Login) {
				who = c.Login + " (the author)"
			}
			why := fmt.Sprintf("%s said %s help made something work (%s).", who, possessive(d.name(h)), where)
			d.add(h, SignalAcknowledged, c.At, why, help.HTMLURL, c.HTMLURL)
		}
	}
}

// answered: the author asked or reported a failure; the next person to
// comment answered, and the author pushed or acknowledged within a day.
func (d *detector) answered() {
	for i, q := range d.cs {
		if !d.authorQuestion(q) {
			continue
		}
		ans, ok := d.answerTo(i)
		if !ok {
			continue
		}
		a := d.cs[ans]
		how, at, ok := d.followUp(ans)
		if !ok {
			continue
		}
		why := fmt.Sprintf("%s asked or reported a problem; %s answered %s later, and %s.",
			q.Login, d.name(a.Login), span(a.At.Sub(q.At)), how)
		d.add(a.Login, SignalAnswered, at, why, q.HTMLURL, a.HTMLURL)
	}
}

// authorQuestion reports whether c is the author's question or error
// report in a comment or review comment.
func (d *detector) authorQuestion(c Contribution) bool {
	return (c.Kind == KindComment || c.Kind == KindReviewComment) &&
		d.isAuthor(c.Login) && d.human(c) && c.Text.Question
}

// answerTo returns the index of the answer to the question at i: the next
// comment or review comment by a person other than the author. A question
// in a review thread is answered in that thread or the conversation, not
// in another thread; a conversation question is not answered by a reply
// in a thread that started before it. None when the author settles it
// first ("nvm, found it").
func (d *detector) answerTo(i int) (int, bool) {
	q := d.cs[i]
	for j := i + 1; j < len(d.cs); j++ {
		c := d.cs[j]
		if c.Kind != KindComment && c.Kind != KindReviewComment {
			continue
		}
		if c.Kind == KindReviewComment && !d.sameDiscussion(q, c) {
			continue
		}
		if d.isAuthor(c.Login) {
			if c.Text.SelfFix {
				return 0, false
			}
			continue
		}
		if !d.human(c) || c.Text.MeToo {
			continue // bots answer nothing; "+1, same here" neither
		}
		return j, true
	}
	return 0, false
}

// sameDiscussion reports whether review comment c can answer question q.
func (d *detector) sameDiscussion(q, c Contribution) bool {
	if q.Kind == KindReviewComment {
		return c.Thread == q.Thread
	}
	if c.Thread == 0 || c.Thread == c.ID {
		return true // a new thread after the question
	}
	top, ok := d.hist.find(KindReviewComment, c.Thread)
	return !ok || !top.At.Before(q.At)
}

// followUp checks that the answer at i was followed within a day by a push
// by the author or by the author's acknowledgement of it. It says which,
// and when. A push does not count once the author has said the answer did
// not work.
func (d *detector) followUp(i int) (string, time.Time, bool) {
	a := d.cs[i]
	end := a.At.Add(followUpWindow)
	for j := i + 1; j < len(d.cs); j++ {
		c := d.cs[j]
		if c.At.After(end) {
			break
		}
		if !d.isAuthor(c.Login) {
			continue
		}
		switch {
		case c.Kind == KindPush:
			return fmt.Sprintf("%s pushed %s after the answer", c.Login, span(c.At.Sub(a.At))), c.At, true
		case written(c) && c.Text.Negative:
			return "", time.Time{}, false // "still failing after that"
		case d.isAck(c):
			logins, _ := d.helpers(j)
			for _, h := range logins {
				if strings.EqualFold(h, a.Login) {
					return fmt.Sprintf("%s acknowledged it %s later", c.Login, span(c.At.Sub(a.At))), c.At, true
				}
			}
		}
	}
	return "", time.Time{}, false
}

// reReview: a person asked for changes, the author pushed, and the same
// person approved before the merge.
func (d *detector) reReview() {
	for i, cr := range d.cs {
		if cr.Kind != KindReview || cr.State != "changes_requested" || !d.human(cr) || !d.eligible(cr.Login) {
			continue
		}
		push := -1
		for j := i + 1; j < len(d.cs); j++ {
			c := d.cs[j]
			if push < 0 && c.Kind == KindPush && d.isAuthor(c.Login) && c.At.After(cr.At) {
				push = j
				continue
			}
			if push < 0 || c.Kind != KindReview || c.State != "approved" || !strings.EqualFold(c.Login, cr.Login) {
				continue
			}
			if !c.At.After(d.cs[push].At) || (!d.mergeAt.IsZero() && c.At.After(d.mergeAt)) {
				continue
			}
			why := fmt.Sprintf("%s asked for changes, %s pushed %s later, and %s approved the new version %s after that before it merged.",
				cr.Login, d.cs[push].Login, span(d.cs[push].At.Sub(cr.At)), c.Login, span(c.At.Sub(d.cs[push].At)))
			d.add(c.Login, SignalReReview, c.At, why, cr.HTMLURL, c.HTMLURL)
			break
		}
	}
}

// waitStart returns the index of the latest opened, ready_for_review or
// review_requested point before index i, or -1.
func (d *detector) waitStart(i int) int {
	for j := i - 1; j >= 0; j-- {
		switch d.cs[j].Kind {
		case KindOpened, KindReadyForReview, KindReviewRequested:
			return j
		}
	}
	return -1
}

// longWaitOf reports whether the approval at i ended a long wait, and if
// not, why.
func (d *detector) longWaitOf(i int) (ok bool, start int, why string) {
	a := d.cs[i]
	threshold := d.cfg.LongWait
	if threshold <= 0 {
		threshold = defaultLongWait
	}
	start = d.waitStart(i)
	if start < 0 {
		return false, -1, "the ledger does not show when review was asked for"
	}
	s := d.cs[start]
	wait := a.At.Sub(s.At)
	if wait <= threshold {
		return false, start, fmt.Sprintf("approved %s after %s (not over %s)", span(wait), pointLabel(s), hours(threshold))
	}
	for j := start + 1; j < i; j++ {
		if c := d.cs[j]; c.Kind == KindReview && d.human(c) {
			return false, start, fmt.Sprintf("%s reviewed in between", c.Login)
		}
	}
	if !d.merged {
		return false, start, "not merged"
	}
	if !d.mergeAt.IsZero() {
		if after := d.mergeAt.Sub(a.At); after < 0 || after > mergeWindow {
			return false, start, fmt.Sprintf("merged %s after the approval (over %s)", span(after), hours(mergeWindow))
		}
	}
	return true, start, ""
}

// longWait: a person's approval ended a wait of more than cfg.LongWait
// without any review, and the PR merged within a day.
func (d *detector) longWait() {
	for i, a := range d.cs {
		if a.Kind != KindReview || a.State != "approved" || !d.human(a) || !d.eligible(a.Login) {
			continue
		}
		ok, start, _ := d.longWaitOf(i)
		if !ok {
			continue
		}
		s := d.cs[start]
		merge := "it merged"
		if !d.mergeAt.IsZero() {
			merge = "it merged " + span(d.mergeAt.Sub(a.At)) + " later"
		}
		why := fmt.Sprintf("%s approved %s after %s, with no review in between, and %s.",
			a.Login, span(a.At.Sub(s.At)), pointLabel(s), merge)
		d.add(a.Login, SignalLongWait, a.At, why, a.HTMLURL)
	}
}

// pointLabel names a timeline point for people.
func pointLabel(c Contribution) string {
	switch c.Kind {
	case KindOpened:
		return "the PR was opened"
	case KindReadyForReview:
		return "it was marked ready for review"
	case KindReviewRequested:
		if c.Subject != "" {
			return "review was requested from " + c.Subject
		}
		return "review was requested"
	}
	return string(c.Kind)
}

// reviewFacts says why no re_review or long_wait was found.
func (d *detector) reviewFacts() []string {
	var approvals, changes []int
	for i, c := range d.cs {
		if c.Kind != KindReview || !d.human(c) || !d.eligible(c.Login) {
			continue
		}
		switch c.State {
		case "approved":
			approvals = append(approvals, i)
		case "changes_requested":
			changes = append(changes, i)
		}
	}
	var facts []string
	if !d.merged {
		facts = append(facts, "not merged, so re_review and long_wait do not apply")
	}
	switch {
	case len(approvals) == 0 && len(changes) == 0:
		facts = append(facts, "no human review")
	case len(changes) == 0:
		facts = append(facts, fmt.Sprintf("%s without requested changes", plural(len(approvals), "approval")))
	default:
		for _, i := range changes {
			cr := d.cs[i]
			pushed, approved := false, false
			for j := i + 1; j < len(d.cs); j++ {
				c := d.cs[j]
				if c.Kind == KindPush && d.isAuthor(c.Login) {
					pushed = true
				}
				if pushed && c.Kind == KindReview && c.State == "approved" && strings.EqualFold(c.Login, cr.Login) {
					approved = true
				}
			}
			switch {
			case !pushed:
				facts = append(facts, fmt.Sprintf("%s asked for changes but the author pushed nothing after", cr.Login))
			case !approved:
				facts = append(facts, fmt.Sprintf("%s asked for changes but did not approve after the author's push", cr.Login))
			}
		}
	}
	if d.merged {
		for _, i := range approvals {
			if _, _, why := d.longWaitOf(i); why != "" {
				facts = append(facts, fmt.Sprintf("%s's approval ended no long wait: %s", d.cs[i].Login, why))
			}
			break // the first approval is the one that could end a wait
		}
	}
	return facts
}

// questionFacts says why no answered was found.
func (d *detector) questionFacts() []string {
	asked, answered := false, false
	for i, q := range d.cs {
		if !d.authorQuestion(q) {
			continue
		}
		asked = true
		if _, ok := d.answerTo(i); ok {
			answered = true
		}
	}
	switch {
	case !asked:
		return []string{"no question or error report from the author"}
	case !answered:
		return []string{"the author's questions got no answer from another person"}
	}
	return []string{"answers to the author were not followed by a push or an acknowledgement within 24 hours"}
}

// ackFacts says why no acknowledged was found.
func (d *detector) ackFacts() string {
	acks, toAuthor, toBot := 0, 0, 0
	for i, c := range d.cs {
		if !d.isAck(c) {
			continue
		}
		acks++
		logins, _ := d.helpers(i)
		for _, h := range logins {
			switch {
			case d.isAuthor(h):
				toAuthor++
			case d.isBot(h):
				toBot++
			}
		}
	}
	switch {
	case acks == 0:
	case toAuthor > 0 && toBot == 0:
		return "the acknowledged help came from the author, who is never named"
	case toBot > 0 && toAuthor == 0:
		return "the acknowledged help came from a bot"
	case toAuthor > 0:
		return "the acknowledged help came from the author or a bot"
	default:
		return "an acknowledgement credits nobody else who took part"
	}
	for _, c := range d.cs {
		if written(c) && d.human(c) && c.Text.Negative {
			return "help was answered with \"it did not work\""
		}
	}
	return "no acknowledged help"
}

// span formats a duration for people: "40 minutes", "15 hours", "3 days 2 hours".
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		h := int(d / time.Hour)
		if m := int(d%time.Hour) / int(time.Minute); m != 0 && h < 10 {
			return fmt.Sprintf("%s %s", plural(h, "hour"), plural(m, "minute"))
		}
		return plural(h, "hour")
	}
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return plural(days, "day")
	}
	return plural(days, "day") + " " + plural(h, "hour")
}

// hours formats a threshold: "48 hours".
func hours(d time.Duration) string {
	if d%time.Hour == 0 {
		return plural(int(d/time.Hour), "hour")
	}
	return span(d)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func possessive(login string) string {
	if strings.HasSuffix(login, "s") {
		return login + "'"
	}
	return login + "'s"
}
