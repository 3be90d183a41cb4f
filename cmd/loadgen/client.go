package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/kudos-app/kudos/webhook"
)

// poster sends webhook deliveries over a pool of persistent HTTP/1.1
// connections. It does the little net/http's client would do for a
// loopback POST, without its per-request allocations, header maps and
// goroutine handoffs: on a shared 2-core machine every microsecond it
// spends is taken from the server being measured.
//
// Each request takes the most recently used idle connection (or dials
// one), writes the request head and body in one write from the
// connection's buffer, and reads the response to its end, so there are
// never more connections than requests in flight. An error closes the
// connection.
type poster struct {
	addr    string // host:port to dial
	host    string // the Host header
	target  string // the request target, e.g. /webhook
	timeout time.Duration

	mu   sync.Mutex
	idle []*conn // last in, first out, so spare connections age out
}

// maxIdle is how long a connection may sit idle before it is closed
// instead of reused: the server may have closed it meanwhile (its idle
// timeout), and a POST on a connection the server has closed fails.
const maxIdle = 5 * time.Second

// maxLine bounds a response's status or header line.
const maxLine = 1 << 20

// conn is one connection and the buffers it reuses from request to
// request.
type conn struct {
	nc   net.Conn
	br   *bufio.Reader
	buf  []byte // head room, then the body being sent
	room int    // head room reserved in front of the body in buf
	head []byte // the request head being sent
	long []byte // a response line longer than br's buffer
	used time.Time
}

// newPoster posts to rawURL (already checked to be loopback) with a
// deadline of timeout on each request. It opens a connection for each
// request in flight that finds none idle; its callers bound how many are.
func newPoster(rawURL string, timeout time.Duration) (*poster, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("%s: want http://", rawURL)
	}
	addr := net.JoinHostPort(u.Hostname(), cmp.Or(u.Port(), "80"))
	return &poster{host: u.Host, target: u.RequestURI(), addr: addr, timeout: timeout}, nil
}

// post sends one delivery, its body appended to a buffer by body, and
// returns the response's status once the response is read to its end.
func (p *poster) post(event, id, sig string, body func(dst []byte) []byte) (int, error) {
	deadline := time.Now().Add(p.timeout)
	c, err := p.get(deadline)
	if err != nil {
		return 0, err
	}
	status, keep, err := p.roundTrip(c, deadline, event, id, sig, body)
	if err != nil || !keep {
		c.nc.Close()
		return status, err
	}
	c.used = time.Now()
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	return status, nil
}

// get takes an idle connection, or dials one by deadline.
func (p *poster) get(deadline time.Time) (*conn, error) {
	for {
		p.mu.Lock()
		n := len(p.idle)
		if n == 0 {
			p.mu.Unlock()
			break
		}
		c := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		// Bytes before a request are a protocol error.
		if time.Since(c.used) < maxIdle && c.br.Buffered() == 0 {
			return c, nil
		}
		c.nc.Close()
	}
	return p.dial(deadline)
}

func (p *poster) dial(deadline time.Time) (*conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second, Deadline: deadline, KeepAlive: 30 * time.Second}
	nc, err := d.Dial("tcp", p.addr)
	if err != nil {
		return nil, err
	}
	// The room grows on the first request if a request head is longer.
	return &conn{nc: nc, br: bufio.NewReader(nc), room: 256 + len(p.host) + len(p.target)}, nil
}

// close closes the idle connections.
func (p *poster) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.idle {
		c.nc.Close()
	}
	p.idle = nil
}

// roundTrip writes the request in one write and reads the response; keep
// says whether the connection can carry another request.
func (p *poster) roundTrip(c *conn, deadline time.Time, event, id, sig string, body func([]byte) []byte) (status int, keep bool, err error) {
	if err := c.nc.SetDeadline(deadline); err != nil {
		return 0, false, err
	}
	// The body goes after room bytes, the head right in front of it.
	if cap(c.buf) < c.room {
		c.buf = make([]byte, 0, c.room+32<<10)
	}
	c.buf = body(c.buf[:c.room])
	c.head = p.appendHead(c.head[:0], event, id, sig, len(c.buf)-c.room)
	var req []byte
	if n := len(c.head); n <= c.room {
		req = c.buf[c.room-n:]
		copy(req, c.head)
	} else { // more room next time
		req = append(c.head, c.buf[c.room:]...)
		c.head, c.room = nil, n+64
	}
	if _, err := c.nc.Write(req); err != nil {
		return 0, false, err
	}
	return c.readResponse()
}

// appendHead appends the request head for a body of n bytes: the same
// header lines, in the same order, as net/http writes for the request
// loadgen used to build.
func (p *poster) appendHead(dst []byte, event, id, sig string, n int) []byte {
	dst = append(dst, "POST "...)
	dst = append(dst, p.target...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, p.host...)
	dst = append(dst, "\r\nUser-Agent: GitHub-Hookshot/kudos-loadgen\r\nContent-Length: "...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, "\r\nContent-Type: application/json\r\nX-Github-Delivery: "...)
	dst = append(dst, id...)
	dst = append(dst, "\r\nX-Github-Event: "...)
	dst = append(dst, event...)
	dst = append(dst, "\r\n"+webhook.SignatureHeader+": "...)
	dst = append(dst, sig...)
	return append(dst, "\r\n\r\n"...)
}

