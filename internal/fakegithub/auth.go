package fakegithub

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

const (
	tokenTTL       = time.Hour
	rateWindow     = time.Hour
	searchWindow   = time.Minute
	maxJWTLifetime = 10 * time.Minute // GitHub rejects JWTs expiring later than this
	anonymousLimit = 60               // GitHub's limit for unauthenticated requests
)

// installationToken is an issued installation access token.
type installationToken struct {
	installationID int64
	expiresAt      time.Time
}

// credential returns the credential in r's Authorization header, accepting
// the "token" and "Bearer" schemes, or "" if there is none.
func credential(r *http.Request) string {
	scheme, value, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !(strings.EqualFold(scheme, "token") || strings.EqualFold(scheme, "bearer")) {
		return ""
	}
	return strings.TrimSpace(value)
}

// verifyJWT checks that raw is an unexpired RS256 JWT signed with the App's
// key whose issuer is the App's id.
func (s *Server) verifyJWT(raw string) error {
	if s.opts.PublicKey == nil {
		return errors.New("no public key configured")
	}
	claims := jwt.MapClaims{}
	keyFunc := func(*jwt.Token) (any, error) { return s.opts.PublicKey, nil }
	// ParseWithClaims checks the signature and, when present, exp, iat and nbf.
	_, err := jwt.ParseWithClaims(raw, claims, keyFunc,
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}), jwt.WithJSONNumber())
	if err != nil {
		return err
	}
	if _, ok := claims["exp"]; !ok {
		return errors.New("missing exp claim")
	}
	// A token still valid past the maximum lifetime (plus a minute of clock
	// drift) expires too late.
	if claims.VerifyExpiresAt(time.Now().Add(maxJWTLifetime+time.Minute).Unix(), true) {
		return errors.New("exp claim too far in the future")
	}
	iss, err := issuer(claims["iss"])
	if err != nil {
		return err
	}
	if iss != s.opts.AppID {
		return fmt.Errorf("iss %d is not app id %d", iss, s.opts.AppID)
	}
	return nil
}

// issuer parses an "iss" claim given as a string of digits or a number.
func issuer(v any) (int64, error) {
	switch v := v.(type) {
	case string:
		return strconv.ParseInt(v, 10, 64)
	case json.Number:
		return v.Int64()
	default:
		return 0, fmt.Errorf("iss claim has type %T", v)
	}
}

// newToken returns a fresh random installation token.
func newToken() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "ghs_" + hex.EncodeToString(b), nil
}

// Rate-limit resources, as named in the X-RateLimit-Resource header.
const (
	resourceCore   = "core"
	resourceSearch = "search"
)

// bucket counts requests made with one credential to one rate-limit resource
// in a rate-limit window.
type bucket struct {
	resource string
	limit    int
	window   time.Duration
	used     int
	reset    time.Time // end of the current window
}

// take counts one request at time t, starting a new window if the current
// one has ended. It reports false if the limit is already used up.
func (b *bucket) take(t time.Time) bool {
	if !t.Before(b.reset) {
		b.used = 0
		b.reset = t.Add(b.window)
	}
	if b.used >= b.limit {
		return false
	}
	b.used++
	return true
}

// setHeaders writes GitHub's rate-limit headers for b.
func (b *bucket) setHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.limit-b.used))
	h.Set("X-RateLimit-Used", strconv.Itoa(b.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", b.resource)
}

// takeLocked counts a request against the core bucket named key, creating
// it with limit if needed, and writes the rate-limit headers to h. It reports
// false if the limit is used up. s.mu must be held.
func (s *Server) takeLocked(key string, limit int, h http.Header) bool {
	return s.takeResourceLocked(key, resourceCore, limit, rateWindow, h)
}

// takeResourceLocked is takeLocked for a bucket of any resource, with the
// given limit per window. s.mu must be held.
func (s *Server) takeResourceLocked(key, resource string, limit int, window time.Duration, h http.Header) bool {
	b, ok := s.buckets[key]
	if !ok {
		b = &bucket{resource: resource, limit: limit, window: window}
		s.buckets[key] = b
	}
	allowed := b.take(time.Now())
	b.setHeaders(h)
	return allowed
}

// withJWT guards App routes: the request must carry a valid App JWT and be
// within the App's rate limit.
func (s *Server) withJWT(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := s.verifyJWT(credential(r))
		s.mu.Lock()
		allowed := true
		if err != nil {
			s.takeLocked("anonymous", anonymousLimit, w.Header())
		} else {
			allowed = s.takeLocked("app", s.opts.RateLimit, w.Header())
		}
		s.mu.Unlock()
		switch {
		case err != nil:
			writeError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		case !allowed:
			writeRateLimited(w, fmt.Sprintf("API rate limit exceeded for app ID %d.", s.opts.AppID))
		default:
			next(w, r)
		}
	}
}

