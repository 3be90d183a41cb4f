package action

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v66/github"
)

// Issue is a GitHub issue Kudos opened or found.
type Issue struct {
	Number int
	Title  string
	URL    string
	Open   bool
}

// FindIssues lists the repository's issues carrying label whose title
// contains all the words of phrase, through the search API.
func (g *GitHub) FindIssues(ctx context.Context, inst int64, owner, repo, label, phrase string) ([]Issue, error) {
	q := fmt.Sprintf(`repo:%s/%s is:issue label:%q in:title %q`, owner, repo, label, strings.ReplaceAll(phrase, `"`, ""))
	var out []Issue
	err := g.paginate(ctx, "search issues in "+owner+"/"+repo, func(ctx context.Context, page github.ListOptions) (*github.Response, error) {
		res, resp, err := g.client(inst).Search.Issues(ctx, q, &github.SearchOptions{ListOptions: page})
		for _, is := range res.Issues {
			out = append(out, Issue{Number: is.GetNumber(), Title: is.GetTitle(), URL: is.GetHTMLURL(), Open: is.GetState() == "open"})
		}
		return resp, err
	})
	return out, err
}

// CreateIssue opens an issue with labels.
func (g *GitHub) CreateIssue(ctx context.Context, inst int64, owner, repo, title, body string, labels []string) (Issue, error) {
	var out Issue
	err := g.write(ctx, inst, "open an issue in "+owner+"/"+repo, func(ctx context.Context) (*github.Response, error) {
		is, resp, err := g.client(inst).Issues.Create(ctx, owner, repo, &github.IssueRequest{Title: &title, Body: &body, Labels: &labels})
		out = Issue{Number: is.GetNumber(), Title: is.GetTitle(), URL: is.GetHTMLURL(), Open: true}
		return resp, err
	})
	return out, err
}

// CloseIssue closes an issue.
func (g *GitHub) CloseIssue(ctx context.Context, inst int64, owner, repo string, number int) error {
	closed := "closed"
	return g.write(ctx, inst, fmt.Sprintf("close %s/%s#%d", owner, repo, number), func(ctx context.Context) (*github.Response, error) {
		_, resp, err := g.client(inst).Issues.Edit(ctx, owner, repo, number, &github.IssueRequest{State: &closed})
		return resp, err
	})
}

// RepoPrivate reports whether a repository is private (or internal):
// visible to fewer people than a public one.
func (g *GitHub) RepoPrivate(ctx context.Context, inst int64, owner, repo string) (bool, error) {
	private := false
	err := g.retry(ctx, "read "+owner+"/"+repo, func(ctx context.Context) (*github.Response, error) {
		r, resp, err := g.client(inst).Repositories.Get(ctx, owner, repo)
		private = r.GetPrivate() || r.GetVisibility() == "internal"
		return resp, err
	})
	return private, err
}
