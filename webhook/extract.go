package webhook

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-github/v66/github"
	"github.com/tidwall/gjson"

	"github.com/kudos-app/kudos/recognizer"
)

// Extract is Normalize's fast path: it reads only the fields the recognizer
// needs with a field-extracting JSON reader, never decoding whole go-github
// types. It returns exactly what Normalize returns (the same Event, and
// errUnhandled or a "decode <event> payload: ..." error in the same cases)
// for every payload.
//
// Agreeing with Normalize on every payload means agreeing with
// encoding/json, which fails a payload that is not valid JSON anywhere, or
// that holds a value of the wrong JSON type anywhere in the go-github
// struct (a string where go-github has an int, an unparseable timestamp,
// ...), including fields Kudos never reads. So Extract first checks the
// syntax as json.Unmarshal does (with gjson's faster validator, which
// accepts the same grammar), then walks the payload once with gjson against
// a schema derived at start-up, by reflection, from the go-github type
// Normalize decodes into. The walk type-checks every field go-github knows,
// skips the others, and keeps the raw bytes of the few fields the
// recognizer needs; only those become strings, numbers and times, by
// encoding/json's rules: keys match case-insensitively, a later duplicate
// key wins (and merges into an object), JSON null resets a field, invalid
// UTF-8 and lone surrogates become U+FFFD.
//
// Where Normalize panics (a push whose commits array holds a null), Extract
// skips the null commit instead.
func Extract(eventType, delivery string, payload []byte) (recognizer.Event, error) {
	return extract(&gjsonReader, eventType, delivery, payload)
}

// valueKind is the JSON type of a value handed over by a jsonReader.
type valueKind uint8

const (
	vNull valueKind = iota
	vBool
	vNumber
	vString
	vObject
	vArray
)

// jsonReader is what the walk needs from a JSON library: a syntax check
// identical to json.Valid, and iteration over the members of an object and
// the elements of an array of an already validated payload. A string value
// is handed over as the bytes between its quotes, still escaped; an object
// key unescaped (invalid UTF-8 may stay: it matches no field either way);
// every other value as its raw JSON text. The benchmarks drive the same
// walk with the other library tried, jsonparser.
type jsonReader struct {
	valid  func(data []byte) bool
	root   func(data []byte) ([]byte, valueKind, error)
	object func(w *walker, n *node, raw []byte) error
	array  func(w *walker, n *node, raw []byte) error
}

// gjsonReader reads with github.com/tidwall/gjson. gjson reads strings,
// so it is handed the payload as one without copying (the payload is not
// changed while Extract runs, and the walk copies every byte it keeps).
var gjsonReader = jsonReader{
	valid: validJSON,
	root:  rootValue,
	object: func(w *walker, n *node, raw []byte) error {
		var err error
		var buf [maxNameLen]byte
		gjson.Result{Type: gjson.JSON, Raw: bytesString(raw)}.ForEach(func(key, value gjson.Result) bool {
			// The key as encoding/json unquotes it (gjson's own unquoting
			// differs on invalid surrogates).
			k := stringBytes(key.Raw)
			k = k[1 : len(k)-1]
			if bytes.IndexByte(k, '\\') >= 0 {
				k = appendUnquoted(buf[:0], k)
			}
			v, vk := gjsonValue(value)
			err = w.member(n, k, v, vk)
			return err == nil
		})
		return err
	},
	array: func(w *walker, n *node, raw []byte) error {
		var err error
		gjson.Result{Type: gjson.JSON, Raw: bytesString(raw)}.ForEach(func(_, value gjson.Result) bool {
			v, vk := gjsonValue(value)
			err = w.element(n, v, vk)
			return err == nil
		})
		return err
	},
}

// maxNestingDepth is encoding/json's limit on nested arrays and objects.
const maxNestingDepth = 10000

// validJSON is json.Valid, faster: gjson's validator accepts exactly the
// grammar encoding/json's scanner does, but knows no nesting limit, which
// only a payload with more than maxNestingDepth brackets can exceed.
func validJSON(data []byte) bool {
	if !gjson.ValidBytes(data) {
		return false
	}
	if bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) <= maxNestingDepth {
		return true
	}
	return json.Valid(data)
}

// gjsonValue returns the bytes and kind of a value gjson found.
func gjsonValue(r gjson.Result) ([]byte, valueKind) {
	v := stringBytes(r.Raw)
	switch r.Type {
	case gjson.String:
		return v[1 : len(v)-1], vString
	case gjson.Number:
		return v, vNumber
	case gjson.True, gjson.False:
		return v, vBool
	case gjson.JSON:
		if v[0] == '[' {
			return v, vArray
		}
		return v, vObject
	}
	return v, vNull
}

