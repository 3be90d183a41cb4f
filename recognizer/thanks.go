package recognizer

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Config is what the recognizer needs to know about the app and the repo.
// DefaultConfig holds the defaults in one place; a repository's
// .github/kudos.yml overrides them (package config).
type Config struct {
	// KnownBots are logins of well-known bots and AI reviewers that may be
	// mentioned without the "[bot]" suffix (lower-case).
	KnownBots []string
	// Thanks: answer /thanks commands.
	Thanks bool
	// ShoutOuts: thank a merged PR's reviewers.
	ShoutOuts bool
	// ShoutOutReviewComments: count review comments (and code
	// suggestions) in shout-outs, and thank people who only left those.
	ShoutOutReviewComments bool
	// Unblocking: detect the people who unblocked a PR.
	Unblocking bool
	// Summaries: post the weekly team summaries.
	Summaries bool
	// Aliases are extra command verbs besides thanks, kudos and shoutout
	// (lower-case, without the slash).
	Aliases []string
	// Values are the team's values: the #tags reasons may carry. Empty:
	// any tag is kept.
	Values []Value
	// NeverName lists logins (lower-case) the app never names.
	NeverName []string
	// NeverNameTeams lists org teams ("org/slug") whose members the app
	// never names; the worker resolves them to logins.
	NeverNameTeams []string
	// ThanksPerHour is how many thanks one person may give an hour.
	ThanksPerHour int
	// Retention bounds how long recognition data is kept.
	Retention time.Duration
	// LongWait is how long a PR must wait for review before the approval
	// that ends the wait counts as unblocking it.
	LongWait time.Duration
	// Summary schedules the weekly summaries.
	Summary SummaryConfig
}

// Value is one of the team's values, as a #tag.
type Value struct {
	Tag         string
	Description string
}

// SummaryConfig says when and for whom weekly summaries are posted.
type SummaryConfig struct {
	Weekday  time.Weekday
	Hour     int
	Timezone string // IANA name
	// Teams: empty means one summary per repository, posted in it.
	Teams []Team
}

// Team is a group of people or repositories that gets one summary.
type Team struct {
	Name string
	// Repos ("owner/name") whose activity the summary covers.
	Repos []string
	// GitHubTeam ("org/slug"): only its members' activity counts.
	GitHubTeam string
	// Target ("owner/name") is where the summary issue is opened.
	Target string
}

// DefaultConfig returns the settings used until per-repo configuration
// says otherwise.
func DefaultConfig() Config {
	return Config{
		KnownBots: []string{
			"copilot", "copilot-pull-request-reviewer", "dependabot", "renovate",
			"github-actions", "codecov", "sonarcloud", "coderabbitai", "kudos",
		},
		Thanks:                 true,
		ShoutOuts:              true,
		ShoutOutReviewComments: true,
		Unblocking:             true,
		Summaries:              true,
		ThanksPerHour:          20,
		Retention:              13 * 7 * 24 * time.Hour,
		LongWait:               48 * time.Hour,
		Summary:                SummaryConfig{Weekday: time.Monday, Hour: 9, Timezone: "UTC"},
	}
}

// values keeps the tags that are among the team's values; with no values
// configured, every tag is kept.
func (c Config) values(tags []string) []string {
	if len(c.Values) == 0 {
		return tags
	}
	var out []string
	for _, t := range tags {
		for _, v := range c.Values {
			if strings.EqualFold(t, v.Tag) {
				out = append(out, strings.ToLower(v.Tag))
				break
			}
		}
	}
	return out
}

func (c Config) isBot(login string) bool {
	l := strings.ToLower(login)
	if strings.HasSuffix(l, "[bot]") {
		return true
	}
	for _, b := range c.KnownBots {
		if l == b {
			return true
		}
	}
	return false
}

