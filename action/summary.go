package action

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// SummaryLabel marks Kudos's weekly summary issues.
const SummaryLabel = "kudos-summary"

// SummaryStore is what building a summary reads from Redis.
type SummaryStore interface {
	RepoID(ctx context.Context, inst int64, fullName string) (int64, bool, error)
	Recognitions(ctx context.Context, inst, repoID int64, from, to time.Time) ([]recognizer.Record, error)
	Activity(ctx context.Context, inst, repoID int64, from, to time.Time) ([]recognizer.Activity, error)
	EachActivity(ctx context.Context, inst, repoID int64, from, to time.Time, fn func(recognizer.Activity) error) error
	OptedOut(ctx context.Context, inst int64) (map[string]bool, error)
}

// SummaryGitHub is what posting a summary needs from GitHub.
type SummaryGitHub interface {
	TeamMembers(ctx context.Context, inst int64, team string) ([]string, error)
	RepoPrivate(ctx context.Context, inst int64, owner, repo string) (bool, error)
	FindIssues(ctx context.Context, inst int64, owner, repo, label, phrase string) ([]Issue, error)
	CreateIssue(ctx context.Context, inst int64, owner, repo, title, body string, labels []string) (Issue, error)
	CloseIssue(ctx context.Context, inst int64, owner, repo string, number int) error
}

var (
	_ SummaryStore  = (*store.Store)(nil)
	_ SummaryGitHub = (*GitHub)(nil)
)

// Summarizer builds and posts weekly team summaries.
type Summarizer struct {
	Store  SummaryStore
	GitHub SummaryGitHub
	Logger *slog.Logger
}

// TeamScope is where one team's summary reads from and posts to.
type TeamScope struct {
	Installation int64
	Name         string
	Repos        []string // "owner/name"
	GitHubTeam   string   // "org/slug"; empty: everyone
	Target       string   // "owner/name"
	NeverName    []string
}

// ScopeOf returns the scope of team name under cfg: one of cfg's teams,
// or, for a repository's own summary, the repository itself.
func ScopeOf(inst int64, repo string, name string, cfg recognizer.Config) (TeamScope, error) {
	sc := TeamScope{Installation: inst, NeverName: cfg.NeverName}
	if name == "" || strings.EqualFold(name, repo) {
		sc.Name, sc.Repos, sc.Target = repo, []string{repo}, repo
		return sc, nil
	}
	for _, t := range cfg.Summary.Teams {
		if strings.EqualFold(t.Name, name) {
			sc.Name, sc.Repos, sc.GitHubTeam, sc.Target = t.Name, t.Repos, t.GitHubTeam, t.Target
			if len(sc.Repos) == 0 {
				sc.Repos = []string{repo}
			}
			return sc, nil
		}
	}
	return sc, fmt.Errorf("no summary team %q in the configuration of %s", name, repo)
}

