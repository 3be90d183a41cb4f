package action

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// The configuration, opt-outs and account cache a thanks needs are read
// with its lock; a configuration not cached yet is fetched from GitHub
// and cached, and the next thanks uses the cached one.
func TestWorkerThanksWithUncachedConfig(t *testing.T) {
	ctx := context.Background()
	env := newWorkerEnv(t)
	w := env.newW("w1")
	env.gh.SetFile("acme", "widgets", ".github/kudos.yml", "version: 1\nprivacy:\n  never_name:\n    users: [Bob]\n")
	env.gh.Ghost("ghosty")
	if err := env.st.SetOptOut(ctx, 31337, "Dave", true); err != nil {
		t.Fatal(err)
	}
	if e, err := env.st.Config(ctx, 31337, 1296269); e != nil || err != nil {
		t.Fatalf("Config = %+v, %v before any thanks; want none cached", e, err)
	}
	// ghosty and erin only appear in the command: their accounts are
	// looked up.
	s := thanks(1, "bob", "carol", "ghosty", "dave", "erin")
	for i := range s.Recognitions {
		if r := &s.Recognitions[i]; r.Recipient == "ghosty" || r.Recipient == "erin" {
			r.ArtifactKind, r.ArtifactLabel = "pull_request", "pull request"
		}
	}
	env.queue(s, "d1")
	if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
		t.Fatalf("outcome = %s, %v; want posted", out, err)
	}
	body := env.gh.Created()[0].Body
	for _, want := range []string{"@carol", "@erin", "`ghosty` isn't a GitHub account", "someone who prefers not to be named", "<!-- kudos:id-ghosty-1-noaccount -->"} {
		if !strings.Contains(body, want) {
			t.Errorf("reply lacks %q:\n%s", want, body)
		}
	}
	for _, never := range []string{"@bob", "@dave", "@ghosty"} {
		if strings.Contains(body, never) {
			t.Errorf("reply names %s:\n%s", never, body)
		}
	}
	e, err := env.st.Config(ctx, 31337, 1296269)
	if err != nil || e == nil || e.Source != "repo" || len(e.Config.NeverName) != 1 {
		t.Fatalf("cached config = %+v, %v; want the repository's file", e, err)
	}
	// The account cache, read as a worker reads it: with a reply's lock.
	_, _, prep, err := env.st.LockReply(ctx, 31337, 1296269, "probe:1", "test", time.Second, nil, []string{"ghosty", "erin"})
	if err != nil || prep == nil {
		t.Fatalf("read the account cache: %v", err)
	}
	for login, want := range map[string]bool{"ghosty": false, "erin": true} {
		if exists, cached := prep.Users[login]; !cached || exists != want {
			t.Errorf("account cache of %s = %v, %v; want %v, cached", login, exists, cached, want)
		}
	}

	// The next thanks finds it all cached: no file read, no user lookup.
	reads, lookups := env.gh.Count(http.MethodGet, "/repos/acme/widgets/contents/"), env.gh.Count(http.MethodGet, "/users/")
	s = thanks(2, "bob", "ghosty", "erin")
	s.Recognitions[1].ArtifactKind, s.Recognitions[2].ArtifactKind = "issue", "issue"
	env.queue(s, "d2")
	if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
		t.Fatalf("second outcome = %s, %v; want posted", out, err)
	}
	body = env.gh.Created()[1].Body
	if strings.Contains(body, "@bob") || !strings.Contains(body, "@erin") || !strings.Contains(body, "`ghosty` isn't") {
		t.Errorf("second reply = %q; want erin named, bob not, ghosty noticed", body)
	}
	if r, l := env.gh.Count(http.MethodGet, "/repos/acme/widgets/contents/"), env.gh.Count(http.MethodGet, "/users/"); r != reads || l != lookups {
		t.Errorf("file reads %d → %d, user lookups %d → %d; want the cached configuration and accounts used", reads, r, lookups, l)
	}
	if n := env.pending(t); n != 0 {
		t.Fatalf("pending = %d after both handled", n)
	}
}

