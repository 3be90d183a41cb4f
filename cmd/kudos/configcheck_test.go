package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kudos-app/kudos/config"
)

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kudos.yml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigCheck(t *testing.T) {
	ok := writeConfig(t, "version: 1\nfeatures:\n  summaries: false\ncommands:\n  aliases: [props]\nretention: 90d\n")
	bad := writeConfig(t, "version: 1\nfeaturs: {}\nsummary:\n  hour: 24\n")
	huge := writeConfig(t, "version: 1\n"+strings.Repeat("#", config.MaxSize)+"\n")
	example := writeConfig(t, config.Example)
	missing := filepath.Join(t.TempDir(), "nope.yml")

	for _, tc := range []struct {
		name       string
		args       []string
		wantErr    bool
		stdout     []string // each must appear
		stderr     []string // each must appear, as whole lines
		noStdout   bool
		errIs      error
		errContain string
	}{
		{name: "ok file", args: []string{ok},
			stdout: []string{ok + ": ok\n", "thanks on", "summaries off", "/thanks /kudos /shoutout /props",
				"retention:  90 days", "20 thanks per person per hour", "Mondays at 09:00 UTC",
				"one summary per repository"}},
		{name: "example file", args: []string{example},
			stdout: []string{example + ": ok\n", "/props /ty", "#teamwork (Helping each other get unstuck), #craft",
				"carol, members of acme/legal", "13 weeks", "after a wait of 48 hours", "Mondays at 09:00 Europe/Berlin",
				"platform: acme/widgets, acme/gears, members of acme/platform → acme/platform-notes"}},
		{name: "bad file", args: []string{bad}, wantErr: true, noStdout: true, errIs: errConfigInvalid,
			errContain: bad + ": 2 problems",
			stderr: []string{
				bad + `:2: unknown key "featurs" (did you mean "features"?)`,
				bad + `:4: summary.hour: want a whole number from 0 to 23, got 24`,
			}},
		{name: "oversized file", args: []string{huge}, wantErr: true, noStdout: true, errIs: errConfigInvalid,
			stderr: []string{huge + ":1: file is 65548 bytes; the limit is 65536"}},
		{name: "missing file", args: []string{missing}, wantErr: true, noStdout: true, errIs: fs.ErrNotExist,
			errContain: "cannot read config: open " + missing + ": no such file or directory"},
		{name: "no file", args: nil, wantErr: true, noStdout: true, errContain: "want one FILE, or --example",
			stderr: []string{"kudos config check FILE"}},
		{name: "two files", args: []string{ok, ok}, wantErr: true, noStdout: true},
		{name: "unknown flag", args: []string{"--bogus"}, wantErr: true, noStdout: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := configCheck(tc.args, &out, &errOut)
			if (err != nil) != tc.wantErr {
				t.Fatalf("configCheck(%q) = %v, want error: %v\nstdout:\n%s\nstderr:\n%s", tc.args, err, tc.wantErr, &out, &errOut)
			}
			if tc.errIs != nil && !errors.Is(err, tc.errIs) {
				t.Errorf("error %v is not %v", err, tc.errIs)
			}
			if tc.errContain != "" && !strings.Contains(err.Error(), tc.errContain) {
				t.Errorf("error %q lacks %q", err, tc.errContain)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, &out)
				}
			}
			if tc.noStdout && out.Len() > 0 {
				t.Errorf("stdout = %q, want nothing", &out)
			}
			lines := strings.Split(errOut.String(), "\n")
			for _, want := range tc.stderr {
				found := false
				for _, l := range lines {
					found = found || strings.Contains(l, want)
				}
				if !found {
					t.Errorf("stderr lacks %q:\n%s", want, &errOut)
				}
			}
		})
	}
}

func TestConfigCheckProblemsMatchParse(t *testing.T) {
	src := "version: 3\nvalues:\n  - tag: 1x\n  - tag: ok\n  - tag: OK\n"
	path := writeConfig(t, src)
	var out, errOut bytes.Buffer
	err := configCheck([]string{path}, &out, &errOut)
	_, perr := config.Parse(path, []byte(src))
	if err == nil || perr == nil {
		t.Fatalf("configCheck = %v, Parse = %v; want both to fail", err, perr)
	}
	if got, want := errOut.String(), perr.Error()+"\n"; got != want {
		t.Errorf("stderr:\n%s\nwant Parse's messages:\n%s", got, want)
	}
	var errs config.Errors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Errorf("errors.As(%v) found %v, want the 3 problems", err, errs)
	}
}

func TestConfigCheckExample(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := configCheck([]string{"--example"}, &out, &errOut); err != nil {
		t.Fatalf("--example: %v\n%s", err, &errOut)
	}
	if out.String() != config.Example {
		t.Errorf("--example printed something other than config.Example")
	}
	if _, err := config.Parse("example.yml", out.Bytes()); err != nil {
		t.Errorf("--example output does not parse:\n%v", err)
	}
	if err := configCheck([]string{"--example", "x.yml"}, &out, &errOut); err == nil {
		t.Error("--example with a FILE: want an error")
	}
}
