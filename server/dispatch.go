package server

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// codeRequestFailed is LSP's RequestFailed: a well-formed request the server
// could not carry out.
const codeRequestFailed jsonrpc2.Code = -32803

// barriers lists the requests that change the session's state: nothing
// after one is served before it completes, as if it ran on the read loop
// like a notification.
//
// They are still released with jsonrpc2.Async. A call that runs on the read
// loop is recycled by jsonrpc2 when it returns, while the goroutine that
// context.WithCancel (in jsonrpc2.CancelHandler) starts may still read its
// context: a data race, and a panic under load.
var barriers = map[string]bool{
	protocol.MethodInitialize: true,
	protocol.MethodShutdown:   true,
}

// answeredKey carries, in a barrier call's context, the channel that
// closes when conn is done with the call: its answer written, or dropped
// (conn ends the request's context last, after sending the answer).
type answeredKey struct{}

// withAnswered records in the context of a call, as conn gives it (the
// outermost handler's), when conn is done with it (see answeredKey).
// Reading Done makes conn create the request's cancellation, which it
// spares the other requests: only barriers ask.
func withAnswered(ctx context.Context) context.Context {
	return context.WithValue(ctx, answeredKey{}, ctx.Done())
}

// answeredOf returns the channel withAnswered recorded, or nil.
func answeredOf(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(answeredKey{}).(<-chan struct{})
	return ch
}

// notifications are the notifications the server serves.
var notifications = map[string]bool{
	protocol.MethodInitialized:                     true,
	protocol.MethodExit:                            true,
	protocol.MethodSetTrace:                        true,
	protocol.MethodTextDocumentDidOpen:             true,
	protocol.MethodTextDocumentDidChange:           true,
	protocol.MethodTextDocumentDidClose:            true,
	protocol.MethodTextDocumentDidSave:             true,
	protocol.MethodWorkspaceDidChangeConfiguration: true,
	protocol.MethodWorkspaceDidChangeWatchedFiles:  true,
}

// ordered wraps next so that the connection keeps LSP's ordering:
// notifications run to completion, in wire order, before the next message
// is read, and only requests are released to run concurrently, each reading
// the documents as they were when it was dispatched. It also enforces the
// lifecycle, and keeps the connection alive through handler panics and
// failing notifications, both of which jsonrpc2 treats as fatal.
func (s *Server) ordered(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		method := strings.Clone(req.Method()) // the request's copy is borrowed
		call := req.IsCall()
		if s.barrier != nil {
			<-s.barrier
			s.barrier = nil
		}
		if !call {
			var ok bool
			if ctx, ok = s.admitNotification(ctx, method, req); !ok {
				return nil, nil
			}
		} else {
			var release func()
			ctx, release, err = s.admitCall(ctx, method)
			defer release()
			if err != nil {
				return nil, err
			}
		}
		defer s.recoverHandler(method, call, &result, &err)
		result, err = next(ctx, req)
		return s.answer(ctx, method, call, result, err)
	}
}

// admitNotification decides whether a notification runs, and gives the
// context it runs with.
func (s *Server) admitNotification(ctx context.Context, method string, req *jsonrpc2.Request) (context.Context, bool) {
	if !notifications[method] {
		// A request's method sent as a notification would run its
		// work on the read loop, for an answer nobody reads.
		s.log.Debug("ignoring notification", zap.String("method", method))
		return ctx, false
	}
	if err := s.admit(method); err != nil {
		s.log.Debug("dropping notification", zap.String("method", method), zap.Error(err))
		return ctx, false
	}
	// Notifications are not cancelled; the connection's context is
	// safe to derive from, unlike the recycled request.
	ctx = jsonrpc2.DetachContext(ctx)
	switch method {
	case protocol.MethodTextDocumentDidOpen, protocol.MethodTextDocumentDidChange, protocol.MethodTextDocumentDidClose:
		if err := checkSync(method, req.Params()); err != nil {
			s.log.Error("refusing a malformed "+method+"; the document keeps its text",
				zap.Error(err), zap.ByteString("params", truncate(req.Params())))
			return ctx, false
		}
	}
	if method == protocol.MethodTextDocumentDidOpen {
		ctx = withSentURI(ctx, sentURI(req.Params()))
	}
	return ctx, true
}