// Recognize decides what the app makes of one event given the PR's history.
// It never fails: every outcome, including refusals, is a Result.
func Recognize(ev Event, hist History, cfg Config, now time.Time) Result {
	switch ev.Kind {
	case PullRequest:
		return recognizePR(ev, cfg, now)
	case Push:
		return recognizePush(ev)
	case Installation, InstallationRepositories:
		return recognizeUninstall(ev)
	}
	res := Result{Decision: DecisionIgnore}
	c := ev.Comment
	if c == nil {
		res.Why = fmt.Sprintf("%s event carries no comment", ev.Kind)
		return res
	}
	fromApp := HasMarker(c.Body)
	authorBot := c.Author.Bot || cfg.isBot(c.Author.Login) ||
		(ev.Sender.Bot && strings.EqualFold(ev.Sender.Login, c.Author.Login))
	if rec, ok := contributionOf(ev, authorBot); ok && !fromApp {
		if ev.Action == "deleted" {
			res.Removals = append(res.Removals, rec.Key())
		} else {
			// Only a kept record's text is read: classified here, not for
			// Kudos's own replies or a deletion.
			rec.Text = Classify(c.Body)
			res.Records = append(res.Records, rec)
		}
	}
	switch {
	case fromApp:
		res.Why = "written by Kudos itself"
		return res
	case authorBot || ev.Sender.Bot || cfg.isBot(ev.Sender.Login):
		res.Why = fmt.Sprintf("written by bot %q", ev.Sender.Login)
		return res
	case ev.Action == "deleted":
		// Any reply Kudos posted to it goes too.
		res.Decision, res.Why = DecisionRecognize, "comment was deleted: retract replies to it"
		res.Suggestion = &Suggestion{Kind: KindRetract, InstallationID: ev.InstallationID, RepoID: ev.Repo.ID,
			Owner: ev.Repo.Owner, Repo: ev.Repo.Name, Number: ev.Number, IsPR: ev.IsPR, Source: sourceOf(ev)}
		return res
	case ev.Action == "dismissed":
		res.Why = "review was dismissed"
		return res
	case !strings.EqualFold(ev.Sender.Login, c.Author.Login):
		// Someone edited another person's comment: commands in it would
		// speak in the author's name, so they are not acted on.
		res.Why = fmt.Sprintf("%s edited a comment by %s", ev.Sender.Login, c.Author.Login)
		return res
	}

	cmds := ParseCommandsWith(c.Body, cfg.Aliases)
	if len(cmds) == 0 {
		res.Why = "no command"
		return res
	}
	at := c.At
	if at.IsZero() {
		at = now
	}
	s := suggestionOn(ev)
	s.Giver, s.Source, s.At = c.Author.Login, sourceOf(ev), at.UTC()
	t := thanker{ev: ev, hist: hist, cfg: cfg, s: s, seen: map[string]bool{}}
	for _, cmd := range cmds {
		t.command(cmd)
	}
	res.Preference = t.pref
	switch {
	case len(s.Recognitions) > 0:
		res.Decision, res.Suggestion = DecisionRecognize, s
		res.Why = fmt.Sprintf("%s thanks %s", s.Giver, recipients(s.Recognitions))
	case len(s.Notices) > 0:
		res.Decision, res.Suggestion = DecisionReply, s
		res.Why = "command refused: " + s.Notices[0].Text
	default:
		res.Why = "no command Kudos acts on yet"
	}
	return res
}

// thanker turns the commands of one comment into one suggestion.
type thanker struct {
	ev   Event
	hist History
	cfg  Config
	s    *Suggestion
	seen map[string]bool
	pref *Preference
}

func (t *thanker) command(cmd Command) {
	giver := t.s.Giver
	switch cmd.Sub {
	case "help":
		t.s.Notices = append(t.s.Notices, Notice{ID: t.noticeID("help"), Kind: NoticeHelp})
		return
	case "opt-out":
		t.pref = &Preference{Login: giver, OptOut: true}
		t.notice("opt-out", "Done: Kudos won't name you from now on. Thanks to you are still delivered, without your name, and you're left out of summaries and exports. `/kudos opt-in` undoes this.")
		return
	case "opt-in":
		t.pref = &Preference{Login: giver}
		t.notice("opt-in", "Welcome back: Kudos will name you again when people thank you.")
		return
	}
	if !t.cfg.Thanks {
		return
	}
	if cmd.Problem != "" {
		t.notice("problem:"+cmd.Problem, cmd.Problem)
		return
	}
	for _, login := range cmd.Recipients {
		key := strings.ToLower(login)
		if t.seen[key] {
			continue
		}
		t.seen[key] = true
		switch {
		case strings.EqualFold(login, giver):
			t.notice("self", "Thanking yourself doesn't count — but it's good to see you're proud of this one.")
		case t.cfg.isBot(login) || t.hist.isBot(login):
			t.notice("bot:"+key, fmt.Sprintf("`%s` is a bot, and thanks here are for people. Is there someone who set it up or tuned it?", login))
		default:
			t.recognize(login, cmd)
		}
	}
}

// notice adds a message for the giver; kind identifies it within the
// comment, so the same refusal is never posted twice.
func (t *thanker) notice(kind, text string) {
	id := t.noticeID(kind)
	for _, n := range t.s.Notices {
		if n.ID == id {
			return
		}
	}
	t.s.Notices = append(t.s.Notices, Notice{ID: id, Text: text})
}

