package recognizer

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// SummaryInput is everything one team's weekly summary is built from; the
// caller has already filtered by team membership and repository.
type SummaryInput struct {
	Team string
	Week Week
	// Recognitions may include records outside the week: only those with
	// Week.Start() <= At < Week.End() count.
	Recognitions []Record
	// Activity likewise, plus older activity, which tells first
	// contributions apart and names the reviewers of PRs merged this week.
	Activity []Activity
	// Previous is the previous week's stats, nil when unknown.
	Previous *WeekStats
	// Hidden holds lower-case logins never to name (opted out, never-name
	// lists): everything by or about them is left out.
	Hidden map[string]bool
	// TargetPrivate: the summary is posted to a private repository. When
	// false, items from private repositories are left out.
	TargetPrivate bool
	// MaxGraphEdges bounds the "who thanked whom" graph; 0 means 20.
	MaxGraphEdges int
}

// WeekStats counts the distinct people who gave and who received thanks.
type WeekStats struct {
	Givers, Receivers int
}

// Summary is one team's weekly summary issue. Empty: nothing happened that
// it could say, Body is "" and nothing should be posted.
type Summary struct {
	Title string
	Body  string
	Stats WeekStats
	Empty bool
}

// DefaultMaxGraphEdges is how many connections the graph shows at most
// unless SummaryInput.MaxGraphEdges says otherwise.
const DefaultMaxGraphEdges = 20

// BuildSummary renders a team's weekly summary as GitHub Markdown. It is
// deterministic, names nobody in Hidden, leaves private items out of a
// summary posted where more people can see it, and never ranks people:
// no counts per person, no points, recipients in alphabetical order.
func BuildSummary(in SummaryInput) Summary {
	s := newSumWeek(in)
	out := Summary{Title: s.title(), Stats: s.stats()}
	var b strings.Builder
	sections := []func(*strings.Builder) bool{s.thanksSection, s.mergedSection, s.helpedSection, s.firstsSection}
	for i, sec := range sections {
		var part strings.Builder
		if sec(&part) {
			sumSep(&b)
			text := part.String()
			if i > 0 {
				text = sumCap(text, sumSectionBudget)
			}
			b.WriteString(text)
		}
	}
	if b.Len() == 0 {
		out.Empty = true
		return out
	}
	var graph strings.Builder
	if s.graphSection(&graph) && b.Len()+graph.Len() < sumMaxBody {
		sumSep(&b)
		b.WriteString(graph.String())
	}
	sumSep(&b)
	b.WriteString(s.trendLine(out.Stats))
	b.WriteString("\n")
	out.Body = b.String()
	return out
}

// Bounds that keep a summary readable and under GitHub's 65,536-character
// limit for an issue body.
const (
	sumThanksPerPerson = 5
	sumThanksBudget    = 24_000
	sumSectionBudget   = 8_000
	sumMaxBody         = 60_000
)

// sumCap cuts a section at a line boundary once it passes budget.
func sumCap(section string, budget int) string {
	if len(section) <= budget {
		return section
	}
	cut := strings.LastIndex(section[:budget], "\n- ")
	if cut < 0 {
		cut = strings.LastIndex(section[:budget], "\n")
	}
	return section[:cut+1] + "- …and more: `kudos export` lists everything.\n"
}

func sumSep(b *strings.Builder) {
	if b.Len() > 0 {
		b.WriteString("\n")
	}
}

// sumWeek is the input after filtering, with what the sections share.
type sumWeek struct {
	in    SummaryInput
	start time.Time
	end   time.Time
	// hidden holds lower-case logins; hiddenList them longest first.
	hidden     map[string]bool
	hiddenList []string
	// recs and acts passed privacy and hiding; the week's in week*.
	recs, weekRecs []Record
	acts, weekActs []Activity
	// thanked: lower-case logins thanked this week.
	thanked map[string]bool
}

