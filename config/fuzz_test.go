package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/kudos-app/kudos/recognizer"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		Example,
		"version: 1\n",
		"",
		"version: 1\nfeatures: &a {thanks: *a}\n",
		"version: 1\na: [\n b: c",
		"version: 2\nfeatures:\n  thank: yes\nsummary: {hour: 24, weekday: mon, timezone: Mars/Base}\n",
		"version: 1\nvalues: [{tag: '#x'}, craft, {tag: a, tag: b}]\n",
		"version: 1\nsummary:\n  teams:\n    - name: a\n    - {name: a, repos: [], target: x}\n",
		"version: 1\nretention: 99999999999999999999w\n---\nx: 1\n",
		strings.Replace(Example, "  ", "\t", 3),
		"version: 1\nfeatures:\n  thanks: tr\x01ue\n\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("k.yml", data)
		if err == nil {
			if file == nil {
				t.Fatal("Parse returned neither a File nor an error")
			}
			c := file.Apply(recognizer.DefaultConfig())
			if file.Version != Version {
				t.Errorf("valid file with Version %d", file.Version)
			}
			_ = file.Apply(c)
			_ = file.Apply(recognizer.Config{})
			return
		}
		if file != nil {
			t.Error("Parse returned a File with an error")
		}
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("error %T is not Errors: %v", err, err)
		}
		if len(errs) == 0 {
			t.Fatal("empty Errors")
		}
		for i, e := range errs {
			if e == nil || e.Line < 1 || e.Msg == "" || e.File != "k.yml" {
				t.Fatalf("bad Error %#v", e)
			}
			if i > 0 && e.Line < errs[i-1].Line {
				t.Errorf("problems out of line order: %v", errs)
			}
			if lines := lastLine(asUTF8(data)); e.Line > lines {
				t.Errorf("problem on line %d of a %d-line file: %v", e.Line, lines, e)
			}
		}
	})
}