func (t *thanker) noticeID(kind string) string {
	src := t.s.Source
	return stableID("notice", itoa(t.s.RepoID), string(src.Kind), itoa(src.ID), kind)
}

func (t *thanker) recognize(login string, cmd Command) {
	src := t.s.Source
	art, kind, label := t.artifact(login)
	t.s.Recognitions = append(t.s.Recognitions, Recognition{
		ID:            stableID("thanks", itoa(t.s.RepoID), string(src.Kind), itoa(src.ID), strings.ToLower(login)),
		Kind:          "thanks",
		Recipient:     login,
		ArtifactURL:   art,
		ArtifactKind:  kind,
		ArtifactLabel: label,
		Reason:        cmd.Reason,
		Values:        t.cfg.values(cmd.Values),
	})
}

// artifact finds the most specific thing login did here: the review comment
// the /thanks replies to, else their latest review, review comment or
// comment on this PR, else the PR or issue itself.
func (t *thanker) artifact(login string) (url, kind, label string) {
	c := t.ev.Comment
	if t.ev.Kind == ReviewComment {
		thread := t.s.Source.ThreadID
		var best Contribution
		for _, h := range t.hist.Contributions {
			if h.Kind == KindReviewComment && h.Thread == thread && h.ID != c.ID &&
				strings.EqualFold(h.Login, login) && !h.At.Before(best.At) {
				best = h
			}
		}
		if best.ID != 0 {
			return best.HTMLURL, string(best.Kind), best.Label()
		}
	}
	if strings.EqualFold(login, t.ev.TargetAuthor.Login) && t.ev.IsPR {
		// What the author did is the pull request itself.
		return t.ev.TargetURL, "pull_request", fmt.Sprintf("pull request #%d", t.ev.Number)
	}
	if h, ok := t.hist.latestBy(login); ok && h.HTMLURL != "" {
		return h.HTMLURL, string(h.Kind), h.Label()
	}
	if t.ev.IsPR {
		return t.ev.TargetURL, "pull_request", fmt.Sprintf("pull request #%d", t.ev.Number)
	}
	return t.ev.TargetURL, "issue", fmt.Sprintf("issue #%d", t.ev.Number)
}

func sourceOf(ev Event) Source {
	c := ev.Comment
	src := Source{ID: c.ID, HTMLURL: c.HTMLURL}
	switch ev.Kind {
	case Review:
		src.Kind = SourceReview
	case ReviewComment:
		src.Kind = SourceReviewComment
		src.ThreadID = c.ID
		if c.InReplyTo != 0 {
			src.ThreadID = c.InReplyTo
		}
	default:
		src.Kind = SourceIssueComment
	}
	return src
}

// contributionOf is the ledger record of what the event's author did,
// but for its text's features, which only a record kept needs.
func contributionOf(ev Event, bot bool) (Contribution, bool) {
	c := ev.Comment
	if c == nil || c.ID == 0 || c.Author.Login == "" {
		return Contribution{}, false
	}
	switch ev.Action {
	case "created", "submitted", "edited", "deleted", "dismissed":
	default:
		return Contribution{}, false
	}
	rec := Contribution{
		ID: c.ID, Login: c.Author.Login, Bot: bot, HTMLURL: c.HTMLURL, At: c.At.UTC(),
		BodyLen: utf8.RuneCountInString(c.Body), Suggestion: HasSuggestion(c.Body),
	}
	switch ev.Kind {
	case Review:
		rec.Kind, rec.State = KindReview, c.ReviewState
		if ev.Action == "dismissed" {
			rec.State = "dismissed"
		}
	case ReviewComment:
		rec.Kind, rec.Thread = KindReviewComment, c.ID
		if c.InReplyTo != 0 {
			rec.Thread = c.InReplyTo
		}
	default:
		rec.Kind = KindComment
	}
	return rec, true
}

// NeedsHistory reports whether recognising ev may need the PR's recorded
// history: when its comment has a line starting with "/", which any
// command, aliases included, does. It is cheap, so the webhook reads the
// ledger only when it may matter.
func NeedsHistory(ev Event) bool {
	if ev.Comment == nil {
		return false
	}
	for line := range strings.Lines(ev.Comment.Body) {
		if strings.HasPrefix(strings.TrimLeft(line, " "), "/") {
			return true
		}
	}
	return false
}

func recipients(rs []Recognition) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Recipient
	}
	return strings.Join(names, ", ")
}

// HasSuggestion reports whether a review comment suggests a code change.
func HasSuggestion(body string) bool {
	return strings.Contains(body, "```suggestion")
}