func newSumWeek(in SummaryInput) *sumWeek {
	s := &sumWeek{in: in, start: in.Week.Start(), end: in.Week.End(), hidden: map[string]bool{}, thanked: map[string]bool{}}
	for l, h := range in.Hidden {
		if h && strings.TrimSpace(l) != "" {
			s.hidden[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "@")))] = true
		}
	}
	for l := range s.hidden {
		s.hiddenList = append(s.hiddenList, l)
	}
	slices.SortFunc(s.hiddenList, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	for _, r := range in.Recognitions {
		if (r.Private && !in.TargetPrivate) || s.isHidden(r.Giver) || s.isHidden(r.Recipient) {
			continue
		}
		s.recs = append(s.recs, r)
		if s.inWeek(r.At) {
			s.weekRecs = append(s.weekRecs, r)
			if r.Kind == KindThanks && r.Recipient != "" {
				s.thanked[strings.ToLower(r.Recipient)] = true
			}
		}
	}
	for _, a := range in.Activity {
		if (a.Private && !in.TargetPrivate) || s.isHidden(a.Login) || s.isHidden(a.Author) {
			continue
		}
		s.acts = append(s.acts, a)
		if s.inWeek(a.At) {
			s.weekActs = append(s.weekActs, a)
		}
	}
	// Everything below reads these in one order, whatever the input's.
	slices.SortStableFunc(s.recs, sumCmpRecord)
	slices.SortStableFunc(s.weekRecs, sumCmpRecord)
	slices.SortStableFunc(s.acts, sumCmpActivity)
	slices.SortStableFunc(s.weekActs, sumCmpActivity)
	return s
}

func sumCmpRecord(a, b Record) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return strings.Compare(a.ID+"\x00"+a.Recipient+"\x00"+a.ArtifactURL, b.ID+"\x00"+b.Recipient+"\x00"+b.ArtifactURL)
}

func sumCmpActivity(a, b Activity) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	ka := string(a.Kind) + "\x00" + a.Repo + "\x00" + a.Login + "\x00" + a.URL
	kb := string(b.Kind) + "\x00" + b.Repo + "\x00" + b.Login + "\x00" + b.URL
	return strings.Compare(ka, kb)
}

func (s *sumWeek) inWeek(t time.Time) bool { return !t.Before(s.start) && t.Before(s.end) }

func (s *sumWeek) isHidden(login string) bool {
	return login != "" && s.hidden[strings.ToLower(login)]
}

func (s *sumWeek) title() string {
	loc := wkLoc(s.in.Week.Loc)
	first := s.start.In(loc)
	last := s.end.In(loc).AddDate(0, 0, -1)
	team := s.scrub(strings.TrimSpace(s.in.Team))
	team = strings.ReplaceAll(team, "@", "@\u200b")
	return fmt.Sprintf("Kudos for %s — week %s (%s – %s)", team, s.in.Week, first.Format("Jan 2"), last.Format("Jan 2"))
}

func (s *sumWeek) stats() WeekStats {
	givers, receivers := map[string]bool{}, map[string]bool{}
	for _, r := range s.weekRecs {
		if r.Kind != KindThanks {
			continue
		}
		if r.Giver != "" {
			givers[strings.ToLower(r.Giver)] = true
		}
		if r.Recipient != "" {
			receivers[strings.ToLower(r.Recipient)] = true
		}
	}
	return WeekStats{Givers: len(givers), Receivers: len(receivers)}
}

// thanksSection lists the week's thanks by recipient, alphabetically:
// never ranked, no counts.
func (s *sumWeek) thanksSection(b *strings.Builder) bool {
	byRecipient := map[string][]Record{}
	names := map[string]string{}
	for _, r := range s.weekRecs {
		if r.Kind != KindThanks || r.Recipient == "" {
			continue
		}
		key := strings.ToLower(r.Recipient)
		if _, ok := names[key]; !ok {
			names[key] = r.Recipient
		}
		byRecipient[key] = append(byRecipient[key], r)
	}
	if len(byRecipient) == 0 {
		return false
	}
	b.WriteString("### Thanks this week\n\n")
	for _, key := range sumSortedKeys(byRecipient) {
		if b.Len() > sumThanksBudget {
			// A very busy week: the issue stays readable and within
			// GitHub's size limit; the export has every thanks.
			b.WriteString("- …and more people were thanked this week: `kudos export` lists every thanks.\n")
			break
		}
		fmt.Fprintf(b, "- **%s**\n", sumLogin(names[key]))
		for i, r := range byRecipient[key] {
			if i == sumThanksPerPerson {
				b.WriteString("  - …and more thanks from others\n")
				break
			}
			b.WriteString("  - ")
			if r.Giver != "" {
				fmt.Fprintf(b, "from %s", sumLogin(r.Giver))
			} else {
				b.WriteString("from Kudos")
			}
			reason := s.text(r.Reason)
			if reason != "" {
				fmt.Fprintf(b, ": %s", reason)
			}
			if link := sumLink(sumArtifactLabel(r.ArtifactURL, r.Repo, r.Number), r.ArtifactURL); link != "" {
				fmt.Fprintf(b, " — %s", link)
			}
			if tags := sumTags(r.Values, r.Reason); tags != "" {
				b.WriteString(" " + tags)
			}
			b.WriteString("\n")
		}
	}
	return true
}

