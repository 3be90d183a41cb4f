package fakegithub

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
)

const (
	defaultBranch  = "main"
	base64LineLen  = 60 // GitHub wraps base64 file content at this many characters
	fileMode       = "100644"
	directoryMode  = "40000"
	rawContentHost = "https://raw.githubusercontent.com"
)

// repoInfo describes a repository set up by SetRepo.
type repoInfo struct {
	owner, name string
	private     bool
}

// SetRepo describes a repository: its owner and name as GitHub spells them,
// and whether it is private. Repositories not described exist anyway, as
// public repositories named as in each request.
func (s *Server) SetRepo(owner, repo string, private bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repos[repoKey(owner, repo)] = repoInfo{owner: owner, name: repo, private: private}
}

// SetFile creates or replaces the file at path on the repository's default
// branch. Leading and trailing slashes of path are ignored; it panics if
// nothing else is left.
func (s *Server) SetFile(owner, repo, path, content string) {
	p := strings.Trim(path, "/")
	if p == "" {
		panic("fakegithub: SetFile with an empty path")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := repoKey(owner, repo)
	if s.files[key] == nil {
		s.files[key] = make(map[string]string)
	}
	s.files[key][p] = content
}

// RemoveFile removes the file at path from the repository's default branch,
// if it is there.
func (s *Server) RemoveFile(owner, repo, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files[repoKey(owner, repo)], strings.Trim(path, "/"))
}

// getRepo describes a repository. Every repository exists.
func (s *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	owner, name := r.PathValue("owner"), r.PathValue("repo")
	s.mu.Lock()
	info, ok := s.repos[repoKey(owner, name)]
	s.mu.Unlock()
	if !ok {
		info = repoInfo{owner: owner, name: name}
	}
	visibility := "public"
	if info.private {
		visibility = "private"
	}
	fullName := info.owner + "/" + info.name
	id := stableID("repo", fullName)
	writeJSON(w, http.StatusOK, repoJSON{
		ID:            id,
		NodeID:        fmt.Sprintf("R_%d", id),
		Name:          info.name,
		FullName:      fullName,
		Private:       info.private,
		Visibility:    visibility,
		Owner:         s.user(info.owner),
		HTMLURL:       "https://github.com/" + fullName,
		URL:           fmt.Sprintf("%s/repos/%s", s.ts.URL, fullName),
		DefaultBranch: defaultBranch,
	})
}

// getContents answers with a file, or the entries of a directory, on the
// default branch. The ref query parameter is ignored.
func (s *Server) getContents(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	p := strings.Trim(r.PathValue("path"), "/")
	s.mu.Lock()
	files := s.files[repoKey(owner, repo)]
	content, isFile := files[p]
	var entries []contentJSON
	if !isFile {
		for _, e := range listDir(files, p) {
			entries = append(entries, s.contentJSON(owner, repo, files, e, false))
		}
	}
	s.mu.Unlock()
	switch {
	case isFile:
		e := dirEntry{name: path.Base(p), path: p, content: content}
		writeJSON(w, http.StatusOK, s.contentJSON(owner, repo, nil, e, true))
	case len(entries) > 0:
		writeJSON(w, http.StatusOK, entries)
	default:
		notFound(w, r)
	}
}

// dirEntry is a file or directory in a directory listing.
type dirEntry struct {
	name, path string
	dir        bool
	content    string // of a file
}

// listDir lists the directory dir ("" for the top level) of a repository
// holding files, sorted by name. It returns nothing if there is no such
// directory.
func listDir(files map[string]string, dir string) []dirEntry {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	seen := make(map[string]int) // name → index in out
	var out []dirEntry
	for p, content := range files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		name, _, isDir := strings.Cut(rest, "/")
		e := dirEntry{name: name, path: prefix + name, dir: isDir}
		if !isDir {
			e.content = content
		}
		if i, ok := seen[name]; ok {
			// A name that is both a file and a directory (which git does
			// not allow) lists as the directory, whatever the map order.
			if isDir {
				out[i] = e
			}
			continue
		}
		seen[name] = len(out)
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return out
}