func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func stringBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// rootValue returns the top-level value of a valid JSON text.
func rootValue(data []byte) ([]byte, valueKind, error) {
	start, end := 0, len(data)
	for start < end && isSpace(data[start]) {
		start++
	}
	for end > start && isSpace(data[end-1]) {
		end--
	}
	v := data[start:end]
	if len(v) == 0 {
		return nil, vNull, errors.New("no JSON value")
	}
	switch v[0] {
	case '{':
		return v, vObject, nil
	case '[':
		return v, vArray, nil
	case '"':
		return v[1 : len(v)-1], vString, nil
	case 't', 'f':
		return v, vBool, nil
	case 'n':
		return v, vNull, nil
	}
	return v, vNumber, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// errMalformed is wrapped by the errors Extract finds itself.
var errMalformed = errors.New("malformed payload")

func decodeError(eventType, format string, args ...any) error {
	return fmt.Errorf("decode %s payload: %w: %s", eventType, errMalformed, fmt.Sprintf(format, args...))
}

func extract(r *jsonReader, eventType, delivery string, payload []byte) (recognizer.Event, error) {
	sc := schemas[eventType]
	if sc == nil {
		return recognizer.Event{}, errUnhandled
	}
	if !r.valid(payload) {
		return recognizer.Event{}, decodeError(eventType, "invalid JSON")
	}
	val, k, err := r.root(payload)
	if err != nil {
		return recognizer.Event{}, decodeError(eventType, "%v", err)
	}
	if k == vNull {
		// json.Unmarshal sets ParseWebHook's interface to nil.
		return recognizer.Event{}, fmt.Errorf("decode %s payload: empty payload", eventType)
	}
	w := walkers.Get().(*walker)
	defer w.release()
	w.r = r
	if err := w.value(sc.root, val, k); err != nil {
		return recognizer.Event{}, decodeError(eventType, "%v", err)
	}
	ev := recognizer.Event{DeliveryID: delivery, Kind: recognizer.EventKind(eventType)}
	return w.event(ev)
}

// ---- the schema ----

type nodeKind uint8

const (
	kAny    nodeKind = iota // interface{}: any JSON; numbers must fit a float64
	kString                 // string
	kBool                   // bool
	kInt                    // int, int64 (bits)
	kTime                   // *github.Timestamp
	kStruct                 // *struct
	kSlice                  // []T
	kMap                    // map[string]T
)

// slot names a field the recognizer needs.
type slot int8

const (
	noSlot slot = iota - 1
	sAction
	sInstallation
	sRepoID
	sRepoOwnerLogin
	sRepoOwnerName
	sRepoName
	sRepoFullName
	sRepoPrivate
	sRepoURL
	sRepoDefaultBranch
	sSenderLogin
	sSenderType
	sNumber
	sIsPR // presence of issue.pull_request
	sTargetURL
	sTargetLogin
	sTargetType
	sCommentID
	sCommentLogin
	sCommentType
	sCommentBody
	sCommentURL
	sCommentAt
	sInReplyTo
	sReviewState
	sMerged
	sMergedByLogin
	sMergedByType
	sRequestedReviewer
	sHeadSHA
	sTitle
	sAfter
	sMergedAt
	sClosedAt
	sCreatedAt
	sUpdatedAt
	sRef
	nSlots
	// sElemID is the id of the repositories_removed element being read.
	sElemID = nSlots
)

// coll marks the arrays whose elements Normalize ranges over.
type coll uint8

const (
	collNone     coll = iota
	collCommits       // push: commits
	collAdded         // push: commits[].added
	collModified      // push: commits[].modified
	collRemoved       // push: commits[].removed
	collRepos         // installation_repositories: repositories_removed
)

// node is the schema of one Go type as encoding/json decodes it. Nodes are
// shared between the places a type occurs, except along the paths of
// extracted fields, where each event's tree has its own copies.
type node struct {
	kind nodeKind
	// nullable: JSON null resets the Go value (pointer, slice, map,
	// interface); it is ignored for a plain string, bool or int.
	nullable bool
	bits     int              // kInt
	fields   map[string]*node // kStruct: by JSON name
	folded   map[string]*node // kStruct: by foldName(JSON name), first wins
	elem     *node            // kSlice, kMap

	typ reflect.Type // kStruct, kSlice, kMap

	owned bool   // copied for one event's tree: may hold slots below
	slot  slot   // a leaf's slot, or a struct's presence slot
	coll  coll   // kSlice
	reset []slot // the slots under this node, reset by JSON null
}

// schema is one event type's tree.
type schema struct{ root *node }

var (
	schemas map[string]*schema
	anyNode = &node{kind: kAny, nullable: true, slot: noSlot}
)

var (
	timestampType       = reflect.TypeFor[github.Timestamp]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// maxWalkDepth is how deep the walk follows nested objects and arrays
// itself. Every extracted field is shallower.
const maxWalkDepth = 12

// maxNameLen bounds the JSON names of go-github fields (checked when the
// schema is built), so that longer keys need no folding.
const maxNameLen = 64

type schemaBuilder map[reflect.Type]*node

// build returns the node of t. It panics on a Go type shape the walk does
// not mirror, so that a go-github upgrade that brings one fails every test.
func (b schemaBuilder) build(t reflect.Type) *node {
	if n, ok := b[t]; ok {
		return n
	}
	if t != reflect.PointerTo(timestampType) && t.Kind() != reflect.Interface &&
		(t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
			t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)) {
		panic("webhook: Extract does not mirror the custom JSON decoding of " + t.String())
	}
	n := &node{slot: noSlot}
	switch t.Kind() {
	case reflect.Pointer:
		e := t.Elem()
		switch {
		case e == timestampType:
			n.kind, n.nullable = kTime, true
		case e.Kind() == reflect.Struct || e.Kind() == reflect.Slice || e.Kind() == reflect.Map:
			return b.build(e) // null resets these like the pointer
		case e.Kind() == reflect.Pointer:
			panic("webhook: Extract does not mirror " + t.String())
		case e.Kind() == reflect.String || e.Kind() == reflect.Bool || isInt(e.Kind()):
			*n = *b.build(e)
			n.nullable = true
		default:
			panic("webhook: Extract does not mirror " + t.String())
		}
	case reflect.String:
		n.kind = kString
	case reflect.Bool:
		n.kind = kBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n.kind, n.bits = kInt, t.Bits()
	case reflect.Interface:
		if t.NumMethod() != 0 {
			panic("webhook: Extract does not mirror " + t.String())
		}
		return anyNode
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			panic("webhook: Extract does not mirror " + t.String())
		}
		n.kind, n.nullable, n.typ = kSlice, true, t
		b[t] = n
		n.elem = b.build(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic("webhook: Extract does not mirror " + t.String())
		}
		n.kind, n.nullable, n.typ = kMap, true, t
		b[t] = n
		n.elem = b.build(t.Elem())
	case reflect.Struct:
		if t == timestampType {
			panic("webhook: Extract does not mirror a github.Timestamp that is not a pointer")
		}
		n.kind, n.nullable, n.typ = kStruct, true, t
		n.fields, n.folded = map[string]*node{}, map[string]*node{}
		b[t] = n
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				panic("webhook: Extract does not mirror the embedded field " + t.String() + "." + f.Name)
			}
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(","+opts+",", ",string,") {
				panic("webhook: Extract does not mirror the ,string option of " + t.String() + "." + f.Name)
			}
			if !isValidTag(name) {
				name = f.Name
			}
			if _, dup := n.fields[name]; dup || len(name) >= maxNameLen {
				panic("webhook: Extract does not mirror the JSON name of " + t.String() + "." + f.Name)
			}
			if f.Type.Kind() == reflect.Struct {
				panic("webhook: Extract does not mirror the struct field " + t.String() + "." + f.Name)
			}
			c := b.build(f.Type)
			n.fields[name] = c
			if k := string(foldName([]byte(name))); n.folded[k] == nil {
				n.folded[k] = c
			}
		}
		return n
	default:
		panic("webhook: Extract does not mirror " + t.String())
	}
	b[t] = n
	return n
}