var (
	errStatusLine = errors.New("malformed HTTP status line")
	errHeader     = errors.New("malformed HTTP response header")
	errLength     = errors.New("malformed HTTP response Content-Length")
	errChunk      = errors.New("malformed HTTP chunked encoding")
	errLongLine   = errors.New("HTTP response line too long")
	errSwitching  = errors.New("unexpected 101 Switching Protocols")
)

// readResponse reads a response to the end of its body, skipping 1xx
// interim responses, and says whether the connection stays open.
func (c *conn) readResponse() (int, bool, error) {
	for {
		line, err := c.line()
		if err != nil {
			return 0, false, err
		}
		// HTTP/1.x NNN[ reason]
		if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' ||
			(len(line) > 12 && line[12] != ' ') || (line[7] != '0' && line[7] != '1') {
			return 0, false, errStatusLine
		}
		status := 0
		for _, b := range line[9:12] {
			if b < '0' || b > '9' {
				return 0, false, errStatusLine
			}
			status = status*10 + int(b-'0')
		}
		if status < 100 {
			return 0, false, errStatusLine
		}
		http10 := line[7] == '0'
		keep := !http10 // HTTP/1.0 closes unless it says keep-alive
		length, chunked, te := int64(-1), false, false
		for {
			line, err := c.line()
			if err != nil {
				return 0, false, err
			}
			if len(line) == 0 {
				break
			}
			name, value, ok := bytes.Cut(line, []byte(":"))
			if !ok || len(name) == 0 || bytes.ContainsAny(name, " \t") {
				return 0, false, errHeader
			}
			value = bytes.Trim(value, " \t")
			switch {
			case bytes.EqualFold(name, []byte("Content-Length")):
				n, err := strconv.ParseInt(string(value), 10, 64)
				if err != nil || n < 0 || (length >= 0 && n != length) || value[0] == '+' {
					return 0, false, errLength
				}
				length = n
			case bytes.EqualFold(name, []byte("Transfer-Encoding")):
				te = true
				codings := bytes.Split(value, []byte(","))
				chunked = bytes.EqualFold(bytes.Trim(codings[len(codings)-1], " \t"), []byte("chunked"))
			case bytes.EqualFold(name, []byte("Connection")):
				for opt := range bytes.SplitSeq(value, []byte(",")) {
					switch opt = bytes.Trim(opt, " \t"); {
					case bytes.EqualFold(opt, []byte("close")):
						keep = false
					case http10 && bytes.EqualFold(opt, []byte("keep-alive")):
						keep = true
					}
				}
			}
		}
		switch {
		case status == 101:
			return 0, false, errSwitching
		case status < 200:
			continue // interim: the final response follows
		case status == 204 || status == 304:
			return status, keep, nil
		case te && chunked:
			return status, keep, c.discardChunked()
		case te || length < 0:
			// Delimited by the server closing the connection.
			_, err := io.Copy(io.Discard, c.br)
			return status, false, err
		}
		return status, keep, c.discard(length)
	}
}

// line reads a line without its line ending.
func (c *conn) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.long = append(c.long[:0], line...)
		for err == bufio.ErrBufferFull && len(c.long) <= maxLine {
			line, err = c.br.ReadSlice('\n')
			c.long = append(c.long, line...)
		}
		if err == bufio.ErrBufferFull {
			return nil, errLongLine
		}
		line = c.long
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// discard skips n bytes of body.
func (c *conn) discard(n int64) error {
	for n > 0 {
		k, err := c.br.Discard(int(min(n, 1<<30)))
		n -= int64(k)
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// discardChunked skips a chunked body and its trailers.
func (c *conn) discardChunked() error {
	for {
		line, err := c.line()
		if err != nil {
			return eofMidBody(err)
		}
		hex, _, _ := bytes.Cut(line, []byte(";"))
		hex = bytes.Trim(hex, " \t")
		if len(hex) == 0 || len(hex) > 15 {
			return errChunk
		}
		size, err := strconv.ParseInt(string(hex), 16, 64)
		if err != nil || size < 0 || hex[0] == '+' || hex[0] == '-' {
			return errChunk
		}
		if size == 0 {
			for { // trailers, up to the empty line
				line, err := c.line()
				if err != nil {
					return eofMidBody(err)
				}
				if len(line) == 0 {
					return nil
				}
			}
		}
		if err := c.discard(size); err != nil {
			return err
		}
		if line, err := c.line(); err != nil {
			return eofMidBody(err)
		} else if len(line) != 0 {
			return errChunk
		}
	}
}

func eofMidBody(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
