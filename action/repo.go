package action

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v66/github"
)

// GetFile reads a file from a repository's default branch. found is false
// when the repository or the file does not exist.
func (g *GitHub) GetFile(ctx context.Context, inst int64, owner, repo, path string) (content, sha string, found bool, err error) {
	err = g.retry(ctx, fmt.Sprintf("read %s/%s:%s", owner, repo, path), func(ctx context.Context) (*github.Response, error) {
		f, _, resp, err := g.client(inst).Repositories.GetContents(ctx, owner, repo, path, nil)
		if notFound(err) {
			return resp, nil
		}
		if err != nil {
			return resp, err
		}
		if f == nil {
			return resp, nil // a directory
		}
		text, err := f.GetContent()
		if err != nil {
			return resp, &PermanentError{Err: fmt.Errorf("decode %s: %w", path, err)}
		}
		content, sha, found = text, f.GetSHA(), true
		return resp, nil
	})
	return content, sha, found, err
}

// UserExists reports whether login is a GitHub account.
func (g *GitHub) UserExists(ctx context.Context, inst int64, login string) (bool, error) {
	exists := false
	err := g.retry(ctx, "look up user "+login, func(ctx context.Context) (*github.Response, error) {
		_, resp, err := g.client(inst).Users.Get(ctx, login)
		if notFound(err) {
			return resp, nil
		}
		exists = err == nil
		return resp, err
	})
	return exists, err
}

// TeamMembers lists the logins of an organisation team ("org/slug").
func (g *GitHub) TeamMembers(ctx context.Context, inst int64, team string) ([]string, error) {
	org, slug, ok := strings.Cut(team, "/")
	if !ok {
		return nil, &PermanentError{Err: fmt.Errorf("team %q is not org/slug", team)}
	}
	var logins []string
	err := g.paginate(ctx, "list members of team "+team, func(ctx context.Context, page github.ListOptions) (*github.Response, error) {
		us, resp, err := g.client(inst).Teams.ListTeamMembersBySlug(ctx, org, slug, &github.TeamListTeamMembersOptions{ListOptions: page})
		for _, u := range us {
			logins = append(logins, u.GetLogin())
		}
		return resp, err
	})
	return logins, err
}

// DeleteComment deletes a comment Kudos posted: a conversation comment
// (kind "issue") or a review-thread reply (kind "review"). A comment that
// is already gone is not an error.
func (g *GitHub) DeleteComment(ctx context.Context, inst int64, owner, repo, kind string, id int64) error {
	return g.write(ctx, inst, fmt.Sprintf("delete %s comment %d on %s/%s", kind, id, owner, repo), func(ctx context.Context) (*github.Response, error) {
		var resp *github.Response
		var err error
		if kind == "review" {
			resp, err = g.client(inst).PullRequests.DeleteComment(ctx, owner, repo, id)
		} else {
			resp, err = g.client(inst).Issues.DeleteComment(ctx, owner, repo, id)
		}
		if notFound(err) {
			return resp, nil
		}
		return resp, err
	})
}

func notFound(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound
}
