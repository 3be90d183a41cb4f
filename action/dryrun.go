package action

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/kudos-app/kudos/recognizer"
)

// DryRun is a Poster that writes nothing to GitHub and logs each write it
// would have made (KUDOS_DRY_RUN=1).
type DryRun struct{ Logger *slog.Logger }

// CreateComment logs the comment it would post.
func (d *DryRun) CreateComment(ctx context.Context, inst int64, owner, repo string, number int, body string) (Posted, error) {
	d.Logger.InfoContext(ctx, "dry run: would post comment", slog.Int64("installation_id", inst),
		slog.String("repo", owner+"/"+repo), slog.Int("pr", number), slog.String("body", body))
	return Posted{Kind: "issue", URL: fmt.Sprintf("dry-run://%s/%s/%d", owner, repo, number)}, nil
}

// ReplyToReviewComment logs the reply it would post.
func (d *DryRun) ReplyToReviewComment(ctx context.Context, inst int64, owner, repo string, number int, threadID int64, body string) (Posted, error) {
	d.Logger.InfoContext(ctx, "dry run: would reply in review thread", slog.Int64("installation_id", inst),
		slog.String("repo", owner+"/"+repo), slog.Int("pr", number), slog.Int64("thread", threadID), slog.String("body", body))
	return Posted{Kind: "review", URL: fmt.Sprintf("dry-run://%s/%s/%d/r%d", owner, repo, number, threadID)}, nil
}

// DeleteComment logs the deletion it would make.
func (d *DryRun) DeleteComment(ctx context.Context, inst int64, owner, repo, kind string, id int64) error {
	d.Logger.InfoContext(ctx, "dry run: would delete comment", slog.Int64("installation_id", inst),
		slog.String("repo", owner+"/"+repo), slog.String("kind", kind), slog.Int64("comment", id))
	return nil
}

// GetFile finds nothing: a dry run uses the default configuration.
func (d *DryRun) GetFile(context.Context, int64, string, string, string) (string, string, bool, error) {
	return "", "", false, nil
}

// UserExists assumes every login is an account.
func (d *DryRun) UserExists(context.Context, int64, string) (bool, error) { return true, nil }

// TeamMembers cannot know a team's members without GitHub.
func (d *DryRun) TeamMembers(_ context.Context, _ int64, team string) ([]string, error) {
	return nil, &PermanentError{Err: fmt.Errorf("reading the members of team %s needs the App's GitHub credentials", team)}
}

// Backfill reads nothing: a dry run has no GitHub to read from, so
// shout-outs use what the ledger recorded.
func (d *DryRun) Backfill(context.Context, int64, string, string, int) ([]recognizer.Contribution, error) {
	return nil, nil
}

// FindMarkers finds nothing: a dry run never posted anything.
func (d *DryRun) FindMarkers(context.Context, int64, string, string, int, bool, []string) (map[string]string, error) {
	return nil, nil
}

// FindIssues finds nothing.
func (d *DryRun) FindIssues(context.Context, int64, string, string, string, string) ([]Issue, error) {
	return nil, nil
}

// CreateIssue logs the issue it would open.
func (d *DryRun) CreateIssue(ctx context.Context, inst int64, owner, repo, title, body string, labels []string) (Issue, error) {
	d.Logger.InfoContext(ctx, "dry run: would open issue", slog.Int64("installation_id", inst),
		slog.String("repo", owner+"/"+repo), slog.String("title", title), slog.Any("labels", labels), slog.String("body", body))
	return Issue{Title: title, URL: "dry-run://" + owner + "/" + repo + "/issues/new", Open: true}, nil
}

// CloseIssue logs the issue it would close.
func (d *DryRun) CloseIssue(ctx context.Context, inst int64, owner, repo string, number int) error {
	d.Logger.InfoContext(ctx, "dry run: would close issue", slog.String("repo", owner+"/"+repo), slog.Int("number", number))
	return nil
}

// RepoPrivate answers false: without GitHub, a dry run filters summaries
// as strictly as for a public repository.
func (d *DryRun) RepoPrivate(context.Context, int64, string, string) (bool, error) { return false, nil }
