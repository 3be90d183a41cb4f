package fakegithub

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// firstIssueNumber is the number of the first issue created in a repository.
const firstIssueNumber = 1000

// Issue states.
const (
	stateOpen   = "open"
	stateClosed = "closed"
)

// Issue is an issue created through the API.
type Issue struct {
	Owner, Repo string
	Number      int
	Title, Body string
	State       string // "open" or "closed"
	Labels      []string
	HTMLURL     string
	CreatedAt   time.Time
}

// issueRecord is a stored issue.
type issueRecord struct {
	Issue
	id          int64
	login       string // author
	stateReason string // "", "completed", "not_planned" or "reopened"
	updatedAt   time.Time
	closedAt    time.Time // zero while open
}

// Issues returns the issues created through the API, in the order they were
// created, in their current state.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, rec := range s.issues {
		is := rec.Issue
		is.Labels = slices.Clone(is.Labels)
		out = append(out, is)
	}
	return out
}

// issueRequest is the body of a request creating or editing an issue.
// Fields left out are nil.
type issueRequest struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]string `json:"labels"`
}

// validate checks the fields of req, answering 422 and reporting false if
// one is invalid. create makes the title required.
func (req issueRequest) validate(w http.ResponseWriter, create bool) bool {
	switch {
	case (create || req.Title != nil) && (req.Title == nil || strings.TrimSpace(*req.Title) == ""):
		writeValidationFailed(w, fieldErrorJSON{Resource: "Issue", Field: "title", Code: "missing_field"})
		return false
	case req.Body != nil && utf8.RuneCountInString(*req.Body) > maxCommentLen:
		writeValidationFailed(w, bodyTooLong("Issue"))
		return false
	case req.State != nil && *req.State != stateOpen && *req.State != stateClosed:
		writeValidationFailed(w, fieldErrorJSON{Resource: "Issue", Field: "state", Code: "invalid"})
		return false
	case req.StateReason != nil && !slices.Contains([]string{"completed", "not_planned", "reopened"}, *req.StateReason):
		writeValidationFailed(w, fieldErrorJSON{Resource: "Issue", Field: "state_reason", Code: "invalid"})
		return false
	}
	return true
}

// labelNames returns the label names of a request: trimmed, without blanks
// or duplicates (ignoring case), in order.
func labelNames(names []string) []string {
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, n) }) {
			out = append(out, n)
		}
	}
	return out
}

// createIssue opens an issue authored by the bot.
func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	var req issueRequest
	if !decodeJSON(w, r, "Issue", &req) || !req.validate(w, true) {
		return
	}
	t := now()
	rec := &issueRecord{
		Issue: Issue{
			Owner: owner, Repo: repo, Title: *req.Title, State: stateOpen, CreatedAt: t,
		},
		login:     s.opts.BotLogin,
		updatedAt: t,
	}
	if req.Body != nil {
		rec.Body = *req.Body
	}
	if req.Labels != nil {
		rec.Labels = labelNames(*req.Labels)
	}
	s.mu.Lock()
	key := repoKey(owner, repo)
	rec.Number = max(s.issueNumbers[key], firstIssueNumber-1) + 1
	s.issueNumbers[key] = rec.Number
	rec.HTMLURL = fmt.Sprintf("https://github.com/%s/%s/issues/%d", owner, repo, rec.Number)
	rec.id = s.idLocked(0)
	s.issues = append(s.issues, rec)
	out := s.issueJSONLocked(rec, s.commentCountsLocked())
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

