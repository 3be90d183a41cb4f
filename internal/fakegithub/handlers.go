package fakegithub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	docsURL          = "https://docs.github.com/rest"
	rateLimitDocsURL = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
	// go-github recognizes secondary rate limits by this URL's suffix.
	secondaryDocsURL = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"

	defaultPerPage = 30
	maxPerPage     = 100
	maxBodyBytes   = 1 << 20 // request bodies larger than this are rejected
	maxCommentLen  = 65536   // GitHub's limit on comment bodies, in characters
)

// routes returns the API's router.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", s.withJWT(s.createToken))
	mux.HandleFunc("/app/", s.withJWT(notFound))

	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/comments", s.withToken(s.listIssueComments))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/comments", s.withToken(s.createIssueComment))
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}/comments", s.withToken(s.listReviewComments))
	mux.HandleFunc("POST /repos/{owner}/{repo}/pulls/{number}/comments", s.withToken(s.createReviewComment))
	mux.HandleFunc("POST /repos/{owner}/{repo}/pulls/{number}/comments/{comment_id}/replies", s.withToken(s.createReply))
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{number}/reviews", s.withToken(s.listReviews))
	mux.HandleFunc("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", s.withToken(s.deleteIssueComment))
	mux.HandleFunc("DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}", s.withToken(s.deleteReviewComment))

	mux.HandleFunc("GET /repos/{owner}/{repo}", s.withToken(s.getRepo))
	mux.HandleFunc("GET /repos/{owner}/{repo}/contents/{path...}", s.withToken(s.getContents))

	mux.HandleFunc("GET /repos/{owner}/{repo}/issues", s.withToken(s.listIssues))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues", s.withToken(s.createIssue))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}", s.withToken(s.getIssue))
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", s.withToken(s.editIssue))
	mux.HandleFunc("/repos/", s.withToken(notFound))

	mux.HandleFunc("GET /search/issues", s.withSearchToken(s.searchIssues))
	mux.HandleFunc("/search/", s.withSearchToken(notFound))

	mux.HandleFunc("GET /users/{login}", s.withToken(s.getUser))
	mux.HandleFunc("/users/", s.withToken(notFound))

	mux.HandleFunc("GET /orgs/{org}/teams/{slug}/members", s.withToken(s.listTeamMembers))
	mux.HandleFunc("/orgs/", s.withToken(notFound))

	mux.HandleFunc("/", notFound)
	return mux
}

// serveHTTP records each request and its response status, applies
// WriteLatency to POSTs, and routes the request.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := len(s.requests)
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Token: credential(r),
	})
	s.mu.Unlock()

	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		status := sw.status
		if status == 0 {
			status = http.StatusOK // net/http's default when nothing was written
		}
		s.mu.Lock()
		s.requests[i].Status = status
		s.mu.Unlock()
	}()

	if r.Method == http.MethodPost && !s.sleep(s.opts.WriteLatency) {
		writeError(sw, http.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// sleep waits for d, reporting false if the server closed first.
func (s *Server) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// statusWriter remembers the status of the response written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// createToken issues an installation access token.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		notFound(w, r)
		return
	}
	tok, err := newToken()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Server Error")
		return
	}
	expires := now().Add(tokenTTL)
	s.mu.Lock()
	s.tokens[tok] = installationToken{installationID: id, expiresAt: expires}
	s.tokensIssued++
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{
		"token":                tok,
		"expires_at":           expires.Format(time.RFC3339),
		"permissions":          map[string]string{"issues": "write", "pull_requests": "write"},
		"repository_selection": "all",
	})
}

// listIssueComments lists the issue comments of an issue or pull request.
func (s *Server) listIssueComments(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	s.mu.Lock()
	var out []issueCommentJSON
	for _, c := range s.comments {
		if c.Kind == KindIssue && t.matches(c.Owner, c.Repo, c.Number) {
			out = append(out, s.issueCommentJSON(c))
		}
	}
	s.mu.Unlock()
	writePage(w, r, s.ts.URL, out)
}

