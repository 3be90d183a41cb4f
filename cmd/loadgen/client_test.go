package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kudos-app/kudos/webhook"
)

// countConns counts the connections srv accepts; start srv after.
func countConns(srv *httptest.Server) *atomic.Int64 {
	var n atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
	return &n
}

func newTestPoster(t *testing.T, url string, timeout time.Duration) *poster {
	t.Helper()
	p, err := newPoster(url, timeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.close)
	return p
}

func bodyOf(s string) func([]byte) []byte {
	return func(dst []byte) []byte { return append(dst, s...) }
}

// TestPosterStatusesAndReuse: each answer's status comes back, whatever
// the body, over one kept-alive connection per concurrent sender.
func TestPosterStatusesAndReuse(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		code, _ := strconv.Atoi(r.Header.Get("X-Github-Delivery"))
		w.WriteHeader(code)
		if code != http.StatusNoContent && code != http.StatusNotModified {
			w.Write(bytes.Repeat([]byte("x"), code*7)) // bodies of many sizes
		}
	}))
	conns := countConns(srv)
	srv.Start()
	t.Cleanup(srv.Close)

	t.Run("sequential", func(t *testing.T) {
		p := newTestPoster(t, srv.URL+webhook.Path, 5*time.Second)
		before := conns.Load()
		for _, want := range []int{200, 202, 204, 304, 400, 401, 404, 500, 503, 202} {
			got, err := p.post("issue_comment", strconv.Itoa(want), "sha256=00", bodyOf(`{"a":1}`))
			if err != nil || got != want {
				t.Fatalf("post answered %d, %v; want %d", got, err, want)
			}
		}
		if n := conns.Load() - before; n != 1 {
			t.Errorf("10 requests one after another opened %d connections, want 1", n)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		const senders = 4
		p := newTestPoster(t, srv.URL+webhook.Path, 5*time.Second)
		before := conns.Load()
		var wg sync.WaitGroup
		for range senders {
			wg.Go(func() {
				for k := range 50 {
					want := 200 + k%3
					if got, err := p.post("issue_comment", strconv.Itoa(want), "sha256=00", bodyOf("{}")); err != nil || got != want {
						t.Errorf("post answered %d, %v; want %d", got, err, want)
					}
				}
			})
		}
		wg.Wait()
		if n := conns.Load() - before; n < 1 || n > senders {
			t.Errorf("%d senders opened %d connections, want 1 to %d", senders, n, senders)
		}
	})
}

// TestPosterSendsWhatNetHTTPSent: the request on the wire is, byte for
// byte, the one net/http's client sent for loadgen before the poster.
func TestPosterSendsWhatNetHTTPSent(t *testing.T) {
	var mu sync.Mutex
	var raw [][]byte
	ln := rawServer(t, func(c net.Conn) {
		var rec bytes.Buffer
		br := bufio.NewReader(io.TeeReader(c, &rec))
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			mu.Lock()
			raw = append(raw, bytes.Clone(rec.Bytes()))
			mu.Unlock()
			rec.Reset()
			io.WriteString(c, "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}")
		}
	})
	d, err := buildDeliveries("issue_comment", "full", true, 3, 50, []byte("s"))
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	l := newTestLoader(t, base, 5*time.Second, d)
	for i := range 3 {
		if status, err := netHTTPSend(base+webhook.Path, d, i); status != 202 || err != nil {
			t.Fatalf("net/http: %d, %v", status, err)
		}
		if status, err := l.send(i); status != 202 || err != nil {
			t.Fatalf("poster: %d, %v", status, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(raw) != 6 {
		t.Fatalf("server read %d requests, want 6", len(raw))
	}
	for i := 0; i < len(raw); i += 2 {
		if !bytes.Equal(raw[i], raw[i+1]) {
			t.Errorf("delivery %d:\nnet/http sent %q\nposter sent   %q", i/2, head(raw[i]), head(raw[i+1]))
		}
	}
}

// head is a request's head and the start of its body.
func head(b []byte) []byte {
	if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 && len(b) > i+40 {
		return b[:i+40]
	}
	return b
}

// netHTTPSend sends delivery i the way loadgen did before the poster.
func netHTTPSend(url string, d *deliveries, i int) (int, error) {
	tr := &http.Transport{Proxy: nil, DisableCompression: true}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.body(i, nil)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/kudos-loadgen")
	req.Header.Set("X-GitHub-Event", d.event)
	req.Header.Set("X-GitHub-Delivery", d.ids[i])
	req.Header.Set(webhook.SignatureHeader, d.sigs[i])
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// rawServer serves each accepted connection with serve, which reads and
// writes raw bytes.
func rawServer(t *testing.T, serve func(net.Conn)) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				serve(c)
			})
		}
	})
	return ln
}

