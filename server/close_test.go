package server

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"
	"weak"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestCloseFreesDocument opens and closes many large documents: once
// closed, a document's rule cache is garbage, and the heap comes back to
// where it was.
func TestCloseFreesDocument(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	text := testgen.Large(50) // about 1,000 lines
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	var caches []weak.Pointer[rules.Cache]
	for i := range 5 {
		u := fmt.Sprintf("file:///w/%d/Dockerfile", i)
		c.open(u, text, 1)
		c.diagnostics(u, 1)
		snap, ok := c.srv.Snapshot(u)
		if !ok || snap.Rules == nil {
			t.Fatalf("%s: no rule cache", u)
		}
		caches = append(caches, weak.Make(snap.Rules))
		c.close(u)
	}
	c.call("shutdown", nil, nil) // orders every close before it
	after := heap()
	for i := 0; i < 50 && caches[len(caches)-1].Value() != nil; i++ {
		time.Sleep(10 * time.Millisecond)
		heap()
	}
	for i, w := range caches {
		if w.Value() != nil {
			t.Errorf("document %d's rule cache is still reachable after didClose", i)
		}
	}
	t.Logf("heap %d kB before, %d kB after 5 documents of 1,000 lines opened and closed", before>>10, after>>10)
	if after > before+32<<20 {
		t.Errorf("heap grew from %d to %d MB", before>>20, after>>20)
	}
}

// TestLongRequestsStopWhenCancelled calls the requests whose work grows
// with the document with a cancelled context: each stops with the
// context's error instead of finishing its answer.
func TestLongRequestsStopWhenCancelled(t *testing.T) {
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initialize()
	c.open(testURI, testgen.Large(100), 1)
	if _, err := c.text(testURI); err != nil { // the open is served
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	td := protocol.TextDocumentIdentifier{URI: uri.URI(testURI)}
	whole := protocol.Range{End: protocol.Position{Line: 100000}}
	pos := protocol.TextDocumentPositionParams{TextDocument: td, Position: protocol.Position{Line: 5, Character: 18}}
	for name, call := range map[string]func() error{
		"semantic tokens": func() error {
			_, err := c.srv.SemanticTokensFull(ctx, &protocol.SemanticTokensParams{TextDocument: td})
			return err
		},
		"workspace symbols": func() error {
			_, err := c.srv.Symbols(ctx, &protocol.WorkspaceSymbolParams{Query: "stage"})
			return err
		},
		"inlay hints": func() error {
			_, err := c.srv.InlayHint(ctx, &protocol.InlayHintParams{TextDocument: td, Range: whole})
			return err
		},
		"code actions": func() error {
			_, err := c.srv.CodeAction(ctx, &protocol.CodeActionParams{TextDocument: td, Range: whole})
			return err
		},
		"references": func() error {
			_, err := c.srv.References(ctx, &protocol.ReferenceParams{TextDocumentPositionParams: pos})
			return err
		},
	} {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", name, err)
		}
	}
}
