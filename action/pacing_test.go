package action

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/fakegithub"
	"github.com/kudos-app/kudos/internal/redistest"
	"github.com/kudos-app/kudos/recognizer"
	"github.com/kudos-app/kudos/store"
)

// pacedEnv is a worker whose writes are paced, against a fake GitHub that
// refuses writes coming faster than GitHub's secondary limits allow, with
// time compressed: a 1 s gap becomes gap. The fake refuses writes closer
// than a third of the gap: at this scale a loaded 2-core machine's timer
// and scheduling jitter is a sizeable part of the gap, where with real
// limits (1 s, against GitHub's 750 ms) it is negligible.
type pacedEnv struct {
	gh  *fakegithub.Server
	st  *store.Store
	gap time.Duration
}

func newPacedEnv(t *testing.T, gap time.Duration) *pacedEnv {
	t.Helper()
	key, pemKey := appKey(t)
	gh := fakegithub.New(fakegithub.Options{AppID: testAppID, PublicKey: &key.PublicKey, MinWriteGap: gap / 3})
	t.Cleanup(gh.Close)
	st := store.New(redistest.Start(t).Client(t), store.Options{})
	client, err := NewGitHub(GitHubOptions{AppID: testAppID, PrivateKey: pemKey, APIURL: gh.URL, Retry: fastRetry, Logger: testLogger(t),
		Pacer: st, Limits: store.WriteLimits{Gap: gap, PerHour: 100_000, Window: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorker(WorkerOptions{Store: st, Poster: client, Logger: testLogger(t), Consumer: "w1", Block: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return &pacedEnv{gh: gh, st: st, gap: gap}
}

// queue adds n thanks on installation inst's PR #1, in order.
func (e *pacedEnv) queue(t *testing.T, inst int64, n int) {
	t.Helper()
	for i := range n {
		s := &recognizer.Suggestion{
			InstallationID: inst, RepoID: 100 + inst, Owner: fmt.Sprintf("org%d", inst), Repo: "app", Number: 1, IsPR: true,
			TargetURL: "https://github.com/org/app/pull/1", Giver: fmt.Sprintf("dev%d", i), // one thanks each: no per-person limit
			Source: recognizer.Source{Kind: recognizer.SourceIssueComment, ID: int64(i + 1)},
			Recognitions: []recognizer.Recognition{{ID: fmt.Sprintf("i%d-c%d", inst, i+1), Kind: recognizer.KindThanks, Recipient: "bob",
				Reason: fmt.Sprintf("fix %d", i+1), ArtifactLabel: "pull request #1", ArtifactURL: "https://github.com/org/app/pull/1"}},
		}
		if _, err := e.st.Accept(context.Background(), store.Delivery{ID: fmt.Sprintf("d-%d-%d", inst, i), InstallationID: inst, RepoID: s.RepoID, Number: 1, Suggestion: s}); err != nil {
			t.Fatal(err)
		}
	}
}

var fixN = regexp.MustCompile(`for fix (\d+)`)

// TestBurstIsPostedAtGitHubsPace posts 1,000 thanks across 5
// installations: all of them, in order per PR, none refused for coming
// too fast, in about the time one installation's share takes — the
// installations are paced side by side, not one after another.
func TestBurstIsPostedAtGitHubsPace(t *testing.T) {
	const perInst, insts = 200, 5
	e := newPacedEnv(t, 25*time.Millisecond)
	start := time.Now()
	for inst := int64(1); inst <= insts; inst++ {
		e.queue(t, inst, perInst)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(e.gh.Created()) < perInst*insts {
		if time.Now().After(deadline) {
			t.Fatalf("posted %d of %d within 30s", len(e.gh.Created()), perInst*insts)
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	minimum := time.Duration(perInst-1) * e.gap
	t.Logf("1,000 thanks across 5 installations posted in %v; the limits allow no less than %v", took.Round(time.Millisecond), minimum)
	if hits := e.gh.SecondaryLimitHits(); hits != 0 {
		t.Errorf("%d writes came too fast for GitHub", hits)
	}
	last := map[string]int{}
	for _, c := range e.gh.Created() {
		m := fixN.FindStringSubmatch(c.Body)
		if m == nil {
			t.Fatalf("unexpected reply %q", c.Body)
		}
		n, _ := strconv.Atoi(m[1])
		if n != last[c.Owner]+1 {
			t.Fatalf("%s: reply for fix %d after fix %d; replies must keep their order", c.Owner, n, last[c.Owner])
		}
		last[c.Owner] = n
	}
	if took > minimum*3/2+time.Second {
		t.Errorf("took %v; the installations were not paced side by side (one alone needs %v)", took, minimum)
	}
}

func TestNoisyInstallationDoesNotDelayAnother(t *testing.T) {
	e := newPacedEnv(t, 20*time.Millisecond)
	e.queue(t, 1, 150) // 3 s of paced writes
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	e.queue(t, 2, 3)
	for {
		n := 0
		for _, c := range e.gh.Created() {
			if c.Owner == "org2" {
				n++
			}
		}
		if n == 3 {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the quiet installation's thanks waited behind the noisy one's")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the quiet installation waited %v behind a noisy one", took)
	}
	if e.gh.SecondaryLimitHits() != 0 {
		t.Errorf("writes came too fast: %d", e.gh.SecondaryLimitHits())
	}
}
