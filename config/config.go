// Package config reads a repository's .github/kudos.yml into a
// recognizer.Config.
//
// The file is YAML, schema version 1 (see Example). Parsing is strict:
// unknown keys, wrong types and out-of-range values are errors, and Parse
// reports every problem it finds at once, each with the line at fault.
// Keys the file does not set keep their defaults: Apply lays a File over
// a base Config (usually recognizer.DefaultConfig()).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must resolve on machines without system tzdata
	"unicode/utf16"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kudos-app/kudos/recognizer"
)

// Path is where a repository keeps its Kudos configuration.
const Path = ".github/kudos.yml"

// Version is the schema version this package reads.
const Version = 1

// MaxSize is the largest configuration file Parse accepts, in bytes.
const MaxSize = 64 << 10

// File is a decoded .github/kudos.yml (schema version 1).
//
// Every field records whether the file set it: a nil pointer or a nil
// slice means "not set, keep the base value"; a non-nil empty slice means
// the file set an empty list.
type File struct {
	Version int

	// features:
	Thanks     *bool // features.thanks
	ShoutOuts  *bool // features.shoutouts
	Unblocking *bool // features.unblocking
	Summaries  *bool // features.summaries

	Aliases []string // commands.aliases, lower-case

	Values []recognizer.Value // values; tags lower-case

	ShoutOutReviewComments *bool // shoutouts.review_comments

	NeverName      []string // privacy.never_name.users, lower-case
	NeverNameTeams []string // privacy.never_name.teams, "org/slug", lower-case

	Retention     *time.Duration // retention
	ThanksPerHour *int           // limits.thanks_per_hour
	LongWait      *time.Duration // unblocking.long_wait_hours

	Weekday  *time.Weekday     // summary.weekday
	Hour     *int              // summary.hour
	Timezone *string           // summary.timezone (IANA name)
	Teams    []recognizer.Team // summary.teams
}

// Error is one problem in a config file, with the line at fault.
type Error struct {
	File string
	Line int // 1-based
	Msg  string
}

// Error returns "FILE:LINE: MSG".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Errors is every problem found in one file, in line order.
type Errors []*Error

// Error returns the problems one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Parse decodes and validates data, the contents of a config file; name is
// the path shown in messages. On any problem it returns a nil *File and an
// Errors value listing every problem found, in line order.
func Parse(name string, data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, Errors{{File: name, Line: 1,
			Msg: fmt.Sprintf("file is %d bytes; the limit is %d", len(data), MaxSize)}}
	}
	root, errs := decode(name, data)
	if errs != nil {
		return nil, errs
	}
	w := &walker{name: name}
	w.rejectAliases(root)
	f := w.file(root)
	if len(w.errs) > 0 {
		slices.SortStableFunc(w.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, w.errs
	}
	return f, nil
}

// decode reads the single YAML document in data and returns its root node.
func decode(name string, data []byte) (*yaml.Node, Errors) {
	fail := func(line int, format string, args ...any) (*yaml.Node, Errors) {
		if line < 1 {
			line = 1
		}
		return nil, Errors{{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := safeDecode(dec, &doc); {
	case errors.Is(err, io.EOF):
		return fail(1, "empty file: needs at least `version: 1`")
	case err != nil:
		return fail(yamlError(data, err))
	}
	// Further documents are a mistake (a stray "---"), unless empty.
	for {
		var extra yaml.Node
		err := safeDecode(dec, &extra)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(yamlError(data, err))
		}
		if n := content(&extra); n != nil && !isNull(n) {
			return fail(n.Line, "a second YAML document starts here (after a --- line): put every setting in one document")
		}
	}
	root := content(&doc)
	if isNull(root) { // nothing, or only "~" or "null"
		return fail(1, "empty file: needs at least `version: 1`")
	}
	return root, nil
}

// parserProblems are the messages of the YAML library's parser errors,
// whose line numbers count from 0.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// readerProblems are the messages of the YAML library's reader errors,
// which carry no line.
var readerProblems = map[string]bool{
	"control characters are not allowed": true,
	"invalid leading UTF-8 octet":        true,
	"incomplete UTF-8 octet sequence":    true,
	"invalid trailing UTF-8 octet":       true,
	"invalid length of a UTF-8 sequence": true,
	"invalid Unicode character":          true,
}

// badCharLine is the line of the first byte YAML does not accept in a
// UTF-8 file: a control character, a non-character or bad UTF-8; 1 if
// there is none.
func badCharLine(data []byte) int {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		bad := r == utf8.RuneError && size <= 1 ||
			r < 0x20 && r != '\t' && r != '\n' && r != '\r' ||
			r >= 0x7f && r <= 0x9f && r != 0x85 ||
			r >= 0xd800 && r <= 0xdfff || r == 0xfffe || r == 0xffff
		if bad {
			return lastLine(data[:i+1])
		}
		i += size
	}
	return 1
}

// asUTF8 returns data as UTF-8: YAML files may also be UTF-16 with a byte
// order mark.
func asUTF8(data []byte) []byte {
	if len(data) < 2 || !(data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff) {
		return data
	}
	bigEndian := data[0] == 0xfe
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		if bigEndian {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	return []byte(string(utf16.Decode(units)))
}

// lastLine is the number of the last line in data that has something on
// it, counting line breaks as YAML does: "\r\n", "\r", "\n", U+0085,
// U+2028 and U+2029.
func lastLine(data []byte) int {
	line, last := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch r {
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				size++
			}
			line++
		case '\n', 0x85, 0x2028, 0x2029:
			line++
		default:
			last = line
		}
		i += size
	}
	return last
}

// safeDecode is dec.Decode with any panic inside the YAML library turned
// into an error, so that Parse never panics.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot read this file (%v)", r)
		}
	}()
	return dec.Decode(n)
}

// content returns the root of a document node, or nil.
func content(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		return doc.Content[0]
	}
	if doc.Kind == 0 {
		return nil
	}
	return doc
}

// yamlError turns an error from the YAML library into a line and a
// message. Its messages look like "yaml: line 3: did not find expected key";
// without a line the problem is on line 1, except for undefined aliases,
// whose line is looked up in data.
func yamlError(data []byte, err error) (int, string, string) {
	data = asUTF8(data)
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0 // as the library counts: see below
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil && n > 0 {
				line, msg = n, after
			}
		}
	}
	// The library numbers lines from 1 in the scanner's errors but from 0
	// in the parser's (and leaves "line 0" out of both), so the parser's
	// need one more.
	if parserProblems[msg] || line == 0 {
		line++
	}
	// At the end of the input the library counts one line past the last.
	line = max(1, min(line, lastLine(data)))
	if readerProblems[msg] {
		// The reader gives no line: find the first character at fault.
		line = badCharLine(data)
	}
	if anchor, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		anchor = strings.TrimSuffix(anchor, "' referenced")
		line = 1
		if i := bytes.Index(data, []byte("*"+anchor)); i >= 0 {
			line = 1 + bytes.Count(data[:i], []byte("\n"))
		}
		return line, "%s", fmt.Sprintf("YAML aliases (*%s) are not supported: write the value out in full", shorten(anchor))
	}
	return line, "YAML syntax error: %s", msg
}
