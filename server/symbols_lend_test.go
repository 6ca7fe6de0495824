package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// symbolTexts returns n different Dockerfiles, of different sizes, and the
// outline each should be answered with in form tree, as the protocol's
// encoder writes it (the oracle of TestOutlineJSON).
func symbolTexts(t *testing.T, n int, tree bool) (texts []string, want map[string][]byte) {
	t.Helper()
	want = map[string][]byte{}
	for i := range n {
		text := testgen.Large(3+i) + fmt.Sprintf("# text %d\nFROM scratch AS last%d\nENV K%d=%d\n", i, i, i, i)
		ix := analysis.Parse(analysis.NewDocument(text))
		b, err := protocol.Marshal(oracleSymbols(&Snapshot{URI: "file:///w/any", Doc: ix.Doc}, ix, analysis.UTF16, tree))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text)
		want[text] = b
	}
	return texts, want
}

// TestDocumentSymbolReusedBuffers asks for the outlines of several
// documents at once, over the JSON-RPC wiring, each document edited to a
// new text before each request and some requests cancelled at a random
// moment: the server writes each new answer in the buffer of one whose
// response was written (symbolCache, stream.lend), and every answer that
// arrives must be its text's outline, byte for byte. Under the race
// detector this also checks that no buffer is written while a response
// that carries it is being sent.
func TestDocumentSymbolReusedBuffers(t *testing.T) {
	yes := true
	c := newTestClient(t)
	c.initializeWith(protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		DocumentSymbol: &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &yes},
	}})
	texts, want := symbolTexts(t, 7, true)
	const workers = 4
	rounds := 30
	if raceEnabled {
		rounds = 12
	}
	var answered, cancelled sync.WaitGroup
	var mu sync.Mutex
	nAnswered, nCancelled := 0, 0
	errs := make(chan error, workers*rounds)
	for w := range workers {
		u := fmt.Sprintf("file:///w/%d/Dockerfile", w)
		c.open(u, texts[w], 1)
		answered.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 18))
			for r := range rounds {
				text := texts[rng.IntN(len(texts))]
				c.change(u, int32(r+2), &protocol.TextDocumentContentChangeWholeDocument{Text: text})
				ctx, cancel := context.WithCancel(context.Background())
				if r%3 == 2 {
					// Cancelled at a random moment: before, while or after
					// the answer is written.
					cancelled.Go(func() {
						time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
						cancel()
					})
				}
				var raw jsonrpc2.RawMessage
				params := &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)}}
				err := protocol.Call(ctx, c.conn, protocol.MethodTextDocumentDocumentSymbol, params, &raw)
				cancel()
				switch {
				case err != nil && (errors.Is(err, context.Canceled) || code(err) == protocol.CodeRequestCancelled):
					mu.Lock()
					nCancelled++
					mu.Unlock()
				case err != nil:
					errs <- fmt.Errorf("%s round %d: %v", u, r, err)
				case !bytes.Equal(raw, want[text]):
					errs <- fmt.Errorf("%s round %d: the outline differs from its text's:\n got %.200s\nwant %.200s", u, r, raw, want[text])
				default:
					mu.Lock()
					nAnswered++
					mu.Unlock()
				}
			}
		})
	}
	answered.Wait()
	cancelled.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c.srv.symbols.mu.Lock()
	reused := c.srv.symbols.reused
	c.srv.symbols.mu.Unlock()
	t.Logf("%d answers compared, %d cancelled, %d written in a reused buffer", nAnswered, nCancelled, reused)
	if nAnswered < workers*rounds/2 {
		t.Errorf("only %d of %d requests answered", nAnswered, workers*rounds)
	}
	if reused < nAnswered/4 {
		t.Errorf("only %d of %d answers were written in a reused buffer", reused, nAnswered)
	}
}

// TestDocumentSymbolKeptWhenNotReleased holds answers handed out but never
// released, as a caller other than the stream gets them, to stay as they
// were while new answers are built: their buffers are never reused.
func TestDocumentSymbolKeptWhenNotReleased(t *testing.T) {
	texts, _ := symbolTexts(t, 3, true)
	var cache symbolCache
	var kept []*symbolsJSON
	var copies [][]byte
	for i := range 12 {
		ix := analysis.Parse(analysis.NewDocument(texts[i%len(texts)]))
		snap := &Snapshot{URI: "file:///w/Dockerfile", Doc: ix.Doc}
		res, built := cache.answer(snap, ix, analysis.UTF16, true)
		if !built {
			t.Fatalf("answer %d came from the cache", i)
		}
		if i%2 == 0 {
			kept = append(kept, res)
			copies = append(copies, bytes.Clone(res.data))
		} else {
			res.release()
		}
	}
	for i, res := range kept {
		if !bytes.Equal(res.data, copies[i]) {
			t.Errorf("answer %d, never released, changed", 2*i)
		}
	}
	if cache.reused == 0 {
		t.Errorf("no buffer was reused: the released answers' buffers should have been")
	}
}

// TestDocumentSymbolAfterBatch sends outline requests in a batch, then one
// by one while the documents change: after a batch nothing is lent (its
// responses are written together, not as each handler returns), and
// every answer is its document's outline.
func TestDocumentSymbolAfterBatch(t *testing.T) {
	c := newRawClient(t, withTextMethod(nil, nil))
	c.initialize()
	texts, want := symbolTexts(t, 4, false)
	flat := func(text, u string) []byte {
		// The flat form names the URI: the oracle's was file:///w/any.
		return bytes.ReplaceAll(want[text], []byte(`"file:///w/any"`), []byte(`"`+u+`"`))
	}
	uris := []string{"file:///w/a/Dockerfile", "file:///w/b/Dockerfile"}
	for i, u := range uris {
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "dockerfile", "version": 1, "text": texts[i]}})
	}
	c.text(uris[1]) // both are open
	var batch []string
	for i, u := range uris {
		batch = append(batch, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":%q}}}`, 1+i, u))
	}
	c.send(frame("[" + strings.Join(batch, ",") + "]"))
	for i, u := range uris {
		m, ok := c.await(fmt.Sprint(1 + i))
		if !ok {
			t.Fatalf("no answer to the batch's request %d", 1+i)
		}
		if !bytes.Equal(m.Result, flat(texts[i], u)) {
			t.Errorf("batch answer for %s differs:\n got %.200s", u, m.Result)
		}
	}
	for r := range 8 {
		u, text := uris[r%2], texts[(r+2)%len(texts)]
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": u, "version": r + 2},
			"contentChanges": []map[string]any{{"text": text}},
		})
		m := c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": u}})
		if !bytes.Equal(m.Result, flat(text, u)) {
			t.Errorf("round %d: answer for %s differs:\n got %.200s", r, u, m.Result)
		}
	}
}
