package recognizer_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kudos-app/kudos/internal/corpus"
	"github.com/kudos-app/kudos/recognizer"
)

// The code from here to the tests is the reference implementation of
// Classify as it was before it was optimised, kept verbatim (only its names
// are prefixed with "ref") as the oracle of TestClassifyAgreesWithReference
// and FuzzClassifyAgrees. Do not edit it to follow changes in unblock.go:
// Classify must keep returning exactly what classifyReference returns.

// refTextMaxBody caps how much of a body is classified.
const refTextMaxBody = 64 << 10

// refCodeMark stands for inline code in the text that Classify reads, so that
// "renders `undefined`" still reads as a report while the code itself,
// and any gratitude or mention inside it, is never read.
const refCodeMark = "§"

// Classify derives the text features of a comment body. It reads English
// prose only: fenced, indented and inline code, block quotes, HTML
// comments and the quoted tail of an email reply are left out, so quoted
// gratitude never counts.
func classifyReference(body string) recognizer.TextFeatures {
	if len(body) > refTextMaxBody {
		body = body[:refTextMaxBody]
	}
	visible := refVisibleProse(body)
	f := recognizer.TextFeatures{Mentions: refMentionsIn(visible)}
	norm := refNormalizeProse(visible)
	sentences := refSplitSentences(norm)

	f.Negative = refNegativeRE.MatchString(norm)
	f.SelfFix = refSelfFixRE.MatchString(norm)
	f.MeToo = refMeTooRE.MatchString(strings.TrimSpace(norm))

	var (
		strong, status, grateful bool
		ackSentences             []int
	)
	for i, s := range sentences {
		asks := strings.HasSuffix(s, "?")
		q := refQuestionIn(s)
		if q {
			f.Question = true
		}
		if asks {
			continue // "did that fix it?" acknowledges nothing
		}
		g := refGratitudeIn(s)
		if g {
			grateful = true
		}
		st := refStrongAckIn(s, norm)
		if st {
			strong = true
		}
		su := refStatusIn(s)
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
			for _, m := range refMentionsIn(sentences[i]) {
				if !seen[m] {
					seen[m] = true
					f.Thanked = append(f.Thanked, m)
				}
			}
		}
	}
	return f
}

// refVisibleProse returns the prose of a Markdown body: fenced and indented
// code blocks become a line holding refCodeMark, inline code spans become
// refCodeMark, and block quotes, HTML comments and the quoted tail of an
// email reply are dropped.
func refVisibleProse(body string) string {
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
			rest, inComment = refDropHTMLComments(line, true)
			if strings.TrimSpace(rest) != "" {
				b.WriteString(refInlineCode(rest))
				b.WriteByte('\n')
			}
			continue
		}
		if fenceLen > 0 {
			if refClosesFence(line, fenceChar, fenceLen) {
				fenceLen = 0
				prevBlank = true
			}
			continue
		}
		blank := strings.TrimSpace(line) == ""
		if refIndentedCode(line) && (prevBlank || inIndent) && !blank {
			if !inIndent {
				b.WriteString(refCodeMark + "\n")
			}
			inIndent = true
			continue
		}
		if !blank {
			inIndent = false
		}
		text := strings.TrimLeft(line, " ")
		if c, n := refOpeningFence(text); n > 0 {
			fenceChar, fenceLen = c, n
			b.WriteString(refCodeMark + "\n")
			continue
		}
		if strings.HasPrefix(text, ">") {
			prevBlank = false
			continue // block quote: someone else's words
		}
		if refIsReplyHeader(text) {
			break // the quoted tail of an email reply
		}
		var visible string
		visible, inComment = refDropHTMLComments(line, false)
		b.WriteString(refInlineCode(visible))
		b.WriteByte('\n')
		prevBlank = blank
	}
	return b.String()
}