// contentJSON describes e, with its content if withContent. files is the
// repository's files, needed to compute directories' sha.
func (s *Server) contentJSON(owner, repo string, files map[string]string, e dirEntry, withContent bool) contentJSON {
	escaped := (&url.URL{Path: e.path}).EscapedPath()
	apiURL := fmt.Sprintf("%s/repos/%s/%s/contents/%s?ref=%s", s.ts.URL, owner, repo, escaped, defaultBranch)
	c := contentJSON{
		Type: "file",
		Name: e.name,
		Path: e.path,
		URL:  apiURL,
	}
	if e.dir {
		c.Type = "dir"
		c.SHA = treeSHA(files, e.path)
		c.GitURL = fmt.Sprintf("%s/repos/%s/%s/git/trees/%s", s.ts.URL, owner, repo, c.SHA)
		c.HTMLURL = fmt.Sprintf("https://github.com/%s/%s/tree/%s/%s", owner, repo, defaultBranch, escaped)
	} else {
		c.Size = len(e.content)
		c.SHA = blobSHA(e.content)
		c.GitURL = fmt.Sprintf("%s/repos/%s/%s/git/blobs/%s", s.ts.URL, owner, repo, c.SHA)
		c.HTMLURL = fmt.Sprintf("https://github.com/%s/%s/blob/%s/%s", owner, repo, defaultBranch, escaped)
		download := fmt.Sprintf("%s/%s/%s/%s/%s", rawContentHost, owner, repo, defaultBranch, escaped)
		c.DownloadURL = &download
	}
	if withContent {
		encoded := encodeContent(e.content)
		c.Encoding, c.Content = "base64", &encoded
	}
	c.Links = contentLinksJSON{Self: c.URL, Git: c.GitURL, HTML: c.HTMLURL}
	return c
}

// encodeContent encodes content in base64 like GitHub does: a newline after
// every 60 characters and at the end.
func encodeContent(content string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(content))
	var b strings.Builder
	for len(enc) > 0 {
		n := min(len(enc), base64LineLen)
		b.WriteString(enc[:n])
		b.WriteByte('\n')
		enc = enc[n:]
	}
	return b.String()
}

// blobSHA returns the git object id of a blob holding content.
func blobSHA(content string) string {
	return gitSHA("blob", []byte(content))
}

// treeSHA returns the git object id of the tree of directory dir of a
// repository holding files.
func treeSHA(files map[string]string, dir string) string {
	entries := listDir(files, dir)
	// Git sorts tree entries by name, comparing a directory's name as if it
	// ended in a slash.
	sortName := func(e dirEntry) string {
		if e.dir {
			return e.name + "/"
		}
		return e.name
	}
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(sortName(a), sortName(b)) })
	var body bytes.Buffer
	for _, e := range entries {
		mode, sha := fileMode, blobSHA(e.content)
		if e.dir {
			mode, sha = directoryMode, treeSHA(files, e.path)
		}
		raw, _ := hex.DecodeString(sha) // sha is always valid hex
		fmt.Fprintf(&body, "%s %s\x00", mode, e.name)
		body.Write(raw)
	}
	return gitSHA("tree", body.Bytes())
}

// gitSHA returns the git object id of an object of type kind holding data.
func gitSHA(kind string, data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// JSON shapes of repositories and their contents.
type (
	repoJSON struct {
		ID            int64    `json:"id"`
		NodeID        string   `json:"node_id"`
		Name          string   `json:"name"`
		FullName      string   `json:"full_name"`
		Private       bool     `json:"private"`
		Visibility    string   `json:"visibility"`
		Owner         userJSON `json:"owner"`
		HTMLURL       string   `json:"html_url"`
		URL           string   `json:"url"`
		DefaultBranch string   `json:"default_branch"`
	}
	contentJSON struct {
		Type        string           `json:"type"`
		Encoding    string           `json:"encoding,omitempty"`
		Size        int              `json:"size"`
		Name        string           `json:"name"`
		Path        string           `json:"path"`
		Content     *string          `json:"content,omitempty"`
		SHA         string           `json:"sha"`
		URL         string           `json:"url"`
		GitURL      string           `json:"git_url"`
		HTMLURL     string           `json:"html_url"`
		DownloadURL *string          `json:"download_url"`
		Links       contentLinksJSON `json:"_links"`
	}
	contentLinksJSON struct {
		Self string `json:"self"`
		Git  string `json:"git"`
		HTML string `json:"html"`
	}
)