// recognizePR records the PR's timeline and, on merge, asks for a
// shout-out to its reviewers.
func recognizePR(ev Event, cfg Config, now time.Time) Result {
	res := Result{Decision: DecisionIgnore}
	pr := ev.PR
	if pr == nil {
		res.Why = "pull_request event without its pull request"
		return res
	}
	at := pr.At
	if at.IsZero() {
		at = now
	}
	at = at.UTC()
	point := Contribution{ID: at.UnixMilli(), Login: ev.Sender.Login, Bot: ev.Sender.Bot, HTMLURL: ev.TargetURL, At: at}
	switch ev.Action {
	case "opened":
		point.Kind = KindOpened
	case "ready_for_review":
		point.Kind = KindReadyForReview
	case "review_requested":
		if pr.RequestedReviewer == "" {
			res.Why = "review requested from a team"
			return res
		}
		point.Kind, point.Subject = KindReviewRequested, pr.RequestedReviewer
	case "synchronize":
		point.Kind, point.SHA = KindPush, pr.HeadSHA
	case "closed":
		if !pr.Merged {
			res.Why = "closed without merging"
			return res
		}
		point.Kind = KindMerged
		if pr.MergedBy.Login != "" {
			point.Login, point.Bot = pr.MergedBy.Login, pr.MergedBy.Bot
		}
	default:
		res.Why = "pull request " + ev.Action + " is not recorded"
		return res
	}
	res.Records = []Contribution{point}
	res.Why = "recorded " + string(point.Kind)
	if point.Kind != KindMerged {
		return res
	}
	if !cfg.ShoutOuts {
		res.Why = "merged; shout-outs are off"
		return res
	}
	res.Decision = DecisionRecognize
	res.Why = "merged: shout-out to its reviewers"
	s := suggestionOn(ev)
	s.Kind, s.IsPR = KindShoutout, true
	s.Source = Source{Kind: SourceMerge, ID: int64(ev.Number), HTMLURL: ev.TargetURL}
	s.At, s.Author, s.Title = at, ev.TargetAuthor.Login, pr.Title
	res.Suggestion = s
	return res
}

// suggestionOn starts a suggestion about the PR or issue of ev.
func suggestionOn(ev Event) *Suggestion {
	return &Suggestion{
		InstallationID: ev.InstallationID,
		RepoID:         ev.Repo.ID,
		Owner:          ev.Repo.Owner,
		Repo:           ev.Repo.Name,
		Private:        ev.Repo.Private,
		Number:         ev.Number,
		IsPR:           ev.IsPR,
		TargetURL:      ev.TargetURL,
	}
}

// recognizePush asks for a configuration reload when a push to the
// default branch touches the configuration file.
func recognizePush(ev Event) Result {
	res := Result{Decision: DecisionIgnore, Why: "push does not touch " + ConfigPath}
	p := ev.Push
	if p == nil || p.Ref != "refs/heads/"+p.DefaultBranch {
		res.Why = "push to a branch other than the default"
		return res
	}
	touched := false
	for _, path := range p.Paths {
		touched = touched || path == ConfigPath
	}
	if !touched {
		return res
	}
	s := &Suggestion{Kind: KindConfig, InstallationID: ev.InstallationID, RepoID: ev.Repo.ID,
		Owner: ev.Repo.Owner, Repo: ev.Repo.Name, Source: Source{Kind: "push", ID: ev.Repo.ID}}
	res.Why = "configuration changed in " + ev.Repo.FullName
	if ev.Repo.Name == ".github" {
		// The organisation's default changed: every repository's cache.
		s.RepoID = 0
		res.Why = "organisation configuration changed"
	}
	res.Decision, res.Suggestion = DecisionRecognize, s
	return res
}

// recognizeUninstall asks for an installation's data, or some of its
// repositories' data, to be deleted.
func recognizeUninstall(ev Event) Result {
	res := Result{Decision: DecisionIgnore}
	s := &Suggestion{Kind: KindPurge, InstallationID: ev.InstallationID, Source: Source{Kind: "uninstall"}}
	switch {
	case ev.Kind == Installation && ev.Action == "deleted":
		res.Why = "App uninstalled: delete the installation's data"
	case ev.Kind == InstallationRepositories && ev.Action == "removed" && len(ev.RemovedRepos) > 0:
		s.Purge = ev.RemovedRepos
		res.Why = fmt.Sprintf("%d repositories removed: delete their data", len(ev.RemovedRepos))
	default:
		res.Why = string(ev.Kind) + " " + ev.Action + " needs nothing"
		return res
	}
	res.Decision, res.Suggestion = DecisionRecognize, s
	return res
}
