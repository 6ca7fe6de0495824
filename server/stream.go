package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// codec marshals payloads with protocol's union-aware encoder, as the stock
// wiring does, passing already-encoded messages through.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case *jsonrpc2.RawMessage:
		if m == nil || *m == nil {
			return []byte("null"), nil
		}
		return *m, nil
	case *symbolsJSON:
		return m.data, nil
	case lentResult:
		return lentMarker, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = bytes.Clone(data)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// maxFrame bounds a message body: a larger Content-Length is a framing
// fault. maxHeader bounds a header block.
const (
	maxFrame  = 256 << 20
	maxHeader = 8 << 10
)

// stream reads and writes Content-Length framed messages. Unlike the stock
// header stream it survives bad input.
//
// A framing fault (a header line that is not "Name: value", a missing,
// non-numeric, negative or oversized Content-Length, a header block past
// maxHeader) is logged, and reading resynchronizes on the next
// "Content-Length:" in the input: what lies between, the bad frame's body
// included, is skipped, and the next well-framed message is served. A body
// that is not a JSON-RPC message is answered with an error response (with
// its id when it has a usable one, else null, as JSON-RPC asks) instead of
// ending the connection; when such a body holds a "Content-Length:" (a
// frame announced longer than it was swallowed the next header), reading
// resumes there. Only the end of the input ends the connection. Writes go
// through jsonrpc2's header stream, but for a response carrying a lent
// answer (see lend), whose bytes are written as they stand.
type stream struct {
	jsonrpc2.Stream // writes and Close
	src             io.Reader
	buf             []byte // buf[r:w] was read from src and not yet consumed
	r, w            int
	mark            int // start of the header block being read, or -1
	body            []byte
	log             *zap.Logger

	// dst is where frames are written, under outMu, by the header stream
	// (through lockedWriter) and by writeLent: a frame is never cut by
	// another's bytes.
	dst   io.Writer
	outMu sync.Mutex
	// broken, when set, is told of a failed write: the client is gone.
	broken func(error)

	// The answers lent to responses not yet written, by the context of
	// the request they answer (see lend).
	lendMu  sync.Mutex
	lent    map[context.Context]lentAnswer
	batched atomic.Bool // a batch was read: nothing is lent any more
	// wbuf composes the frame of a lent answer, under outMu.
	wbuf []byte
}

// lentWrites counts the responses written by writeLent, for the tests.
var lentWrites atomic.Int64

// A lentAnswer is a handler's result whose bytes, JSON, are written as
// they stand into the response carrying them, and reused once that
// response has been written: release is called then.
type lentAnswer interface {
	json() []byte
	release()
}

// lentResult stands for a lent answer in the response conn encodes: codec
// writes it as lentMarker, which Write replaces with the answer's bytes.
type lentResult struct{ a lentAnswer }

// lentMarker is what codec writes for a lentResult: bytes no encoded
// message holds (JSON never has a raw NUL), so the response carrying the
// answer is the only message Write finds them in.
var lentMarker = []byte("\x00stagehand:lent\x00")

// lending wraps the connection's handler: a call's result that is a
// lentAnswer is lent to its response (see lend). It must be the outermost
// handler, so that ctx is the request's context as conn gives it, which
// conn passes again to Write with the response.
func (s *stream) lending(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		inner := ctx
		if req.IsCall() && barriers[req.Method()] {
			inner = withAnswered(ctx)
		}
		result, err := next(inner, req)
		if a, ok := result.(lentAnswer); ok && err == nil && req.IsCall() && s.lend(ctx, a) {
			return lentResult{a}, nil
		}
		return result, err
	}
}

