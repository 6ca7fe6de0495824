package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// testTimeout bounds every wait in these tests.
const testTimeout = 20 * time.Second

// testClient is an LSP client connected to a real Server over net.Pipe,
// through the same wiring Serve uses for stdio.
type testClient struct {
	t      *testing.T
	srv    *Server
	conn   jsonrpc2.Conn
	raw    net.Conn // the client's end, for writing malformed frames
	logs   *observer.ObservedLogs
	served chan error
	exits  chan int

	mu        sync.Mutex
	cond      *sync.Cond
	published []published          // every publishDiagnostics, in arrival order
	nullResps []*jsonrpc2.Response // responses to messages the server could not read

	// answers serves requests from the server (workspace/configuration,
	// ...), by method; set before initialize.
	answers map[string]func(params []byte) (any, error)
}

// published is one publishDiagnostics notification as it came over the wire.
type published struct {
	URI         string // exactly as the server wrote it
	Version     *int32
	Diagnostics []protocol.Diagnostic
}

// clientOption adjusts the server's configuration, or the server itself
// before it starts serving.
type clientOption func(cfg *Config, setup *[]func(*Server))

// withDiagnose replaces how the server computes diagnostics.
func withDiagnose(f func(*analysis.Index, *rules.Config) []rules.Diagnostic) clientOption {
	return func(_ *Config, setup *[]func(*Server)) {
		*setup = append(*setup, func(s *Server) { s.diagnose = f })
	}
}

// withMethod registers a test-only method on the server.
func withMethod(name string, h func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error)) clientOption {
	return func(_ *Config, setup *[]func(*Server)) {
		*setup = append(*setup, func(s *Server) {
			if s.extra == nil {
				s.extra = make(map[string]func(context.Context, protocol.LSPAny) (any, error))
			}
			s.extra[name] = func(ctx context.Context, params protocol.LSPAny) (any, error) { return h(ctx, s, params) }
		})
	}
}

// newTestClient starts a server and connects a client to it. The
// connection is closed when the test ends.
func newTestClient(t *testing.T, opts ...clientOption) *testClient {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	c := &testClient{t: t, logs: logs, served: make(chan error, 1), exits: make(chan int, 1)}
	c.cond = sync.NewCond(&c.mu)

	cfg := Config{
		Logger:  zap.New(core),
		Exit:    func(code int) { c.exits <- code },
		Version: "test",
	}
	var setup []func(*Server)
	for _, o := range opts {
		o(&cfg, &setup)
	}
	c.srv = New(cfg)
	for _, f := range setup {
		f(c.srv)
	}

	serverEnd, clientEnd := net.Pipe()
	c.raw = clientEnd
	go func() { c.served <- c.srv.Serve(context.Background(), serverEnd) }()

	c.conn = jsonrpc2.NewConn(&recordingStream{Stream: jsonrpc2.NewHeaderStream(clientEnd), c: c}, jsonrpc2.WithCodec(codec{}))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() {
		_ = clientEnd.Close()
		select {
		case <-c.served:
		case <-time.After(testTimeout):
			t.Errorf("server did not stop after the client hung up")
		}
		_ = c.conn.Close()
	})
	return c
}

// recordingStream keeps the responses with a null id that the server sends
// for messages it cannot read; jsonrpc2.Conn would drop them.
type recordingStream struct {
	jsonrpc2.Stream
	c *testClient
}

func (s *recordingStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	msg, n, err := s.Stream.Read(ctx)
	if r, ok := msg.(*jsonrpc2.Response); ok && !r.ID().IsValid() {
		s.c.mu.Lock()
		s.c.nullResps = append(s.c.nullResps, r)
		s.c.cond.Broadcast()
		s.c.mu.Unlock()
	}
	return msg, n, err
}

// handle serves the server's messages to the client.
func (c *testClient) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	if h, ok := c.answers[req.Method()]; ok {
		return h(req.Params())
	}
	if req.Method() != protocol.MethodTextDocumentPublishDiagnostics {
		return jsonrpc2.MethodNotFoundHandler(ctx, req)
	}
	var wire struct {
		URI     string `json:"uri"`
		Version *int32 `json:"version"`
	}
	if err := json.Unmarshal(req.Params(), &wire); err != nil {
		c.t.Errorf("bad publishDiagnostics: %v", err)
		return nil, nil
	}
	var params protocol.PublishDiagnosticsParams
	if err := protocol.Unmarshal(req.Params(), &params); err != nil {
		c.t.Errorf("bad publishDiagnostics: %v", err)
		return nil, nil
	}
	c.mu.Lock()
	c.published = append(c.published, published{URI: wire.URI, Version: wire.Version, Diagnostics: params.Diagnostics})
	c.cond.Broadcast()
	c.mu.Unlock()
	return nil, nil
}

// waitFor waits until cond, called with c.mu held, is true.
func (c *testClient) waitFor(what string, cond func() bool) {
	c.t.Helper()
	if !waitCond(c.cond, testTimeout, cond) {
		c.t.Fatalf("timed out waiting for %s", what)
	}
}