// sumPR is a pull request merged this week, with the people who helped.
type sumPR struct {
	merge     Activity
	reviewers map[string]sumPerson
	unblocked map[string]sumPerson
}

// sumPerson is someone and the link to what they did.
type sumPerson struct {
	login, url string
	kind       ContributionKind
	at         time.Time
	// ref names the PR or issue: "owner/repo#42".
	ref string
}

// sumRef names a PR or issue, from its repository and number or its URL.
func sumRef(repo string, number int, url string) string {
	if repo != "" && number > 0 {
		return sumText(fmt.Sprintf("%s#%d", repo, number))
	}
	if r, n, ok := sumRefOf(url); ok {
		return sumText(fmt.Sprintf("%s#%d", r, n))
	}
	return "their work"
}

func sumPRKey(repo string, number int) string {
	return fmt.Sprintf("%s#%d", strings.ToLower(repo), number)
}

// mergedSection lists the week's merged PRs, each with who reviewed and
// who unblocked it.
func (s *sumWeek) mergedSection(b *strings.Builder) bool {
	prs := map[string]*sumPR{}
	for _, a := range s.weekActs {
		key := sumPRKey(a.Repo, a.Number)
		if a.Kind != KindMerged || prs[key] != nil {
			continue
		}
		prs[key] = &sumPR{merge: a, reviewers: map[string]sumPerson{}, unblocked: map[string]sumPerson{}}
	}
	if len(prs) == 0 {
		return false
	}
	// Reviews from before the week count: they are part of what was merged.
	for _, a := range s.acts {
		pr := prs[sumPRKey(a.Repo, a.Number)]
		if pr == nil || (a.Kind != KindReview && a.Kind != KindReviewComment) || !s.reviewsOthers(a, pr.merge.Author) {
			continue
		}
		key := strings.ToLower(a.Login)
		cur, ok := pr.reviewers[key]
		// Link their latest review, else their latest review comment.
		if !ok || (a.Kind == KindReview && cur.kind != KindReview) || (a.Kind == cur.kind && !a.At.Before(cur.at)) {
			pr.reviewers[key] = sumPerson{login: a.Login, url: a.URL, kind: a.Kind, at: a.At}
		}
	}
	for _, r := range s.weekRecs {
		pr := prs[sumPRKey(r.Repo, r.Number)]
		if pr == nil || r.Recipient == "" || sumIsBot(r.Recipient) {
			continue
		}
		key := strings.ToLower(r.Recipient)
		switch r.Kind {
		case KindUnblocked:
			if _, ok := pr.unblocked[key]; !ok {
				pr.unblocked[key] = sumPerson{login: r.Recipient, url: r.ArtifactURL}
			}
		case KindShoutout:
			// A shout-out names a reviewer the activity may not show.
			if _, ok := pr.reviewers[key]; !ok && !strings.EqualFold(r.Recipient, pr.merge.Author) {
				pr.reviewers[key] = sumPerson{login: r.Recipient, url: r.ArtifactURL}
			}
		}
	}
	b.WriteString("### Merged this week\n\n")
	for _, key := range sumSortedKeys(prs) {
		pr := prs[key]
		m := pr.merge
		ref := fmt.Sprintf("%s#%d", m.Repo, m.Number)
		if link := sumLink(ref, m.URL); link != "" {
			ref = link
		}
		b.WriteString("- " + ref)
		if t := s.text(m.Title); t != "" {
			b.WriteString(" “" + t + "”")
		}
		if m.Author != "" {
			b.WriteString(" by " + sumLogin(m.Author))
		}
		var parts []string
		if len(pr.reviewers) > 0 {
			parts = append(parts, "reviewed by "+sumPeople(pr.reviewers))
		}
		if len(pr.unblocked) > 0 {
			parts = append(parts, "unblocked by "+sumPeople(pr.unblocked))
		}
		if len(parts) > 0 {
			b.WriteString(" — " + strings.Join(parts, "; "))
		}
		b.WriteString("\n")
	}
	return true
}