// withToken guards repository, user and organization routes: the request
// must carry an issued, unexpired installation token and be within that
// token's core rate limit. Injected write failures are applied here.
func (s *Server) withToken(next http.HandlerFunc) http.HandlerFunc {
	return s.withTokenFor(resourceCore, next)
}

// withSearchToken guards search routes like withToken, but counts requests
// against the token's search rate limit instead of its core one.
func (s *Server) withSearchToken(next http.HandlerFunc) http.HandlerFunc {
	return s.withTokenFor(resourceSearch, next)
}

// withTokenFor guards routes whose requests count against resource.
func (s *Server) withTokenFor(resource string, next http.HandlerFunc) http.HandlerFunc {
	key, limit, window := "token:", s.opts.RateLimit, rateWindow
	if resource == resourceSearch {
		key, limit, window = "search:token:", s.opts.SearchRateLimit, searchWindow
	}
	return func(w http.ResponseWriter, r *http.Request) {
		tok := credential(r)
		s.mu.Lock()
		inst, ok := s.tokens[tok]
		ok = ok && time.Now().Before(inst.expiresAt)
		if !ok {
			// Like GitHub, count failed requests against the anonymous
			// limit, for the headers only: they fail anyway.
			s.takeLocked("anonymous", anonymousLimit, w.Header())
			s.mu.Unlock()
			writeError(w, http.StatusUnauthorized, "Bad credentials")
			return
		}
		if !s.takeResourceLocked(key+tok, resource, limit, window, w.Header()) {
			s.mu.Unlock()
			writeRateLimited(w, fmt.Sprintf("API rate limit exceeded for installation ID %d.", inst.installationID))
			return
		}
		if s.tooFastLocked(r, inst.installationID) {
			s.mu.Unlock()
			writeFault(w, fault{status: http.StatusForbidden, header: http.Header{"Retry-After": {"1"}}})
			return
		}
		f, fail := s.takeFaultLocked(r)
		s.mu.Unlock()
		if fail {
			writeFault(w, f)
			return
		}
		next(w, r)
	}
}

// tooFastLocked reports whether r is a write for inst that comes sooner
// than MinWriteGap after the previous one, and counts it. s.mu must be
// held.
func (s *Server) tooFastLocked(r *http.Request, inst int64) bool {
	if s.opts.MinWriteGap <= 0 || !isWrite(r.Method) {
		return false
	}
	now := time.Now()
	if last, ok := s.lastWrite[inst]; ok && now.Sub(last) < s.opts.MinWriteGap {
		s.secondaryHits++
		return true
	}
	if s.lastWrite == nil {
		s.lastWrite = map[int64]time.Time{}
	}
	s.lastWrite[inst] = now
	return false
}

// SecondaryLimitHits counts the writes refused for coming too fast.
func (s *Server) SecondaryLimitHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.secondaryHits
}

// takeFaultLocked consumes one injected failure if r is a write that should
// fail. s.mu must be held.
func (s *Server) takeFaultLocked(r *http.Request) (fault, bool) {
	if !isWrite(r.Method) || s.fault.remaining == 0 {
		return fault{}, false
	}
	s.fault.remaining--
	return s.fault, true
}

// isWrite reports whether method changes state on the server.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}