func isInt(k reflect.Kind) bool {
	return k == reflect.Int || k == reflect.Int8 || k == reflect.Int16 || k == reflect.Int32 || k == reflect.Int64
}

// isValidTag is encoding/json's.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// foldName is encoding/json's: foldName(x) == foldName(y) exactly when
// bytes.EqualFold(x, y).
func foldName(in []byte) []byte {
	var out []byte
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return out
}

func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}

// field finds the node of key in a struct node the way encoding/json finds
// a struct field: exact name first, then case-insensitively.
func (n *node) field(key []byte) *node {
	if c, ok := n.fields[string(key)]; ok {
		return c
	}
	// foldName without allocating; a key folding to more than maxNameLen
	// bytes matches no field.
	var buf [maxNameLen]byte
	w := 0
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			if w == len(buf) {
				return nil
			}
			buf[w] = c
			w++
			i++
			continue
		}
		r, size := utf8.DecodeRune(key[i:])
		i += size
		r = foldRune(r)
		if w+utf8.RuneLen(r) > len(buf) {
			return nil
		}
		w += utf8.EncodeRune(buf[w:], r)
	}
	return n.folded[string(buf[:w])]
}

// extraction is one field Normalize reads: a dotted path of JSON names and
// the slot that keeps it.
type extraction struct {
	path string
	slot slot
}

var (
	commonPaths = []extraction{
		{"action", sAction},
		{"installation.id", sInstallation},
		{"repository.id", sRepoID},
		{"repository.owner.login", sRepoOwnerLogin},
		{"repository.name", sRepoName},
		{"repository.full_name", sRepoFullName},
		{"repository.private", sRepoPrivate},
		{"repository.html_url", sRepoURL},
		{"sender.login", sSenderLogin},
		{"sender.type", sSenderType},
	}
	pullRequestPaths = []extraction{
		{"pull_request.number", sNumber},
		{"pull_request.html_url", sTargetURL},
		{"pull_request.user.login", sTargetLogin},
		{"pull_request.user.type", sTargetType},
	}
	installationPaths = []extraction{
		{"action", sAction},
		{"installation.id", sInstallation},
		{"sender.login", sSenderLogin},
		{"sender.type", sSenderType},
	}
)

