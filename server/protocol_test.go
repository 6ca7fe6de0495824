package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

const testURI = "file:///work/Dockerfile"

func TestLifecycle(t *testing.T) {
	c := newTestClient(t)
	for _, method := range []string{protocol.MethodShutdown, protocol.MethodTextDocumentHover} {
		if err := c.call(method, nil, nil); code(err) != jsonrpc2.ServerNotInitialized {
			t.Errorf("%s before initialize: got %v, want code %d", method, err, jsonrpc2.ServerNotInitialized)
		}
	}
	res := c.initialize()
	if res.ServerInfo.Name != "stagehand" {
		t.Errorf("serverInfo.name = %q", res.ServerInfo.Name)
	}
	if err := c.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); code(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: got %v, want InvalidRequest", err)
	}
	if err := c.call(protocol.MethodTextDocumentMoniker, &protocol.MonikerParams{}, nil); code(err) != jsonrpc2.MethodNotFound {
		t.Errorf("unimplemented request: got %v, want MethodNotFound", err)
	}
	if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := c.call(protocol.MethodShutdown, nil, nil); code(err) != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: got %v, want InvalidRequest", err)
	}
	c.notify(protocol.MethodExit, nil)
	select {
	case got := <-c.exits:
		if got != 0 {
			t.Errorf("exit code after shutdown = %d, want 0", got)
		}
	case <-time.After(testTimeout):
		t.Fatal("exit was not called")
	}
	select {
	case err := <-c.served:
		if err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
		c.served <- err // for the cleanup
	case <-time.After(testTimeout):
		t.Fatal("Serve did not return after exit")
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	c.notify(protocol.MethodExit, nil)
	if got := <-c.exits; got != 1 {
		t.Errorf("exit code without shutdown = %d, want 1", got)
	}
	err := <-c.served
	if !errors.Is(err, ErrNoShutdown) {
		t.Errorf("Serve = %v, want ErrNoShutdown", err)
	}
	c.served <- err
}