// lend records that the response to the request whose context is ctx
// carries a, and reports whether it did: the response then holds
// lentMarker, and Write writes a's bytes in its place, as they stand (a
// copy into the header stream's frame buffer would cost two passes over
// megabytes, and keep that buffer as large as the largest answer for the
// connection's life), then releases a.
//
// Why this is safe: conn answers a call by marshaling its result (codec
// writes the marker) and handing the response to Write with the request's
// context, on the handler's goroutine, right after the handler returned.
// Write releases a only once it has written the response holding the
// marker, or given that frame up (ctx cancelled, as the header stream
// does). A request's context is recycled by conn only after its response
// went through Write or was dropped (the connection shutting down): an
// entry left by a dropped response is released when its context is lent
// again. Responses to a batch are written together, later, through
// WriteFrame, and not under their own context: once a batch has been read
// nothing is lent (codec then writes the answer's bytes as they stand),
// and an answer never released is never reused.
func (s *stream) lend(ctx context.Context, a lentAnswer) bool {
	if s.batched.Load() {
		return false
	}
	s.lendMu.Lock()
	if s.lent == nil {
		s.lent = make(map[context.Context]lentAnswer)
	}
	stale := s.lent[ctx]
	s.lent[ctx] = a
	s.lendMu.Unlock()
	if stale != nil {
		stale.release()
	}
	return true
}

// Write writes msg. When it is the response an answer was lent to (see
// lend), the answer's bytes are written in the marker's place and the
// answer is released.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	s.lendMu.Lock()
	a := s.lent[ctx]
	s.lendMu.Unlock()
	if a == nil {
		return s.Stream.Write(ctx, msg)
	}
	env := jsonrpc2.AppendMessage(make([]byte, 0, 128), msg)
	k := bytes.Index(env, lentMarker)
	if k < 0 {
		// Another message sent under the request's context: not the
		// response.
		return s.Stream.Write(ctx, msg)
	}
	s.lendMu.Lock()
	delete(s.lent, ctx)
	s.lendMu.Unlock()
	defer a.release()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return s.writeLent(env[:k], a.json(), env[k+len(lentMarker):])
}

// writeLent writes one frame whose body is head, data and tail: composed
// in wbuf and written at once when data is small, else in three writes
// under outMu (one frame, never cut by another's bytes), data as it
// stands.
func (s *stream) writeLent(head, data, tail []byte) (int64, error) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	lentWrites.Add(1)
	b := append(s.wbuf[:0], "Content-Length: "...)
	b = strconv.AppendInt(b, int64(len(head)+len(data)+len(tail)), 10)
	b = append(b, "\r\n\r\n"...)
	b = append(b, head...)
	parts := [][]byte{b, data, tail}
	if len(data) <= lentInline {
		b = append(append(b, data...), tail...)
		parts = parts[:1]
		parts[0] = b
	}
	s.wbuf = b[:0]
	var written int64
	for _, part := range parts {
		n, err := s.out(part)
		written += int64(n)
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// lentInline is the largest lent answer copied into wbuf to be written
// with its header at once; a larger one is written as it stands.
const lentInline = 32 << 10

// lockedWriter is the connection the header stream writes to: its writes
// go to the stream's output under the stream's lock (see stream.dst).
type lockedWriter struct {
	io.ReadWriteCloser
	s *stream
}

func (w lockedWriter) Write(b []byte) (int, error) {
	w.s.outMu.Lock()
	defer w.s.outMu.Unlock()
	return w.s.out(b)
}

// out writes b to dst, under outMu, and tells broken of a failure.
func (s *stream) out(b []byte) (int, error) {
	n, err := s.dst.Write(b)
	if err != nil && s.broken != nil {
		s.broken(err)
	}
	return n, err
}

func newStream(rwc io.ReadWriteCloser, log *zap.Logger) *stream {
	growPipe(rwc)
	s := &stream{src: rwc, dst: rwc, buf: make([]byte, 64<<10), mark: -1, log: log}
	s.Stream = jsonrpc2.NewHeaderStream(lockedWriter{rwc, s})
	return s
}

// frameWriter is implemented by jsonrpc2's header stream.
type frameWriter interface {
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

// ReadFrame returns the body of the next well-formed message. jsonrpc2.Conn
// prefers it to Read; the body is valid until the next call.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readFrame()
		if err != nil {
			var bad badFrame
			if !errors.As(err, &bad) {
				return nil, 0, err
			}
			s.log.Warn("skipping malformed message header; resynchronizing on the next Content-Length", zap.Error(err))
			if err := s.resync(); err != nil {
				return nil, 0, err
			}
			continue
		}
		if id, werr := s.check(body); werr != nil {
			s.log.Warn("answering malformed message", zap.Error(werr), zap.ByteString("body", truncate(body)))
			if err := s.reply(ctx, id, werr); err != nil {
				return nil, 0, err
			}
			if werr.Code == jsonrpc2.ParseError {
				if k := headerStart(body); k >= 0 {
					s.unread(body[k:])
				}
			}
			continue
		}
		if b := bytes.TrimLeft(body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
			s.batched.Store(true) // see lend
		}
		return body, n, nil
	}
}