// listReviewComments lists the review comments of a pull request.
func (s *Server) listReviewComments(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	s.mu.Lock()
	var out []reviewCommentJSON
	for _, c := range s.comments {
		if c.Kind == KindReview && t.matches(c.Owner, c.Repo, c.Number) {
			out = append(out, s.reviewCommentJSON(c))
		}
	}
	s.mu.Unlock()
	writePage(w, r, s.ts.URL, out)
}

// listReviews lists the reviews of a pull request.
func (s *Server) listReviews(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	s.mu.Lock()
	var out []reviewJSON
	for _, rv := range s.reviews {
		if t.matches(rv.Owner, rv.Repo, rv.Number) {
			out = append(out, s.reviewJSON(rv))
		}
	}
	s.mu.Unlock()
	writePage(w, r, s.ts.URL, out)
}

// createIssueComment creates an issue comment.
func (s *Server) createIssueComment(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	req, ok := decodeComment(w, r, "IssueComment")
	if !ok {
		return
	}
	c, ok := s.create(r, Comment{Owner: t.owner, Repo: t.repo, Number: t.number, Kind: KindIssue, Body: req.Body})
	if !ok {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusCreated, s.issueCommentJSON(c))
}

// createReply replies to a review comment through the
// /pulls/{number}/comments/{comment_id}/replies endpoint.
func (s *Server) createReply(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	parent, err := strconv.ParseInt(r.PathValue("comment_id"), 10, 64)
	if !ok || err != nil || parent <= 0 {
		notFound(w, r)
		return
	}
	req, ok := decodeComment(w, r, "PullRequestReviewComment")
	if !ok {
		return
	}
	s.reply(w, r, t, parent, req.Body)
}

// createReviewComment creates a review comment. Only replies (requests with
// in_reply_to, as sent by go-github's CreateCommentInReplyTo) are supported;
// the fake has no diffs to comment on.
func (s *Server) createReviewComment(w http.ResponseWriter, r *http.Request) {
	t, ok := parseTarget(r)
	if !ok {
		notFound(w, r)
		return
	}
	req, ok := decodeComment(w, r, "PullRequestReviewComment")
	if !ok {
		return
	}
	if req.InReplyTo <= 0 {
		writeValidationFailed(w, fieldErrorJSON{Resource: "PullRequestReviewComment", Field: "in_reply_to", Code: "missing_field"})
		return
	}
	s.reply(w, r, t, req.InReplyTo, req.Body)
}

// reply creates a review comment replying to parent, which must be a review
// comment of the same pull request.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, t target, parent int64, body string) {
	c, ok := s.create(r, Comment{
		Owner: t.owner, Repo: t.repo, Number: t.number, Kind: KindReview, Body: body, InReplyTo: parent,
	})
	if !ok {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusCreated, s.reviewCommentJSON(c))
}

// create stores a comment made through the API by the bot and runs the
// OnCreate hook. For replies it reports false, storing nothing, when the
// parent is not a review comment of the same pull request.
func (s *Server) create(r *http.Request, c Comment) (Comment, bool) {
	c.Login = s.opts.BotLogin
	c.Token = credential(r)
	s.mu.Lock()
	if c.InReplyTo != 0 && !s.hasReviewCommentLocked(c.Owner, c.Repo, c.Number, c.InReplyTo) {
		s.mu.Unlock()
		return Comment{}, false
	}
	c = s.addCommentLocked(c, true)
	hook := s.onCreate
	s.mu.Unlock()

	if hook != nil {
		ctx, cancel := context.WithCancel(r.Context())
		stop := context.AfterFunc(s.ctx, cancel)
		hook(ctx, c)
		stop()
		cancel()
	}
	return c, true
}

// hasReviewCommentLocked reports whether id is a review comment of the pull
// request. s.mu must be held.
func (s *Server) hasReviewCommentLocked(owner, repo string, number int, id int64) bool {
	t := target{owner: owner, repo: repo, number: number}
	for _, c := range s.comments {
		if c.ID == id && c.Kind == KindReview && t.matches(c.Owner, c.Repo, c.Number) {
			return true
		}
	}
	return false
}

