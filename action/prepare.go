package action

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// prepareThanks applies what the webhook could not know to a thanks
// reply: the repository's configuration (reporting an invalid file once),
// who asked not to be named, which logins are real accounts, and the
// giver's rate limit. prep is what was read from Redis with the lock; a
// configuration it misses is read through the ConfigReader. It returns
// why nothing is left to post, if so, and whether it marked the reply's
// new items attempted with the rate limit.
func (w *Worker) prepareThanks(ctx context.Context, s *recognizer.Suggestion, states map[string]store.ItemState, prep *store.Prepared, log *slog.Logger) (why string, marked bool, err error) {
	inst := s.InstallationID
	entry, err := w.preparedConfig(ctx, *s, prep)
	if err != nil {
		return "", false, err
	}
	cfg := entry.Config
	if err := w.reportConfig(ctx, *s, entry.Problems, entry.SHA, entry.Path); err != nil {
		return "", false, err
	}
	if !cfg.Thanks {
		s.Recognitions = nil
	}
	hidden := neverNamed(prep.OptedOut, cfg.NeverName)
	s.AnonymousGiver = hidden[lower(s.Giver)]
	for i := range s.Notices {
		if s.Notices[i].Kind == recognizer.NoticeHelp {
			s.Notices[i].Text = HelpText(cfg)
		}
	}
	var keep []recognizer.Recognition
	for _, r := range s.Recognitions {
		exists, err := w.accountExists(ctx, *s, prep.Users, r.Recipient)
		if err != nil {
			return "", false, err
		}
		if !exists {
			s.Notices = append(s.Notices, recognizer.Notice{ID: noAccountID(r),
				Text: fmt.Sprintf("`%s` isn't a GitHub account, so there is nobody to thank there. A typo?", r.Recipient)})
			continue
		}
		r.Anonymous = hidden[lower(r.Recipient)]
		keep = append(keep, r)
	}
	s.Recognitions = keep
	if len(s.Recognitions) == 0 {
		return "no recognitions left", false, nil
	}
	// Rate limit: only what is still to be delivered counts.
	n := 0
	for _, r := range s.Recognitions {
		if states[r.ID] == store.ItemNew {
			n++
		}
	}
	if n == 0 {
		return "", false, nil
	}
	// The reply's new items are marked attempted with the tokens taken,
	// before it is posted. If it then is not (an earlier post found,
	// GitHub refusing it), a later attempt only looks for their markers
	// on GitHub before posting them.
	var attempt []string
	for _, id := range s.ItemIDs() {
		if states[id] == store.ItemNew {
			attempt = append(attempt, id)
		}
	}
	ok, err := w.opts.Store.TakeThanks(ctx, inst, s.Giver, n, cfg.ThanksPerHour, w.opts.Now(), attempt)
	if err != nil {
		return "", false, err
	}
	if ok {
		return "", true, nil
	}
	log.Info("giver over the rate limit", slog.String("giver", s.Giver), slog.Int("thanks", n), slog.Int("per_hour", cfg.ThanksPerHour))
	first, err := w.opts.Store.FirstLimitNotice(ctx, inst, s.Giver)
	if err != nil {
		return "", false, err
	}
	s.Recognitions = nil
	if !first {
		s.Notices = nil // one short reply, then silence
		return "over the rate limit, already told", false, nil
	}
	s.Notices = []recognizer.Notice{{ID: s.Key() + "-limit",
		Text: fmt.Sprintf("That's a lot of thanks this hour — Kudos posts up to %d an hour per person, so it is skipping these. It picks up again within the hour.", cfg.ThanksPerHour)}}
	return "", false, nil
}

// preparedConfig is the configuration of s's repository: as the lock's
// reads found it cached, else read from GitHub.
func (w *Worker) preparedConfig(ctx context.Context, s recognizer.Suggestion, prep *store.Prepared) (*store.ConfigEntry, error) {
	if prep.Config != nil {
		return prep.Config, nil
	}
	return w.configs.Fetch(ctx, s.InstallationID, s.RepoID, s.Owner, s.Repo)
}