// Build composes a team's summary of week w.
func (s *Summarizer) Build(ctx context.Context, sc TeamScope, w recognizer.Week) (recognizer.Summary, error) {
	in := recognizer.SummaryInput{Team: sc.Name, Week: w}
	optedOut, err := s.Store.OptedOut(ctx, sc.Installation)
	if err != nil {
		return recognizer.Summary{}, err
	}
	in.Hidden = neverNamed(optedOut, sc.NeverName)
	var recs []recognizer.Record
	var acts []recognizer.Activity
	var repoIDs []int64
	for _, repo := range sc.Repos {
		id, ok, err := s.Store.RepoID(ctx, sc.Installation, repo)
		if err != nil {
			return recognizer.Summary{}, err
		}
		if !ok {
			continue // Kudos has seen nothing of it yet
		}
		repoIDs = append(repoIDs, id)
		r, err := s.Store.Recognitions(ctx, sc.Installation, id, w.Prev().Start(), w.End())
		if err != nil {
			return recognizer.Summary{}, err
		}
		a, err := s.Store.Activity(ctx, sc.Installation, id, w.Start(), w.End())
		if err != nil {
			return recognizer.Summary{}, err
		}
		recs, acts = append(recs, r...), append(acts, a...)
	}
	// The activity read is the week's; the recognitions reach back a week.
	if len(acts) == 0 && !recognizedIn(w, recs) {
		return recognizer.Summary{Empty: true}, nil // nothing happened: no need to ask GitHub anything
	}
	owner, name, _ := strings.Cut(sc.Target, "/")
	if in.TargetPrivate, err = s.GitHub.RepoPrivate(ctx, sc.Installation, owner, name); err != nil {
		return recognizer.Summary{}, err
	}
	var members map[string]bool
	if sc.GitHubTeam != "" {
		logins, err := s.GitHub.TeamMembers(ctx, sc.Installation, sc.GitHubTeam)
		if err != nil {
			return recognizer.Summary{}, err
		}
		members = map[string]bool{}
		for _, l := range logins {
			members[strings.ToLower(l)] = true
		}
	}
	for _, r := range recs {
		if members == nil || members[strings.ToLower(r.Giver)] || members[strings.ToLower(r.Recipient)] {
			in.Recognitions = append(in.Recognitions, r)
		}
	}
	member := func(a recognizer.Activity) bool { return members == nil || members[strings.ToLower(a.Login)] }
	for _, a := range acts {
		if member(a) {
			in.Activity = append(in.Activity, a)
		}
	}
	// Earlier activity tells first contributions apart and names the
	// reviewers of PRs merged this week. All of it may be months of a
	// busy repository: it is read a page at a time, keeping only what
	// the summary reads.
	earlier := recognizer.NewEarlierActivity(w, in.Activity)
	for _, id := range repoIDs {
		err := s.Store.EachActivity(ctx, sc.Installation, id, time.Time{}, w.Start(), func(a recognizer.Activity) error {
			if member(a) && earlier.Keep(a) {
				in.Activity = append(in.Activity, a)
			}
			return nil
		})
		if err != nil {
			return recognizer.Summary{}, err
		}
	}
	in.Previous = &recognizer.WeekStats{}
	*in.Previous = weekStats(in.Recognitions, w.Prev(), in.Hidden)
	return recognizer.BuildSummary(in), nil
}

// recognizedIn reports whether anyone was recognised in week w.
func recognizedIn(w recognizer.Week, recs []recognizer.Record) bool {
	for _, r := range recs {
		if !r.At.Before(w.Start()) && r.At.Before(w.End()) {
			return true
		}
	}
	return false
}

// weekStats counts the distinct givers and receivers of thanks in w.
func weekStats(recs []recognizer.Record, w recognizer.Week, hidden map[string]bool) recognizer.WeekStats {
	givers, receivers := map[string]bool{}, map[string]bool{}
	for _, r := range recs {
		if r.Kind != recognizer.KindThanks || r.At.Before(w.Start()) || !r.At.Before(w.End()) ||
			hidden[strings.ToLower(r.Giver)] || hidden[strings.ToLower(r.Recipient)] {
			continue
		}
		givers[strings.ToLower(r.Giver)] = true
		receivers[strings.ToLower(r.Recipient)] = true
	}
	return recognizer.WeekStats{Givers: len(givers), Receivers: len(receivers)}
}

// Post builds a team's summary of week w and opens it as an issue in the
// team's target repository, exactly once: an issue with the same title
// found by search is reused. The team's earlier open summaries are closed.
// An empty week posts nothing.
func (s *Summarizer) Post(ctx context.Context, sc TeamScope, w recognizer.Week) (Issue, error) {
	sum, err := s.Build(ctx, sc, w)
	if err != nil {
		return Issue{}, err
	}
	log := s.Logger.With(slog.Int64("installation_id", sc.Installation), slog.String("team", sc.Name), slog.String("week", w.String()))
	if sum.Empty {
		log.Info("empty week: no summary")
		return Issue{}, nil
	}
	owner, repo, _ := strings.Cut(sc.Target, "/")
	found, err := s.GitHub.FindIssues(ctx, sc.Installation, owner, repo, SummaryLabel, "Kudos for "+sc.Name)
	if err != nil {
		return Issue{}, err
	}
	var issue Issue
	for _, is := range found {
		if is.Title == sum.Title {
			issue = is
		}
	}
	if issue.Number == 0 {
		if issue, err = s.GitHub.CreateIssue(ctx, sc.Installation, owner, repo, sum.Title, sum.Body, []string{SummaryLabel}); err != nil {
			return Issue{}, err
		}
		log.Info("summary posted", slog.String("url", issue.URL))
	}
	for _, is := range found {
		if is.Open && is.Number != issue.Number && is.Title < sum.Title {
			if err := s.GitHub.CloseIssue(ctx, sc.Installation, owner, repo, is.Number); err != nil {
				return issue, err
			}
		}
	}
	return issue, nil
}