// WriteFrame writes an encoded body as one frame.
func (s *stream) WriteFrame(ctx context.Context, data []byte) (int64, error) {
	return s.Stream.(frameWriter).WriteFrame(ctx, data)
}

// Read implements jsonrpc2.Stream for callers that do not use ReadFrame.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	body, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(body)
	return msg, n, err
}

// check reports why body is not a message jsonrpc2 can serve, with the id
// to answer under, or a nil error.
func (s *stream) check(body []byte) (jsonrpc2.ID, *jsonrpc2.Error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if !json.Valid(trimmed) {
			return jsonrpc2.ID{}, jsonrpc2.NewError(jsonrpc2.ParseError, "malformed JSON")
		}
		return jsonrpc2.ID{}, nil
	}
	if _, err := jsonrpc2.DecodeMessage(body); err != nil {
		if !json.Valid(body) {
			return jsonrpc2.ID{}, jsonrpc2.NewError(jsonrpc2.ParseError, "malformed JSON")
		}
		var werr *jsonrpc2.Error
		if !errors.As(err, &werr) || werr.Code == jsonrpc2.ParseError {
			// Valid JSON that is no message: an invalid request.
			werr = jsonrpc2.NewError(jsonrpc2.InvalidRequest, err.Error())
		}
		return requestID(body), werr
	}
	return jsonrpc2.ID{}, nil
}

// requestID returns the id of a JSON object that is not a valid message,
// when it is a string or an integer, so that the client's call is answered.
func requestID(body []byte) jsonrpc2.ID {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
	}
	if json.Unmarshal(body, &m) != nil || m.Method == nil {
		return jsonrpc2.ID{} // not a request: nobody waits for an answer
	}
	var str string
	if json.Unmarshal(m.ID, &str) == nil {
		return jsonrpc2.NewStringID(str)
	}
	if n, err := strconv.ParseInt(string(m.ID), 10, 64); err == nil {
		return jsonrpc2.NewNumberID(n)
	}
	return jsonrpc2.ID{}
}

// reply answers a message that could not be read with an error response.
func (s *stream) reply(ctx context.Context, id jsonrpc2.ID, werr *jsonrpc2.Error) error {
	data, err := jsonrpc2.EncodeMessage(jsonrpc2.NewResponse(id, nil, werr))
	if err != nil {
		return fmt.Errorf("encoding error response: %w", err)
	}
	_, err = s.WriteFrame(ctx, data)
	return err
}

// badFrame is a framing fault: the stream resynchronizes after it.
type badFrame struct{ reason string }

func (b badFrame) Error() string { return b.reason }

// contentLength is the header a frame starts with, and the one reading
// resynchronizes on.
var contentLength = []byte("Content-Length:")