func init() {
	b := schemaBuilder{}
	cat := func(parts ...[]extraction) (all []extraction) {
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	schemas = map[string]*schema{
		string(recognizer.IssueComment): newSchema(b, recognizer.IssueComment, cat(commonPaths, []extraction{
			{"issue.number", sNumber},
			{"issue.pull_request", sIsPR},
			{"issue.html_url", sTargetURL},
			{"issue.user.login", sTargetLogin},
			{"issue.user.type", sTargetType},
			{"comment.id", sCommentID},
			{"comment.user.login", sCommentLogin},
			{"comment.user.type", sCommentType},
			{"comment.body", sCommentBody},
			{"comment.html_url", sCommentURL},
			{"comment.created_at", sCommentAt},
		})),
		string(recognizer.Review): newSchema(b, recognizer.Review, cat(commonPaths, pullRequestPaths, []extraction{
			{"review.id", sCommentID},
			{"review.user.login", sCommentLogin},
			{"review.user.type", sCommentType},
			{"review.body", sCommentBody},
			{"review.html_url", sCommentURL},
			{"review.submitted_at", sCommentAt},
			{"review.state", sReviewState},
		})),
		string(recognizer.ReviewComment): newSchema(b, recognizer.ReviewComment, cat(commonPaths, pullRequestPaths, []extraction{
			{"comment.id", sCommentID},
			{"comment.user.login", sCommentLogin},
			{"comment.user.type", sCommentType},
			{"comment.body", sCommentBody},
			{"comment.html_url", sCommentURL},
			{"comment.created_at", sCommentAt},
			{"comment.in_reply_to_id", sInReplyTo},
		})),
		string(recognizer.PullRequest): newSchema(b, recognizer.PullRequest, cat(commonPaths, pullRequestPaths, []extraction{
			{"pull_request.merged", sMerged},
			{"pull_request.merged_by.login", sMergedByLogin},
			{"pull_request.merged_by.type", sMergedByType},
			{"pull_request.head.sha", sHeadSHA},
			{"pull_request.title", sTitle},
			{"pull_request.merged_at", sMergedAt},
			{"pull_request.closed_at", sClosedAt},
			{"pull_request.created_at", sCreatedAt},
			{"pull_request.updated_at", sUpdatedAt},
			{"requested_reviewer.login", sRequestedReviewer},
			{"after", sAfter},
		})),
		string(recognizer.Push): newSchema(b, recognizer.Push, []extraction{
			{"installation.id", sInstallation},
			{"repository.id", sRepoID},
			{"repository.owner.login", sRepoOwnerLogin},
			{"repository.owner.name", sRepoOwnerName},
			{"repository.name", sRepoName},
			{"repository.full_name", sRepoFullName},
			{"repository.private", sRepoPrivate},
			{"repository.html_url", sRepoURL},
			{"repository.default_branch", sRepoDefaultBranch},
			{"sender.login", sSenderLogin},
			{"sender.type", sSenderType},
			{"ref", sRef},
		}, collPath{"commits", collCommits}, collPath{"commits[].added", collAdded},
			collPath{"commits[].modified", collModified}, collPath{"commits[].removed", collRemoved}),
		string(recognizer.Installation): newSchema(b, recognizer.Installation, installationPaths),
		string(recognizer.InstallationRepositories): newSchema(b, recognizer.InstallationRepositories, installationPaths,
			collPath{"repositories_removed", collRepos}),
	}
	// repositories_removed[].id keeps the element's id.
	removed := schemas[string(recognizer.InstallationRepositories)].root.fields["repositories_removed"]
	removed.elem = clone(removed.elem)
	setField(removed.elem, "id", clone(removed.elem.fields["id"]))
	removed.elem.fields["id"].slot = sElemID
}

// collPath marks an array Normalize ranges over ("[]" steps into elements).
type collPath struct {
	path string
	coll coll
}

// newSchema derives the tree of the go-github type ParseWebHook decodes
// the event into, with copies along the extracted paths.
func newSchema(b schemaBuilder, kind recognizer.EventKind, paths []extraction, colls ...collPath) *schema {
	ev := github.EventForType(string(kind))
	if ev == nil {
		panic("webhook: go-github has no type for " + string(kind))
	}
	root := clone(b.build(reflect.TypeOf(ev)))
	owned := map[*node]bool{root: true}
	// own returns the node at path, copying every node on the way.
	own := func(path string) *node {
		n := root
		for _, name := range strings.Split(path, ".") {
			elem := strings.HasSuffix(name, "[]")
			name = strings.TrimSuffix(name, "[]")
			c := n.fields[name]
			if n.kind != kStruct || c == nil {
				panic("webhook: go-github " + string(kind) + " has no " + path)
			}
			if !owned[c] {
				c = clone(c)
				owned[c] = true
				setField(n, name, c)
			}
			n = c
			if elem {
				if n.kind != kSlice {
					panic("webhook: " + path + " is not an array")
				}
				if !owned[n.elem] {
					n.elem = clone(n.elem)
					owned[n.elem] = true
				}
				n = n.elem
			}
		}
		return n
	}
	for _, e := range paths {
		n := own(e.path)
		if (e.slot == sIsPR) != (n.kind == kStruct) {
			panic("webhook: " + e.path + " is not what Normalize reads")
		}
		n.slot = e.slot
	}
	for _, c := range colls {
		n := own(c.path)
		if n.kind != kSlice {
			panic("webhook: " + c.path + " is not an array")
		}
		n.coll = c.coll
	}
	var resets func(n *node) []slot
	resets = func(n *node) []slot {
		var s []slot
		if n.slot != noSlot {
			s = append(s, n.slot)
		}
		if n.kind == kStruct {
			for _, c := range n.fields {
				if owned[c] {
					s = append(s, resets(c)...)
				}
			}
		}
		n.reset = s
		return s
	}
	resets(root)
	return &schema{root: root}
}

func clone(n *node) *node {
	c := *n
	c.owned = true
	if n.kind == kStruct {
		c.fields = make(map[string]*node, len(n.fields))
		c.folded = make(map[string]*node, len(n.folded))
		for k, v := range n.fields {
			c.fields[k] = v
		}
		for k, v := range n.folded {
			c.folded[k] = v
		}
	}
	return &c
}

// setField replaces the node of a field, by exact and by folded name.
func setField(n *node, name string, c *node) {
	old := n.fields[name]
	n.fields[name] = c
	k := string(foldName([]byte(name)))
	if n.folded[k] == old {
		n.folded[k] = c
	}
}

// ---- the walk ----

// raw is what the walk keeps of a value: its bytes in the payload (a
// string's still escaped) and its kind. set is false for a field that was
// absent or reset by null.
type raw struct {
	b   []byte
	k   valueKind
	set bool
}

// commitAcc mirrors one *github.HeadCommit of PushEvent.Commits: the path
// lists in Normalize's order (added, modified, removed).
type commitAcc struct{ paths [3][]string }

// repoAcc mirrors one *github.Repository of repositories_removed.
type repoAcc struct{ id int64 }

type walker struct {
	r     *jsonReader
	slots [nSlots]raw
	// The arrays Normalize ranges over are decoded the way encoding/json
	// decodes them into a slice of pointers, reusing a slice's old elements
	// when a duplicate key decodes into it again.
	commits []*commitAcc
	repos   []*repoAcc
	commit  *commitAcc // the commit being read
	repo    *repoAcc   // the removed repository being read
	// Indexes of the element being read in the collected arrays.
	commitIdx, listIdx, repoIdx int
	depth                       int       // of the object or array being read
	list                        *[]string // the path list being read
	buf                         []byte    // scratch for the returned strings
}

var walkers = sync.Pool{New: func() any { return new(walker) }}

func (w *walker) release() {
	buf := w.buf[:0]
	if cap(buf) > 64<<10 {
		buf = nil
	}
	*w = walker{buf: buf}
	walkers.Put(w)
}

// member reads one member of an object of node n.
func (w *walker) member(n *node, key, v []byte, k valueKind) error {
	switch n.kind {
	case kStruct:
		c := n.field(key)
		if c == nil {
			return nil // unknown fields are skipped
		}
		return w.value(c, v, k)
	case kMap:
		return w.value(n.elem, v, k)
	}
	return fmt.Errorf("object member of %v", n.kind)
}

// element reads one element of an array of node n.
func (w *walker) element(n *node, v []byte, k valueKind) error {
	switch n.coll {
	case collCommits:
		return objectElement(w, n, v, k, &w.commits, &w.commitIdx, &w.commit)
	case collAdded, collModified, collRemoved:
		i := w.listIdx
		w.listIdx++
		*w.list = growTo(*w.list, i)
		switch k {
		case vNull: // ignored for a string: the old element stays
		case vString:
			(*w.list)[i] = w.stringOf(v)
		default:
			return typeError(n.elem, k)
		}
		return nil
	case collRepos:
		return objectElement(w, n, v, k, &w.repos, &w.repoIdx, &w.repo)
	}
	return w.value(n.elem, v, k)
}

// objectElement reads the next element of an array of objects into *all,
// the way encoding/json decodes into a slice of pointers: null stores
// nil, an object fills the element in place (reusing one a duplicate key
// left), and it becomes *cur while its members are read.
func objectElement[T any](w *walker, n *node, v []byte, k valueKind, all *[]*T, idx *int, cur **T) error {
	i := *idx
	*idx++
	*all = growTo(*all, i)
	if k == vNull {
		(*all)[i] = nil
		return nil
	}
	if k != vObject {
		return typeError(n.elem, k)
	}
	if (*all)[i] == nil {
		(*all)[i] = new(T)
	}
	*cur = (*all)[i]
	return w.r.object(w, n.elem, v)
}

// growTo makes s[i] addressable the way encoding/json's array decoding
// does: growing capacity by one element at a time, and otherwise
// re-extending s over its old elements.
func growTo[T any](s []T, i int) []T {
	if i >= cap(s) {
		var zero T
		return append(s[:len(s):len(s)], zero)[:i+1]
	}
	if i >= len(s) {
		s = s[:i+1]
	}
	return s
}

// endArray finishes a slice of n elements the way encoding/json does.
func endArray[T any](s []T, n int) []T {
	if n < len(s) {
		s = s[:n]
	}
	if n == 0 {
		s = []T{}
	}
	return s
}

func typeError(n *node, k valueKind) error {
	return fmt.Errorf("cannot read a JSON %v as %v", k, n.kind)
}

func (k valueKind) String() string {
	return [...]string{"null", "bool", "number", "string", "object", "array"}[k]
}

func (k nodeKind) String() string {
	return [...]string{"any value", "string", "bool", "integer", "timestamp", "object", "array", "object"}[k]
}

// value reads a value of node n.
func (w *walker) value(n *node, v []byte, k valueKind) error {
	if k == vNull {
		if n.nullable {
			w.null(n)
		}
		return nil
	}
	switch n.kind {
	case kAny:
		if k != vString && !numbersFitFloat64(v) {
			return fmt.Errorf("a number in %.40s overflows a float64", v)
		}
		return nil
	case kString:
		if k != vString {
			return typeError(n, k)
		}
	case kBool:
		if k != vBool {
			return typeError(n, k)
		}
	case kInt:
		if k != vNumber {
			return typeError(n, k)
		}
		if _, ok := parseInt(v, n.bits); !ok {
			return fmt.Errorf("number %s is not an int%d", v, n.bits)
		}
	case kTime:
		if _, ok := parseTimestamp(v, k); !ok {
			return fmt.Errorf("cannot parse %s as a timestamp", v)
		}
	case kStruct, kMap, kSlice:
		if (k != vObject || n.kind == kSlice) && (k != vArray || n.kind != kSlice) {
			return typeError(n, k)
		}
		if w.depth >= maxWalkDepth && !n.owned {
			// Only a payload crafted to nest deep (a repository's parent's
			// parent's ...) gets here: the readers rescan a nested value at
			// every level, so leave the rest to encoding/json, which
			// decodes in one pass and fails exactly when Normalize would.
			if err := json.Unmarshal(v, reflect.New(n.typ).Interface()); err != nil {
				return err
			}
			return nil
		}
		w.depth++
		var err error
		if n.kind == kSlice {
			err = w.array(n, v)
		} else {
			if n.slot != noSlot {
				w.slots[n.slot] = raw{set: true}
			}
			err = w.r.object(w, n, v)
		}
		w.depth--
		return err
	}
	switch n.slot {
	case noSlot:
	case sElemID:
		w.repo.id, _ = parseInt(v, 64)
	default:
		w.slots[n.slot] = raw{b: v, k: k, set: true}
	}
	return nil
}

// array reads an array of node n.
func (w *walker) array(n *node, v []byte) error {
	switch n.coll {
	case collCommits:
		w.commitIdx = 0
		if err := w.r.array(w, n, v); err != nil {
			return err
		}
		w.commits = endArray(w.commits, w.commitIdx)
		return nil
	case collAdded, collModified, collRemoved:
		w.list = &w.commit.paths[n.coll-collAdded]
		w.listIdx = 0
		if err := w.r.array(w, n, v); err != nil {
			return err
		}
		*w.list = endArray(*w.list, w.listIdx)
		return nil
	case collRepos:
		w.repoIdx = 0
		if err := w.r.array(w, n, v); err != nil {
			return err
		}
		w.repos = endArray(w.repos, w.repoIdx)
		return nil
	}
	return w.r.array(w, n, v)
}

// null resets what JSON null resets: the pointer, slice, map or interface
// of node n, and so every extracted field under it.
func (w *walker) null(n *node) {
	for _, s := range n.reset {
		w.slots[s] = raw{}
	}
	switch n.coll {
	case collCommits:
		w.commits = nil
	case collAdded, collModified, collRemoved:
		w.commit.paths[n.coll-collAdded] = nil
	case collRepos:
		w.repos = nil
	}
	if n.slot == sElemID {
		w.repo.id = 0
	}
}

// ---- turning kept bytes into values ----

// fitsFloat64 reports whether strconv.ParseFloat(v, 64) succeeds on the JSON
// number v, as encoding/json requires of a number decoded into interface{}:
// only an exponent or some 309 integer digits can overflow.
func fitsFloat64(v []byte) bool {
	intDigits, inInt := 0, true
	for _, c := range v {
		switch {
		case c == 'e' || c == 'E':
			_, err := strconv.ParseFloat(string(v), 64)
			return err == nil
		case c == '.':
			inInt = false
		case inInt && '0' <= c && c <= '9':
			intDigits++
		}
	}
	if intDigits > 300 {
		_, err := strconv.ParseFloat(string(v), 64)
		return err == nil
	}
	return true
}

// numbersFitFloat64 reports whether every number in the valid JSON value v
// fits a float64. It reads v in one pass, however deep it nests.
func numbersFitFloat64(v []byte) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			for i++; v[i] != '"'; i++ {
				if v[i] == '\\' {
					i++
				}
			}
		case c == '-' || '0' <= c && c <= '9':
			j := i + 1
			for j < len(v) && (v[j] == '.' || v[j] == 'e' || v[j] == 'E' || v[j] == '+' || v[j] == '-' || '0' <= v[j] && v[j] <= '9') {
				j++
			}
			if !fitsFloat64(v[i:j]) {
				return false
			}
			i = j - 1
		}
	}
	return true
}

