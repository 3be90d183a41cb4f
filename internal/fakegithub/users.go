package fakegithub

import (
	"net/http"
	"strings"
)

// Ghost makes the given logins not exist: GET /users/{login} answers 404 for
// them. Every other login exists. Logins are case-insensitive.
func (s *Server) Ghost(logins ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range logins {
		s.ghosts[strings.ToLower(l)] = true
	}
}

// SetTeam sets the members of the team with the given slug in org, creating
// the team if needed. Organization and team names are case-insensitive.
func (s *Server) SetTeam(org, slug string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[teamKey(org, slug)] = append([]string{}, members...)
}

// teamKey identifies a team.
func teamKey(org, slug string) string {
	return strings.ToLower(org) + "/" + strings.ToLower(slug)
}

// getUser describes a user. The login is answered as spelled in the request.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	login := r.PathValue("login")
	s.mu.Lock()
	ghost := s.ghosts[strings.ToLower(login)]
	s.mu.Unlock()
	if ghost {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, s.user(login))
}

// listTeamMembers lists the members of a team.
func (s *Server) listTeamMembers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	members, ok := s.teams[teamKey(r.PathValue("org"), r.PathValue("slug"))]
	s.mu.Unlock()
	if !ok {
		notFound(w, r)
		return
	}
	out := make([]userJSON, 0, len(members))
	for _, m := range members {
		out = append(out, s.user(m))
	}
	writePage(w, r, s.ts.URL, out)
}