// Every exit that acknowledges a thanks also frees its reply: the lease
// is given back with the acknowledgement.
func TestWorkerReleasesTheLeaseWithTheAck(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		setup func(env *workerEnv) *recognizer.Suggestion
		want  string
	}{
		{"posted", func(*workerEnv) *recognizer.Suggestion { return thanks(1, "bob") }, OutcomePosted},
		{"nothing to say", func(env *workerEnv) *recognizer.Suggestion {
			env.gh.SetFile("acme", "widgets", ".github/kudos.yml", "version: 1\nfeatures:\n  thanks: false\n")
			return thanks(1, "bob")
		}, OutcomeNothing},
		{"dropped", func(*workerEnv) *recognizer.Suggestion {
			s := thanks(5, "bob")
			s.Source = recognizer.Source{Kind: recognizer.SourceReviewComment, ID: 5, ThreadID: 404}
			return s
		}, OutcomeDropped},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newWorkerEnv(t)
			s := c.setup(env)
			env.queue(s, "d1")
			w := env.newW("w1")
			m := env.readNext(t, "w1")
			var rt redistest.Recorder
			env.st.Client().AddHook(&rt)
			if out, _ := w.Handle(ctx, m); out != c.want {
				t.Fatalf("outcome = %s; want %s", out, c.want)
			}
			// The last round trip acknowledges and releases: no separate
			// release follows the acknowledgement.
			trips := rt.Take()
			if len(trips) == 0 {
				t.Fatal("no round trips recorded")
			}
			if last := trips[len(trips)-1]; redistest.Count([][]string{last}, "xack") != 1 || redistest.Count([][]string{last}, "eval") != 1 {
				t.Fatalf("last round trip sent %v; want the acknowledgement with the release", last)
			}
			if ok, _, _, err := env.st.LockReply(ctx, s.InstallationID, s.RepoID, s.Key(), "w2", time.Minute, nil, nil); !ok || err != nil {
				t.Fatalf("Lock after handling = %v, %v; want the lease free", ok, err)
			}
			if n := env.pending(t); n != 0 {
				t.Fatalf("pending = %d; want acknowledged", n)
			}
		})
	}
}

// A thanks whose configuration and accounts are cached takes four round
// trips: the lock with everything preparing it reads, the rate limit
// with marking its items attempted, recording the post, and the
// acknowledgement with the release of the lock.
func TestWorkerThanksRoundTrips(t *testing.T) {
	env := newWorkerEnv(t)
	cached := func(commentID int64) *recognizer.Suggestion {
		s := thanks(commentID, "bob")
		s.Recognitions[0].ArtifactKind = "pull_request" // bob's account is looked up
		return s
	}
	if n := secondRoundTrips(t, env, cached(1), cached(2)); n != 4 {
		t.Errorf("a cached thanks took %d round trips to Redis; want 4", n)
	}
}

// secondRoundTrips posts first, which caches what it reads, then second,
// and returns how many round trips to Redis second took.
func secondRoundTrips(t *testing.T, env *workerEnv, first, second *recognizer.Suggestion) int {
	t.Helper()
	w := env.newW("w1")
	env.queue(first, "d1")
	if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
		t.Fatalf("first = %s, %v; want posted", out, err)
	}
	env.queue(second, "d2")
	m := env.readNext(t, "w1")
	var rt redistest.Recorder
	env.st.Client().AddHook(&rt)
	if out, err := w.Handle(context.Background(), m); out != OutcomePosted || err != nil {
		t.Fatalf("second = %s, %v; want posted", out, err)
	}
	return len(rt.Take())
}

