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

// reloadConfig drops a repository's cached configuration (every
// repository's, when the organisation's default changed) and, for one
// repository, reads it again so the webhook sees its aliases.
func (w *Worker) reloadConfig(ctx context.Context, s recognizer.Suggestion) error {
	if err := w.opts.Store.ForgetConfig(ctx, s.InstallationID, s.RepoID); err != nil {
		return err
	}
	if s.RepoID == 0 {
		return nil
	}
	_, err := w.repoConfig(ctx, s)
	return err
}

// repoConfig returns a repository's configuration: cached, else read from
// .github/kudos.yml in the repository, else in the organisation's .github
// repository, else the defaults. An invalid file leaves the defaults in
// force and its problems in the entry, to be reported.
func (w *Worker) repoConfig(ctx context.Context, s recognizer.Suggestion) (*store.ConfigEntry, error) {
	inst := s.InstallationID
	if e, err := w.opts.Store.Config(ctx, inst, s.RepoID); err != nil || e != nil {
		return e, err
	}
	e := store.ConfigEntry{Config: *w.opts.Config, Source: "default"}
	for _, where := range []struct{ source, owner, repo string }{
		{"repo", s.Owner, s.Repo},
		{"org", s.Owner, ".github"},
	} {
		if where.source == "org" && s.Repo == ".github" {
			break
		}
		text, sha, found, err := w.opts.Poster.GetFile(ctx, inst, where.owner, where.repo, recognizer.ConfigPath)
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
			e.Config = f.Apply(*w.opts.Config)
			if err := w.resolveTeams(ctx, inst, &e.Config); err != nil {
				return nil, err
			}
		}
		break
	}
	if len(e.Problems) > 0 {
		w.opts.Logger.Error("invalid configuration; defaults apply", slog.Int64("installation_id", inst),
			slog.String("repo", s.Owner+"/"+s.Repo), slog.String("file", e.Path), slog.Any("problems", e.Problems))
	}
	if err := w.opts.Store.SetConfig(ctx, inst, s.RepoID, e); err != nil {
		return nil, err
	}
	return &e, nil
}

// resolveTeams adds the members of the never-name teams to the never-name
// logins, so the rest of the worker deals in logins only.
func (w *Worker) resolveTeams(ctx context.Context, inst int64, cfg *recognizer.Config) error {
	for _, team := range cfg.NeverNameTeams {
		members, err := w.opts.Poster.TeamMembers(ctx, inst, team)
		if IsPermanent(err) {
			w.opts.Logger.Warn("cannot read a never-name team", slog.String("team", team), slog.Any("err", err))
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

// purge deletes what Redis keeps for an uninstalled installation, or for
// the repositories removed from it.
func (w *Worker) purge(ctx context.Context, s recognizer.Suggestion) error {
	log := w.opts.Logger.With(slog.Int64("installation_id", s.InstallationID))
	if len(s.Purge) == 0 {
		n, err := w.opts.Store.PurgeInstallation(ctx, s.InstallationID)
		log.Info("purged uninstalled installation", slog.Int("keys", n))
		return err
	}
	for _, repoID := range s.Purge {
		n, err := w.opts.Store.PurgeRepository(ctx, s.InstallationID, repoID)
		if err != nil {
			return err
		}
		log.Info("purged removed repository", slog.Int64("repo_id", repoID), slog.Int("keys", n))
	}
	return nil
}

// retract deletes the replies Kudos posted to a comment that was deleted.
func (w *Worker) retract(ctx context.Context, s recognizer.Suggestion) error {
	replies, err := w.opts.Store.Replies(ctx, s.InstallationID, s.RepoID, s.Key())
	if err != nil || len(replies) == 0 {
		return err
	}
	for _, r := range replies {
		if err := w.opts.Poster.DeleteComment(ctx, s.InstallationID, s.Owner, s.Repo, r.Kind, r.ID); err != nil {
			return err
		}
		w.opts.Logger.Info("deleted the reply to a deleted comment", slog.String("url", r.URL))
	}
	return w.opts.Store.ForgetReplies(ctx, s.InstallationID, s.RepoID, s.Key())
}