// parseInt is strconv.ParseInt(v, 10, 64) plus reflect's OverflowInt for
// an int of the given bits, on a JSON number v.
func parseInt(v []byte, bits int) (int64, bool) {
	neg := len(v) > 0 && v[0] == '-'
	d := v
	if neg {
		d = v[1:]
	}
	if len(d) == 0 {
		return 0, false
	}
	const cutoff = 1<<63/10 + 1 // u >= cutoff: u*10 > 1<<63
	var u uint64
	for _, c := range d {
		if c < '0' || c > '9' || u >= cutoff {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	if !neg && u > 1<<63-1 {
		return 0, false
	}
	n := int64(u) // -1<<63 when neg and u == 1<<63
	if neg {
		n = -n
	}
	if bits < 64 {
		if lim := int64(1) << (bits - 1); n < -lim || n >= lim {
			return 0, false
		}
	}
	return n, true
}

// parseTimestamp is github.Timestamp.UnmarshalJSON: Unix seconds (or
// milliseconds past the year 3000), else RFC 3339 in quotes, read from the
// raw bytes (escapes are not decoded).
func parseTimestamp(v []byte, k valueKind) (time.Time, bool) {
	switch k {
	case vNumber:
		i, ok := parseInt(v, 64)
		if !ok {
			return time.Time{}, false
		}
		t := time.Unix(i, 0)
		if t.Year() > 3000 {
			t = time.Unix(0, i*1e6)
		}
		return t, true
	case vString:
		if t, ok := parseUTCSeconds(v); ok {
			return t, true
		}
		t, err := time.Parse(`"`+time.RFC3339+`"`, `"`+string(v)+`"`)
		return t, err == nil
	}
	return time.Time{}, false
}

// parseUTCSeconds parses the form GitHub sends, 2006-01-02T15:04:05Z, with
// every field in range, exactly as time.Parse would; anything else is left
// to time.Parse.
func parseUTCSeconds(v []byte) (time.Time, bool) {
	if len(v) != 20 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		x := 0
		for _, c := range v[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > 28 && time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return time.Time{}, false // day out of range: time.Parse's error
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
}

// appendUnquoted appends the JSON string whose (validated) text between
// the quotes is s, decoded exactly as encoding/json decodes it.
func appendUnquoted(dst, s []byte) []byte {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			if r >= len(s) {
				return dst
			}
			switch s[r] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return dst
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6
						dst = utf8.AppendRune(dst, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, rr)
				continue
			default: // '"', '\\', '/', '\''
				dst = append(dst, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			dst = utf8.AppendRune(dst, rr)
		}
	}
	return dst
}

// getu4 is encoding/json's: the rune of the \uXXXX escape at the start of s,
// or -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// plain reports whether a JSON string's text decodes to itself.
func plain(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c >= utf8.RuneSelf {
			return utf8.Valid(s[i:]) && !containsByte(s[i:], '\\')
		}
	}
	return true
}

func containsByte(s []byte, b byte) bool {
	for _, c := range s {
		if c == b {
			return true
		}
	}
	return false
}

// stringOf decodes a JSON string's text on its own.
func (w *walker) stringOf(s []byte) string {
	if plain(s) {
		return string(s)
	}
	return string(appendUnquoted(nil, s))
}

// strings decodes the string slots into one allocation.
type stringSet struct {
	all   string
	spans [nSlots][2]int32
}

func (w *walker) decodeStrings(ss *stringSet) {
	buf := w.buf[:0]
	for i := range w.slots {
		s := &w.slots[i]
		if !s.set || !stringSlot[i] {
			continue
		}
		start := len(buf)
		buf = appendUnquoted(buf, s.b)
		ss.spans[i] = [2]int32{int32(start), int32(len(buf))}
	}
	w.buf = buf
	ss.all = string(buf)
}

// stringSlot marks the slots of the strings the Event carries (not the
// account types, only compared with "Bot").
var stringSlot = func() (m [nSlots]bool) {
	for _, s := range []slot{sAction, sRepoOwnerLogin, sRepoOwnerName, sRepoName, sRepoFullName,
		sRepoURL, sRepoDefaultBranch, sSenderLogin, sTargetURL, sTargetLogin, sCommentLogin,
		sCommentBody, sCommentURL, sReviewState, sMergedByLogin, sRequestedReviewer, sHeadSHA,
		sTitle, sAfter, sRef} {
		m[s] = true
	}
	return m
}()

func (ss *stringSet) get(s slot) string {
	sp := ss.spans[s]
	return ss.all[sp[0]:sp[1]]
}

func (w *walker) int64(s slot) int64 {
	if r := w.slots[s]; r.set {
		n, _ := parseInt(r.b, 64)
		return n
	}
	return 0
}

func (w *walker) bool(s slot) bool {
	r := w.slots[s]
	return r.set && r.b[0] == 't'
}

func (w *walker) time(s slot) time.Time {
	if r := w.slots[s]; r.set {
		t, _ := parseTimestamp(r.b, r.k)
		return t
	}
	return time.Time{}
}

// isBot reports whether the type slot holds "Bot".
func (w *walker) isBot(s slot) bool {
	r := w.slots[s]
	if !r.set {
		return false
	}
	if plain(r.b) {
		return string(r.b) == "Bot"
	}
	var buf [8]byte
	return string(appendUnquoted(buf[:0], r.b)) == "Bot"
}

func (w *walker) actor(ss *stringSet, login, typ slot) recognizer.Actor {
	return recognizer.Actor{Login: ss.get(login), Bot: w.isBot(typ)}
}

// event builds the Event from the kept fields, as Normalize does.
func (w *walker) event(ev recognizer.Event) (recognizer.Event, error) {
	var ss stringSet
	w.decodeStrings(&ss)
	switch ev.Kind {
	case recognizer.Push:
		ev.InstallationID = w.int64(sInstallation)
		ev.Repo = recognizer.Repo{ID: w.int64(sRepoID), Owner: ss.get(sRepoOwnerLogin), Name: ss.get(sRepoName),
			FullName: ss.get(sRepoFullName), Private: w.bool(sRepoPrivate), HTMLURL: ss.get(sRepoURL)}
		if ev.Repo.Owner == "" {
			ev.Repo.Owner = ss.get(sRepoOwnerName)
		}
		ev.Sender = w.actor(&ss, sSenderLogin, sSenderType)
		ev.Push = &recognizer.PushInfo{Ref: ss.get(sRef), DefaultBranch: ss.get(sRepoDefaultBranch)}
		for _, c := range w.commits {
			if c == nil {
				continue // Normalize panics here
			}
			for _, p := range c.paths {
				ev.Push.Paths = append(ev.Push.Paths, p...)
			}
		}
		return requireInstallation(ev, ev.Repo.ID != 0)
	case recognizer.Installation, recognizer.InstallationRepositories:
		ev.Action, ev.InstallationID, ev.Sender = ss.get(sAction), w.int64(sInstallation), w.actor(&ss, sSenderLogin, sSenderType)
		for _, r := range w.repos {
			var id int64
			if r != nil {
				id = r.id
			}
			ev.RemovedRepos = append(ev.RemovedRepos, id)
		}
		return requireInstallation(ev, true)
	}

	ev.Action = ss.get(sAction)
	ev.InstallationID = w.int64(sInstallation)
	ev.Repo = recognizer.Repo{
		ID: w.int64(sRepoID), Owner: ss.get(sRepoOwnerLogin), Name: ss.get(sRepoName),
		FullName: ss.get(sRepoFullName), Private: w.bool(sRepoPrivate), HTMLURL: ss.get(sRepoURL),
	}
	if ev.Repo.Owner == "" || ev.Repo.Name == "" {
		if o, n, ok := strings.Cut(ev.Repo.FullName, "/"); ok {
			ev.Repo.Owner, ev.Repo.Name = o, n
		}
	}
	ev.Sender = w.actor(&ss, sSenderLogin, sSenderType)
	ev.Number = int(w.int64(sNumber))
	ev.IsPR = ev.Kind != recognizer.IssueComment || w.slots[sIsPR].set
	ev.TargetURL = ss.get(sTargetURL)
	ev.TargetAuthor = w.actor(&ss, sTargetLogin, sTargetType)
	if ev.Kind == recognizer.PullRequest {
		ev.PR = &recognizer.PRChange{
			Merged: w.bool(sMerged), MergedBy: w.actor(&ss, sMergedByLogin, sMergedByType),
			RequestedReviewer: ss.get(sRequestedReviewer),
			HeadSHA:           ss.get(sHeadSHA), Title: ss.get(sTitle),
		}
		switch {
		case ev.Action == "closed" && ev.PR.Merged:
			ev.PR.At = w.time(sMergedAt)
		case ev.Action == "closed":
			ev.PR.At = w.time(sClosedAt)
		case ev.Action == "opened":
			ev.PR.At = w.time(sCreatedAt)
		default:
			ev.PR.At = w.time(sUpdatedAt)
		}
		if after := ss.get(sAfter); after != "" {
			ev.PR.HeadSHA = after
		}
	} else {
		ev.Comment = &recognizer.Comment{
			ID: w.int64(sCommentID), Author: w.actor(&ss, sCommentLogin, sCommentType), Body: ss.get(sCommentBody),
			HTMLURL: ss.get(sCommentURL), At: w.time(sCommentAt), InReplyTo: w.int64(sInReplyTo),
			ReviewState: strings.ToLower(ss.get(sReviewState)),
		}
	}
	if ev.InstallationID == 0 || ev.Repo.ID == 0 || ev.Number == 0 {
		return recognizer.Event{}, fmt.Errorf("decode %s payload: missing installation, repository or number", ev.Kind)
	}
	return ev, nil
}