// neverNamed adds the never-name list to the opted-out logins
// (lower-case), in place, and returns them: everyone who must not be
// named.
func neverNamed(optedOut map[string]bool, never []string) map[string]bool {
	if optedOut == nil {
		optedOut = map[string]bool{}
	}
	for _, l := range never {
		optedOut[lower(l)] = true
	}
	return optedOut
}

// lockReads are what a thanks reads with its lock: the items whose states
// it needs — its own, and the notice preparing it adds for each
// looked-up recipient who is no account, so a repeated thanks knows that
// notice was posted — and the recipients whose accounts accountExists
// may have to look up: those who did not take part in the PR.
func lockReads(s recognizer.Suggestion) (ids, logins []string) {
	ids = s.ItemIDs()
	for _, r := range s.Recognitions {
		if !s.ArtifactOf(r.Recipient) {
			ids = append(ids, noAccountID(r))
			logins = append(logins, r.Recipient)
		}
	}
	return ids, logins
}

// noAccountID is the item of the notice that r's recipient is no GitHub
// account.
func noAccountID(r recognizer.Recognition) string { return r.ID + "-noaccount" }

// accountExists checks a recipient is a real GitHub account. Anyone who
// took part in the PR is; others are looked up once a day. known is the
// account cache read with the lock (lower-case logins).
func (w *Worker) accountExists(ctx context.Context, s recognizer.Suggestion, known map[string]bool, login string) (bool, error) {
	if s.ArtifactOf(login) {
		return true, nil
	}
	if exists, cached := known[lower(login)]; cached {
		return exists, nil
	}
	exists, err := w.opts.Poster.UserExists(ctx, s.InstallationID, login)
	if err != nil {
		return false, err
	}
	if err := w.opts.Store.RememberUser(ctx, s.InstallationID, login, exists); err != nil {
		return false, err
	}
	return exists, nil
}

// reportConfig posts, once per file version, why the configuration could
// not be used, on the PR or issue where someone just used a command.
func (w *Worker) reportConfig(ctx context.Context, s recognizer.Suggestion, problems []string, sha, path string) error {
	if len(problems) == 0 {
		return nil
	}
	first, err := w.opts.Store.FirstConfigReport(ctx, s.InstallationID, s.RepoID, sha)
	if err != nil || !first {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "⚠️ Kudos could not use `%s`, so it is running with its defaults until the file is fixed:\n\n", path)
	for _, p := range problems {
		fmt.Fprintf(&b, "- `%s`\n", strings.ReplaceAll(p, "`", "'"))
	}
	b.WriteString("\nCheck a file locally with `kudos config check .github/kudos.yml`.\n\n")
	b.WriteString(recognizer.Marker("config-" + sha))
	b.WriteString("\n")
	_, err = w.opts.Poster.CreateComment(ctx, s.InstallationID, s.Owner, s.Repo, s.Number, b.String())
	if IsPermanent(err) {
		w.opts.Logger.Error("could not report the invalid configuration", slog.Any("err", err))
		return nil
	}
	return err
}

// HelpText is the reply to /kudos help: usage and the team's values.
func HelpText(cfg recognizer.Config) string {
	var b strings.Builder
	verbs := []string{"/thanks", "/kudos", "/shoutout"}
	for _, a := range cfg.Aliases {
		verbs = append(verbs, "/"+a)
	}
	b.WriteString("**Kudos** helps you thank people where the work happened.\n\n")
	fmt.Fprintf(&b, "- `/thanks @someone [@someone …] [for what they did]` — Kudos replies with a link to what they did (also %s).\n", "`"+strings.Join(verbs[1:], "`, `")+"`")
	b.WriteString("- `/kudos opt-out` / `/kudos opt-in` — stop or resume being named by Kudos.\n")
	b.WriteString("- `/kudos help` — this message.\n")
	if len(cfg.Values) == 0 {
		b.WriteString("\nTag a reason with `#words` to tie it to what your team values.")
		return b.String()
	}
	b.WriteString("\nYour team's values, to tag reasons with:\n")
	for _, v := range cfg.Values {
		if v.Description != "" {
			fmt.Fprintf(&b, "- `#%s` — %s\n", v.Tag, Clean(v.Description))
		} else {
			fmt.Fprintf(&b, "- `#%s`\n", v.Tag)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func lower(s string) string { return strings.ToLower(s) }