// refDropHTMLComments removes HTML comments from one line and reports whether
// the line ends inside one.
func refDropHTMLComments(line string, inComment bool) (string, bool) {
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

// refInlineCode replaces each code span of a line with refCodeMark. A backtick
// run without a closing run of the same length is kept as text.
func refInlineCode(line string) string {
	if !strings.Contains(line, "`") {
		return line
	}
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] == '`' {
			j++
		}
		run := line[i:j]
		end := -1
		for k := j; k < len(line); {
			if line[k] != '`' {
				k++
				continue
			}
			m := k
			for m < len(line) && line[m] == '`' {
				m++
			}
			if m-k == len(run) {
				end = m
				break
			}
			k = m
		}
		if end < 0 {
			b.WriteString(run)
			i = j
			continue
		}
		b.WriteString(" " + refCodeMark + " ")
		i = end
	}
	return b.String()
}

// refIndentedCode reports whether a line is indented code: a tab or four
// spaces first.
func refIndentedCode(line string) bool {
	return strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    ")
}

// refOpeningFence reports the fence a line (after its indent) opens.
func refOpeningFence(text string) (byte, int) {
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

// refClosesFence reports whether line closes a fence of n c characters.
func refClosesFence(line string, c byte, n int) bool {
	t := strings.TrimLeft(line, " ")
	j := 0
	for j < len(t) && t[j] == c {
		j++
	}
	return j >= n && strings.TrimSpace(t[j:]) == ""
}

// refIsReplyHeader reports whether text is the "On … wrote:" line that starts
// the quoted part of an email reply.
func refIsReplyHeader(text string) bool {
	t := strings.TrimSpace(text)
	return len(t) > len("On  wrote:") && strings.HasPrefix(t, "On ") && strings.HasSuffix(t, " wrote:")
}

// refMentionsIn returns the valid @logins of s, lower-case, de-duplicated, in
// order. E-mail addresses and teams ("@org/team") are not mentions.
func refMentionsIn(s string) []string {
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
		for j < len(s) && refIsLoginByte(s[j]) {
			j++
		}
		name := s[i+1 : j]
		if j < len(s) && (s[j] == '/' || s[j] == '_' || s[j] == '@') {
			continue // a team, or not a login
		}
		if !refValidLogin(name) {
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

func refIsLoginByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

// refValidLogin reports whether s is a valid GitHub username.
func refValidLogin(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !refIsLoginByte(s[i]) || (s[i] == '-' && s[i-1] == '-') {
			return false
		}
	}
	return true
}

var (
	refUrlRE = regexp.MustCompile(`(?i)\bhttps?://\S+`)
	// Emphasis markers: "**that fixed it!**", "_why_ does it fail?"
	refEmphasisRE = regexp.MustCompile(`\*+|~~|(?:^|\s)_+|_+(?:\s|$|[.,!?;:)])`)
	refSpacesRE   = regexp.MustCompile(`[ \t]+`)
)

// refNormalizeProse lower-cases prose and unifies what varies in typing:
// apostrophes, quotes, dashes and spaces. URLs become "url".
func refNormalizeProse(s string) string {
	s = refUrlRE.ReplaceAllString(s, " url ")
	s = refEmphasisRE.ReplaceAllStringFunc(s, func(m string) string {
		return strings.Trim(m, "*~_")
	})
	s = strings.NewReplacer(
		"’", "'", "‘", "'", "“", `"`, "”", `"`, "—", " — ", "–", " — ",
		"\u00a0", " ", "…", ". ",
	).Replace(s)
	s = strings.ToLower(s)
	return refSpacesRE.ReplaceAllString(s, " ")
}

// refSplitSentences cuts normalised prose into sentences at line ends and at
// ".", "!", "?" or ";" followed by a space or the end. A sentence keeps
// its final "?" so that questions can be told apart.
func refSplitSentences(s string) []string {
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
// refNormalizeProse). Each names a general way of saying something, never a
// particular conversation.
var (
	// Credit for something that now works: "that fixed it", "yep that
	// was it", "that did the trick", "unblocked", "makes sense now".
	refFixedItRE = regexp.MustCompile(`(\S+)\s+(?:\w+ly\s+)?(?:fixed|solved|resolved)\s+(?:it|this|that|the (?:issue|problem|build|error|failure|tests?|flake|ci|crash|hang)|my (?:issue|problem))\b`)
	refStrongRE  = regexp.MustCompile(strings.Join([]string{
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
	}, "|"))
	refGoodCatchRE = regexp.MustCompile(`\b(?:good|nice|great|excellent) (?:catch|find|spot|eye)\b`)
	// What may follow "good catch" and keep it from counting.
	refGoodCatchButRE = regexp.MustCompile(`\b(?:but|however|though|although|intentional|intended|on purpose|by design|expected|not a bug|will|i'll|going to|gonna)\b`)
	// What "good catch" needs beside it: the fix, or thanks.
	refGoodCatchFixRE = regexp.MustCompile(`\b(?:fixed|addressed|changed|updated|pushed|switched|added|made|moved|removed|replaced|wrapped|reverted|went with)\b`)

	// Something that works now; counts with thanks or credit beside it.
	refStatusRE = regexp.MustCompile(strings.Join([]string{
		`\b(?:works|working|work|pass|passes|passing|green|compiles|compiling|builds|building|clean|gone|match|matches|fine|resolved)(?:\s+[a-z0-9-]+){0,3}\s+now\b`,
		`\bnow (?:it|everything|all|that|this|ci|e2e|tests?|the \w+) (?:works?|pass(?:es)?|compiles|builds|runs|is (?:green|fine|clean|gone|working))\b`,
		`\b(?:it|everything|this|that) works?(?: now| again| fine| perfectly| great)?(?:[!.,;:)]|\s*$|\s+[^\sa-z0-9])`,
		`\bworks? (?:perfectly|great|like a charm|for me|fine)\b`,
		`\ball (?:jobs |checks |tests |builds )?(?:are |is )?green\b`,
		`\b(?:ci|build|tests?|e2e|checks?|pipeline|jobs?|it)(?:'s| is| are)? green\b`,
		`\b(?:flake|error|failure|panic|warning|issue|problem|crash|hang|timeout|cycle|race)s? (?:is |are )?(?:gone|fixed|resolved)\b`,
		`\bno longer (?:fails|failing|hangs|hanging|panics|crashes|flakes|flaky|times out|errors|broken)\b`,
	}, "|"))
	// A status only counts when nothing negates it right before.
	refStatusNegRE = regexp.MustCompile(`(?:n't|\bnot|\bnever|\bno)\s*$`)

	// Thanks, or credit given to someone's help.
	refThanksRE = regexp.MustCompile(`\b(?:thanks|thank you|thank u|thx|ty|tysm|cheers|kudos|appreciated|appreciate|grazie|merci|danke|gracias)\b|🙏`)
	// Thanks for the review or the PR: politeness, not credit for help.
	refPoliteThanksRE = regexp.MustCompile(`\b(?:(?:thanks|thank you|thx|ty|appreciate(?: it)?)(?: (?:a lot|so much|very much))?,? (?:@[a-z0-9-]+ )?for|appreciate) (?:the |your |a |this )?(?:quick |fast |thorough |detailed |careful |speedy |prompt )?(?:review|reviews|reviewing|pr|pull request|approval|look|looking|merge|merging|feedback|comments|patience|contribution|fix|work|tackling|doing)\b`)
	refCreditRE       = regexp.MustCompile(`\b(?:lifesaver|life saver|life-saver|saved (?:me|my day|the day|us)|you rock|you're a star|legend)\b|\byour (?:suggestion|tip|fix|hint|advice|help|pointer|idea|patch|change|answer|explanation|comment|diff)s?\b|'s (?:tip|suggestion|fix|hint|advice|help|pointer|idea|patch|answer|explanation)\b|\btil\b|\b(?:as|like) you (?:said|suggested)\b`)

	// Words that make a statement tentative when they come before it:
	// "should work now", "once #12 lands we're unblocked".
	refHedgeRE = regexp.MustCompile(`\b(?:should|would|will|might|may|hopefully|if|once|let me know|could|maybe|probably|try|see if|whether|until|unless|not sure|don't think|do not think|doubt|wonder)\b`)
	// The writer as the subject right before a phrase.
	refSelfSubjectRE = regexp.MustCompile(`\b(?:i|we|i've|we've|i have|we have|i just|we just)\s*$`)
	// "that was it" closing a list, not crediting help.
	refItForRE = regexp.MustCompile(`^\s*(?:for (?:today|now|the day|this week|me)|from me)\b`)
	// A PR or issue reference: "#1188 is merged, unblocked" is about
	// another PR landing, not about anyone's help.
	refPrRefRE = regexp.MustCompile(`#\d+`)

	// Help that did not work, and sarcasm.
	refNegativeRE = regexp.MustCompile(strings.Join([]string{
		`\b(?:didn't|did not|doesn't|does not|don't|won't|isn't|is not|wasn't|was not|still not|not)\s+(?:really |quite |seem to |actually |help to )?(?:fix|help|work|solve|resolve|change anything|do it|do anything|make a difference)\b`,
		`\bstill\s+(?:fails|failing|fail|broken|hangs|hanging|panics|panicking|red|errors|erroring|crashes|crashing|the same|same|times out|timing out|flaky|doesn't|does not|not|no|getting|seeing|get|see)\b`,
		`\bsame (?:error|trace|failure|problem|issue|panic|result)\b`,
		`\bno (?:luck|dice|change|difference)\b`,
		`\b(?:broke|breaks) (?:everything|it|the build|ci|all|\w+ again)\b`,
		`\bnothing (?:compiles|works|builds|passes|changed)\b`,
		`\bmade (?:it|things) worse\b`,
		`\bnot (?:fixed|working|resolved)\b`,
		`🙃|🙄|😒|🤦|😑`,
	}, "|"))

	// The writer found it out alone.
	refSelfFixRE = regexp.MustCompile(`\b(?:nvm|never ?mind|found it|figured it out|figured out|my bad|my mistake|scratch that|solved it myself|fixed it myself|was my fault)\b|\bit was my\b|\bignore (?:that|me|my last)\b`)

	// Joining in rather than answering.
	refMeTooRE = regexp.MustCompile(`^(?:\+1|me too|same here|same|following|subscribing|bump|\^+)\b|\b(?:same (?:problem|issue|error) here|(?:we|i) (?:have|see|hit|get) the same (?:problem|issue|error|thing))\b`)

	// Questions and reports of errors or failures.
	refQuestionRE = regexp.MustCompile(strings.Join([]string{
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
		`\b(?:i get|i'm getting|i am getting|getting|i see|i'm seeing|seeing) (?:a |an |the )?(?:\d{3}|error|errors|exception|panic|failure|warning|crash|timeout|segfault|` + refCodeMark + `)`,
		`^(?:why|how come|what's wrong|is there a way|any way)\b`,
		`\b(?:hangs|hanging|times out|timed out|timing out)\b`,
		`\bflaky\b|\bflake\b`,
		`\brenders? (?:` + refCodeMark + `|undefined|null|nan|blank|nothing|empty)`,
		`\b(?:doesn't|does not|don't|won't|can't|cannot|isn't|is not|not)\s+(?:work|working|fire|firing|compile|build|pass|run|load|resolve|start|find|show|connect|reproduce)\b`,
		`\b(?:can't|cannot|unable to)\b`,
		`\b(?:is|are|gets|get) (?:ignored|skipped)\b`,
		`\b(?:debugging|no idea why|not sure (?:why|how|what))\b`,
		`\b(?:exception|traceback|segfault|segmentation fault|crashes|crashed)\b`,
	}, "|"))
	// Questions that only ask for a review or the PR's status.
	refPingRE = regexp.MustCompile(`\b(?:ptal|take a look|have a look|a quick look|another look|review (?:this|it|again|please)|re-?review|any update|any news|ping|when you (?:have|get) (?:time|a (?:chance|minute))|ok to merge|good to merge|can (?:we|i|you) merge|mind (?:taking|having))\b`)
)

// refStrongAckIn reports whether sentence s (of normalised text norm)
// credits help for something that now works.
func refStrongAckIn(s, norm string) bool {
	for _, loc := range refFixedItRE.FindAllStringSubmatchIndex(s, -1) {
		subj := strings.Trim(s[loc[2]:loc[3]], ",:—-")
		switch subj {
		case "i", "we", "i've", "we've", "i'd", "ive", "just", "finally", "have", "has", "had",
			"and", "then", "also", "eventually", "i'll", "will", "would", "should", "could":
			continue
		}
		if !refHedgeRE.MatchString(s[:loc[0]]) {
			return true
		}
	}
	for _, loc := range refStrongRE.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if refHedgeRE.MatchString(s[:loc[0]]) {
			continue
		}
		if strings.HasPrefix(m, "unblock") && refPrRefRE.MatchString(s) {
			continue // another PR landing unblocked it
		}
		if refSelfSubjectRE.MatchString(s[:loc[0]]) && (strings.HasPrefix(m, "unblock") || strings.HasPrefix(m, "unstuck")) {
			continue // "I unblocked CI by …": the writer's own doing
		}
		if strings.HasSuffix(m, " it") && refItForRE.MatchString(s[loc[1]:]) {
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
	if loc := refGoodCatchRE.FindStringIndex(s); loc != nil {
		after := s[loc[1]:]
		if !refGoodCatchButRE.MatchString(after) &&
			(refGoodCatchFixRE.MatchString(after) || refThanksRE.MatchString(s) || refGoodCatchFixRE.MatchString(norm)) {
			return true
		}
	}
	return false
}

// refStatusIn reports whether sentence s says that something works now.
func refStatusIn(s string) bool {
	for _, loc := range refStatusRE.FindAllStringIndex(s, -1) {
		before := s[:loc[0]]
		if refStatusNegRE.MatchString(before) || refHedgeRE.MatchString(before) {
			continue
		}
		return true
	}
	return false
}

// refGratitudeIn reports whether sentence s thanks someone or credits their
// help, leaving out thanks for the review or the PR.
func refGratitudeIn(s string) bool {
	if refCreditRE.MatchString(s) {
		return true
	}
	polite := refPoliteThanksRE.FindAllStringIndex(s, -1)
	for _, loc := range refThanksRE.FindAllStringIndex(s, -1) {
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

// refQuestionIn reports whether sentence s asks a question or reports an
// error or failure. Asking for a review or an update is not a question
// about the work.
func refQuestionIn(s string) bool {
	if refPingRE.MatchString(s) {
		return false
	}
	return strings.HasSuffix(s, "?") || refQuestionRE.MatchString(s)
}

// ---- end of the reference implementation ----

// classifyTricky are bodies that exercise the corners of Classify:
// quotes, code, emoji, CRLF, case, emphasis, URLs, HTML comments, invalid
// UTF-8 and bodies near the size cap.
func classifyTricky() []string {
	long := strings.Repeat("That fixed it, thanks @bob! Still failing? ", 1600) // > 64 KiB
	nearCap := strings.Repeat("a", 64<<10-20) + " that fixed it, thanks @zed"
	cutInRune := strings.Repeat("x", 64<<10-1) + "🙏 thanks"
	cutInURL := strings.Repeat("y ", (64<<10-10)/2) + "https://example.com/a/b/c thanks"
	return []string{
		"",
		" ",
		"\n\n\n",
		"/thanks @bob for catching the race",
		"THAT FIXED IT. thank you @gabe-l",
		"That Fixed It, THANKS @Bob-Smith",
		"yep that was it 🙏",
		"thanks @bob, that broke everything 🙃",
		"great, thanks, now nothing compiles 🙄",
		"that fixed it\r\nthanks @alice\r\n",
		"line one\r\n> quoted thanks, that fixed it\r\n\r\nok",
		"**That fixed it!** Thanks @bob",
		"__that was it__ _thanks_ ~~nope~~ *works* now",
		"_why_ does it fail?",
		"snake_case_name fixed it_ thanks_",
		"_ _ __ ___ *** ~~~~ ~ _._",
		"see https://github.com/org/repo/pull/12#issuecomment-1 that fixed it, thanks",
		"HTTP://EXAMPLE.COM/FIXED thanks!",
		"http:// https://x.y/z?q=thanks@bob works now",
		"xhttps://a.b thanks",
		"<!-- that fixed it, thanks --> rebased",
		"rebased <!--\nthat fixed it, thanks\n--> on main",
		"a <!-- b --> c <!-- d\ne --> f <!-- g",
		"<!-- unterminated\nthat fixed it, thanks",
		"```\nthat fixed it, thanks\n```\nlog above",
		"```go\nx := 1\n```\nthat did the trick, thanks @kim",
		"~~~text\nthat fixed it, thanks\n~~~",
		"````\n```\nthanks\n````\nstill failing",
		"`that fixed it, thanks` is our commit template",
		"renders `undefined` in the table",
		"``a ` b`` then `c` and ```unclosed",
		"log:\n\n    that fixed it, thanks\n",
		"\tindented thanks\nnot indented: works now, thanks",
		"> quote\n>> nested\nthat fixed it thanks",
		"ok\n\nOn Mon, Jan 5, 2026 at 10:00 Bob <bob@example.com> wrote:\nthat fixed it, thanks",
		"On  wrote:\nthanks, that fixed it",
		"bob@example.com @org/team @a--b @-x @x- @ok_ @@bob @valid-name thanks, that fixed it",
		"@" + strings.Repeat("a", 39) + " @" + strings.Repeat("b", 40) + " that did the trick",
		"x@y @z/ @w. é@bob 1@bob .@bob _@bob -@bob (@bob) \"@bob\" thanks @bob that fixed it",
		"@Alice @alice @ALICE that fixed it, thanks",
		"that fixed it. @hana-j sure, separate PR. thanks @sb",
		"did that fix it? thanks!",
		"is it working now?! really?? ok. thanks; works now!",
		"what?!... fine. that was it?",
		"tests still fail… no luck — same error",
		"it’s fixed — that’s exactly it… thanks “bob”",
		"works\u00a0now,\u00a0thanks",
		"works\t\t  now   thanks",
		"anyone know why CI is red? error: exit 1",
		"panic: runtime error\n\ngoroutine 1",
		"ptal, any update?",
		"+1",
		"+1, same here",
		"  same here  ",
		"^^^ this",
		"nvm, found it",
		"never mind it was my GOFLAGS",
		"good catch, fixed in 1a2b3c4",
		"nice catch, but we made it that way on purpose",
		"good catch! thanks",
		"I unblocked CI by pinning the runner, thanks",
		"#1188 is merged, unblocked — rebased on top of it.",
		"once #55 lands we're unblocked, thanks",
		"that was it for today, thanks all",
		"that worked before the rebase, thanks",
		"that worked until yesterday",
		"Fixed by your suggestion, thanks!",
		"fixed it with @kim's patch",
		"works now thanks to @kim",
		"problem solved thanks to @kim",
		"I fixed it myself, thanks anyway",
		"if that fixes it we can merge, thanks",
		"the build passes now. thank you!",
		"not working now, thanks",
		"it doesn't work now, thanks",
		"TIL, works now",
		"§ thanks",
		"\xff\xfe thanks \xc3 that fixed it \xe2\x80",
		"thanks\xe2\x80\x99s that\xe2\x80 fixed it",
		"\x00\x01 that fixed it",
		strings.Repeat("that fixed it, thanks @bob. ", 200),
		strings.Repeat("still failing? ", 500),
		long,
		nearCap,
		cutInRune,
		cutInURL,
	}
}

// classifyCorpusBodies returns the comment, review and review comment
// bodies of the labelled corpus.
func classifyCorpusBodies(t testing.TB) []string {
	t.Helper()
	convs, err := corpus.LoadDir(filepath.Join("testdata", "unblock"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range convs {
		for _, e := range c.Timeline {
			if e.Body != "" {
				out = append(out, e.Body)
			}
		}
	}
	return out
}

// classifyTestLiterals returns the string literals of the package's other
// Classify tests, which are written to probe its rules.
func classifyTestLiterals(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, name := range []string{"unblock_test.go", "thanks_test.go", "shoutout_test.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out
}

func checkClassifyAgrees(t *testing.T, body string) {
	t.Helper()
	got, want := recognizer.Classify(body), classifyReference(body)
	if !reflect.DeepEqual(got, want) {
		show := body
		if len(show) > 300 {
			show = show[:300] + "…"
		}
		t.Errorf("Classify(%q)\n got %+v\nwant %+v", show, got, want)
	}
}

func TestClassifyAgreesWithReference(t *testing.T) {
	bodies := classifyCorpusBodies(t)
	if len(bodies) < 100 {
		t.Fatalf("only %d corpus bodies", len(bodies))
	}
	bodies = append(bodies, classifyTricky()...)
	bodies = append(bodies, classifyTestLiterals(t)...)
	// Each body also upper-cased, with CRLF line ends, and quoted.
	n := len(bodies)
	for _, b := range bodies[:n] {
		bodies = append(bodies,
			strings.ToUpper(b),
			strings.ReplaceAll(b, "\n", "\r\n"),
			"> "+strings.ReplaceAll(b, "\n", "\n> "),
			"**"+b+"**",
			b+"?",
		)
	}
	for _, b := range bodies {
		checkClassifyAgrees(t, b)
	}
}

// TestClassifyConcurrent: Classify runs on concurrent webhooks and caches
// compiled patterns; it must give the same answers from many goroutines.
func TestClassifyConcurrent(t *testing.T) {
	bodies := append(classifyCorpusBodies(t), classifyTricky()[:60]...)
	want := make([]recognizer.TextFeatures, len(bodies))
	for i, b := range bodies {
		want[i] = classifyReference(b)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range bodies {
				i := (k + g*len(bodies)/4) % len(bodies)
				if got := recognizer.Classify(bodies[i]); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("Classify(%q) = %+v, want %+v", bodies[i], got, want[i])
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func FuzzClassifyAgrees(f *testing.F) {
	for _, b := range classifyTricky() {
		if len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkClassifyAgrees(t, body)
	})
}

var classifyBenchInputs = []struct{ name, body string }{
	{"oneliner", "/thanks @bob for catching the race"},
	{"paragraph", "Thanks @sbernard! Swapping the order of the middleware did the trick, " +
		"the e2e suite is green now. I was stuck on this for two days — the `ctx` was " +
		"cancelled before the handler ran. @hana-j sure, I'll do the rename in a separate PR."},
	{"long", strings.Repeat("I tried the patch from https://github.com/org/repo/pull/12 but the tests "+
		"still fail with `context deadline exceeded`. Any idea why? The logs are below.\n\n"+
		"```\n--- FAIL: TestServer (30.00s)\n    server_test.go:42: timeout\n```\n\n"+
		"> did you set GOFLAGS?\n\nYes, **GOFLAGS** is empty. Thanks @kim for looking, "+
		"your suggestion about the race helped a lot; CI is green now.\n", 8)},
}

func BenchmarkClassify(b *testing.B) {
	for _, in := range classifyBenchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				recognizer.Classify(in.body)
			}
		})
	}
}

func BenchmarkClassifyReference(b *testing.B) {
	for _, in := range classifyBenchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				classifyReference(in.body)
			}
		})
	}
}