// TestPosterReadsResponses: every framing HTTP/1.1 allows is read to its
// end, so the next response on the connection is read right, and the
// connection is closed when the server says so.
func TestPosterReadsResponses(t *testing.T) {
	for _, c := range []struct {
		name     string
		response string
		close    bool // the server closes after the response
		status   int
		conns    int // for two requests
		err      error
	}{
		{name: "content length", response: "HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nhello", status: 202, conns: 1},
		{name: "lower-case headers, no reason", response: "HTTP/1.1 201\r\ncontent-length: 3\r\n\r\nabc", status: 201, conns: 1},
		{name: "bare LF", response: "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", status: 200, conns: 1},
		{name: "chunked with extensions and trailers",
			response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1A\r\n" +
				"abcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n", status: 200, conns: 1},
		{name: "chunked wins over Content-Length",
			response: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", status: 200, conns: 1},
		{name: "interim response first", response: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", status: 202, conns: 1},
		{name: "no body", response: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, conns: 1},
		{name: "Connection: close", response: "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy", status: 503, conns: 2},
		{name: "Connection: close before the server closes", response: "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", close: true, status: 200, conns: 2},
		{name: "body up to close", response: "HTTP/1.1 200 OK\r\n\r\nall of it", close: true, status: 200, conns: 2},
		{name: "HTTP/1.0", response: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", status: 200, conns: 2},
		{name: "HTTP/1.0 keep-alive", response: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", status: 200, conns: 1},
		{name: "bad status", response: "HTTP/1.1 2x0 OK\r\n\r\n", err: errStatusLine, conns: 2},
		{name: "not HTTP", response: "SSH-2.0-OpenSSH\r\n", err: errStatusLine, conns: 2},
		{name: "bad header", response: "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok", err: errHeader, conns: 2},
		{name: "bad length", response: "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n", err: errLength, conns: 2},
		{name: "two lengths", response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", err: errLength, conns: 2},
		{name: "bad chunk", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", err: errChunk, conns: 2},
		{name: "short body", response: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok", close: true, err: io.ErrUnexpectedEOF, conns: 2},
		{name: "short chunk", response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nok", close: true, err: io.ErrUnexpectedEOF, conns: 2},
		{name: "no response", response: "", close: true, err: io.EOF, conns: 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var conns atomic.Int64
			ln := rawServer(t, func(nc net.Conn) {
				conns.Add(1)
				br := bufio.NewReader(nc)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					io.WriteString(nc, c.response)
					if c.close {
						return
					}
				}
			})
			p := newTestPoster(t, "http://"+ln.Addr().String()+webhook.Path, 5*time.Second)
			for range 2 {
				status, err := p.post("issue_comment", "1", "sha256=00", bodyOf("{}"))
				if c.err != nil {
					if !errors.Is(err, c.err) {
						t.Fatalf("post = %d, %v; want the error %v", status, err, c.err)
					}
					continue
				}
				if err != nil || status != c.status {
					t.Fatalf("post = %d, %v; want %d", status, err, c.status)
				}
			}
			p.close()
			ln.Close()
			if n := conns.Load(); n != int64(c.conns) {
				t.Errorf("two requests took %d connections, want %d", n, c.conns)
			}
		})
	}
}

// TestPosterChunkedFromNetHTTP: a handler that flushes before it is done
// answers chunked; the connection is still reused.
func TestPosterChunkedFromNetHTTP(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
		for range 3 {
			w.Write(bytes.Repeat([]byte("y"), 3000))
			w.(http.Flusher).Flush()
		}
	}))
	conns := countConns(srv)
	srv.Start()
	t.Cleanup(srv.Close)

	// See the framing the server chose through net/http's client.
	resp, err := srv.Client().Post(srv.URL, "application/json", bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	srv.Client().CloseIdleConnections()
	if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("the server answered with Transfer-Encoding %q, want chunked", resp.TransferEncoding)
	}

	p := newTestPoster(t, srv.URL+webhook.Path, 5*time.Second)
	before := conns.Load()
	for range 5 {
		if status, err := p.post("issue_comment", "1", "sha256=00", bodyOf("{}")); status != 202 || err != nil {
			t.Fatalf("post = %d, %v; want 202", status, err)
		}
	}
	if n := conns.Load() - before; n != 1 {
		t.Errorf("5 chunked answers took %d connections, want 1", n)
	}
}

// TestPosterIdleConnections: a connection idle for longer than maxIdle is
// closed instead of reused.
func TestPosterIdleConnections(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}))
	conns := countConns(srv)
	srv.Start()
	t.Cleanup(srv.Close)
	p := newTestPoster(t, srv.URL+webhook.Path, 5*time.Second)
	for k := range 3 {
		if status, err := p.post("issue_comment", "1", "sha256=00", bodyOf("{}")); status != 202 || err != nil {
			t.Fatalf("post = %d, %v; want 202", status, err)
		}
		if k == 1 {
			p.mu.Lock()
			p.idle[0].used = time.Now().Add(-maxIdle)
			p.mu.Unlock()
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("3 requests, the last after a long idle, took %d connections, want 2", n)
	}
}

// TestTimeoutIsReported: a server that does not answer within -timeout
// shows up as the cause "timeout", and the connection is not reused.
func TestTimeoutIsReported(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Header.Get("X-Github-Delivery") == d0 {
			<-release
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	conns := countConns(srv)
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	d, err := buildDeliveries("issue_comment", "small", true, 2, 50, []byte("s"))
	if err != nil {
		t.Fatal(err)
	}
	d.ids[0] = d0
	l := newTestLoader(t, srv.URL, 100*time.Millisecond, d)
	start := time.Now()
	l.closed(t.Context(), 0, 2, 1, 0)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the loop took %v with a timeout of 100 ms", took)
	}
	if r := l.results[0]; !r.sent || r.status != 0 {
		t.Errorf("the unanswered delivery: %+v, want sent with no status", r)
	}
	if r := l.results[1]; r.status != http.StatusAccepted {
		t.Errorf("the next delivery: %+v, want 202", r)
	}
	if len(l.errs) != 1 || l.errs["timeout"] != 1 {
		t.Errorf("error causes %v, want 1 timeout", l.errs)
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("the delivery after a timeout went over %d connections in all, want a new one (2)", n)
	}
}

// d0 is the delivery id TestTimeoutIsReported's server leaves unanswered.
const d0 = "loadgen-hang"
