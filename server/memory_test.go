package server

import (
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// forcedCollections is how many collections the process has forced
// (debug.FreeOSMemory among them).
func forcedCollections() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestMemoryReturnedAfterLargeRequestsOnly types into a 19,000-line file
// as an editor does, asking after each keystroke for the outline and the
// full semantic tokens, and checks the one memory policy
// (returnMemoryAfter): none of these small requests, nor the keystrokes'
// incremental diagnostics runs, schedules a return of memory (a forced
// full collection), while a request that allocates megabytes (the first
// diagnostics run over the whole file, a FROM renamed) still does, and the
// collection happens.
func TestMemoryReturnedAfterLargeRequestsOnly(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // whatever fitMemory sets, restored
	yes := true
	c := newTestClient(t)
	c.initializeWith(protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		DocumentSymbol: &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &yes},
	}})
	text := testgen.Large(905)
	if len(text) <= largeDocument {
		t.Fatalf("text of %d bytes is not a large document", len(text))
	}
	lines := strings.Split(text, "\n")
	line := len(lines) / 2
	for !strings.HasPrefix(lines[line], "RUN ") {
		line++
	}
	const u = "file:///w/Dockerfile"
	c.open(u, text, 1)
	c.diagnostics(u, 1)
	c.settle()
	// The first run read the whole file: memory is to be returned.
	if !c.srv.freeing.Load() {
		t.Fatalf("no return of memory after the first diagnostics run over %d lines", len(lines))
	}
	idle := func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for c.srv.freeing.Load() {
			if time.Now().After(deadline) {
				t.Fatal("memory still being returned after 5 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	ask := func() {
		t.Helper()
		var syms []any
		if err := c.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms); err != nil || len(syms) == 0 {
			t.Fatalf("documentSymbol: %d entries, %v", len(syms), err)
		}
		var toks protocol.SemanticTokens
		if err := c.call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &toks); err != nil || len(toks.Data) == 0 {
			t.Fatalf("semanticTokens/full: %d numbers, %v", len(toks.Data), err)
		}
	}
	ask() // the outline's first answer allocates its buffer
	idle()
	version := int32(1)
	for k := range 12 {
		version++
		end := uint32(len(lines[line]))
		ch := partial(uint32(line), end, uint32(line), end, " x")
		if k%2 == 1 {
			ch = partial(uint32(line), end-2, uint32(line), end, "")
		}
		lines[line] = lines[line] + " x"
		if k%2 == 1 {
			lines[line] = lines[line][:len(lines[line])-4]
		}
		c.change(u, version, ch)
		c.diagnostics(u, version)
		c.settle()
		ask()
		if c.srv.freeing.Load() {
			t.Fatalf("keystroke %d: a return of memory (a forced collection) was scheduled after a keystroke's requests", k)
		}
	}

	// A FROM renamed: the diagnostics run reads the whole file again, and
	// memory is returned.
	from := 0
	for !strings.HasPrefix(lines[from], "FROM ") {
		from++
	}
	forced := forcedCollections()
	version++
	c.change(u, version, partial(uint32(from), 0, uint32(from), uint32(len(lines[from])), "FROM alpine:3.20 AS renamed"))
	c.diagnostics(u, version)
	c.settle()
	deadline := time.Now().Add(5 * time.Second)
	for forcedCollections() == forced {
		if time.Now().After(deadline) {
			t.Fatalf("no forced collection after a FROM rename's run over the whole file (return scheduled: %v)", c.srv.freeing.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
