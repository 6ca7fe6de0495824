package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// errTimeout is returned when a server does not answer in time.
var errTimeout = errors.New("timed out")

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// response is a server's answer to one request, stamped when its last byte
// was read, before it is decoded any further.
type response struct {
	at     time.Time
	result json.RawMessage
	err    *rpcError
}

// diagEvent is one textDocument/publishDiagnostics notification.
type diagEvent struct {
	at      time.Time
	uri     string
	version *int32
	count   int
}

// envelope is any JSON-RPC message.
type envelope struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *rpcError       `json:"error,omitempty"`
}

// conn is a language server subprocess spoken to over stdin and stdout with
// Content-Length framing.
type conn struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *tailBuffer

	wmu sync.Mutex // serialises writes

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan response

	diags   chan diagEvent
	done    chan struct{} // closed when the reader stops
	readErr error         // set before done is closed
	waited  chan struct{} // closed when the process has been waited for
}

// start launches argv with dir as its working directory.
func start(ctx context.Context, name, dir string, argv ...string) (*conn, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.WaitDelay = 2 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &conn{
		name:    name,
		cmd:     cmd,
		stdin:   stdin,
		stderr:  &tailBuffer{max: 8 << 10},
		pending: map[int64]chan response{},
		diags:   make(chan diagEvent, 4096),
		done:    make(chan struct{}),
		waited:  make(chan struct{}),
	}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (%s): %w", name, strings.Join(argv, " "), err)
	}
	go c.read(stdout)
	go func() { _ = cmd.Wait(); close(c.waited) }()
	return c, nil
}

// read decodes messages until the stream ends.
func (c *conn) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	var err error
	defer func() {
		c.readErr = err
		close(c.done)
	}()
	// One buffer for every message, grown to the largest: a fresh one of
	// megabytes for each large answer (an outline, semantic tokens) would
	// count the client's allocation, page faults and collection in the
	// server's time. Decoding copies what it keeps out of it.
	var buf []byte
	for {
		var body []byte
		body, err = readFrame(br, buf)
		buf = body
		if err != nil {
			return
		}
		at := time.Now()
		var m envelope
		if err = json.Unmarshal(body, &m); err != nil {
			err = fmt.Errorf("bad message from %s: %w", c.name, err)
			return
		}
		switch {
		case m.Method != "" && len(m.ID) > 0:
			go c.answer(m)
		case m.Method == "textDocument/publishDiagnostics":
			var p struct {
				URI         string            `json:"uri"`
				Version     *int32            `json:"version"`
				Diagnostics []json.RawMessage `json:"diagnostics"`
			}
			if json.Unmarshal(m.Params, &p) == nil {
				select {
				case c.diags <- diagEvent{at: at, uri: p.URI, version: p.Version, count: len(p.Diagnostics)}:
				default: // nobody is listening this far behind; drop it
				}
			}
		case m.Method != "":
			// other notifications (logs, progress) are not measured
		default:
			id, perr := strconv.ParseInt(string(m.ID), 10, 64)
			if perr != nil {
				continue
			}
			c.mu.Lock()
			ch := c.pending[id]
			delete(c.pending, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- response{at: at, result: m.Result, err: m.Error}
			}
		}
	}
}

// readFrame reads one Content-Length framed message body, into buf when
// it is large enough, which the body then overwrites.
func readFrame(br *bufio.Reader, buf []byte) ([]byte, error) {
	length := -1
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad Content-Length %q", v)
			}
			length = n
		}
	}
	if length < 0 {
		return nil, errors.New("message without Content-Length")
	}
	body := buf[:0]
	if cap(body) < length {
		body = make([]byte, length)
	}
	body = body[:length]
	if _, err := io.ReadFull(br, body); err != nil {
		return nil, err
	}
	return body, nil
}

// answer replies to a request from the server: configuration gets one null
// per item asked for (the defaults), anything else a null result.
func (c *conn) answer(m envelope) {
	var result any
	if m.Method == "workspace/configuration" {
		var p struct {
			Items []json.RawMessage `json:"items"`
		}
		_ = json.Unmarshal(m.Params, &p)
		result = make([]any, len(p.Items))
	}
	_ = c.write(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
}

func (c *conn) write(msg any) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err = c.stdin.Write(b.Bytes())
	return err
}

// notify sends a notification.
func (c *conn) notify(method string, params any) error {
	return c.write(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and waits at most timeout for its answer. The
// duration runs from just before the request is written to just after the
// answer's last byte is read.
func (c *conn) call(method string, params any, timeout time.Duration) (response, time.Duration, error) {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan response, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	t0 := time.Now()
	if err := c.write(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}); err != nil {
		forget()
		return response{}, 0, fmt.Errorf("%s: write %s: %w%s", c.name, method, err, c.stderrNote())
	}
	select {
	case r := <-ch:
		return r, r.at.Sub(t0), nil
	case <-t.C:
		forget()
		return response{}, timeout, errTimeout
	case <-c.done:
		forget()
		return response{}, 0, fmt.Errorf("%s exited during %s (%v)%s", c.name, method, c.readErr, c.stderrNote())
	}
}

// drainDiags discards diagnostics already received.
func (c *conn) drainDiags() {
	for {
		select {
		case <-c.diags:
		default:
			return
		}
	}
}

// waitBurst waits at most timeout for the diagnostics of the last of n
// versions of uri sent together, the last being version: those for
// version when the server says which version diagnostics are for, else
// the nth publish for uri (a server that does not say validates each
// change). It returns them and how many publishes for uri came.
func (c *conn) waitBurst(uri string, version int32, n int, timeout time.Duration) (diagEvent, int, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	seen := 0
	for {
		select {
		case ev := <-c.diags:
			if ev.uri != uri {
				continue
			}
			seen++
			if ev.version != nil && *ev.version == version || ev.version == nil && seen >= n {
				return ev, seen, nil
			}
		case <-t.C:
			return diagEvent{}, seen, errTimeout
		case <-c.done:
			return diagEvent{}, seen, fmt.Errorf("%s exited (%v)%s", c.name, c.readErr, c.stderrNote())
		}
	}
}

// waitDiags waits at most timeout for diagnostics of uri, for version when
// the server says which version they are for.
func (c *conn) waitDiags(uri string, version int32, timeout time.Duration) (diagEvent, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case ev := <-c.diags:
			if ev.uri != uri {
				continue
			}
			if ev.version != nil && *ev.version != version {
				continue
			}
			return ev, nil
		case <-t.C:
			return diagEvent{}, errTimeout
		case <-c.done:
			return diagEvent{}, fmt.Errorf("%s exited (%v)%s", c.name, c.readErr, c.stderrNote())
		}
	}
}

// close asks the server to shut down and exit, and kills it if it has not
// gone within a few seconds.
func (c *conn) close() {
	select {
	case <-c.waited:
		return
	default:
	}
	_, _, err := c.call("shutdown", nil, 3*time.Second)
	if err == nil {
		_ = c.notify("exit", nil)
	}
	_ = c.stdin.Close()
	select {
	case <-c.waited:
		return
	case <-time.After(3 * time.Second):
	}
	c.kill()
}

// kill ends the process at once.
func (c *conn) kill() {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
	}
	select {
	case <-c.waited:
	case <-time.After(5 * time.Second):
	}
}

func (c *conn) stderrNote() string {
	s := strings.TrimSpace(c.stderr.String())
	if s == "" {
		return ""
	}
	return "\n--- " + c.name + " stderr (tail) ---\n" + s
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