func TestCapabilities(t *testing.T) {
	c := newTestClient(t)
	res := c.initialize()
	sync, ok := res.Capabilities.TextDocumentSync.(*protocol.TextDocumentSyncOptions)
	if !ok {
		t.Fatalf("textDocumentSync = %#v, want options", res.Capabilities.TextDocumentSync)
	}
	if sync.Change == nil || *sync.Change != protocol.TextDocumentSyncKindIncremental {
		t.Errorf("textDocumentSync.change = %v, want incremental", sync.Change)
	}
	if sync.OpenClose == nil || !*sync.OpenClose {
		t.Errorf("textDocumentSync.openClose not set")
	}
	// Every provider advertised is served: its method answers on an open
	// document, and a provider with no entry here fails the test.
	c.open(testURI, "FROM golang AS build\nRUN go build\nFROM scratch\nCOPY --from=build /a /a\n", 1)
	td := map[string]any{"uri": testURI}
	pos := map[string]any{"textDocument": td, "position": map[string]any{"line": 3, "character": 14}}
	whole := map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 4, "character": 0}}
	methods := map[string]struct {
		method string
		params any
	}{
		"CompletionProvider":               {protocol.MethodTextDocumentCompletion, pos},
		"HoverProvider":                    {protocol.MethodTextDocumentHover, pos},
		"SignatureHelpProvider":            {protocol.MethodTextDocumentSignatureHelp, pos},
		"DefinitionProvider":               {protocol.MethodTextDocumentDefinition, pos},
		"ReferencesProvider":               {protocol.MethodTextDocumentReferences, map[string]any{"textDocument": td, "position": pos["position"], "context": map[string]any{"includeDeclaration": true}}},
		"DocumentHighlightProvider":        {protocol.MethodTextDocumentDocumentHighlight, pos},
		"DocumentSymbolProvider":           {protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": td}},
		"WorkspaceSymbolProvider":          {protocol.MethodWorkspaceSymbol, map[string]any{"query": "b"}},
		"CodeActionProvider":               {protocol.MethodTextDocumentCodeAction, map[string]any{"textDocument": td, "range": whole, "context": map[string]any{"diagnostics": []any{}}}},
		"CodeLensProvider":                 {protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": td}},
		"DocumentLinkProvider":             {protocol.MethodTextDocumentDocumentLink, map[string]any{"textDocument": td}},
		"DocumentFormattingProvider":       {protocol.MethodTextDocumentFormatting, map[string]any{"textDocument": td, "options": map[string]any{"tabSize": 4, "insertSpaces": true}}},
		"DocumentRangeFormattingProvider":  {protocol.MethodTextDocumentRangeFormatting, map[string]any{"textDocument": td, "range": whole, "options": map[string]any{"tabSize": 4, "insertSpaces": true}}},
		"DocumentOnTypeFormattingProvider": {protocol.MethodTextDocumentOnTypeFormatting, map[string]any{"textDocument": td, "position": pos["position"], "ch": "\n", "options": map[string]any{"tabSize": 4, "insertSpaces": true}}},
		"RenameProvider":                   {protocol.MethodTextDocumentPrepareRename, pos},
		"FoldingRangeProvider":             {protocol.MethodTextDocumentFoldingRange, map[string]any{"textDocument": td}},
		"SemanticTokensProvider":           {protocol.MethodTextDocumentSemanticTokensFull, map[string]any{"textDocument": td}},
		"InlayHintProvider":                {protocol.MethodTextDocumentInlayHint, map[string]any{"textDocument": td, "range": whole}},
		"DiagnosticProvider":               {protocol.MethodTextDocumentDiagnostic, map[string]any{"textDocument": td}},
	}
	v := reflect.ValueOf(res.Capabilities)
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		if !strings.HasSuffix(name, "Provider") || v.Field(i).IsZero() {
			continue
		}
		m, ok := methods[name]
		if !ok {
			t.Errorf("%s is advertised but this test does not know its method: add it", name)
			continue
		}
		var raw json.RawMessage
		if err := c.call(m.method, m.params, &raw); code(err) == jsonrpc2.MethodNotFound {
			t.Errorf("%s is advertised but %s is not served", name, m.method)
		}
	}
}

func TestEncodingNegotiation(t *testing.T) {
	const (
		u8  = protocol.PositionEncodingKindUTF8
		u16 = protocol.PositionEncodingKindUTF16
		u32 = protocol.PositionEncodingKindUTF32
	)
	for _, tc := range []struct {
		offered []protocol.PositionEncodingKind
		want    protocol.PositionEncodingKind
	}{
		{nil, u16},
		{[]protocol.PositionEncodingKind{u16}, u16},
		{[]protocol.PositionEncodingKind{u8, u16}, u8},
		{[]protocol.PositionEncodingKind{u16, u8}, u16},
		{[]protocol.PositionEncodingKind{u32}, u32},
		{[]protocol.PositionEncodingKind{"utf-7", u32, u8}, u32},
		{[]protocol.PositionEncodingKind{"utf-7"}, u16},
	} {
		t.Run(fmt.Sprint(tc.offered), func(t *testing.T) {
			c := newTestClient(t)
			res := c.initialize(tc.offered...)
			if res.Capabilities.PositionEncoding != tc.want {
				t.Errorf("positionEncoding = %q, want %q", res.Capabilities.PositionEncoding, tc.want)
			}
		})
	}
}