// reviewsOthers: a is a person's review of someone else's work.
func (s *sumWeek) reviewsOthers(a Activity, author string) bool {
	if author == "" {
		author = a.Author
	}
	return a.Login != "" && !sumIsBot(a.Login) && !strings.EqualFold(a.Login, author)
}

// helpedSection invites thanks for the week's reviewers and unblockers
// whom nobody thanked: alphabetical, one link each, no counts.
func (s *sumWeek) helpedSection(b *strings.Builder) bool {
	helped := map[string]sumPerson{}
	for _, r := range s.weekRecs {
		if r.Kind != KindUnblocked || r.Recipient == "" || sumIsBot(r.Recipient) || s.thanked[strings.ToLower(r.Recipient)] {
			continue
		}
		// Unblocking is what they're shown for when they did it.
		key := strings.ToLower(r.Recipient)
		if _, ok := helped[key]; !ok {
			helped[key] = sumPerson{login: r.Recipient, url: r.ArtifactURL, kind: KindUnblocked, ref: sumRef(r.Repo, r.Number, r.ArtifactURL)}
		}
	}
	for _, a := range s.weekActs {
		if (a.Kind != KindReview && a.Kind != KindReviewComment) || !s.reviewsOthers(a, "") || s.thanked[strings.ToLower(a.Login)] {
			continue
		}
		key := strings.ToLower(a.Login)
		cur, ok := helped[key]
		// Their first review of the week, else their first review comment.
		if !ok || (cur.kind == KindReviewComment && a.Kind == KindReview) {
			helped[key] = sumPerson{login: a.Login, url: a.URL, kind: a.Kind, at: a.At, ref: sumRef(a.Repo, a.Number, a.URL)}
		}
	}
	if len(helped) == 0 {
		return false
	}
	b.WriteString("### Helped without a thank-you yet\n\n")
	b.WriteString("They reviewed or unblocked someone's work this week and nobody has thanked them for it yet. If they helped you, a `/thanks` would land well.\n\n")
	for _, key := range sumSortedKeys(helped) {
		p := helped[key]
		did := "reviewed"
		if p.kind == KindUnblocked {
			did = "unblocked"
		}
		fmt.Fprintf(b, "- %s — %s %s\n", sumLogin(p.login), did, sumLinkOr(p.ref, p.url))
	}
	return true
}

// firstKey names what a "first" is of: a person's merged PRs, or their
// reviews of others' work, in one repository. false: a is neither.
func firstKey(a Activity) (string, bool) {
	switch a.Kind {
	case KindMerged:
		if a.Author == "" {
			return "", false
		}
		return "m\x00" + strings.ToLower(a.Author) + "\x00" + strings.ToLower(a.Repo), true
	case KindReview:
		if a.Login == "" || strings.EqualFold(a.Login, a.Author) {
			return "", false
		}
		return "r\x00" + strings.ToLower(a.Login) + "\x00" + strings.ToLower(a.Repo), true
	}
	return "", false
}

// firstsSection celebrates first merged PRs and first reviews in a repo.
func (s *sumWeek) firstsSection(b *strings.Builder) bool {
	// The earliest of each kind by each person in each repo, over all the
	// activity given: what was left out can only withhold a "first",
	// never make one up.
	earliest := map[string]Activity{}
	all := slices.Clone(s.in.Activity)
	slices.SortStableFunc(all, sumCmpActivity)
	for _, a := range all {
		if k, ok := firstKey(a); ok {
			if _, seen := earliest[k]; !seen {
				earliest[k] = a
			}
		}
	}
	type first struct{ login, line string }
	var firsts []first
	done := map[string]bool{}
	for _, a := range s.weekActs {
		k, ok := firstKey(a)
		if !ok || done[k] || earliest[k] != a {
			continue
		}
		done[k] = true
		ref := fmt.Sprintf("%s#%d", a.Repo, a.Number)
		switch a.Kind {
		case KindMerged:
			if sumIsBot(a.Author) {
				continue
			}
			line := fmt.Sprintf("%s — first merged pull request in %s: %s", sumLogin(a.Author), sumText(a.Repo), sumLinkOr(ref, a.URL))
			firsts = append(firsts, first{a.Author, line})
		case KindReview:
			if sumIsBot(a.Login) {
				continue
			}
			line := fmt.Sprintf("%s — first review in %s: %s", sumLogin(a.Login), sumText(a.Repo), sumLinkOr("review on "+ref, a.URL))
			firsts = append(firsts, first{a.Login, line})
		}
	}
	if len(firsts) == 0 {
		return false
	}
	slices.SortFunc(firsts, func(x, y first) int {
		if c := strings.Compare(strings.ToLower(x.login), strings.ToLower(y.login)); c != 0 {
			return c
		}
		return strings.Compare(x.line, y.line)
	})
	b.WriteString("### First contributions\n\n")
	for _, f := range firsts {
		b.WriteString("- " + f.line + "\n")
	}
	return true
}