// deleteIssueComment deletes an issue comment.
func (s *Server) deleteIssueComment(w http.ResponseWriter, r *http.Request) {
	s.deleteComment(w, r, KindIssue)
}

// deleteReviewComment deletes a pull request review comment.
func (s *Server) deleteReviewComment(w http.ResponseWriter, r *http.Request) {
	s.deleteComment(w, r, KindReview)
}

// deleteComment deletes the comment of the given kind whose id is in r's
// path, answering 204 No Content, or 404 if the repository has no such
// comment.
func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request, kind string) {
	id, err := strconv.ParseInt(r.PathValue("comment_id"), 10, 64)
	if err != nil || id <= 0 {
		notFound(w, r)
		return
	}
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	s.mu.Lock()
	i := slices.IndexFunc(s.comments, func(c Comment) bool {
		return c.ID == id && c.Kind == kind && strings.EqualFold(c.Owner, owner) && strings.EqualFold(c.Repo, repo)
	})
	if i < 0 {
		s.mu.Unlock()
		notFound(w, r)
		return
	}
	s.deleted = append(s.deleted, s.comments[i])
	s.comments = slices.Delete(s.comments, i, i+1)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// notFound answers 404 like GitHub.
func notFound(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, "Not Found")
}

// target is the issue or pull request a request is about.
type target struct {
	owner, repo string
	number      int
}

// parseTarget reads the owner, repo and number path values of r.
func parseTarget(r *http.Request) (target, bool) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n <= 0 {
		return target{}, false
	}
	return target{owner: r.PathValue("owner"), repo: r.PathValue("repo"), number: n}, true
}

// matches reports whether an item of owner/repo#number belongs to t. Like
// GitHub, owner and repository names are case-insensitive.
func (t target) matches(owner, repo string, number int) bool {
	return number == t.number && strings.EqualFold(owner, t.owner) && strings.EqualFold(repo, t.repo)
}

// commentRequest is the body of a request creating a comment.
type commentRequest struct {
	Body      string `json:"body"`
	InReplyTo int64  `json:"in_reply_to"`
}

// decodeComment reads a comment creation request. On failure it answers like
// GitHub (400 for malformed JSON, 422 for invalid fields) and reports false.
func decodeComment(w http.ResponseWriter, r *http.Request, resource string) (commentRequest, bool) {
	var req commentRequest
	if !decodeJSON(w, r, resource, &req) {
		return req, false
	}
	switch {
	case strings.TrimSpace(req.Body) == "":
		writeValidationFailed(w, fieldErrorJSON{Resource: resource, Field: "body", Code: "missing_field"})
		return req, false
	case utf8.RuneCountInString(req.Body) > maxCommentLen:
		writeValidationFailed(w, bodyTooLong(resource))
		return req, false
	}
	return req, true
}

// decodeJSON reads r's JSON body into v. On failure it answers like GitHub
// (400 for malformed JSON, 422 for a field of the wrong type) and reports
// false.
func decodeJSON(w http.ResponseWriter, r *http.Request, resource string, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		writeValidationFailed(w, fieldErrorJSON{Resource: resource, Field: typeErr.Field, Code: "invalid"})
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

// bodyTooLong describes a body field longer than GitHub accepts.
func bodyTooLong(resource string) fieldErrorJSON {
	return fieldErrorJSON{
		Resource: resource, Field: "body", Code: "custom",
		Message: fmt.Sprintf("Body is too long (maximum is %d characters)", maxCommentLen),
	}
}

// writePage writes the page of items that r asks for, with a Link header
// pointing at the other pages under base.
func writePage[T any](w http.ResponseWriter, r *http.Request, base string, items []T) {
	writeJSON(w, http.StatusOK, paginate(w, r, base, items))
}

// paginate returns the page of items that r asks for, never nil, and sets a
// Link header pointing at the other pages under base.
func paginate[T any](w http.ResponseWriter, r *http.Request, base string, items []T) []T {
	page, perPage := pageParams(r)
	last := max(1, (len(items)+perPage-1)/perPage)
	if link := linkHeader(base, r, page, perPage, last); link != "" {
		w.Header().Set("Link", link)
	}
	start := len(items) // pages past the last one are empty
	if page <= last {
		start = (page - 1) * perPage
	}
	end := min(start+perPage, len(items))
	out := items[start:end:end]
	if out == nil {
		out = []T{} // encode as [], not null
	}
	return out
}

// pageParams reads the page and per_page query parameters. Like GitHub, it
// falls back to the defaults for missing or invalid values and caps per_page.
func pageParams(r *http.Request) (page, perPage int) {
	q := r.URL.Query()
	page, perPage = 1, defaultPerPage
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		page = n
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		perPage = min(n, maxPerPage)
	}
	return page, perPage
}