// admitCall decides, in wire order, everything a call depends on before it
// is released: whether it runs, the documents it reads, whether later
// messages wait for it, and its place among the calls in flight. The
// caller defers release, which is never nil.
func (s *Server) admitCall(ctx context.Context, method string) (context.Context, func(), error) {
	admitErr := s.admit(method)
	ctx = withView(ctx, s.docs.view())
	release := func() {}
	if admitErr == nil && barriers[method] {
		done := make(chan struct{})
		release = func() { close(done) }
		if answered := answeredOf(ctx); answered != nil {
			// The next message waits for this answer on the wire, not
			// only for the handler: conn writes the answer after the
			// handler returns, and a shutdown pipelined behind an
			// initialize could otherwise be answered first. conn ends
			// the request once the answer is written or dropped, so a
			// lost answer cannot hold the barrier shut.
			release = func() {
				go func() {
					<-answered
					close(done)
				}()
			}
		}
		s.barrier = done
	}
	jsonrpc2.Async(ctx)
	if admitErr != nil {
		return ctx, release, admitErr
	}
	if !barriers[method] {
		r, err := s.inflight.acquire(ctx)
		if err != nil {
			return ctx, release, err
		}
		release = r
	}
	return ctx, release, nil
}

// recoverHandler turns a handler's panic into an internal error for a
// call, and into nothing for a notification. It must be deferred.
func (s *Server) recoverHandler(method string, call bool, result *any, err *error) {
	if r := recover(); r != nil {
		s.log.Error("handler panicked", zap.String("method", method),
			zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
		*result, *err = nil, nil
		if call {
			*err = jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v", method, r)
		}
	}
}

// answer logs what a handler returned and converts it for the wire: nothing
// for a notification, a protocol error for a failed call.
func (s *Server) answer(ctx context.Context, method string, call bool, result any, err error) (any, error) {
	if !call {
		switch {
		case err == nil:
		case errors.Is(err, jsonrpc2.ErrMethodNotFound):
			s.log.Debug("ignoring notification", zap.String("method", method))
		default:
			s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
		}
		return nil, nil
	}
	if err != nil {
		s.log.Debug("request failed", zap.String("method", method), zap.Error(err))
		return nil, wireError(ctx, err)
	}
	return result, nil
}

// admit checks a message against the lifecycle: before initialize only
// initialize and exit are served, after shutdown only exit.
func (s *Server) admit(method string) error {
	if method == protocol.MethodExit {
		return nil
	}
	s.mu.Lock()
	st := s.state
	s.mu.Unlock()
	switch st {
	case stateNew:
		if method != protocol.MethodInitialize {
			return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized")
		}
	case stateInitialized:
		if method == protocol.MethodInitialize {
			return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server already initialized")
		}
	case stateShutdown:
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down")
	}
	return nil
}

// wireError gives err a JSON-RPC code: params that do not decode are
// InvalidParams (the message itself was valid JSON, or the stream would have
// rejected it), cancellation is RequestCancelled, an uncoded error
// RequestFailed.
func wireError(ctx context.Context, err error) error {
	var werr *jsonrpc2.Error
	switch {
	case errors.Is(err, jsonrpc2.ErrParse):
		return jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	case errors.As(err, &werr):
		return err
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return protocol.ErrRequestCancelled
	}
	return jsonrpc2.NewError(codeRequestFailed, err.Error())
}

type sentURIKey struct{}

func withSentURI(ctx context.Context, u string) context.Context {
	if u == "" {
		return ctx
	}
	return context.WithValue(ctx, sentURIKey{}, u)
}

// sentURIFrom returns the document URI as the client spelled it, or def.
// The protocol decoder canonicalizes URIs, but clients match published
// diagnostics against their own spelling.
func sentURIFrom(ctx context.Context, def string) string {
	if u, ok := ctx.Value(sentURIKey{}).(string); ok {
		return u
	}
	return def
}

// sentURI extracts textDocument.uri from raw params.
func sentURI(params []byte) string {
	var p struct {
		TextDocument struct {
			URI string `json:"uri"`
		} `json:"textDocument"`
	}
	if json.Unmarshal(params, &p) != nil {
		return ""
	}
	return p.TextDocument.URI
}

// cancellable serves $/cancelRequest, in place of protocol.CancelHandler,
// which ends the connection on a cancel whose id is not an integer or a
// string (or whose params are not an object): a malformed cancel is logged
// and dropped here. A call that was cancelled while it ran is answered
// RequestCancelled, whatever its handler returned, so that no result is
// sent for it.
func (s *Server) cancellable(next jsonrpc2.Handler) jsonrpc2.Handler {
	var mu sync.Mutex
	running := map[jsonrpc2.ID]context.CancelCauseFunc{}
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.Method() == protocol.MethodCancelRequest {
			id, ok := cancelID(req.Params())
			if !ok {
				s.log.Warn("ignoring malformed $/cancelRequest", zap.ByteString("params", truncate(req.Params())))
				return nil, nil
			}
			mu.Lock()
			cancel := running[id]
			mu.Unlock()
			if cancel != nil {
				cancel(errCancelRequest)
			}
			return nil, nil
		}
		if !req.IsCall() {
			return next(ctx, req)
		}
		id := req.ID()
		if str, ok := id.StringValue(); ok {
			id = jsonrpc2.NewStringID(strings.Clone(str)) // the request's copy is borrowed
		}
		ctx, cancel := newCallContext(s.session, ctx)
		mu.Lock()
		running[id] = cancel
		mu.Unlock()
		defer func() {
			mu.Lock()
			delete(running, id)
			mu.Unlock()
			cancel(nil)
		}()
		result, err := next(ctx, req)
		if errors.Is(context.Cause(ctx), errCancelRequest) {
			return nil, protocol.ErrRequestCancelled
		}
		return result, err
	}
}

