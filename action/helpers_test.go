package action

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kudos-app/kudos/internal/fakegithub"
)

const testAppID = 4242

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// appKey is one RSA key for the whole package: generating one is slow.
func appKey(t testing.TB) (*rsa.PrivateKey, []byte) {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey)})
}

// fastRetry keeps retry tests quick while still exercising the backoff.
var fastRetry = RetryPolicy{Attempts: 4, Base: 10 * time.Millisecond, MaxWait: 2 * time.Second}

// newFakeGitHub starts a fake GitHub and a client of the App against it.
func newFakeGitHub(t testing.TB, apiPath string) (*fakegithub.Server, *GitHub) {
	t.Helper()
	key, pemKey := appKey(t)
	gh := fakegithub.New(fakegithub.Options{AppID: testAppID, PublicKey: &key.PublicKey})
	t.Cleanup(gh.Close)
	client, err := NewGitHub(GitHubOptions{
		AppID: testAppID, PrivateKey: pemKey, APIURL: gh.URL + apiPath,
		Timeout: 5 * time.Second, Retry: fastRetry, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	return gh, client
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testLogger logs to the test's output only when it fails.
func testLogger(t testing.TB) *slog.Logger {
	buf := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