// TestEncodingAsked: a client that offers no encodings may name one in
// initializationOptions (Vim's ALE counts bytes); offered ones win.
func TestEncodingAsked(t *testing.T) {
	const (
		u8  = protocol.PositionEncodingKindUTF8
		u16 = protocol.PositionEncodingKindUTF16
	)
	for _, tc := range []struct {
		offered []protocol.PositionEncodingKind
		options string
		want    protocol.PositionEncodingKind
	}{
		{nil, `{"positionEncoding": "utf-8"}`, u8},
		{nil, `{"positionEncoding": "utf-8", "rules": {"UnusedStage": "error"}}`, u8},
		{nil, `{"positionEncoding": "utf-7"}`, u16},
		{nil, `{"positionEncoding": 8}`, u16},
		{nil, `null`, u16},
		{[]protocol.PositionEncodingKind{u16}, `{"positionEncoding": "utf-8"}`, u16},
	} {
		t.Run(tc.options, func(t *testing.T) {
			c := newTestClient(t, withTextMethod(nil, nil))
			params := &protocol.InitializeParams{InitializationOptions: protocol.LSPAny(tc.options)}
			if tc.offered != nil {
				params.Capabilities.General = &protocol.GeneralClientCapabilities{PositionEncodings: tc.offered}
			}
			res := c.initializeParams(params)
			if res.Capabilities.PositionEncoding != tc.want {
				t.Fatalf("positionEncoding = %q, want %q", res.Capabilities.PositionEncoding, tc.want)
			}
			if tc.want != u8 {
				return
			}
			// The edit lands where a byte-counting client means it.
			const line = "COPY --chown=日本 --from=etape /x /y"
			c.open(testURI, "FROM alpine AS etape\nFROM alpine\n"+line+"\n", 1)
			col := uint32(strings.Index(line, "etape"))
			c.change(testURI, 2, partial(2, col, 2, col+5, "stage1"))
			got, err := c.text(testURI)
			if err != nil {
				t.Fatal(err)
			}
			if want := "FROM alpine AS etape\nFROM alpine\nCOPY --chown=日本 --from=stage1 /x /y\n"; got.Text != want {
				t.Errorf("text = %q, want %q", got.Text, want)
			}
		})
	}
}

// TestEncodingAppliedToChanges edits after characters whose width differs
// between encodings.
func TestEncodingAppliedToChanges(t *testing.T) {
	const line = "# é😀x"
	for _, tc := range []struct {
		enc protocol.PositionEncodingKind
		col uint32 // of the x
	}{
		{protocol.PositionEncodingKindUTF8, uint32(strings.Index(line, "x"))},
		{protocol.PositionEncodingKindUTF16, 5},
		{protocol.PositionEncodingKindUTF32, 4},
	} {
		t.Run(string(tc.enc), func(t *testing.T) {
			c := newTestClient(t, withTextMethod(nil, nil))
			c.initialize(tc.enc)
			c.open(testURI, "FROM alpine\n"+line+"\n", 1)
			c.change(testURI, 2, partial(1, tc.col, 1, tc.col+1, "y"))
			got, err := c.text(testURI)
			if err != nil {
				t.Fatal(err)
			}
			if want := "FROM alpine\n# é😀y\n"; got.Text != want {
				t.Errorf("text = %q, want %q", got.Text, want)
			}
			// Diagnostic ranges come back in the same encoding.
			c.change(testURI, 3, partial(1, tc.col+1, 1, tc.col+1, "\nRUNN z"))
			diags := c.diagnostics(testURI, 3)
			if len(diags) != 1 || diags[0].Range.Start.Line != 2 {
				t.Errorf("diagnostics = %+v, want one on line 2", diags)
			}
		})
	}
}

// model is the client's copy of a document, kept independently of the
// analysis package: it converts offsets to UTF-16 positions by itself.
type model struct{ text string }

