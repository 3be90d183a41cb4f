package webhook

import (
	"fmt"
	"strings"

	"github.com/google/go-github/v66/github"

	"github.com/kudos-app/kudos/recognizer"
)

// Normalize is the reference Extract is held to: go-github decodes the
// whole payload into its event type and the same Event is read from that.
// The server never calls it; the agreement, retyped-field and fuzz tests
// and the benchmarks do.
//
// It turns a webhook payload into the recognizer's domain event.
// It returns errUnhandled for event types Kudos ignores and a wrapped
// decoding error for a malformed payload.
func Normalize(eventType, delivery string, payload []byte) (recognizer.Event, error) {
	if !handled[recognizer.EventKind(eventType)] {
		return recognizer.Event{}, errUnhandled
	}
	raw, err := github.ParseWebHook(eventType, payload)
	if err != nil {
		return recognizer.Event{}, fmt.Errorf("decode %s payload: %w", eventType, err)
	}
	ev := recognizer.Event{DeliveryID: delivery, Kind: recognizer.EventKind(eventType)}
	switch e := raw.(type) {
	case *github.IssueCommentEvent:
		ev.Action = e.GetAction()
		common(&ev, e.GetInstallation(), e.GetRepo(), e.GetSender())
		is := e.GetIssue()
		ev.Number, ev.IsPR, ev.TargetURL = is.GetNumber(), is.GetPullRequestLinks() != nil, is.GetHTMLURL()
		ev.TargetAuthor = actor(is.GetUser())
		c := e.GetComment()
		ev.Comment = &recognizer.Comment{
			ID: c.GetID(), Author: actor(c.GetUser()), Body: c.GetBody(),
			HTMLURL: c.GetHTMLURL(), At: c.GetCreatedAt().Time,
		}
	case *github.PullRequestReviewEvent:
		ev.Action = e.GetAction()
		common(&ev, e.GetInstallation(), e.GetRepo(), e.GetSender())
		pullRequest(&ev, e.GetPullRequest())
		r := e.GetReview()
		ev.Comment = &recognizer.Comment{
			ID: r.GetID(), Author: actor(r.GetUser()), Body: r.GetBody(),
			HTMLURL: r.GetHTMLURL(), At: r.GetSubmittedAt().Time,
			ReviewState: strings.ToLower(r.GetState()),
		}
	case *github.PullRequestReviewCommentEvent:
		ev.Action = e.GetAction()
		common(&ev, e.GetInstallation(), e.GetRepo(), e.GetSender())
		pullRequest(&ev, e.GetPullRequest())
		c := e.GetComment()
		ev.Comment = &recognizer.Comment{
			ID: c.GetID(), Author: actor(c.GetUser()), Body: c.GetBody(),
			HTMLURL: c.GetHTMLURL(), At: c.GetCreatedAt().Time, InReplyTo: c.GetInReplyTo(),
		}
	case *github.PullRequestEvent:
		ev.Action = e.GetAction()
		common(&ev, e.GetInstallation(), e.GetRepo(), e.GetSender())
		pr := e.GetPullRequest()
		pullRequest(&ev, pr)
		ev.PR = &recognizer.PRChange{
			Merged: pr.GetMerged(), MergedBy: actor(pr.GetMergedBy()),
			RequestedReviewer: e.GetRequestedReviewer().GetLogin(),
			HeadSHA:           pr.GetHead().GetSHA(), Title: pr.GetTitle(),
		}
		switch {
		case ev.Action == "closed" && pr.GetMerged():
			ev.PR.At = pr.GetMergedAt().Time
		case ev.Action == "closed":
			ev.PR.At = pr.GetClosedAt().Time
		case ev.Action == "opened":
			ev.PR.At = pr.GetCreatedAt().Time
		default:
			ev.PR.At = pr.GetUpdatedAt().Time
		}
		if e.GetAfter() != "" {
			ev.PR.HeadSHA = e.GetAfter()
		}
	case *github.PushEvent:
		ev.InstallationID = e.GetInstallation().GetID()
		r := e.GetRepo()
		ev.Repo = recognizer.Repo{ID: r.GetID(), Owner: r.GetOwner().GetLogin(), Name: r.GetName(),
			FullName: r.GetFullName(), Private: r.GetPrivate(), HTMLURL: r.GetHTMLURL()}
		if ev.Repo.Owner == "" {
			ev.Repo.Owner = r.GetOwner().GetName()
		}
		ev.Sender = actor(e.GetSender())
		ev.Push = &recognizer.PushInfo{Ref: e.GetRef(), DefaultBranch: r.GetDefaultBranch()}
		for _, c := range e.Commits {
			if c == nil {
				continue
			}
			ev.Push.Paths = append(ev.Push.Paths, c.Added...)
			ev.Push.Paths = append(ev.Push.Paths, c.Modified...)
			ev.Push.Paths = append(ev.Push.Paths, c.Removed...)
		}
	case *github.InstallationEvent:
		ev.Action, ev.InstallationID, ev.Sender = e.GetAction(), e.GetInstallation().GetID(), actor(e.GetSender())
	case *github.InstallationRepositoriesEvent:
		ev.Action, ev.InstallationID, ev.Sender = e.GetAction(), e.GetInstallation().GetID(), actor(e.GetSender())
		for _, r := range e.RepositoriesRemoved {
			ev.RemovedRepos = append(ev.RemovedRepos, r.GetID())
		}
	default:
		// A handled event type whose payload decoded to nothing ("null").
		return recognizer.Event{}, fmt.Errorf("decode %s payload: empty payload", eventType)
	}
	return checkEvent(ev)
}

func common(ev *recognizer.Event, inst *github.Installation, repo *github.Repository, sender *github.User) {
	ev.InstallationID = inst.GetID()
	ev.Repo = recognizer.Repo{
		ID: repo.GetID(), Owner: repo.GetOwner().GetLogin(), Name: repo.GetName(),
		FullName: repo.GetFullName(), Private: repo.GetPrivate(), HTMLURL: repo.GetHTMLURL(),
	}
	if ev.Repo.Owner == "" || ev.Repo.Name == "" {
		if o, n, ok := strings.Cut(ev.Repo.FullName, "/"); ok {
			ev.Repo.Owner, ev.Repo.Name = o, n
		}
	}
	ev.Sender = actor(sender)
}

func pullRequest(ev *recognizer.Event, pr *github.PullRequest) {
	ev.Number, ev.IsPR, ev.TargetURL = pr.GetNumber(), true, pr.GetHTMLURL()
	ev.TargetAuthor = actor(pr.GetUser())
}

func actor(u *github.User) recognizer.Actor {
	return recognizer.Actor{Login: u.GetLogin(), Bot: u.GetType() == "Bot"}
}