// getIssue describes an issue.
func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	s.mu.Lock()
	rec := s.issueLocked(t)
	var out issueJSON
	if rec != nil {
		out = s.issueJSONLocked(rec, s.commentCountsLocked())
	}
	s.mu.Unlock()
	if rec == nil {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// editIssue changes the title, body, state or labels of an issue.
func (s *Server) editIssue(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	var req issueRequest
	if !decodeJSON(w, r, "Issue", &req) || !req.validate(w, false) {
		return
	}
	s.mu.Lock()
	rec := s.issueLocked(t)
	if rec == nil {
		s.mu.Unlock()
		notFound(w, r)
		return
	}
	tm := now()
	if req.Title != nil {
		rec.Title = *req.Title
	}
	if req.Body != nil {
		rec.Body = *req.Body
	}
	if req.Labels != nil {
		rec.Labels = labelNames(*req.Labels)
	}
	switch {
	case req.State != nil && *req.State == stateClosed && rec.State == stateOpen:
		rec.State, rec.closedAt, rec.stateReason = stateClosed, tm, "completed"
	case req.State != nil && *req.State == stateOpen && rec.State == stateClosed:
		rec.State, rec.closedAt, rec.stateReason = stateOpen, time.Time{}, "reopened"
	}
	if req.StateReason != nil {
		rec.stateReason = *req.StateReason
	}
	rec.updatedAt = tm
	out := s.issueJSONLocked(rec, s.commentCountsLocked())
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// issueLocked returns the issue t, or nil. s.mu must be held.
func (s *Server) issueLocked(t target) *issueRecord {
	for _, rec := range s.issues {
		if t.matches(rec.Owner, rec.Repo, rec.Number) {
			return rec
		}
	}
	return nil
}

// listIssues lists a repository's issues, filtered by the state (default
// open), labels (all of them, comma-separated) and creator query parameters
// and sorted by the sort and direction ones, newest first by default.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := cmp.Or(q.Get("state"), stateOpen)
	sortBy := cmp.Or(q.Get("sort"), "created")
	direction := cmp.Or(q.Get("direction"), "desc")
	for _, p := range []struct {
		field, value string
		valid        []string
	}{
		{"state", state, []string{stateOpen, stateClosed, "all"}},
		{"sort", sortBy, []string{"created", "updated", "comments"}},
		{"direction", direction, []string{"asc", "desc"}},
	} {
		if !slices.Contains(p.valid, p.value) {
			writeValidationFailed(w, fieldErrorJSON{Resource: "Issue", Field: p.field, Code: "invalid"})
			return
		}
	}
	var labels []string
	for l := range strings.SplitSeq(q.Get("labels"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			labels = append(labels, l)
		}
	}
	owner, repo, creator := r.PathValue("owner"), r.PathValue("repo"), q.Get("creator")

	s.mu.Lock()
	counts := s.commentCountsLocked()
	var recs []*issueRecord
	for _, rec := range s.issues {
		if !strings.EqualFold(rec.Owner, owner) || !strings.EqualFold(rec.Repo, repo) ||
			(state != "all" && rec.State != state) || (creator != "" && !strings.EqualFold(rec.login, creator)) {
			continue
		}
		if slices.ContainsFunc(labels, func(l string) bool { return !hasLabel(rec, l) }) {
			continue
		}
		recs = append(recs, rec)
	}
	out := s.sortedIssuesJSONLocked(recs, counts, sortBy, direction == "asc")
	s.mu.Unlock()
	writePage(w, r, s.ts.URL, out)
}

// hasLabel reports whether rec has the label name, ignoring case.
func hasLabel(rec *issueRecord, name string) bool {
	return slices.ContainsFunc(rec.Labels, func(l string) bool { return strings.EqualFold(l, name) })
}

// issueRef identifies an issue within the server.
type issueRef struct {
	repo   string // repoKey
	number int
}

// commentCountsLocked counts the issue comments of each issue. s.mu must be
// held.
func (s *Server) commentCountsLocked() map[issueRef]int {
	counts := make(map[issueRef]int)
	for _, c := range s.comments {
		if c.Kind == KindIssue {
			counts[issueRef{repoKey(c.Owner, c.Repo), c.Number}]++
		}
	}
	return counts
}

// sortedIssuesJSONLocked describes recs, which are in creation order, sorted
// by sortBy ("created", "updated" or "comments"), descending unless asc.
// s.mu must be held.
func (s *Server) sortedIssuesJSONLocked(recs []*issueRecord, counts map[issueRef]int, sortBy string, asc bool) []issueJSON {
	order := make(map[*issueRecord]int, len(recs))
	for i, rec := range recs {
		order[rec] = i
	}
	recs = slices.Clone(recs)
	slices.SortStableFunc(recs, func(a, b *issueRecord) int {
		c := 0
		switch sortBy {
		case "updated":
			c = a.updatedAt.Compare(b.updatedAt)
		case "comments":
			c = cmp.Compare(counts[issueRef{repoKey(a.Owner, a.Repo), a.Number}], counts[issueRef{repoKey(b.Owner, b.Repo), b.Number}])
		}
		c = cmp.Or(c, cmp.Compare(order[a], order[b]))
		if !asc {
			c = -c
		}
		return c
	})
	out := make([]issueJSON, 0, len(recs))
	for _, rec := range recs {
		out = append(out, s.issueJSONLocked(rec, counts))
	}
	return out
}

// searchIssues searches the issues created through the API. See
// parseIssueQuery for the query syntax supported. Results are sorted by the
// sort and order query parameters; by default ("best match") newest first.
func (s *Server) searchIssues(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	q := params.Get("q")
	if strings.TrimSpace(q) == "" {
		writeValidationFailed(w, fieldErrorJSON{Resource: "Search", Field: "q", Code: "missing"})
		return
	}
	query, err := parseIssueQuery(q)
	if err != nil {
		writeValidationFailed(w, fieldErrorJSON{Resource: "Search", Field: "q", Code: "invalid", Message: err.Error()})
		return
	}
	sortBy := cmp.Or(params.Get("sort"), "created")
	order := cmp.Or(params.Get("order"), "desc")
	if params.Get("sort") == "" {
		order = "desc" // GitHub ignores order without sort
	}
	if !slices.Contains([]string{"created", "updated", "comments"}, sortBy) {
		writeValidationFailed(w, fieldErrorJSON{Resource: "Search", Field: "sort", Code: "invalid"})
		return
	}
	if order != "asc" && order != "desc" {
		writeValidationFailed(w, fieldErrorJSON{Resource: "Search", Field: "order", Code: "invalid"})
		return
	}

	s.mu.Lock()
	counts := s.commentCountsLocked()
	var recs []*issueRecord
	for _, rec := range s.issues {
		if query.matches(s, rec) {
			recs = append(recs, rec)
		}
	}
	items := s.sortedIssuesJSONLocked(recs, counts, sortBy, order == "asc")
	s.mu.Unlock()
	for i := range items {
		items[i].Score = new(1.0)
	}
	writeJSON(w, http.StatusOK, searchIssuesJSON{
		TotalCount: len(items),
		Items:      paginate(w, r, s.ts.URL, items),
	})
}

// issueQuery is a parsed issue search query.
type issueQuery struct {
	filters []func(s *Server, rec *issueRecord) bool // all must hold
	terms   []queryTerm                              // free text
	in      []string                                 // where free text is searched: title, body, comments
}

// queryTerm is a word or quoted phrase of free text, as lower-case words.
type queryTerm struct {
	words   []string
	negated bool
}

// Qualifiers that GitHub's issue search knows but the fake does not support.
// Queries using them are rejected rather than silently matching too much.
var unsupportedQualifiers = map[string]bool{
	"assignee": true, "mentions": true, "commenter": true, "involves": true, "team": true,
	"milestone": true, "project": true, "status": true, "head": true, "base": true,
	"language": true, "comments": true, "interactions": true, "reactions": true, "draft": true,
	"review": true, "reviewed-by": true, "review-requested": true, "team-review-requested": true,
	"created": true, "updated": true, "closed": true, "merged": true, "archived": true,
	"linked": true, "sort": true, "reason": true, "label-id": true,
}

// parseIssueQuery parses a search query. It supports the qualifiers repo:,
// org:, user:, author: (with app/NAME for bots), is: and type: (issue, pr,
// pull-request, and for is: open, closed, public, private, locked, unlocked),
// state:, label: (comma-separated: any of them), no:label and in: (title,
// body, comments; by default title and body), each negatable with a leading
// "-", and free words and "quoted phrases", also negatable, which must all
// appear, as whole words and ignoring case, in the text searched. Values may
// be quoted. AND is ignored; other GitHub qualifiers and the OR and NOT
// operators are rejected.
func parseIssueQuery(q string) (issueQuery, error) {
	var query issueQuery
	for _, tok := range splitQuery(q) {
		negated := false
		if rest, ok := strings.CutPrefix(tok, "-"); ok && rest != "" {
			negated, tok = true, rest
		}
		switch tok {
		case "AND":
			continue
		case "OR", "NOT":
			return query, fmt.Errorf("fakegithub does not support the %s operator", tok)
		}
		key, value, isQualifier := strings.Cut(tok, ":")
		key = strings.ToLower(key)
		if strings.HasPrefix(tok, `"`) || (!isQualifierKey(key) && !unsupportedQualifiers[key]) {
			isQualifier = false
		}
		if !isQualifier {
			if words := textWords(tok); len(words) > 0 {
				query.terms = append(query.terms, queryTerm{words: words, negated: negated})
			}
			continue
		}
		value = unquote(value)
		if key == "in" {
			if negated {
				return query, fmt.Errorf("fakegithub does not support -in:")
			}
			for f := range strings.SplitSeq(strings.ToLower(value), ",") {
				if f != "title" && f != "body" && f != "comments" {
					return query, fmt.Errorf("fakegithub does not support in:%s", f)
				}
				query.in = append(query.in, f)
			}
			continue
		}
		f, err := qualifierFilter(key, value)
		if err != nil {
			return query, err
		}
		if negated {
			query.filters = append(query.filters, func(s *Server, rec *issueRecord) bool { return !f(s, rec) })
		} else {
			query.filters = append(query.filters, f)
		}
	}
	if len(query.in) == 0 {
		query.in = []string{"title", "body"}
	}
	return query, nil
}

// isQualifierKey reports whether key names a qualifier the fake supports.
func isQualifierKey(key string) bool {
	switch key {
	case "repo", "org", "user", "author", "is", "type", "state", "label", "no", "in":
		return true
	}
	return false
}

// qualifierFilter returns the filter for the qualifier key:value.
func qualifierFilter(key, value string) (func(s *Server, rec *issueRecord) bool, error) {
	v := strings.ToLower(value)
	unsupported := fmt.Errorf("fakegithub does not support %s:%s", key, value)
	if value == "" {
		return nil, unsupported
	}
	switch key {
	case "repo":
		return func(_ *Server, rec *issueRecord) bool { return strings.EqualFold(rec.Owner+"/"+rec.Repo, value) }, nil
	case "org", "user":
		return func(_ *Server, rec *issueRecord) bool { return strings.EqualFold(rec.Owner, value) }, nil
	case "author":
		login := value
		if app, ok := strings.CutPrefix(v, "app/"); ok {
			login = app + "[bot]"
		}
		return func(_ *Server, rec *issueRecord) bool { return strings.EqualFold(rec.login, login) }, nil
	case "state":
		if v != stateOpen && v != stateClosed {
			return nil, unsupported
		}
		return func(_ *Server, rec *issueRecord) bool { return rec.State == v }, nil
	case "label":
		names := strings.Split(value, ",")
		return func(_ *Server, rec *issueRecord) bool {
			return slices.ContainsFunc(names, func(n string) bool { return hasLabel(rec, n) })
		}, nil
	case "no":
		switch v {
		case "label":
			return func(_ *Server, rec *issueRecord) bool { return len(rec.Labels) == 0 }, nil
		case "assignee", "milestone", "project":
			return func(*Server, *issueRecord) bool { return true }, nil // the fake has none
		}
	case "is", "type":
		switch v {
		case "issue":
			return func(*Server, *issueRecord) bool { return true }, nil
		case "pr", "pull-request":
			return func(*Server, *issueRecord) bool { return false }, nil // the fake has no pull requests
		}
		if key == "type" {
			break
		}
		switch v {
		case stateOpen, stateClosed:
			return func(_ *Server, rec *issueRecord) bool { return rec.State == v }, nil
		case "public", "private":
			return func(s *Server, rec *issueRecord) bool {
				return s.repos[repoKey(rec.Owner, rec.Repo)].private == (v == "private")
			}, nil
		case "unlocked":
			return func(*Server, *issueRecord) bool { return true }, nil
		case "locked":
			return func(*Server, *issueRecord) bool { return false }, nil
		}
	}
	return nil, unsupported
}

// matches reports whether rec matches the query. s.mu must be held.
func (q issueQuery) matches(s *Server, rec *issueRecord) bool {
	for _, f := range q.filters {
		if !f(s, rec) {
			return false
		}
	}
	if len(q.terms) == 0 {
		return true
	}
	var texts [][]string
	for _, field := range q.in {
		switch field {
		case "title":
			texts = append(texts, textWords(rec.Title))
		case "body":
			texts = append(texts, textWords(rec.Body))
		case "comments":
			t := target{owner: rec.Owner, repo: rec.Repo, number: rec.Number}
			for _, c := range s.comments {
				if c.Kind == KindIssue && t.matches(c.Owner, c.Repo, c.Number) {
					texts = append(texts, textWords(c.Body))
				}
			}
		}
	}
	for _, term := range q.terms {
		found := slices.ContainsFunc(texts, func(text []string) bool { return containsRun(text, term.words) })
		if found == term.negated {
			return false
		}
	}
	return true
}

// splitQuery splits a search query at white space outside double quotes.
// Quotes are kept.
func splitQuery(q string) []string {
	var tokens []string
	var b strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if b.Len() > 0 {
				tokens = append(tokens, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		tokens = append(tokens, b.String())
	}
	return tokens
}

// unquote removes the double quotes around s, if any.
func unquote(s string) string {
	s = strings.TrimPrefix(s, `"`)
	return strings.TrimSuffix(s, `"`)
}

// textWords splits text into lower-case words of letters and digits.
func textWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// containsRun reports whether words appear consecutively in text.
func containsRun(text, words []string) bool {
	for i := 0; i+len(words) <= len(text); i++ {
		if slices.Equal(text[i:i+len(words)], words) {
			return true
		}
	}
	return false
}

// issueJSONLocked describes rec. counts are the issue comment counts from
// commentCountsLocked. s.mu must be held.
func (s *Server) issueJSONLocked(rec *issueRecord, counts map[issueRef]int) issueJSON {
	repoURL := fmt.Sprintf("%s/repos/%s/%s", s.ts.URL, rec.Owner, rec.Repo)
	apiURL := fmt.Sprintf("%s/issues/%d", repoURL, rec.Number)
	j := issueJSON{
		ID:            rec.id,
		NodeID:        fmt.Sprintf("I_%d", rec.id),
		URL:           apiURL,
		RepositoryURL: repoURL,
		CommentsURL:   apiURL + "/comments",
		HTMLURL:       rec.HTMLURL,
		Number:        rec.Number,
		State:         rec.State,
		Title:         rec.Title,
		User:          s.user(rec.login),
		Labels:        make([]labelJSON, 0, len(rec.Labels)),
		Assignees:     []userJSON{},
		Comments:      counts[issueRef{repoKey(rec.Owner, rec.Repo), rec.Number}],
		CreatedAt:     rec.CreatedAt,
		UpdatedAt:     rec.updatedAt,
	}
	// Copies: the JSON is encoded after s.mu is released.
	if body := rec.Body; body != "" {
		j.Body = &body
	}
	if reason := rec.stateReason; reason != "" {
		j.StateReason = &reason
	}
	if closed := rec.closedAt; !closed.IsZero() {
		j.ClosedAt = &closed
	}
	for _, name := range rec.Labels {
		id := stableID("label", repoKey(rec.Owner, rec.Repo)+"/"+name)
		j.Labels = append(j.Labels, labelJSON{
			ID:     id,
			NodeID: fmt.Sprintf("LA_%d", id),
			URL:    repoURL + "/labels/" + url.PathEscape(name),
			Name:   name,
			Color:  "ededed",
		})
	}
	return j
}

// JSON shapes of issues and search results.
type (
	issueJSON struct {
		ID            int64       `json:"id"`
		NodeID        string      `json:"node_id"`
		URL           string      `json:"url"`
		RepositoryURL string      `json:"repository_url"`
		CommentsURL   string      `json:"comments_url"`
		HTMLURL       string      `json:"html_url"`
		Number        int         `json:"number"`
		State         string      `json:"state"`
		StateReason   *string     `json:"state_reason"`
		Title         string      `json:"title"`
		Body          *string     `json:"body"`
		User          userJSON    `json:"user"`
		Labels        []labelJSON `json:"labels"`
		Assignees     []userJSON  `json:"assignees"`
		Locked        bool        `json:"locked"`
		Comments      int         `json:"comments"`
		CreatedAt     time.Time   `json:"created_at"`
		UpdatedAt     time.Time   `json:"updated_at"`
		ClosedAt      *time.Time  `json:"closed_at"`
		Score         *float64    `json:"score,omitempty"` // search results only
	}
	labelJSON struct {
		ID      int64  `json:"id"`
		NodeID  string `json:"node_id"`
		URL     string `json:"url"`
		Name    string `json:"name"`
		Color   string `json:"color"`
		Default bool   `json:"default"`
	}
	searchIssuesJSON struct {
		TotalCount        int         `json:"total_count"`
		IncompleteResults bool        `json:"incomplete_results"`
		Items             []issueJSON `json:"items"`
	}
)
