package action

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

type workerEnv struct {
	gh    *fakegithub.Server
	st    *store.Store
	newW  func(consumer string) *Worker
	queue func(s *recognizer.Suggestion, delivery string)
}

func newWorkerEnv(t *testing.T) *workerEnv {
	t.Helper()
	gh, client := newFakeGitHub(t, "")
	st := store.New(redistest.Start(t).Client(t), store.Options{})
	if err := st.EnsureGroup(context.Background()); err != nil {
		t.Fatal(err)
	}
	env := &workerEnv{gh: gh, st: st}
	env.newW = func(consumer string) *Worker {
		w, err := NewWorker(WorkerOptions{
			Store: st, Poster: client, Logger: testLogger(t), Consumer: consumer,
			Block: 50 * time.Millisecond, Lease: time.Second, MinIdle: 20 * time.Millisecond, ReclaimEvery: 20 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	env.queue = func(s *recognizer.Suggestion, delivery string) {
		t.Helper()
		if _, err := st.Accept(context.Background(), store.Delivery{ID: delivery, InstallationID: s.InstallationID, RepoID: s.RepoID, Number: s.Number, Suggestion: s}); err != nil {
			t.Fatal(err)
		}
	}
	return env
}

func thanks(commentID int64, recipients ...string) *recognizer.Suggestion {
	s := &recognizer.Suggestion{
		InstallationID: 31337, RepoID: 1296269, Owner: "acme", Repo: "widgets", Number: 42, IsPR: true,
		TargetURL: "https://github.com/acme/widgets/pull/42", Giver: "alice",
		Source: recognizer.Source{Kind: recognizer.SourceIssueComment, ID: commentID},
	}
	for _, r := range recipients {
		s.Recognitions = append(s.Recognitions, recognizer.Recognition{
			ID: "id-" + r + "-" + strconv.FormatInt(commentID, 10), Kind: "thanks", Recipient: r, Reason: "the review",
			ArtifactLabel: "comment", ArtifactURL: "https://github.com/acme/widgets/pull/42#issuecomment-1",
		})
	}
	return s
}

// readNext reads one message as consumer.
func (e *workerEnv) readNext(t *testing.T, consumer string) store.Message {
	t.Helper()
	msgs, err := e.st.Read(context.Background(), consumer, 1, 100*time.Millisecond)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Read = %d msgs, %v; want 1", len(msgs), err)
	}
	return msgs[0]
}

// handleNext reads one message as consumer and handles it.
func (e *workerEnv) handleNext(t *testing.T, w *Worker) (store.Message, string, error) {
	t.Helper()
	m := e.readNext(t, w.opts.Consumer)
	out, err := w.Handle(context.Background(), m)
	return m, out, err
}

func (e *workerEnv) pending(t *testing.T) int64 {
	t.Helper()
	n, err := e.st.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWorkerPostsOnceAndAcks(t *testing.T) {
	env := newWorkerEnv(t)
	w := env.newW("w1")
	env.queue(thanks(1, "bob"), "d1")
	env.queue(thanks(1, "bob"), "d2") // the same comment under another delivery id
	if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
		t.Fatalf("first = %s, %v; want posted", out, err)
	}
	if _, out, err := env.handleNext(t, w); out != OutcomeDuplicate || err != nil {
		t.Fatalf("second = %s, %v; want duplicate", out, err)
	}
	got := env.gh.Created()
	if len(got) != 1 || !strings.Contains(got[0].Body, "<!-- kudos:id-bob-1 -->") || !strings.Contains(got[0].Body, "@bob for the review") {
		t.Fatalf("created = %+v; want one reply thanking bob with its marker", got)
	}
	if n := env.pending(t); n != 0 {
		t.Fatalf("pending = %d after both handled", n)
	}
}

func TestWorkerEditAddingARecipientThanksOnlyTheNewOne(t *testing.T) {
	env := newWorkerEnv(t)
	w := env.newW("w1")
	env.queue(thanks(1, "bob"), "d1")
	env.queue(thanks(1, "bob", "carol"), "d2") // the comment was edited to add carol
	env.handleNext(t, w)
	if _, out, err := env.handleNext(t, w); out != OutcomePosted || err != nil {
		t.Fatalf("edit = %s, %v; want posted", out, err)
	}
	got := env.gh.Created()
	if len(got) != 2 || strings.Contains(got[1].Body, "@bob") || !strings.Contains(got[1].Body, "@carol") {
		t.Fatalf("second reply = %q; want carol only", got[len(got)-1].Body)
	}
}

func TestWorkerTransientFailureIsRetriedNotDropped(t *testing.T) {
	env := newWorkerEnv(t)
	env.gh.FailWrites(100, http.StatusBadGateway, nil)
	env.queue(thanks(1, "bob"), "d1")
	if _, out, err := env.handleNext(t, env.newW("w1")); out != OutcomeRetry || err == nil {
		t.Fatalf("outcome = %s, %v; want retry with an error", out, err)
	}
	if n := env.pending(t); n != 1 {
		t.Fatalf("pending = %d; the failed suggestion must stay queued", n)
	}
	env.gh.FailWrites(0, 0, nil)
	time.Sleep(30 * time.Millisecond)
	w2 := env.newW("w2")
	msgs, err := env.st.Reclaim(context.Background(), "w2", 20*time.Millisecond, 10)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Reclaim = %d, %v", len(msgs), err)
	}
	if out, err := w2.Handle(context.Background(), msgs[0]); out != OutcomePosted || err != nil {
		t.Fatalf("retry = %s, %v; want posted", out, err)
	}
	if n := len(env.gh.Created()); n != 1 {
		t.Fatalf("created %d replies, want 1", n)
	}
	// The retry looked for an earlier post before posting again.
	if n := env.gh.Count(http.MethodGet, "/repos/acme/widgets/issues/42/comments"); n != 1 {
		t.Fatalf("marker searches = %d, want 1", n)
	}
}

func TestWorkerPermanentFailureIsDroppedWithAnError(t *testing.T) {
	env := newWorkerEnv(t)
	s := thanks(5, "bob")
	s.Source = recognizer.Source{Kind: recognizer.SourceReviewComment, ID: 5, ThreadID: 404}
	env.queue(s, "d1")
	if _, out, err := env.handleNext(t, env.newW("w1")); out != OutcomeDropped || err == nil {
		t.Fatalf("outcome = %s, %v; want dropped with the error", out, err)
	}
	if n := env.pending(t); n != 0 {
		t.Fatalf("pending = %d; a permanent failure is acknowledged", n)
	}
}

func TestWorkerBusyLeavesTheMessageForLater(t *testing.T) {
	env := newWorkerEnv(t)
	s := thanks(1, "bob")
	env.queue(s, "d1")
	ok, _, _, err := env.st.LockReply(context.Background(), s.InstallationID, s.RepoID, s.Key(), "someone-else", time.Minute, nil, nil)
	if err != nil || !ok {
		t.Fatal("could not take the lock", err)
	}
	if _, out, err := env.handleNext(t, env.newW("w1")); out != OutcomeBusy || err != nil {
		t.Fatalf("outcome = %s, %v; want busy", out, err)
	}
	if n := env.pending(t); n != 1 || len(env.gh.Created()) != 0 {
		t.Fatalf("pending = %d, created = %d; want 1 and 0", n, len(env.gh.Created()))
	}
}

func TestWorkerRunWakesOnNewSuggestion(t *testing.T) {
	env := newWorkerEnv(t)
	w, err := NewWorker(WorkerOptions{Store: env.st, Poster: mustPoster(t, env), Logger: testLogger(t),
		Consumer: "w1", Block: 2 * time.Second, ReclaimEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	time.Sleep(50 * time.Millisecond) // the worker is now blocked reading
	start := time.Now()
	env.queue(thanks(1, "bob"), "d1")
	for len(env.gh.Created()) == 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("no reply within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The read blocks for 2s; anything near that means the worker polled.
	if took := time.Since(start); took > time.Second {
		t.Fatalf("reply took %v; the worker must wake as soon as a suggestion is queued", took)
	}
}

func mustPoster(t *testing.T, env *workerEnv) Poster {
	_, pemKey := appKey(t)
	c, err := NewGitHub(GitHubOptions{AppID: testAppID, PrivateKey: pemKey, APIURL: env.gh.URL, Retry: fastRetry, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWorkerDropsUndecodableEntry(t *testing.T) {
	env := newWorkerEnv(t)
	w := env.newW("w1")
	out, err := w.Handle(context.Background(), store.Message{ID: "0-1", Err: errBad})
	if out != OutcomeDropped || err == nil {
		t.Fatalf("outcome = %s, %v; want dropped", out, err)
	}
}

var errBad = errors.New("decode queued suggestion: unexpected end of JSON input")
