package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// exportColumns are the CSV columns, the JSON field names of a record.
var exportColumns = []string{"id", "kind", "at", "week", "repo", "number", "giver", "recipient", "artifact_url", "reason", "values", "evidence"}

// exportOptions select what `kudos export` writes.
type exportOptions struct {
	Repo, Org    string
	Since, Until time.Time // Until is exclusive
	Format       string
}

func parseExport(args []string, getenv func(string) string, stderr io.Writer) (exportOptions, string, error) {
	var o exportOptions
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Repo, "repo", "", "export one repository (OWNER/REPO)")
	fs.StringVar(&o.Org, "org", "", "export every repository of an organisation")
	since := fs.String("since", "", "first day to include (YYYY-MM-DD or RFC 3339)")
	until := fs.String("until", "", "last day to include (YYYY-MM-DD; an RFC 3339 time is exclusive)")
	fs.StringVar(&o.Format, "format", "jsonl", "jsonl or csv")
	redisURL := fs.String("redis-url", getenv("REDIS_URL"), "Redis holding Kudos's data (REDIS_URL)")
	if err := fs.Parse(args); err != nil {
		return o, "", errUsage
	}
	switch {
	case (o.Repo == "") == (o.Org == ""):
		return o, "", errors.New("export needs exactly one of --repo OWNER/REPO or --org ORG")
	case o.Repo != "" && strings.Count(o.Repo, "/") != 1:
		return o, "", fmt.Errorf("--repo %q: want OWNER/REPO", o.Repo)
	case o.Format != "jsonl" && o.Format != "csv":
		return o, "", fmt.Errorf("--format %q: want jsonl or csv", o.Format)
	case *redisURL == "":
		return o, "", errors.New("export reads Kudos's Redis: set REDIS_URL or --redis-url")
	}
	var err error
	if o.Since, err = parseDay(*since, false); err != nil {
		return o, "", fmt.Errorf("--since: %w", err)
	}
	if o.Until, err = parseDay(*until, true); err != nil {
		return o, "", fmt.Errorf("--until: %w", err)
	}
	return o, *redisURL, nil
}

// parseDay reads a day or an instant; a day given as --until includes all
// of it.
func parseDay(v string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want YYYY-MM-DD or an RFC 3339 time", v)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// export writes the recognitions Kudos delivered, one a line, leaving out
// everyone who asked not to be named.
func export(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, url, err := parseExport(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rdb, closeRDB, err := store.Connect(ctx, url, log)
	if err != nil {
		return err
	}
	defer closeRDB()
	recs, err := exportRecords(ctx, store.New(rdb, store.Options{}), o)
	if err != nil {
		return err
	}
	return writeRecords(stdout, recs, o.Format)
}

func exportRecords(ctx context.Context, st *store.Store, o exportOptions) ([]recognizer.Record, error) {
	repos, err := st.KeptRepos(ctx)
	if err != nil {
		return nil, err
	}
	var out []recognizer.Record
	hiddenBy := map[int64]map[string]bool{}
	for _, rk := range repos {
		recs, err := st.Recognitions(ctx, rk.Installation, rk.RepoID, o.Since, o.Until)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			owner, _, _ := strings.Cut(r.Repo, "/")
			if o.Repo != "" && !strings.EqualFold(r.Repo, o.Repo) || o.Org != "" && !strings.EqualFold(owner, o.Org) {
				continue
			}
			hidden, ok := hiddenBy[rk.Installation]
			if !ok {
				if hidden, err = exportHidden(ctx, st, rk); err != nil {
					return nil, err
				}
				hiddenBy[rk.Installation] = hidden
			}
			if hidden[strings.ToLower(r.Giver)] || hidden[strings.ToLower(r.Recipient)] {
				continue
			}
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// exportHidden is who opted out of the installation, plus the repository's
// never-name list when its configuration is cached.
func exportHidden(ctx context.Context, st *store.Store, rk store.RepoKey) (map[string]bool, error) {
	hidden, err := st.OptedOut(ctx, rk.Installation)
	if err != nil {
		return nil, err
	}
	if e, err := st.Config(ctx, rk.Installation, rk.RepoID); err != nil {
		return nil, err
	} else if e != nil {
		for _, l := range e.Config.NeverName {
			hidden[strings.ToLower(l)] = true
		}
	}
	return hidden, nil
}

func writeRecords(w io.Writer, recs []recognizer.Record, format string) error {
	if format == "jsonl" {
		enc := json.NewEncoder(w)
		for _, r := range recs {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("write record %s: %w", r.ID, err)
			}
		}
		return nil
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	for _, r := range recs {
		row := []string{r.ID, r.Kind, r.At.UTC().Format(time.RFC3339), r.Week, r.Repo, strconv.Itoa(r.Number),
			r.Giver, r.Recipient, r.ArtifactURL, r.Reason, strings.Join(r.Values, ";"), strings.Join(r.Evidence, ";")}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write record %s: %w", r.ID, err)
		}
	}
	cw.Flush()
	return cw.Error()
}
