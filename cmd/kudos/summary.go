package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/kudos-app/kudos/action"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// summary implements `kudos summary`: build one team's weekly summary now
// and post it (or print it).
func summary(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	repo := fs.String("repo", "", "the repository (OWNER/REPO) whose summary, or whose configured team's, to build")
	team := fs.String("team", "", "a team from the repository's summary configuration; default: the repository itself")
	week := fs.String("week", "", "the ISO week, e.g. 2026-W47; default: last week in the summary's time zone")
	printOnly := fs.Bool("print", false, "print the summary instead of posting it")
	redisURL := fs.String("redis-url", getenv("REDIS_URL"), "Redis holding Kudos's data (REDIS_URL)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if strings.Count(*repo, "/") != 1 {
		return fmt.Errorf("summary needs --repo OWNER/REPO")
	}
	if *redisURL == "" {
		return errors.New("summary reads Kudos's Redis: set REDIS_URL or --redis-url")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rdb, closeRDB, err := store.Connect(ctx, *redisURL, log)
	if err != nil {
		return err
	}
	defer closeRDB()
	st := store.New(rdb, store.Options{})
	gh, err := summaryGitHub(getenv, *printOnly, log)
	if err != nil {
		return err
	}
	rk, ok, err := st.FindRepo(ctx, *repo)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("kudos has no data for %s: no webhook from it was seen", *repo)
	}
	owner, name, _ := strings.Cut(*repo, "/")
	configs := &action.ConfigReader{Store: st, Poster: gh, Defaults: recognizer.DefaultConfig(), Logger: log}
	entry, err := configs.Load(ctx, rk.Installation, rk.RepoID, owner, name)
	if err != nil {
		return err
	}
	sc, err := action.ScopeOf(rk.Installation, *repo, *team, entry.Config)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(entry.Config.Summary.Timezone)
	if err != nil {
		return fmt.Errorf("summary time zone: %w", err)
	}
	w := recognizer.WeekOf(time.Now(), loc).Prev()
	if *week != "" {
		if w, err = recognizer.ParseWeek(*week, loc); err != nil {
			return fmt.Errorf("--week: %w", err)
		}
	}
	sum := &action.Summarizer{Store: st, GitHub: gh, Logger: log}
	if *printOnly {
		s, err := sum.Build(ctx, sc, w)
		if err != nil {
			return err
		}
		if s.Empty {
			fmt.Fprintf(stdout, "Nothing to summarise for %s in %s.\n", sc.Name, w)
			return nil
		}
		fmt.Fprintf(stdout, "# %s\n\n%s", s.Title, s.Body)
		return nil
	}
	is, err := sum.Post(ctx, sc, w)
	if err != nil {
		return err
	}
	if is.Number == 0 {
		fmt.Fprintf(stdout, "Nothing to summarise for %s in %s: no issue opened.\n", sc.Name, w)
		return nil
	}
	if err := st.SummaryPosted(ctx, rk.Installation, sc.Name, w.String(), is.URL, is.Number); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", is.URL)
	return nil
}

// summaryGitHub is the App's GitHub client from the environment; printing
// works without one, filtering as strictly as for a public repository.
type summaryPoster interface {
	action.Poster
	action.SummaryGitHub
}

func summaryGitHub(getenv func(string) string, printOnly bool, log *slog.Logger) (summaryPoster, error) {
	appID, _ := strconv.ParseInt(getenv("GITHUB_APP_ID"), 10, 64)
	cfg := serveConfig{AppID: appID, PrivateKey: getenv("GITHUB_PRIVATE_KEY"), PrivateKeyPath: getenv("GITHUB_PRIVATE_KEY_PATH")}
	if appID == 0 || cfg.PrivateKey == "" && cfg.PrivateKeyPath == "" {
		if printOnly {
			return &action.DryRun{Logger: log}, nil
		}
		return nil, errors.New("posting a summary needs GITHUB_APP_ID and GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_PATH (or use --print)")
	}
	key, err := cfg.privateKey()
	if err != nil {
		return nil, err
	}
	return action.NewGitHub(action.GitHubOptions{AppID: appID, PrivateKey: key, APIURL: or(getenv("GITHUB_API_URL"), action.DefaultAPIURL), Logger: log})
}
