package action

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/go-github/v66/github"

	"github.com/kudos-app/kudos/recognizer"
)

// Backfill reads a PR's reviews and review comments from the REST API, 100
// a page, for a ledger that missed them (the app was installed after the
// PR opened, or Redis lost data).
func (g *GitHub) Backfill(ctx context.Context, inst int64, owner, repo string, number int) ([]recognizer.Contribution, error) {
	var recs []recognizer.Contribution
	err := g.paginate(ctx, fmt.Sprintf("list reviews of %s/%s#%d", owner, repo, number),
		func(ctx context.Context, page github.ListOptions) (*github.Response, error) {
			rs, resp, err := g.client(inst).PullRequests.ListReviews(ctx, owner, repo, number, &page)
			for _, r := range rs {
				recs = append(recs, recognizer.Contribution{
					Kind: recognizer.KindReview, ID: r.GetID(), Login: r.GetUser().GetLogin(),
					Bot: r.GetUser().GetType() == "Bot", HTMLURL: r.GetHTMLURL(), At: r.GetSubmittedAt().UTC(),
					State: strings.ToLower(r.GetState()), BodyLen: utf8.RuneCountInString(r.GetBody()),
				})
			}
			return resp, err
		})
	if err != nil {
		return nil, err
	}
	err = g.paginate(ctx, fmt.Sprintf("list review comments of %s/%s#%d", owner, repo, number),
		func(ctx context.Context, page github.ListOptions) (*github.Response, error) {
			cs, resp, err := g.client(inst).PullRequests.ListComments(ctx, owner, repo, number,
				&github.PullRequestListCommentsOptions{ListOptions: page})
			for _, c := range cs {
				thread := c.GetID()
				if c.GetInReplyTo() != 0 {
					thread = c.GetInReplyTo()
				}
				recs = append(recs, recognizer.Contribution{
					Kind: recognizer.KindReviewComment, ID: c.GetID(), Login: c.GetUser().GetLogin(),
					Bot: c.GetUser().GetType() == "Bot", HTMLURL: c.GetHTMLURL(), At: c.GetCreatedAt().UTC(),
					Thread: thread, BodyLen: utf8.RuneCountInString(c.GetBody()),
					Suggestion: recognizer.HasSuggestion(c.GetBody()),
				})
			}
			return resp, err
		})
	if err != nil {
		return nil, err
	}
	return recs, nil
}
