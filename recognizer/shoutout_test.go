package recognizer_test

import (
	"strings"
	"testing"

	"github.com/kudos-app/kudos/internal/payload"
	"github.com/kudos-app/kudos/recognizer"
)

// merged is the merge event that ends each shout-out story.
func merged(m int) step {
	return pullRequest(payload.PROpts{Common: payload.Common{Sender: "alice"}, Action: "closed", Merged: true, At: at(m)})
}

func opened() step { return pullRequest(payload.PROpts{At: at(0)}) }

func rc(id int64, who, body string, m int, inReplyTo int64) step {
	return reviewComment(payload.CommentOpts{ID: id, Author: who, Body: body, At: at(m), InReplyTo: inReplyTo})
}

func rv(id int64, who, state string, m int) step {
	return review(payload.ReviewOpts{ID: id, Author: who, State: state, At: at(m)})
}

// shout is one expected line of a shout-out: the person and, in order,
// the highlights' texts and links.
type shout struct {
	who        string
	highlights []string // "text → url"
}

func TestShoutOut(t *testing.T) {
	suggestion := "Maybe:\n```suggestion\nreturn nil\n```"
	cases := []struct {
		name  string
		steps []step
		// wantSuggestion: the merge asks for a shout-out at all.
		wantSuggestion bool
		want           []shout
		wantWhy        string
		// wantUnblocked counts the unblocking recognitions kept for summaries.
		wantUnblocked int
	}{{
		name:           "approve only",
		steps:          []step{opened(), rv(2001, "bob", "approved", 10), merged(20)},
		wantSuggestion: true,
		want:           []shout{{"bob", []string{"approved it → " + reviewURL(2001)}}},
	}, {
		name: "changes requested twice, fixes pushed, then approved",
		steps: []step{
			opened(),
			rv(2001, "bob", "changes_requested", 10),
			pullRequest(payload.PROpts{Action: "synchronize", At: at(20)}),
			rv(2002, "bob", "changes_requested", 30),
			pullRequest(payload.PROpts{Action: "synchronize", At: at(40)}),
			rv(2003, "bob", "approved", 50),
			merged(60),
		},
		wantSuggestion: true,
		want: []shout{{"bob", []string{
			"asked for changes twice → " + reviewURL(2001),
			"unblocked the merge by approving once the fixes landed → " + reviewURL(2003),
		}}},
		wantUnblocked: 1,
	}, {
		name: "changes requested then approved without new commits",
		steps: []step{
			opened(), rv(2001, "bob", "changes_requested", 10), rv(2002, "bob", "approved", 15), merged(20),
		},
		wantSuggestion: true,
		want: []shout{{"bob", []string{
			"asked for changes → " + reviewURL(2001),
			"then approved → " + reviewURL(2002),
		}}},
	}, {
		name: "several reviewers with comments, suggestions and a lively thread",
		steps: []step{
			opened(),
			rc(1001, "carol", "Why a mutex here and not an atomic?", 5, 0),
			rc(1002, "alice", "Good question — we also guard the map.", 6, 1001),
			rc(1003, "bob", "The map could move behind the same lock.", 7, 1001),
			rc(1004, "carol", suggestion, 8, 0),
			rc(1005, "carol", suggestion, 9, 0),
			rv(2001, "carol", "commented", 10),
			rv(2002, "bob", "approved", 30),
			merged(40),
		},
		wantSuggestion: true,
		want: []shout{
			{"carol", []string{
				"left a review comment → " + discussionURL(1001),
				"started the thread that drew 2 replies → " + discussionURL(1001),
				"suggested 2 code changes → " + discussionURL(1004),
				"reviewed it → " + reviewURL(2001),
			}},
			{"bob", []string{
				"left a review comment → " + discussionURL(1003),
				"approved it → " + reviewURL(2002),
			}},
		},
	}, {
		name: "someone whose answer unblocked the author, folded in",
		steps: []step{
			opened(),
			issueComment(payload.CommentOpts{ID: 3001, Author: "alice", Body: "CI fails with `panic: assignment to entry in nil map` — any idea?", At: at(5)}),
			issueComment(payload.CommentOpts{ID: 3002, Author: "dave", Body: "You need to initialise `pending` in `NewScheduler`.", At: at(20)}),
			issueComment(payload.CommentOpts{ID: 3003, Author: "alice", Body: "That fixed it, thanks @dave!", At: at(40)}),
			rv(2001, "bob", "approved", 50),
			merged(60),
		},
		wantSuggestion: true,
		want: []shout{
			{"dave", []string{"unblocked it with an answer → " + commentURL(3002)}},
			{"bob", []string{"approved it → " + reviewURL(2001)}},
		},
		wantUnblocked: 2, // acknowledged and answered
	}, {
		name: "author only",
		steps: []step{
			opened(),
			rc(1001, "alice", "Note to self: rename later.", 5, 0),
			issueComment(payload.CommentOpts{ID: 3001, Author: "alice", Body: "Merging.", At: at(6)}),
			merged(10),
		},
		wantSuggestion: true,
		wantWhy:        "nobody but the author took part",
	}, {
		name: "bot reviewer only",
		steps: []step{
			opened(),
			review(payload.ReviewOpts{ID: 2001, Author: "Copilot", AuthorType: "Bot", State: "commented", At: at(5)}),
			review(payload.ReviewOpts{ID: 2002, Author: "renovate[bot]", AuthorType: "Bot", State: "approved", At: at(6)}),
			merged(10),
		},
		wantSuggestion: true,
		wantWhy:        "nobody but the author took part",
	}, {
		name: "conversation without a review",
		steps: []step{
			opened(),
			issueComment(payload.CommentOpts{ID: 3001, Author: "dave", Body: "+1, we need this", At: at(5)}),
			merged(10),
		},
		wantSuggestion: true,
		wantWhy:        "nobody reviewed it; conversation only",
	}, {
		name: "closed without merging",
		steps: []step{
			opened(), rv(2001, "bob", "approved", 10),
			pullRequest(payload.PROpts{Action: "closed", At: at(20)}),
		},
	}, {
		name: "a dismissed approval still counts as a review",
		steps: []step{
			opened(),
			rv(2001, "bob", "approved", 10),
			review(payload.ReviewOpts{Common: payload.Common{Sender: "alice"}, Action: "dismissed", ID: 2001, Author: "bob", At: at(10)}),
			merged(20),
		},
		wantSuggestion: true,
		want:           []shout{{"bob", []string{"reviewed it → " + reviewURL(2001)}}},
	}, {
		name: "edited and deleted review comments",
		steps: []step{
			opened(),
			rc(1001, "bob", "nit: typo", 5, 0),
			reviewComment(payload.CommentOpts{Action: "edited", ID: 1001, Author: "bob", Body: suggestion, At: at(5)}),
			rc(1002, "bob", "never mind", 6, 0),
			reviewComment(payload.CommentOpts{Action: "deleted", ID: 1002, Author: "bob", Body: "never mind", At: at(6)}),
			merged(10),
		},
		wantSuggestion: true,
		want:           []shout{{"bob", []string{"suggested a code change → " + discussionURL(1001)}}},
	}, {
		name: "a deleted comment was someone's only part",
		steps: []step{
			opened(),
			rc(1001, "dave", "wrong PR, sorry", 5, 0),
			reviewComment(payload.CommentOpts{Action: "deleted", ID: 1001, Author: "dave", Body: "wrong PR, sorry", At: at(5)}),
			rv(2001, "bob", "approved", 8),
			merged(10),
		},
		wantSuggestion: true,
		want:           []shout{{"bob", []string{"approved it → " + reviewURL(2001)}}},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := replay(t, tc.steps...)
			s := got.res.Suggestion
			if (s != nil) != tc.wantSuggestion {
				t.Fatalf("merge suggestion = %+v (why %q); want one: %v", s, got.res.Why, tc.wantSuggestion)
			}
			if s == nil {
				return
			}
			if s.Kind != recognizer.KindShoutout || s.Source.Kind != recognizer.SourceMerge || s.Author != "alice" || s.Giver != "" {
				t.Fatalf("suggestion = %+v; want a shout-out for alice's merged PR with no giver", s)
			}
			recs, why := recognizer.ShoutOut(*s, got.ledger, recognizer.DefaultConfig())
			if tc.wantWhy != "" && why != tc.wantWhy {
				t.Errorf("why = %q, want %q", why, tc.wantWhy)
			}
			var gotShouts []shout
			unblocked := 0
			for _, r := range recs {
				if r.Kind == recognizer.KindUnblocked {
					unblocked++
					if r.ID == "" || len(r.Evidence) == 0 || r.Reason == "" || r.ArtifactURL == "" {
						t.Errorf("unblocked recognition %+v lacks id, evidence, reason or artifact", r)
					}
					continue
				}
				sh := shout{who: r.Recipient}
				for _, h := range r.Highlights {
					sh.highlights = append(sh.highlights, h.Text+" → "+h.URL)
				}
				gotShouts = append(gotShouts, sh)
				if r.Kind != recognizer.KindShoutout || r.ID == "" || r.ArtifactURL == "" || r.Reason == "" {
					t.Errorf("recognition %+v lacks kind, id, artifact or reason", r)
				}
			}
			if unblocked != tc.wantUnblocked {
				t.Errorf("unblocked recognitions = %d, want %d", unblocked, tc.wantUnblocked)
			}
			if len(gotShouts) != len(tc.want) {
				t.Fatalf("shout-out = %+v\nwant %+v", gotShouts, tc.want)
			}
			for i := range tc.want {
				if gotShouts[i].who != tc.want[i].who || strings.Join(gotShouts[i].highlights, "\n") != strings.Join(tc.want[i].highlights, "\n") {
					t.Errorf("person %d:\n got %s: %s\nwant %s: %s", i, gotShouts[i].who,
						strings.Join(gotShouts[i].highlights, "; "), tc.want[i].who, strings.Join(tc.want[i].highlights, "; "))
				}
			}
		})
	}
}

