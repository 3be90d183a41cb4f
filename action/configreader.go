package action

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/kudos-app/kudos/config"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// ConfigReader reads repositories' configurations through the cache.
type ConfigReader struct {
	Store    Configs
	Poster   Poster
	Defaults recognizer.Config
	Logger   *slog.Logger
}

// Load returns a repository's configuration: cached, else read from
// .github/kudos.yml in the repository, else in the organisation's .github
// repository, else the defaults. An invalid file leaves the defaults in
// force and its problems in the entry, to be reported.
func (cr *ConfigReader) Load(ctx context.Context, inst, repoID int64, owner, repo string) (*store.ConfigEntry, error) {
	if e, err := cr.Store.Config(ctx, inst, repoID); err != nil || e != nil {
		return e, err
	}
	return cr.Fetch(ctx, inst, repoID, owner, repo)
}

// Fetch reads a repository's configuration from GitHub, as Load does on a
// cache miss, and caches it: for a caller that has just found the cache
// empty.
func (cr *ConfigReader) Fetch(ctx context.Context, inst, repoID int64, owner, repo string) (*store.ConfigEntry, error) {
	e := store.ConfigEntry{Config: cr.Defaults, Source: "default"}
	for _, where := range []struct{ source, owner, repo string }{
		{"repo", owner, repo},
		{"org", owner, ".github"},
	} {
		if where.source == "org" && repo == ".github" {
			break
		}
		text, sha, found, err := cr.Poster.GetFile(ctx, inst, where.owner, where.repo, recognizer.ConfigPath)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		e.Source, e.SHA = where.source, sha
		e.Path = where.owner + "/" + where.repo + ":" + recognizer.ConfigPath
		f, err := config.Parse(recognizer.ConfigPath, []byte(text))
		var problems config.Errors
		switch {
		case errors.As(err, &problems):
			for _, p := range problems {
				e.Problems = append(e.Problems, p.Error())
			}
		case err != nil:
			e.Problems = []string{err.Error()}
		default:
			e.Config = f.Apply(cr.Defaults)
			if err := cr.resolveTeams(ctx, inst, &e.Config); err != nil {
				return nil, err
			}
		}
		break
	}
	if len(e.Problems) > 0 {
		cr.Logger.Error("invalid configuration; defaults apply", slog.Int64("installation_id", inst),
			slog.String("repo", owner+"/"+repo), slog.String("file", e.Path), slog.Any("problems", e.Problems))
	}
	if err := cr.Store.SetConfig(ctx, inst, repoID, e); err != nil {
		return nil, err
	}
	return &e, nil
}

// resolveTeams adds the members of the never-name teams to the never-name
// logins, so the rest of the worker deals in logins only.
func (cr *ConfigReader) resolveTeams(ctx context.Context, inst int64, cfg *recognizer.Config) error {
	for _, team := range cfg.NeverNameTeams {
		members, err := cr.Poster.TeamMembers(ctx, inst, team)
		if IsPermanent(err) {
			cr.Logger.Warn("cannot read a never-name team", slog.String("team", team), slog.Any("err", err))
			continue
		}
		if err != nil {
			return fmt.Errorf("resolve never-name team %s: %w", team, err)
		}
		for _, m := range members {
			cfg.NeverName = append(cfg.NeverName, lower(m))
		}
	}
	return nil
}
