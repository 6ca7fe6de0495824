// Package server is Stagehand's language server: the LSP wiring over
// JSON-RPC, the store of open documents and the conversion of results to the
// protocol. It holds no Dockerfile knowledge; features live in their own
// packages and each protocol method in its own file here.
//
// Adding a feature, say hover, takes one file, hover.go, with the
// protocol.Server method: find the snapshot with s.snapshot(ctx, uri) (the
// documents as they were when the request was dispatched), take its index
// with Current, convert positions with the functions in mapper.go and
// s.encoding(), call the feature's package, convert the result back. Then
// advertise it in capabilities (lifecycle.go) and give the marker tests a
// marker for it (markerKinds in marker_test.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// Config configures a Server.
type Config struct {
	// Logger receives the server's log; nil discards it. It must not write to
	// the protocol stream.
	Logger *zap.Logger
	// Exit is called with the process exit code when the client sends the
	// exit notification: 0 after a shutdown request, 1 otherwise. Nil means
	// the session just ends and Serve returns.
	Exit func(code int)
	// Version is reported to the client in serverInfo.
	Version string
}

// Server is a language server for one client connection. It implements
// protocol.Server; methods it does not override answer "method not found"
// and are not advertised.
type Server struct {
	protocol.UnimplementedServer

	cfg    Config
	log    *zap.Logger
	client protocol.Client
	conn   jsonrpc2.Conn // the connection client speaks over, set by Serve
	// session is the context of the connection, set by Serve: each call's
	// cancellation derives from it (see callContext).
	session context.Context

	mu     sync.Mutex // guards the session state below
	state  state
	enc    analysis.Encoding
	opts   atomic.Pointer[clientOptions] // set once, at initialize
	trace  protocol.TraceValue
	exited chan struct{}
	ended  chan struct{} // closed when Serve returns

	docs *store

	// barrier, when set, is closed when the last state-changing request
	// completes; only the goroutine reading the connection touches it.
	barrier chan struct{}

	// diagnose computes a document's diagnostics; tests replace it.
	diagnose func(*analysis.Index, *rules.Config) []rules.Diagnostic
	// current is the settings in force (config.go); nil until initialize.
	current atomic.Pointer[Settings]
	// ws is what the workspace around the documents holds: the targets
	// Compose, Bake, workflows and scripts name.
	ws *workspaceState
	// roots are the workspace folders the client named at initialize.
	roots []string
	// contexts keeps each Dockerfile's build context (buildcontext.go).
	contexts workspace.Contexts

	// inflight caps the requests that run at once.
	inflight *limiter
	// diagRuns counts the diagnostics runs in flight, for tests to wait on.
	diagRuns  runCounter
	symbols   symbolCache
	freeing   atomic.Bool  // a return of memory to the system is due
	gcLowered atomic.Bool  // the collector's target is lowered for large files
	gcPercent atomic.Int32 // the target tuneGC last set; 0 while GOGC keeps a lower one
	// inputs counts the changes to what diagnostics read besides the text
	// (settings, the workspace), so that a run begun before one publishes
	// nothing.
	inputs atomic.Uint64

	// extra answers non-standard methods; tests register hooks in it.
	extra map[string]func(ctx context.Context, params protocol.LSPAny) (any, error)
}

// state is where the session is in the LSP lifecycle.
type state int

const (
	stateNew         state = iota // waiting for initialize
	stateInitialized              // initialize answered
	stateShutdown                 // shutdown answered; only exit is accepted
)

// ErrNoShutdown is returned by Serve when the session ended without a
// shutdown request.
var ErrNoShutdown = errors.New("session ended without shutdown")

// New returns a server configured by cfg.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		exited:   make(chan struct{}),
		ended:    make(chan struct{}),
		diagnose: rules.Run,
		docs:     newStore(),
		ws:       newWorkspaceState(),
		inflight: newLimiter(),
	}
	s.ws.reread = s.refreshDiagnostics
	return s
}

// Serve serves LSP over rwc, framed with Content-Length headers, until the
// client sends exit or closes the stream. It returns nil when the session
// was shut down cleanly, ErrNoShutdown when it ended without a shutdown
// request, or the error that broke the connection. Serve may be called
// once per Server.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) error {
	ctx = protocol.WithLogger(ctx, slog.New(zapslog.NewHandler(s.log.Core())))
	st := newStream(rwc, s.log)
	conn := jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))
	s.client, s.conn = protocol.ClientDispatcher(conn), conn
	ctx = protocol.WithClient(ctx, s.client)
	// A failed write cancels the calls in flight, whose answers can no
	// longer be sent: each call's cancellation derives from the session's
	// context (see callContext). The connection's own stays ctx: it ends
	// on its own, with the error that ended it.
	session, broken := context.WithCancelCause(ctx)
	defer broken(nil)
	st.broken = func(err error) { broken(fmt.Errorf("writing to the client: %w", err)) }
	s.session = session
	conn.Go(ctx, st.lending(s.cancellable(s.ordered(protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler)))))

	var err error
	select {
	case <-conn.Done():
		err = conn.Err()
	case <-s.exited:
		// Closing the stream ends the read loop; conn.Close would wait for
		// the exit handler that is still running.
		_ = rwc.Close()
		<-conn.Done()
	}
	s.docs.closeAll()
	close(s.ended)
	return s.served(err)
}

// served is what Serve returns once the connection is over: its error, or
// ErrNoShutdown when the client left without asking to shut down.
func (s *Server) served(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		return err
	}
	if s.state != stateShutdown {
		return ErrNoShutdown
	}
	return nil
}

// encoding returns the negotiated position encoding.
func (s *Server) encoding() analysis.Encoding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc
}