// readFrame reads one header block and its body. After a fault, reading
// resumes one byte into the block, so that a "Content-Length:" anywhere in
// it is found again and no fault repeats forever.
func (s *stream) readFrame() ([]byte, int64, error) {
	length, read, headers := -1, 0, 0
	s.mark = s.r
	defer func() { s.mark = -1 }()
	fault := func(format string, args ...any) ([]byte, int64, error) {
		s.r = s.mark + 1
		return nil, 0, badFrame{fmt.Sprintf(format, args...)}
	}
	for {
		line, err := s.line()
		if err != nil {
			if errors.As(err, new(badFrame)) {
				return fault("%v", err)
			}
			if err == io.EOF && (read > 0 || s.r < s.w) {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		read += len(line)
		text := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
		if text == "" {
			if headers == 0 {
				s.mark, read = s.r, 0 // a stray blank line between messages
				continue
			}
			break
		}
		headers++
		if read > maxHeader {
			return fault("header block longer than %d bytes", maxHeader)
		}
		name, value, ok := strings.Cut(text, ":")
		if !ok || !isToken(name) {
			return fault("malformed header line %q", truncate([]byte(text)))
		}
		if strings.EqualFold(name, "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			switch {
			case err != nil || n < 0:
				return fault("bad Content-Length %q", truncate([]byte(value)))
			case n > maxFrame:
				return fault("Content-Length %d exceeds the limit of %d", n, maxFrame)
			case length >= 0 && int(n) != length:
				return fault("conflicting Content-Length headers")
			}
			length = int(n)
		}
	}
	if length < 0 {
		return fault("missing Content-Length")
	}
	s.mark = -1
	if cap(s.body) < length {
		s.body = make([]byte, length)
	}
	body := s.body[:length]
	k := copy(body, s.buf[s.r:s.w])
	s.r += k
	if _, err := io.ReadFull(s.src, body[k:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, 0, err
	}
	return body, int64(read + length), nil
}

// line consumes the next line, "\n" included; a line longer than
// maxHeader is a fault.
func (s *stream) line() ([]byte, error) {
	for {
		if i := bytes.IndexByte(s.buf[s.r:s.w], '\n'); i >= 0 {
			start := s.r
			s.r += i + 1
			return s.buf[start:s.r], nil
		}
		if s.w-s.r > maxHeader {
			return nil, badFrame{fmt.Sprintf("header line longer than %d bytes", maxHeader)}
		}
		if err := s.fill(); err != nil {
			return nil, err
		}
	}
}

// fill reads more input into the buffer, keeping what is unread and the
// header block being read (from mark).
func (s *stream) fill() error {
	keep := s.r
	if s.mark >= 0 {
		keep = min(keep, s.mark)
	}
	if keep > 0 {
		s.w = copy(s.buf, s.buf[keep:s.w])
		s.r -= keep
		if s.mark >= 0 {
			s.mark -= keep
		}
	}
	if s.w == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	n, err := s.src.Read(s.buf[s.w:])
	s.w += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// resync skips input up to the next "Content-Length:".
func (s *stream) resync() error {
	for {
		if k := indexFold(s.buf[s.r:s.w], contentLength); k >= 0 {
			s.r += k
			return nil
		}
		// Keep a tail that may be the start of the header.
		s.r = max(s.r, s.w-len(contentLength)+1)
		if err := s.fill(); err != nil {
			return err
		}
	}
}

// unread puts b back in front of the unread input.
func (s *stream) unread(b []byte) {
	rest := s.buf[s.r:s.w]
	next := make([]byte, max(len(b)+len(rest), 64<<10))
	s.w = copy(next, b)
	s.w += copy(next[s.w:], rest)
	s.buf, s.r = next, 0
}

// headerStart returns where, in a body that is not JSON, a header starts
// or, at its end, may start: a body announced longer than it was has
// swallowed the start of the next frame, which reading must resume from.
func headerStart(body []byte) int {
	if k := indexFold(body, contentLength); k >= 0 {
		return k
	}
	for n := min(len(contentLength)-1, len(body)); n > 0; n-- {
		if bytes.EqualFold(body[len(body)-n:], contentLength[:n]) {
			return len(body) - n
		}
	}
	return -1
}

// indexFold returns the index of the first case-insensitive instance of
// sep in b, or -1.
func indexFold(b, sep []byte) int {
	for i := 0; i+len(sep) <= len(b); i++ {
		j := bytes.IndexAny(b[i:], "cC")
		if j < 0 || i+j+len(sep) > len(b) {
			return -1
		}
		i += j
		if bytes.EqualFold(b[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// isToken reports whether s is a header name (RFC 9110 token).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}