func TestShoutOutIDsAreStablePerPRAndPerson(t *testing.T) {
	steps := []step{opened(), rv(2001, "bob", "approved", 10), merged(20)}
	first := replay(t, steps...)
	again := replay(t, append(steps, rv(2002, "carol", "approved", 30),
		pullRequest(payload.PROpts{Action: "reopened", At: at(40)}), merged(50))...)
	a, _ := recognizer.ShoutOut(*first.res.Suggestion, first.ledger, recognizer.DefaultConfig())
	b, _ := recognizer.ShoutOut(*again.res.Suggestion, again.ledger, recognizer.DefaultConfig())
	if len(a) != 1 || len(b) != 2 || a[0].ID != b[0].ID || b[0].ID == b[1].ID {
		t.Fatalf("ids: first merge %+v, second %+v; bob's id must not change when the PR is merged again", a, b)
	}
}

func TestShoutOutSettings(t *testing.T) {
	steps := []step{opened(), rc(1001, "carol", "nit", 5, 0), rv(2001, "bob", "approved", 10), merged(20)}
	got := replay(t, steps...)
	cfg := recognizer.DefaultConfig()
	cfg.ShoutOutReviewComments = false
	recs, _ := recognizer.ShoutOut(*got.res.Suggestion, got.ledger, cfg)
	if len(recs) != 1 || recs[0].Recipient != "bob" {
		t.Fatalf("without review comments: %+v; want bob only", recs)
	}
	cfg.ShoutOuts = false
	ev := got.ev
	if res := recognizer.Recognize(ev, recognizer.History{}, cfg, thanksNow); res.Suggestion != nil {
		t.Fatalf("shout-outs off: suggestion %+v", res.Suggestion)
	}
}