func (m *model) position(off int) protocol.Position {
	line := strings.Count(m.text[:off], "\n")
	start := strings.LastIndex(m.text[:off], "\n") + 1
	col := 0
	for _, r := range m.text[start:off] {
		col++
		if r >= 0x10000 {
			col++
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// randomEdit replaces a random piece of m's text and returns the change.
func (m *model) randomEdit(rng *rand.Rand) *protocol.TextDocumentContentChangePartial {
	boundary := func() int {
		off := rng.IntN(len(m.text) + 1)
		for off < len(m.text) && !utf8.RuneStart(m.text[off]) {
			off++
		}
		return off
	}
	start, end := boundary(), boundary()
	if start > end {
		start, end = end, start
	}
	if end-start > 12 {
		end = start // mostly insertions, so the text grows
		if rng.IntN(2) == 0 {
			end = boundary()
			if end < start {
				end = start
			}
		}
	}
	pieces := []string{"a", "RUN x\n", "é", "😀", "\n", " \\\n", "FROM b AS c\n", ""}
	text := pieces[rng.IntN(len(pieces))]
	change := &protocol.TextDocumentContentChangePartial{
		Range: protocol.Range{Start: m.position(start), End: m.position(end)},
		Text:  text,
	}
	m.text = m.text[:start] + text + m.text[end:]
	return change
}

func TestRapidIncrementalChanges(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	m := &model{text: "FROM alpine AS base\nRUN echo 😀 é\n"}
	c.open(testURI, m.text, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 3000
	for v := int32(2); v < n+2; v++ {
		c.change(testURI, v, m.randomEdit(rng))
	}
	got, err := c.text(testURI)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != n+1 {
		t.Errorf("version = %d, want %d", got.Version, n+1)
	}
	if diff := cmp.Diff(m.text, got.Text); diff != "" {
		t.Errorf("server text differs from the client's (-want +got):\n%s", diff)
	}
	c.diagnostics(testURI, n+1)
	if snap, ok := c.srv.Snapshot(testURI); !ok || snap.Doc.Text() != m.text {
		t.Errorf("Snapshot does not hold the client's text")
	}
}

func TestSeveralChangesInOneNotification(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.open(testURI, "FROM a\n", 1)
	c.change(testURI, 2,
		partial(0, 6, 0, 6, "\nRUN x"), // each change applies to the result of the previous one
		partial(1, 4, 1, 5, "y"),
		&protocol.TextDocumentContentChangeWholeDocument{Text: "FROM b\n"},
		partial(0, 5, 0, 6, "c"),
	)
	got, err := c.text(testURI)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "FROM c\n" || got.Version != 2 {
		t.Errorf("got %+v, want FROM c at version 2", got)
	}
}

func TestChangeUnopenedDocument(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.change("file:///nowhere/Dockerfile", 2, partial(0, 0, 0, 0, "x"))
	c.close("file:///nowhere/Dockerfile")
	_, err := c.text("file:///nowhere/Dockerfile")
	if code(err) != jsonrpc2.InvalidParams || !strings.Contains(err.Error(), "not open") {
		t.Errorf("request on an unopened document: got %v, want InvalidParams 'not open'", err)
	}
	if !c.logged("not open") {
		t.Errorf("didChange for an unopened document was not logged")
	}
	c.open(testURI, "FROM a\n", 1) // the server still serves
	if got, err := c.text(testURI); err != nil || got.Text != "FROM a\n" {
		t.Errorf("after the bad change: %+v, %v", got, err)
	}
}

func TestOutOfRangePositions(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.open(testURI, "FROM a\nRUN b\n", 1)
	for _, step := range []struct {
		change *protocol.TextDocumentContentChangePartial
		want   string
	}{
		{partial(0, 99, 0, 99, "Y"), "FROM aY\nRUN b\n"},             // past the end of a line
		{partial(40, 0, 41, 3, "Z"), "FROM aY\nRUN b\nZ"},            // past the end of the text
		{partial(1, 3, 1, 0, "_"), "FROM aY\n_ b\nZ"},                // end before start: the ends swapped
		{partial(0, 4, 0, 1<<31, ""), "FROM\n_ b\nZ"},                // huge column
		{partial(2, 0, 1<<31, 1<<31, "done\n"), "FROM\n_ b\ndone\n"}, // huge line
	} {
		snapVersion := int32(0)
		if s, ok := c.srv.Snapshot(testURI); ok {
			snapVersion = s.Version
		}
		c.change(testURI, snapVersion+1, step.change)
		got, err := c.text(testURI)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != step.want {
			t.Errorf("after %+v: text = %q, want %q", step.change.Range, got.Text, step.want)
		}
	}
	if !c.logged("clamped") {
		t.Errorf("clamping was not logged")
	}
}

func TestMalformedMessages(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.open(testURI, "FROM a\n", 1)
	frame := func(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }
	for _, raw := range []string{
		frame("{not json"),
		frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":42}`), // bad params
		frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"::"},"contentChanges":[]}}`),
		frame(`[{"jsonrpc":"2.0",`),
		"X-Nonsense: 1\r\n\r\n",                         // no Content-Length
		"Content-Length: many\r\n\r\n",                  // bad Content-Length
		frame(`{"jsonrpc":"2.0","id":{},"method":"x"}`), // bad id
	} {
		if _, err := c.raw.Write([]byte(raw)); err != nil {
			t.Fatalf("writing %q: %v", raw, err)
		}
	}
	got, err := c.text(testURI)
	if err != nil || got.Text != "FROM a\n" {
		t.Fatalf("after malformed messages: %+v, %v", got, err)
	}
	c.waitFor("error responses to unreadable messages", func() bool { return len(c.nullResps) >= 1 })
	if code(c.nullResps[0].Err()) != jsonrpc2.ParseError {
		t.Errorf("response to malformed JSON: %v, want ParseError", c.nullResps[0].Err())
	}
	for _, msg := range []string{"answering malformed message", "refusing a malformed", "skipping malformed message header"} {
		if !c.logged(msg) {
			t.Errorf("no log %q", msg)
		}
	}
}

func TestInvalidParams(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	err := c.call(protocol.MethodTextDocumentHover, 42, nil)
	if code(err) != jsonrpc2.InvalidParams {
		t.Errorf("request with bad params: got %v, want InvalidParams", err)
	}
	c.notify("$/unknownNotification", map[string]any{}) // ignored quietly
	c.open(testURI, "FROM a\n", 1)
	if _, err := c.text(testURI); err != nil {
		t.Errorf("after bad params: %v", err)
	}
	if c.logged("notification failed") {
		t.Errorf("an unknown $/ notification was logged as a failure")
	}
}

func TestPanicRecovered(t *testing.T) {
	boom := func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error) { panic("boom") }
	c := newTestClient(t, withTextMethod(nil, nil), withMethod("test/panic", boom))
	c.initialize()
	c.open(testURI, "FROM a\n", 1)
	// protocol decodes the params of non-standard methods and fails on none.
	err := c.call("test/panic", map[string]any{}, nil)
	if code(err) != jsonrpc2.InternalError || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking request: got %v, want InternalError mentioning the panic", err)
	}
	c.notify("test/panic", map[string]any{}) // as a notification too
	if got, err := c.text(testURI); err != nil || got.Text != "FROM a\n" {
		t.Fatalf("after the panics: %+v, %v", got, err)
	}
	var stack bool
	for _, e := range c.logs.FilterMessage("handler panicked").All() {
		stack = stack || strings.Contains(fmt.Sprint(e.ContextMap()["stack"]), "TestPanicRecovered")
	}
	if !stack {
		t.Errorf("the panic was not logged with its stack")
	}
}

func TestCancellation(t *testing.T) {
	started, cancelled := make(chan struct{}), make(chan struct{})
	block := func(ctx context.Context, s *Server, params protocol.LSPAny) (any, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}
	c := newTestClient(t, withTextMethod(nil, nil), withMethod("test/block", block))
	c.initialize()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- protocol.Call(ctx, c.conn, "test/block", map[string]any{}, nil) }()
	select {
	case <-started:
	case <-time.After(testTimeout):
		t.Fatal("test/block did not start")
	}
	cancel() // protocol.Call sends $/cancelRequest
	select {
	case <-cancelled:
	case <-time.After(testTimeout):
		t.Fatal("the server did not cancel the request")
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call returned %v", err)
	}
	c.open(testURI, "FROM a\n", 1)
	if _, err := c.text(testURI); err != nil {
		t.Errorf("after cancellation: %v", err)
	}
}

// TestSnapshotAtDispatch shows that requests run concurrently with later
// messages and read the documents as they were when dispatched.
func TestSnapshotAtDispatch(t *testing.T) {
	waiting, release := make(chan struct{}), make(chan struct{})
	c := newTestClient(t, withTextMethod(waiting, release))
	c.initialize()
	c.open(testURI, "FROM a\n", 1)
	first := make(chan textResult, 1)
	go func() {
		var res textResult
		if err := c.call("test/text", map[string]any{"uri": testURI, "wait": true}, &res); err != nil {
			t.Errorf("waiting request: %v", err)
		}
		first <- res
	}()
	<-waiting
	c.change(testURI, 2, partial(0, 5, 0, 6, "b"))
	if got, err := c.text(testURI); err != nil || got.Version != 2 {
		t.Fatalf("second request: %+v, %v; want version 2 while the first still waits", got, err)
	}
	close(release)
	if got := <-first; got.Version != 1 || got.Text != "FROM a\n" {
		t.Errorf("first request saw %+v, want version 1", got)
	}
}

func TestDiagnosticsFromIndex(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	c.open(testURI, "FROM alpine\nRUNN x\n", 7)
	diags := c.diagnostics(testURI, 7)
	if len(diags) != 1 {
		t.Fatalf("diagnostics = %+v, want one", diags)
	}
	d := diags[0]
	if d.Range.Start != (protocol.Position{Line: 1, Character: 0}) || d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("diagnostic = %+v", d)
	}
	if d.Code != protocol.String(rules.InstructionError) {
		t.Errorf("code = %v, want %s", d.Code, rules.InstructionError)
	}
	c.change(testURI, 8, partial(1, 3, 1, 4, ""))
	if diags := c.diagnostics(testURI, 8); len(diags) != 0 {
		t.Errorf("after the fix: %+v, want none", diags)
	}
}

func TestPublishUnderClientURI(t *testing.T) {
	const spelled = "file:///C:/Work%20Dir/Dockerfile"
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.open(spelled, "FROM a\n", 1)
	c.diagnostics(spelled, 1) // waits for a publish under the exact spelling
	if _, err := c.text(spelled); err != nil {
		t.Errorf("request under the client's spelling: %v", err)
	}
	c.close(spelled)
	c.waitFor("the clearing publish", func() bool {
		p := c.published[len(c.published)-1]
		return p.URI == spelled && p.Version == nil && len(p.Diagnostics) == 0
	})
}

// TestDiagnosticsNeverStale publishes, for every change, a diagnostic whose
// message is the document's text, computed slowly, and checks that what
// the client receives always matches the version it is labelled with and
// that versions never go back.
func TestDiagnosticsNeverStale(t *testing.T) {
	var mu sync.Mutex
	rng, yields := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(5, 6))
	slow := func(ix *analysis.Index, _ *rules.Config) []rules.Diagnostic {
		mu.Lock()
		n := yields.IntN(200)
		mu.Unlock()
		for range n {
			runtime.Gosched() // let changes overtake the run
		}
		return []rules.Diagnostic{{Rule: "Text", Message: ix.Doc.Text()}}
	}
	c := newTestClient(t, withDiagnose(slow))
	c.initialize()
	m := &model{text: "FROM a\n"}
	texts := map[int32]string{1: m.text}
	c.open(testURI, m.text, 1)
	const last = 400
	for v := int32(2); v <= last; v++ {
		c.change(testURI, v, m.randomEdit(rng))
		texts[v] = m.text
		if v%50 == 0 {
			c.settle() // let some publications through mid-stream
		}
	}
	c.diagnostics(testURI, last)
	c.close(testURI)
	c.settle() // anything stale would have arrived now

	pubs := c.publications()
	prev := int32(0)
	for i, p := range pubs {
		if p.Version == nil {
			if i != len(pubs)-1 || len(p.Diagnostics) != 0 {
				t.Errorf("publication %d without a version: %+v", i, p)
			}
			continue
		}
		v := *p.Version
		if v < prev {
			t.Errorf("publication %d is for version %d after version %d", i, v, prev)
		}
		prev = v
		if len(p.Diagnostics) != 1 || string(p.Diagnostics[0].Message.(protocol.String)) != texts[v] {
			t.Errorf("publication %d for version %d does not describe that version", i, v)
		}
	}
	if last := pubs[len(pubs)-1]; last.Version != nil {
		t.Errorf("the last publication is for version %d, not the clearing one", *last.Version)
	}
	if len(pubs) < 9 {
		t.Errorf("only %d publications; want at least one per settled stretch", len(pubs))
	}
}

// TestDiagnosticsCoalesced holds the first run until 19 more changes have
// come: that run's version is stale by then and publishes nothing, and the
// changes during it cost one more run, for the newest version.
func TestDiagnosticsCoalesced(t *testing.T) {
	started, release := make(chan int32, 64), make(chan struct{})
	gate := func(ix *analysis.Index, _ *rules.Config) []rules.Diagnostic {
		v := int32(strings.Count(ix.Doc.Text(), "a"))
		started <- v
		if v == 1 {
			<-release
		}
		return nil
	}
	c := newTestClient(t, withDiagnose(gate))
	c.initialize()
	c.open(testURI, "FROM a\n", 1)
	if v := <-started; v != 1 {
		t.Fatalf("first run for text with %d a's", v)
	}
	for v := int32(2); v <= 20; v++ {
		c.change(testURI, v, partial(0, 6, 0, 6, "a"))
	}
	// Notifications are handled in order, before a later request: once
	// this answer is in, so are the changes.
	_ = c.call("test/settled", nil, nil)
	close(release)
	c.diagnostics(testURI, 20)
	c.settle()
	if v := <-started; v != 20 {
		t.Errorf("second run for text with %d a's, want the newest (20)", v)
	}
	select {
	case v := <-started:
		t.Errorf("a third run, for text with %d a's", v)
	default:
	}
	if pubs := c.publications(); len(pubs) != 1 || *pubs[0].Version != 20 {
		t.Errorf("publications %+v, want one, for version 20", pubs)
	}
}

// TestDiagnosticsLeadingEdge: a change after a quiet spell starts its own
// run, with no timer to wait for, and every version typed apart is
// published.
func TestDiagnosticsLeadingEdge(t *testing.T) {
	started := make(chan struct{}, 8)
	signal := func(ix *analysis.Index, _ *rules.Config) []rules.Diagnostic {
		started <- struct{}{}
		return nil
	}
	c := newTestClient(t, withDiagnose(signal))
	c.initialize()
	c.open(testURI, "FROM a\n", 1)
	<-started
	c.diagnostics(testURI, 1)
	for v := int32(2); v <= 4; v++ {
		c.settle()
		c.change(testURI, v, partial(0, 6, 0, 6, "a"))
		<-started
		c.diagnostics(testURI, v)
	}
	var got []int32
	for _, p := range c.publications() {
		if n := len(got); n == 0 || got[n-1] != *p.Version {
			got = append(got, *p.Version)
		}
	}
	if d := cmp.Diff([]int32{1, 2, 3, 4}, got); d != "" {
		t.Errorf("published versions (-want +got):\n%s", d)
	}
}