// linkHeader builds GitHub's Link header for page out of last, or "" if
// there is only one page.
func linkHeader(base string, r *http.Request, page, perPage, last int) string {
	var links []string
	add := func(p int, rel string) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(perPage))
		links = append(links, fmt.Sprintf(`<%s%s?%s>; rel="%s"`, base, r.URL.EscapedPath(), q.Encode(), rel))
	}
	if page > 1 {
		add(page-1, "prev")
	}
	if page < last {
		add(page+1, "next")
		add(last, "last")
	}
	if page > 1 {
		add(1, "first")
	}
	return strings.Join(links, ", ")
}

// JSON shapes of API objects.
type (
	userJSON struct {
		Login     string `json:"login"`
		ID        int64  `json:"id"`
		NodeID    string `json:"node_id"`
		URL       string `json:"url"`
		HTMLURL   string `json:"html_url"`
		Type      string `json:"type"`
		SiteAdmin bool   `json:"site_admin"`
	}
	issueCommentJSON struct {
		ID        int64     `json:"id"`
		NodeID    string    `json:"node_id"`
		URL       string    `json:"url"`
		HTMLURL   string    `json:"html_url"`
		IssueURL  string    `json:"issue_url"`
		Body      string    `json:"body"`
		User      userJSON  `json:"user"`
		CreatedAt time.Time `json:"created_at"`
		UpdatedAt time.Time `json:"updated_at"`
	}
	reviewCommentJSON struct {
		ID             int64     `json:"id"`
		NodeID         string    `json:"node_id"`
		InReplyTo      int64     `json:"in_reply_to_id,omitempty"`
		URL            string    `json:"url"`
		HTMLURL        string    `json:"html_url"`
		PullRequestURL string    `json:"pull_request_url"`
		Body           string    `json:"body"`
		User           userJSON  `json:"user"`
		CreatedAt      time.Time `json:"created_at"`
		UpdatedAt      time.Time `json:"updated_at"`
	}
	reviewJSON struct {
		ID             int64     `json:"id"`
		NodeID         string    `json:"node_id"`
		User           userJSON  `json:"user"`
		Body           string    `json:"body"`
		State          string    `json:"state"`
		HTMLURL        string    `json:"html_url"`
		PullRequestURL string    `json:"pull_request_url"`
		SubmittedAt    time.Time `json:"submitted_at"`
	}
	errorJSON struct {
		Message          string           `json:"message"`
		Errors           []fieldErrorJSON `json:"errors,omitempty"`
		DocumentationURL string           `json:"documentation_url,omitempty"`
	}
	fieldErrorJSON struct {
		Resource string `json:"resource"`
		Field    string `json:"field"`
		Code     string `json:"code"`
		Message  string `json:"message,omitempty"`
	}
)

// user describes login; the App's own login and "[bot]" logins are bots.
// Its id depends only on the login, ignoring case.
func (s *Server) user(login string) userJSON {
	u := userJSON{
		Login:   login,
		ID:      stableID("user", login),
		URL:     fmt.Sprintf("%s/users/%s", s.ts.URL, url.PathEscape(login)),
		HTMLURL: "https://github.com/" + url.PathEscape(login),
		Type:    "User",
	}
	if strings.EqualFold(login, s.opts.BotLogin) || strings.HasSuffix(strings.ToLower(login), "[bot]") {
		u.Type = "Bot"
		// GitHub's html_url for an App's bot user is the App's page.
		u.HTMLURL = "https://github.com/apps/" + url.PathEscape(strings.TrimSuffix(strings.ToLower(login), "[bot]"))
	}
	u.NodeID = fmt.Sprintf("U_%d", u.ID)
	return u
}