// callContext is the context a call runs with. Its cancellation is its
// own, derived from the session's context, which the context package
// knows: a cancellation derived from the request's context, a type of
// jsonrpc2's, would start a goroutine per call to watch it (and have
// jsonrpc2 make the request's own cancellation, which the call does not
// need: conn cancels a request only once it is answered, or when a write
// fails, and Serve cancels the session's context then). Values are the
// request's: they hold what the connection and the handlers outside
// cancellable put there.
type callContext struct {
	context.Context
	req context.Context
}

// newCallContext returns the context for the call whose request context
// is req in the session whose context is session (nil: the connection's),
// and the function that cancels it.
func newCallContext(session, req context.Context) (context.Context, context.CancelCauseFunc) {
	if session == nil {
		session = jsonrpc2.DetachContext(req)
	}
	ctx, cancel := context.WithCancelCause(session)
	return &callContext{Context: ctx, req: req}, cancel
}

// Value finds key in the call's own context first: the context package
// finds the call's cancellation there, so that contexts derived from a
// call's share it and start no goroutine either. What the connection's
// context lacks is the request's.
func (c *callContext) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.req.Value(key)
}

// errCancelRequest is the cause of a call's cancellation by the client.
var errCancelRequest = errors.New("cancelled by $/cancelRequest")

// cancelID decodes the id of $/cancelRequest's params: an object whose id
// is an integer or a string.
func cancelID(params []byte) (jsonrpc2.ID, bool) {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(params, &p) != nil || len(p.ID) == 0 {
		return jsonrpc2.ID{}, false
	}
	var str string
	if json.Unmarshal(p.ID, &str) == nil {
		return jsonrpc2.NewStringID(str), true
	}
	n, err := strconv.ParseInt(string(p.ID), 10, 64)
	if err != nil {
		return jsonrpc2.ID{}, false
	}
	return jsonrpc2.NewNumberID(n), true
}

// codeServerCancelled is LSP's ServerCancelled: the server did not run the
// request, and the client may send it again.
const codeServerCancelled jsonrpc2.Code = -32802

// limiter caps the requests that run at once, so that a storm of heavy
// requests cannot take the machine's memory: past the cap a request waits
// for a slot (or its cancellation), and past maxWaiting waiting ones it is
// refused with ServerCancelled.
type limiter struct {
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
}

func newLimiter() *limiter {
	return &limiter{slots: make(chan struct{}, max(4, 2*runtime.GOMAXPROCS(0))), maxWaiting: 1024}
}

// acquire takes a slot, and returns the function that gives it back.
func (l *limiter) acquire(ctx context.Context) (func(), error) {
	release := func() { <-l.slots }
	select {
	case l.slots <- struct{}{}:
		return release, nil
	default:
	}
	if l.waiting.Add(1) > l.maxWaiting {
		l.waiting.Add(-1)
		return nil, jsonrpc2.NewError(codeServerCancelled, "too many requests in flight; try again")
	}
	defer l.waiting.Add(-1)
	select {
	case l.slots <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
