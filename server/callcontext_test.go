package server

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
)

type outerKey struct{}

// TestCallContextStartsNoGoroutine serves calls over a real jsonrpc2
// connection and looks, while each runs, for a goroutine the context
// package starts to watch a parent it does not know (propagateCancel):
// deriving a call's cancellation from jsonrpc2's request context started
// one per call. The call's context must still carry what the handlers
// outside cancellable put in it, and a context derived from it must not
// start one either.
func TestCallContextStartsNoGoroutine(t *testing.T) {
	s := New(Config{})
	s.session = context.Background() // as Serve sets it
	type seen struct {
		watchers int
		value    any
		err      error
	}
	got := make(chan seen, 1)
	inner := func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		derived, cancel := context.WithCancel(ctx)
		defer cancel()
		got <- seen{watchers: cancelWatchers(), value: derived.Value(outerKey{}), err: derived.Err()}
		return "ok", nil
	}
	outer := func(next jsonrpc2.Handler) jsonrpc2.Handler {
		return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
			return next(context.WithValue(ctx, outerKey{}, "outer"), req)
		}
	}
	serverEnd, clientEnd := net.Pipe()
	srv := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(serverEnd))
	srv.Go(context.Background(), outer(s.cancellable(inner)))
	cli := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(clientEnd))
	cli.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
	t.Cleanup(func() { _ = cli.Close(); _ = srv.Close() })

	for i := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		var res string
		_, err := cli.Call(ctx, "test/call", map[string]int{"i": i}, &res)
		cancel()
		if err != nil || res != "ok" {
			t.Fatalf("call %d: %q, %v", i, res, err)
		}
		select {
		case g := <-got:
			if g.watchers != 0 {
				t.Errorf("call %d: %d goroutines watch a context while the call runs; want none", i, g.watchers)
			}
			if g.value != "outer" {
				t.Errorf("call %d: the value an outer handler put in the context reads %v", i, g.value)
			}
			if g.err != nil {
				t.Errorf("call %d: the running call's context is done: %v", i, g.err)
			}
		case <-time.After(testTimeout):
			t.Fatalf("call %d: the handler did not run", i)
		}
	}
}

// cancelWatchers counts the goroutines the context package started to
// watch a parent context of a type it does not know.
func cancelWatchers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "context.(*cancelCtx).propagateCancel")
}

// failingWriter reads its input and fails every write, as a pipe whose
// reader is gone does; tried is closed at the first write.
type failingWriter struct {
	io.Reader
	tried chan struct{}
	once  *sync.Once
}

func (w failingWriter) Write([]byte) (int, error) {
	w.once.Do(func() { close(w.tried) })
	return 0, syscall.EPIPE
}
func (failingWriter) Close() error { return nil }

// TestFailedWriteCancelsSession: once a write to the client fails, the
// session's context, from which every call's cancellation derives, is
// cancelled with that failure as its cause, so calls in flight stop: their
// answers can no longer be sent.
func TestFailedWriteCancelsSession(t *testing.T) {
	s := New(Config{})
	pr, pw := io.Pipe()
	rwc := failingWriter{Reader: pr, tried: make(chan struct{}), once: new(sync.Once)}
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background(), rwc) }()
	go func() {
		_, _ = pw.Write([]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)))
	}()
	select {
	case <-rwc.tried:
	case <-time.After(testTimeout):
		t.Fatal("the server wrote no answer to initialize")
	}
	_ = pw.Close()
	select {
	case <-done:
	case <-time.After(testTimeout):
		t.Fatal("Serve did not end at the end of its input")
	}
	cause := context.Cause(s.session)
	if cause == nil || !errors.Is(cause, syscall.EPIPE) {
		t.Errorf("the session's cancellation: %v; want the failed write (EPIPE)", cause)
	}
}