// sumEdge is who thanked whom, and how often (for choosing, never shown).
type sumEdge struct {
	from, to string // as first written
	n        int
}

// graphSection draws who thanked whom; with more connections than fit, it
// keeps the strongest and says how many it left out.
func (s *sumWeek) graphSection(b *strings.Builder) bool {
	edges := map[string]*sumEdge{}
	for _, r := range s.weekRecs {
		if r.Kind != KindThanks || r.Giver == "" || r.Recipient == "" {
			continue
		}
		key := strings.ToLower(r.Giver) + "\x00" + strings.ToLower(r.Recipient)
		if e := edges[key]; e != nil {
			e.n++
		} else {
			edges[key] = &sumEdge{from: r.Giver, to: r.Recipient, n: 1}
		}
	}
	if len(edges) == 0 {
		return false
	}
	list := make([]*sumEdge, 0, len(edges))
	for _, k := range sumSortedKeys(edges) {
		list = append(list, edges[k])
	}
	byName := func(x, y *sumEdge) int {
		if c := strings.Compare(strings.ToLower(x.from), strings.ToLower(y.from)); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(x.to), strings.ToLower(y.to))
	}
	limit := s.in.MaxGraphEdges
	if limit <= 0 {
		limit = DefaultMaxGraphEdges
	}
	left := 0
	if len(list) > limit {
		slices.SortStableFunc(list, func(x, y *sumEdge) int {
			if x.n != y.n {
				return y.n - x.n
			}
			return byName(x, y)
		})
		left = len(list) - limit
		list = list[:limit]
		slices.SortStableFunc(list, byName)
	}
	// Node ids: sanitised logins, unique, declared once with the login as
	// label.
	ids := map[string]string{}
	used := map[string]bool{}
	var nodes []string
	node := func(login string) string {
		key := strings.ToLower(login)
		if id, ok := ids[key]; ok {
			return id
		}
		base := "u_" + sumNodeID(key)
		id := base
		for i := 2; used[id]; i++ {
			id = fmt.Sprintf("%s_%d", base, i)
		}
		used[id], ids[key] = true, id
		nodes = append(nodes, fmt.Sprintf("  %s[\"%s\"]", id, sumMermaidLabel(login)))
		return id
	}
	var lines []string
	for _, e := range list {
		from, to := node(e.from), node(e.to)
		lines = append(lines, fmt.Sprintf("  %s --> %s", from, to))
	}
	b.WriteString("### Who thanked whom\n\n")
	b.WriteString("```mermaid\ngraph LR\n")
	for _, n := range nodes {
		b.WriteString(n + "\n")
	}
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString("```\n")
	switch left {
	case 0:
	case 1:
		b.WriteString("\n_1 more connection is left out to keep the graph readable._\n")
	default:
		fmt.Fprintf(b, "\n_%d more connections are left out to keep the graph readable._\n", left)
	}
	return true
}

func (s *sumWeek) trendLine(st WeekStats) string {
	people := func(n int) string {
		if n == 1 {
			return "1 person"
		}
		return fmt.Sprintf("%d people", n)
	}
	line := fmt.Sprintf("%s gave thanks and %d received thanks this week", people(st.Givers), st.Receivers)
	if p := s.in.Previous; p != nil {
		line += fmt.Sprintf(" (last week: %d and %d)", p.Givers, p.Receivers)
	}
	return line + "."
}

// text makes free text (a reason, a title) safe to post: on one line,
// nothing that pings or injects HTML, no hidden person's name.
func (s *sumWeek) text(t string) string {
	return sumText(s.scrub(t))
}