// waitCond waits on cv, with its lock held, until ready is true or d has
// passed; it reports whether ready became true. Whoever changes what ready
// reads must broadcast on cv.
func waitCond(cv *sync.Cond, d time.Duration, ready func() bool) bool {
	deadline := time.Now().Add(d)
	stop := time.AfterFunc(d, func() {
		cv.L.Lock()
		cv.Broadcast()
		cv.L.Unlock()
	})
	defer stop.Stop()
	cv.L.Lock()
	defer cv.L.Unlock()
	for !ready() {
		if time.Now().After(deadline) {
			return false
		}
		cv.Wait()
	}
	return true
}

// diagnostics waits for the diagnostics of uri at version and returns the
// latest published.
func (c *testClient) diagnostics(rawURI string, version int32) []protocol.Diagnostic {
	c.t.Helper()
	var got []protocol.Diagnostic
	c.waitFor(fmt.Sprintf("diagnostics of %s version %d", rawURI, version), func() bool {
		found := false
		for _, p := range c.published {
			if p.URI == rawURI && p.Version != nil && *p.Version == version {
				got, found = p.Diagnostics, true
			}
		}
		return found
	})
	return got
}

// settle waits until the server has no diagnostics run in flight and the
// client has received all it published: the flush hook the diagnostics
// tests wait on instead of sleeping. No change may be sent meanwhile.
func (c *testClient) settle() {
	c.t.Helper()
	// Notifications are handled in order, before a later request: once
	// this answer is in, every change has started its run.
	_ = c.call("test/settled", nil, nil)
	c.srv.diagRuns.wait()
	// Messages arrive in order: once this answer is in, so are the
	// publications written before it.
	_ = c.call("test/settled", nil, nil)
}

// publications returns a copy of what the server has published so far.
func (c *testClient) publications() []published {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]published(nil), c.published...)
}

func (c *testClient) call(method string, params, result any) error {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// initialize runs the handshake, offering encodings when there are any.
func (c *testClient) initialize(encodings ...protocol.PositionEncodingKind) *protocol.InitializeResult {
	c.t.Helper()
	params := &protocol.InitializeParams{}
	if len(encodings) > 0 {
		params.Capabilities.General = &protocol.GeneralClientCapabilities{PositionEncodings: encodings}
	}
	return c.initializeParams(params)
}

// waitScanned waits for the first workspace scan, which ends by scheduling
// a diagnostics run for every open document, so that tests counting runs
// or publications see none of it.
func (c *testClient) waitScanned() {
	c.t.Helper()
	select {
	case <-c.srv.ws.ready:
	case <-time.After(testTimeout):
		c.t.Fatal("the workspace scan did not finish")
	}
}

func (c *testClient) open(rawURI, text string, version int32) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: uri.URI(rawURI), LanguageID: "dockerfile", Version: version, Text: text},
	})
}

func (c *testClient) change(rawURI string, version int32, changes ...protocol.TextDocumentContentChangeEvent) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.URI(rawURI)}, Version: version},
		ContentChanges: changes,
	})
}

func (c *testClient) close(rawURI string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(rawURI)},
	})
}

func partial(startLine, startChar, endLine, endChar uint32, text string) *protocol.TextDocumentContentChangePartial {
	return &protocol.TextDocumentContentChangePartial{
		Range: protocol.Range{
			Start: protocol.Position{Line: startLine, Character: startChar},
			End:   protocol.Position{Line: endLine, Character: endChar},
		},
		Text: text,
	}
}

// textResult is what the test/text method answers.
type textResult struct {
	Text    string `json:"text"`
	Version int32  `json:"version"`
}

// withTextMethod adds test/text, which answers the text and version of a
// document as the request sees it; with "wait" set it first signals
// waiting and waits for the release channel, to show that a request reads
// the snapshot of its dispatch even when changes arrive while it runs.
func withTextMethod(waiting chan<- struct{}, release <-chan struct{}) clientOption {
	return withMethod("test/text", func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error) {
		var p struct {
			URI  string `json:"uri"`
			Wait bool   `json:"wait"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		u, err := uri.Parse(p.URI)
		if err != nil {
			return nil, err
		}
		snap, err := s.snapshot(ctx, u)
		if err != nil {
			return nil, err
		}
		if p.Wait {
			waiting <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return textResult{Text: snap.Doc.Text(), Version: snap.Version}, nil
	})
}

func (c *testClient) text(rawURI string) (textResult, error) {
	c.t.Helper()
	var res textResult
	err := c.call("test/text", map[string]any{"uri": rawURI}, &res)
	return res, err
}

// code returns the JSON-RPC code of err, or 0.
func code(err error) jsonrpc2.Code {
	var werr *jsonrpc2.Error
	if errors.As(err, &werr) {
		return werr.Code
	}
	return 0
}

// logged reports whether a log entry containing msg was written.
func (c *testClient) logged(msg string) bool {
	for _, e := range c.logs.All() {
		if strings.Contains(e.Message, msg) {
			return true
		}
	}
	return false
}