// A thanks over the giver's limit posts the notice alone, and leaves its
// recognitions new rather than attempted: a retry counts them against
// the limit again instead of looking for a post that never was.
func TestWorkerOverLimitLeavesRecognitionsNew(t *testing.T) {
	ctx := context.Background()
	env := newWorkerEnv(t)
	w := env.newW("w1")
	perHour := recognizer.DefaultConfig().ThanksPerHour
	for i := 1; i <= perHour+1; i++ {
		s := thanks(int64(i), "bob")
		env.queue(s, "d"+strconv.Itoa(i))
		if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
			t.Fatalf("thanks %d = %s, %v; want posted", i, out, err)
		}
	}
	last := thanks(int64(perHour+1), "bob")
	states, err := env.st.ItemStates(ctx, last.InstallationID, append(last.ItemIDs(), last.Key()+"-limit"))
	if err != nil {
		t.Fatal(err)
	}
	if got := states[last.Recognitions[0].ID]; got != store.ItemNew {
		t.Errorf("the limited recognition is %v; want new", got)
	}
	if got := states[last.Key()+"-limit"]; got != store.ItemDone {
		t.Errorf("the limit notice is %v; want posted", got)
	}
}

// A thanks queued again (an edited comment, a redelivery) after its
// reply was posted posts nothing: the notice that a recipient is no
// account included, although that notice is only made while preparing.
func TestWorkerRepeatedThanksRepostsNoNotice(t *testing.T) {
	env := newWorkerEnv(t)
	w := env.newW("w1")
	env.gh.Ghost("ghosty")
	s := thanks(1, "carol", "ghosty")
	s.Recognitions[1].ArtifactKind, s.Recognitions[1].ArtifactLabel = "pull_request", "pull request"
	env.queue(s, "d1")
	if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
		t.Fatalf("first = %s, %v; want posted", out, err)
	}
	env.queue(s, "d2")
	if _, out, err := env.handleNext(t, w); out != OutcomeDuplicate || err != nil {
		t.Fatalf("again = %s, %v; want duplicate", out, err)
	}
	if n := len(env.gh.Created()); n != 1 {
		t.Fatalf("%d replies posted; want 1:\n%v", n, env.gh.Created())
	}
}

// A merge's shout-out whose configuration is cached takes six round
// trips: the lock with what preparing it reads (configuration and
// opt-outs), the PR's ledger, its items' states, marking them attempted,
// recording the post, and the acknowledgement with the release.
func TestWorkerShoutOutRoundTrips(t *testing.T) {
	ctx := context.Background()
	env := newWorkerEnv(t)
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	merge := func(number int) *recognizer.Suggestion {
		t.Helper()
		recs := []recognizer.Contribution{
			{Kind: recognizer.KindOpened, ID: int64(number), Login: "alice", At: at},
			{Kind: recognizer.KindReview, ID: int64(1000 + number), Login: "bob", State: "approved", At: at.Add(time.Hour),
				HTMLURL: "https://github.com/acme/widgets/pull/" + strconv.Itoa(number) + "#pullrequestreview-" + strconv.Itoa(1000+number)},
		}
		if err := env.st.AddRecords(ctx, 31337, 1296269, number, recs); err != nil {
			t.Fatal(err)
		}
		return &recognizer.Suggestion{Kind: recognizer.KindShoutout, InstallationID: 31337, RepoID: 1296269,
			Owner: "acme", Repo: "widgets", Number: number, IsPR: true, Author: "alice",
			TargetURL: "https://github.com/acme/widgets/pull/" + strconv.Itoa(number),
			Source:    recognizer.Source{Kind: "pull_request", ID: int64(number)}}
	}
	if n := secondRoundTrips(t, env, merge(42), merge(43)); n != 6 {
		t.Errorf("a cached shout-out took %d round trips to Redis; want 6", n)
	}
	if got := env.gh.Created(); len(got) != 2 || !strings.Contains(got[1].Body, "**bob**") {
		t.Fatalf("created = %+v; want two shout-outs naming bob", got)
	}
}
