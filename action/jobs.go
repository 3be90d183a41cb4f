package action

import (
	"context"
	"log/slog"

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

// repoConfig returns the configuration of the suggestion's repository.
func (w *Worker) repoConfig(ctx context.Context, s recognizer.Suggestion) (*store.ConfigEntry, error) {
	return w.configs.Load(ctx, s.InstallationID, s.RepoID, s.Owner, s.Repo)
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
