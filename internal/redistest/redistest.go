// Package redistest starts a private redis-server for a test: its own
// unix socket in its own temporary directory, never a shared server.
package redistest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a running private redis-server.
type Server struct {
	// URL is a redis:// URL for REDIS_URL or redis.ParseURL.
	URL    string
	Socket string
	cmd    *exec.Cmd
}

// Start runs redis-server for the length of the test. It fails the test —
// never skips it — when redis-server is missing: `make test` installs it.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server not found on PATH: the tests need a real Redis; run `make test`, which installs it (apt-get install redis-server)")
	}
	// Unix socket paths are limited to ~100 bytes: keep the directory short.
	dir, err := os.MkdirTemp("", "kudos-redis-")
	if err != nil {
		t.Fatalf("make redis dir: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "redis.sock")
	cmd := exec.Command(bin,
		"--port", "0",
		"--unixsocket", sock,
		"--unixsocketperm", "700",
		"--dir", dir,
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--loglevel", "warning",
	)
	var logBuf strings.Builder
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("redis-server stdout: %v", err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			logBuf.WriteString(sc.Text() + "\n")
		}
	}()
	s := &Server{URL: "unix://" + sock, Socket: sock, cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := s.ping(); err == nil {
			return s
		} else if time.Now().After(deadline) {
			t.Fatalf("redis-server did not answer on %s within 10s: %v\n%s", sock, err, logBuf.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) ping() error {
	c := s.client()
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}

func (s *Server) client() *redis.Client {
	return redis.NewClient(&redis.Options{Network: "unix", Addr: s.Socket})
}

// Client returns a client for the server, closed when the test ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	c := s.client()
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Stop kills the server now, to test what happens when Redis goes away.
func (s *Server) Stop() error {
	if err := s.cmd.Process.Kill(); err != nil {
		return fmt.Errorf("kill redis-server: %w", err)
	}
	return nil
}