// scrub replaces hidden logins written in free text with "someone".
func (s *sumWeek) scrub(t string) string {
	if len(s.hiddenList) == 0 || t == "" {
		return t
	}
	lower := sumASCIILower(t) // same length as t, unlike strings.ToLower
	var b strings.Builder
	for i := 0; i < len(t); {
		matched := 0
		if i == 0 || !sumIsLoginByte(lower[i-1]) {
			for _, h := range s.hiddenList {
				if strings.HasPrefix(lower[i:], h) && (i+len(h) == len(t) || !sumLoginTail(lower[i+len(h):])) {
					matched = len(h)
					break
				}
			}
		}
		if matched > 0 {
			// "@zed" loses its "@" with the name.
			if str := b.String(); strings.HasSuffix(str, "@") {
				b.Reset()
				b.WriteString(str[:len(str)-1])
			}
			b.WriteString("someone")
			i += matched
			continue
		}
		b.WriteByte(t[i])
		i++
	}
	return b.String()
}

// sumLoginTail: rest continues a login (so what precedes it is not one).
func sumLoginTail(rest string) bool {
	return sumIsLoginByte(rest[0]) || strings.HasPrefix(rest, "[bot]")
}

func sumIsLoginByte(c byte) bool {
	return c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func sumASCIILower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// sumText puts free text on one line and neutralises mentions and HTML.
func sumText(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "@", "@\u200b")
	return r.Replace(t)
}

// sumLogin writes a login as plain text: never a mention.
func sumLogin(login string) string { return sumText(login) }

func sumIsBot(login string) bool { return strings.HasSuffix(strings.ToLower(login), "[bot]") }

// sumPeople lists people alphabetically, each linked to what they did.
func sumPeople(ps map[string]sumPerson) string {
	var out []string
	for _, k := range sumSortedKeys(ps) {
		p := ps[k]
		out = append(out, sumLinkOr(sumLogin(p.login), p.url))
	}
	return strings.Join(out, ", ")
}

// sumLink is a Markdown link, or "" when url is not a web link.
func sumLink(label, url string) string {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return ""
	}
	esc := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "")
	label = strings.NewReplacer("[", "\\[", "]", "\\]").Replace(label)
	return "[" + label + "](" + esc.Replace(url) + ")"
}

func sumLinkOr(label, url string) string {
	if l := sumLink(label, url); l != "" {
		return l
	}
	return label
}

// sumArtifactLabel names what a GitHub link points at.
func sumArtifactLabel(url, repo string, number int) string {
	ref := sumRef(repo, number, url)
	if ref == "their work" {
		ref = ""
	}
	what := ""
	switch {
	case strings.Contains(url, "#discussion_r"):
		what = "review comment"
	case strings.Contains(url, "#pullrequestreview-"):
		what = "review"
	case strings.Contains(url, "#issuecomment-"):
		what = "comment"
	}
	switch {
	case what != "" && ref != "":
		return what + " on " + ref
	case what != "":
		return what
	case ref != "":
		return ref
	}
	return "link"
}

// sumRefOf reads "owner/repo" and the number from a PR or issue URL.
func sumRefOf(url string) (string, int, bool) {
	i := strings.Index(url, "://")
	if i < 0 {
		return "", 0, false
	}
	rest := url[i+3:]
	if j := strings.IndexAny(rest, "#?"); j >= 0 {
		rest = rest[:j]
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 5 || (parts[3] != "pull" && parts[3] != "issues") {
		return "", 0, false
	}
	n, ok := wkDigits(parts[4])
	if !ok || parts[4] == "" || n == 0 {
		return "", 0, false
	}
	return parts[1] + "/" + parts[2], n, true
}

// sumTags renders values as #tags, except those the reason already shows.
func sumTags(values []string, reason string) string {
	words := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(reason)) {
		words[strings.TrimRight(w, ".,;:!?)")] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		tag := sumTag(v)
		if tag == "" || seen[tag] || words["#"+tag] {
			continue
		}
		seen[tag] = true
		out = append(out, "#"+tag)
	}
	return strings.Join(out, " ")
}

func sumTag(v string) string {
	v = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(v), "#"))
	var b strings.Builder
	for _, r := range v {
		if r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sumNodeID(login string) string {
	var b strings.Builder
	for _, r := range login {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func sumMermaidLabel(login string) string {
	return strings.NewReplacer("\"", "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ").Replace(login)
}

// sumSortedKeys lists a map's keys in order.
func sumSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
