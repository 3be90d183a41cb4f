package action

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// SummaryTeams finds every team that gets a weekly summary, from the
// repositories Kudos keeps data for and their configurations, and posts
// their summaries when the scheduler says so.
type SummaryTeams struct {
	Store interface {
		KeptRepos(ctx context.Context) ([]store.RepoKey, error)
		RepoNames(ctx context.Context, inst int64) (map[int64]string, error)
	}
	Configs    *ConfigReader
	Summarizer *Summarizer

	mu     sync.Mutex
	scopes map[string]TeamScope
}

func scopeKey(inst int64, team string) string {
	return fmt.Sprintf("%d/%s", inst, strings.ToLower(team))
}

// Targets lists the teams with summaries: a repository's own summary, or
// the teams its configuration names (once per installation and team).
func (st *SummaryTeams) Targets(ctx context.Context) ([]SummaryTarget, error) {
	repos, err := st.Store.KeptRepos(ctx)
	if err != nil {
		return nil, err
	}
	scopes := map[string]TeamScope{}
	var targets []SummaryTarget
	names := map[int64]map[int64]string{}
	for _, rk := range repos {
		if names[rk.Installation] == nil {
			if names[rk.Installation], err = st.Store.RepoNames(ctx, rk.Installation); err != nil {
				return nil, err
			}
		}
		full := names[rk.Installation][rk.RepoID]
		owner, repo, ok := strings.Cut(full, "/")
		if !ok {
			continue
		}
		e, err := st.Configs.Load(ctx, rk.Installation, rk.RepoID, owner, repo)
		if err != nil {
			return nil, err
		}
		cfg := e.Config
		if !cfg.Summaries {
			continue
		}
		teams := []string{full}
		if len(cfg.Summary.Teams) > 0 {
			teams = teams[:0]
			for _, t := range cfg.Summary.Teams {
				teams = append(teams, t.Name)
			}
		}
		for _, team := range teams {
			key := scopeKey(rk.Installation, team)
			if _, dup := scopes[key]; dup {
				continue
			}
			sc, err := ScopeOf(rk.Installation, full, team, cfg)
			if err != nil {
				return nil, err
			}
			scopes[key] = sc
			targets = append(targets, SummaryTarget{Installation: rk.Installation, Team: sc.Name, Config: cfg.Summary})
		}
	}
	st.mu.Lock()
	st.scopes = scopes
	st.mu.Unlock()
	return targets, nil
}

// Post is the scheduler's SummaryJob.
func (st *SummaryTeams) Post(ctx context.Context, t SummaryTarget, w recognizer.Week) (string, int, error) {
	st.mu.Lock()
	sc, ok := st.scopes[scopeKey(t.Installation, t.Team)]
	st.mu.Unlock()
	if !ok {
		return "", 0, &PermanentError{Err: fmt.Errorf("summary team %q of installation %d is no longer configured", t.Team, t.Installation)}
	}
	is, err := st.Summarizer.Post(ctx, sc, w)
	return is.URL, is.Number, err
}