// stableID returns a positive id for an object of the given kind named by
// name, the same for every name that differs only in case.
func stableID(kind, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(kind + ":" + strings.ToLower(name)))
	return 1 + int64(h.Sum64()%999_999_999)
}

func (s *Server) issueCommentJSON(c Comment) issueCommentJSON {
	return issueCommentJSON{
		ID:        c.ID,
		NodeID:    fmt.Sprintf("IC_%d", c.ID),
		URL:       fmt.Sprintf("%s/repos/%s/%s/issues/comments/%d", s.ts.URL, c.Owner, c.Repo, c.ID),
		HTMLURL:   c.HTMLURL,
		IssueURL:  fmt.Sprintf("%s/repos/%s/%s/issues/%d", s.ts.URL, c.Owner, c.Repo, c.Number),
		Body:      c.Body,
		User:      s.user(c.Login),
		CreatedAt: c.CreatedAt,
		UpdatedAt: c.CreatedAt,
	}
}

func (s *Server) reviewCommentJSON(c Comment) reviewCommentJSON {
	return reviewCommentJSON{
		ID:             c.ID,
		NodeID:         fmt.Sprintf("PRRC_%d", c.ID),
		InReplyTo:      c.InReplyTo,
		URL:            fmt.Sprintf("%s/repos/%s/%s/pulls/comments/%d", s.ts.URL, c.Owner, c.Repo, c.ID),
		HTMLURL:        c.HTMLURL,
		PullRequestURL: fmt.Sprintf("%s/repos/%s/%s/pulls/%d", s.ts.URL, c.Owner, c.Repo, c.Number),
		Body:           c.Body,
		User:           s.user(c.Login),
		CreatedAt:      c.CreatedAt,
		UpdatedAt:      c.CreatedAt,
	}
}

func (s *Server) reviewJSON(r Review) reviewJSON {
	return reviewJSON{
		ID:             r.ID,
		NodeID:         fmt.Sprintf("PRR_%d", r.ID),
		User:           s.user(r.Login),
		Body:           r.Body,
		State:          r.State,
		HTMLURL:        r.HTMLURL,
		PullRequestURL: fmt.Sprintf("%s/repos/%s/%s/pulls/%d", s.ts.URL, r.Owner, r.Repo, r.Number),
		SubmittedAt:    r.SubmittedAt,
	}
}

// writeValidationFailed answers 422 Validation Failed with the given errors.
func writeValidationFailed(w http.ResponseWriter, errs ...fieldErrorJSON) {
	writeJSON(w, http.StatusUnprocessableEntity, errorJSON{
		Message: "Validation Failed", Errors: errs, DocumentationURL: docsURL,
	})
}

// writeError writes a GitHub error body with the generic documentation URL.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, errorJSON{Message: message, DocumentationURL: docsURL})
}

// writeRateLimited answers a request over the primary rate limit. The
// rate-limit headers must already be set.
func writeRateLimited(w http.ResponseWriter, message string) {
	writeJSON(w, http.StatusForbidden, errorJSON{Message: message, DocumentationURL: rateLimitDocsURL})
}

// writeFault answers with an injected failure.
func writeFault(w http.ResponseWriter, f fault) {
	for k, vs := range f.header {
		w.Header()[k] = append([]string(nil), vs...)
	}
	body := errorJSON{Message: "Server Error"}
	if f.status == http.StatusForbidden || f.status == http.StatusTooManyRequests {
		body = errorJSON{
			Message:          "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			DocumentationURL: secondaryDocsURL,
		}
	}
	writeJSON(w, f.status, body)
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"message":"Server Error"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	// A failed write means the client has gone away; there is no one left
	// to report the error to.
	_, _ = w.Write(buf.Bytes())
}
