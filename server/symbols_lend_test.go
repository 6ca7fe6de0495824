package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
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
	lentBefore := lentWrites.Load()
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
					delay := time.Duration(rng.IntN(3000)) * time.Microsecond
					cancelled.Go(func() {
						time.Sleep(delay)
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
	// The answers went out as they stand, not copied into a frame buffer.
	if lent := lentWrites.Load() - lentBefore; lent < int64(nAnswered) {
		t.Errorf("only %d of %d answers were written by the stream as they stand", lent, nAnswered)
	}
}

// TestDocumentSymbolKeptWhenNotReleased holds answers handed out but never
// released, as a caller other than the stream gets them, to stay as they
// were while new answers are built: their buffers are never reused. A
// version asked for twice is answered from the cache.
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
		// The same version's answer again: the one cached, handed out again.
		if again, built := cache.answer(snap, ix, analysis.UTF16, true); built || again != res {
			t.Fatalf("answer %d, asked again for the same version, was built anew", i)
		}
		res.release()
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

// TestOutlineCopiedStages edits documents at random, as a person typing
// would and worse (line breaks, continuations, comments, new stages and
// variables, quotes, multi-byte characters, an escape directive, deleted
// runs), and asks for each version's outline through the cache, which
// copies the stages an edit left as they were from the answer before: the
// answer must be byte for byte the one written whole (which
// TestOutlineJSON holds to the protocol's encoding), in every encoding
// and both forms.
func TestOutlineCopiedStages(t *testing.T) {
	files := testgen.Corpus(t)
	names := slices.Sorted(maps.Keys(files))
	inserts := []string{"x", "x", "x", "é", "😀", "\n", "\r\n", "\r", " \\\n", "`\n", "# c\n", "#\n", "FROM a AS b\n", "ARG Q=1\n", "ENV E=\"v\"\n", "\"", "\t", "RUN <<EOF\nx\nEOF\n", "\n\n"}
	rng := rand.New(rand.NewPCG(18, 9))
	checked, copied, largeChecked, largeCopied := 0, 0, 0, 0
	for i, name := range append(names[:0:0], append(names, "large")...) {
		text, steps := testgen.Large(30), 60
		if name != "large" {
			steps = 10
			if i%3 != 0 {
				continue
			}
			text = files[name]
		}
		enc := []analysis.Encoding{analysis.UTF16, analysis.UTF8, analysis.UTF32}[i%3]
		for _, tree := range []bool{true, false} {
			var cache symbolCache
			doc := analysis.NewDocument(text)
			for step := range steps {
				ix := analysis.Parse(doc)
				snap := &Snapshot{URI: "file:///w/Dockerfile", Doc: doc}
				res, built := cache.answer(snap, ix, enc, tree)
				if !built {
					t.Fatalf("%s step %d: a new version's answer came from the cache", name, step)
				}
				if want := appendOutline(nil, snap, ix, enc, tree); !bytes.Equal(res.data, want) {
					k := 0
					for k < min(len(want), len(res.data)) && want[k] == res.data[k] {
						k++
					}
					t.Fatalf("%s (encoding %d, tree %v) step %d: the answer differs from the one written whole at byte %d:\n got %.300s\nwant %.300s\ntext %q",
						name, enc, tree, step, k, res.data[max(0, k-100):], want[max(0, k-100):], doc.Text())
				}
				checked++
				copied += res.copied
				if name == "large" {
					largeChecked++
					largeCopied += res.copied
				}
				res.release()
				// The next version.
				n := doc.Len()
				at := rng.IntN(n + 1)
				if rng.IntN(3) == 0 && n > 0 { // at a line's start or end
					line := doc.LineOf(at)
					at = []int{doc.LineStart(line), doc.LineEnd(line)}[rng.IntN(2)]
				}
				e := analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: inserts[rng.IntN(len(inserts))]}
				const directive = "# escape=`\n" // taken away the next step
				switch {
				case strings.HasPrefix(doc.Text(), directive):
					e = analysis.Edit{Span: analysis.Span{End: len(directive)}}
				case rng.IntN(20) == 0:
					e = analysis.Edit{Text: directive}
				case rng.IntN(6) == 0:
					e.Span.End = min(n, at+1+rng.IntN(10))
					e.Text = ""
				}
				next, err := doc.Apply(e)
				if err != nil {
					t.Fatal(err)
				}
				doc = next
			}
		}
	}
	t.Logf("%d answers compared, %d stages copied; on the 30-stage file %d and %d", checked, copied, largeChecked, largeCopied)
	if checked < 1000 || copied < checked/2 || largeCopied < 4*largeChecked {
		t.Errorf("only %d answers compared, %d stages copied; on the 30-stage file %d and %d", checked, copied, largeChecked, largeCopied)
	}
}

// TestOutlineCopiedEscape changes the escape directive in place, on the
// same lines: the last stage, whose text is as it was, is written again,
// as its last line's detail shows the escape character or not; an edit
// that leaves the escape as it was lets it be copied.
func TestOutlineCopiedEscape(t *testing.T) {
	var cache symbolCache
	text := "# escape=\\\n" + strings.Repeat("FROM a\nRUN x\n", 100) + "FROM b\nRUN y `"
	doc := analysis.NewDocument(text)
	mid := strings.Index(text, "RUN x") + 4 + 14*50
	for step := range 6 {
		ix := analysis.Parse(doc)
		snap := &Snapshot{URI: "file:///w/Dockerfile", Doc: doc}
		res, _ := cache.answer(snap, ix, analysis.UTF16, true)
		if want := appendOutline(nil, snap, ix, analysis.UTF16, true); !bytes.Equal(res.data, want) {
			t.Fatalf("step %d: the answer differs from the one written whole:\n got %.300s\nwant %.300s", step, res.data[len(res.data)-300:], want[len(want)-300:])
		}
		switch {
		case step%2 == 1 && res.copied != 0:
			t.Errorf("step %d, after the escape changed: %d stages copied", step, res.copied)
		case step > 0 && step%2 == 0 && res.copied < 50:
			t.Errorf("step %d, after an edit on line %d: only %d stages copied", step, ix.Doc.LineOf(mid), res.copied)
		}
		res.release()
		e := analysis.Edit{Span: analysis.Span{Start: mid, End: mid + 1}, Text: string("xz"[step/2%2])}
		if step%2 == 0 {
			e = analysis.Edit{Span: analysis.Span{Start: 9, End: 10}, Text: string("`\\"[step/2%2])}
		}
		next, err := doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		doc = next
	}
}

// TestDocumentSymbolForgottenOnClose closes the document whose outline was
// answered last: the answer kept for it and the spare buffer, megabytes on
// a large file, must not outlive it.
func TestDocumentSymbolForgottenOnClose(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	texts, _ := symbolTexts(t, 1, false)
	const u = "file:///w/closed/Dockerfile"
	c.open(u, texts[0], 1)
	for v := range 3 { // a kept answer, then one written in a spare buffer
		c.change(u, int32(v+2), &protocol.TextDocumentContentChangeWholeDocument{Text: texts[0] + strings.Repeat("\n", v+1)})
		params := &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)}}
		var raw jsonrpc2.RawMessage
		if err := protocol.Call(context.Background(), c.conn, protocol.MethodTextDocumentDocumentSymbol, params, &raw); err != nil || len(raw) < 100 {
			t.Fatalf("documentSymbol: %v, %.100s", err, raw)
		}
	}
	kept := func() (bool, int) {
		c.srv.symbols.mu.Lock()
		defer c.srv.symbols.mu.Unlock()
		return c.srv.symbols.res != nil, cap(c.srv.symbols.spare)
	}
	if res, _ := kept(); !res {
		t.Fatal("no answer kept before the close: the test tests nothing")
	}
	c.close(u)
	_ = c.call("test/settled", nil, nil) // answered after the close is handled
	if res, spare := kept(); res || spare > 0 {
		t.Errorf("after didClose: answer kept %v, spare buffer of %d bytes", res, spare)
	}
	// What was let go is counted, for the memory to be given back.
	if lost := c.srv.symbols.dropped(); lost < len(texts[0]) {
		t.Errorf("after didClose: %d bytes counted as let go", lost)
	}
}

// TestSymbolCachePoolConcurrent asks the cache for outlines from several
// goroutines at once, each for its own document (its first answer, then
// new versions), in both forms, holding each answer for a random while,
// as the stream does while it writes the response, before releasing it:
// an answer's bytes must stay as they were built until it is released,
// which fails if a buffer is handed out to two answers at once or reused
// before the answer holding it is released (and under the race detector,
// if it is written while read).
func TestSymbolCachePoolConcurrent(t *testing.T) {
	texts, _ := symbolTexts(t, 5, true)
	var cache symbolCache
	const workers = 4
	rounds := 40
	if raceEnabled {
		rounds = 15
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for r := range rounds {
				u := fmt.Sprintf("file:///w/%d/%d/Dockerfile", w, r/4) // a new document every fourth round
				ix := analysis.Parse(analysis.NewDocument(texts[rng.IntN(len(texts))]))
				snap := &Snapshot{URI: u, Doc: ix.Doc}
				tree := rng.IntN(3) > 0
				res, _ := cache.answer(snap, ix, analysis.UTF16, tree)
				held := bytes.Clone(res.data)
				if want := appendOutline(nil, snap, ix, analysis.UTF16, tree); !bytes.Equal(held, want) {
					errs <- fmt.Errorf("worker %d round %d: the answer differs from the outline", w, r)
				}
				time.Sleep(time.Duration(rng.IntN(500)) * time.Microsecond)
				if !bytes.Equal(res.data, held) {
					errs <- fmt.Errorf("worker %d round %d: the answer changed before it was released", w, r)
				}
				res.release()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if cache.reused < workers*rounds/4 {
		t.Errorf("only %d of %d answers were written in a reused buffer", cache.reused, workers*rounds)
	}
}

// TestDocumentSymbolFirstAnswerInSpare asks for a document's outline over
// one or several versions, then for another document's, as large: that
// first answer is written in the buffer of one of the first document's
// (which one depends on the number of versions; after one version, the
// buffer of the answer cached, which the new one replaces), not in a new
// one; and so is the answer after a keystroke in the second document,
// when the first document's answers used two buffers.
func TestDocumentSymbolFirstAnswerInSpare(t *testing.T) {
	text := testgen.Large(60)
	for _, tree := range []bool{true, false} {
		for versions := 1; versions <= 5; versions++ {
			var cache symbolCache
			doc := analysis.NewDocument(text)
			for v := range versions {
				ix := analysis.Parse(doc)
				res, _ := cache.answer(&Snapshot{URI: "file:///w/a/Dockerfile", Doc: doc}, ix, analysis.UTF16, tree)
				res.release()
				next, err := doc.Apply(analysis.Edit{Span: analysis.Span{Start: doc.Len() / 2, End: doc.Len() / 2}, Text: strings.Repeat("x", v+1)})
				if err != nil {
					t.Fatal(err)
				}
				doc = next
			}
			ix := analysis.Parse(analysis.NewDocument(text))
			reused := cache.reused
			res, _ := cache.answer(&Snapshot{URI: "file:///w/b/Dockerfile", Doc: ix.Doc}, ix, analysis.UTF16, tree)
			res.release()
			if cache.reused != reused+1 {
				t.Errorf("tree %v, after %d versions of another document: the first answer was written in a new buffer", tree, versions)
			}
			// A keystroke in the second document: its answer copies from
			// the one before, and is written in the first document's
			// other buffer, when it had two.
			typed, err := ix.Doc.Apply(analysis.Edit{Span: analysis.Span{Start: 10, End: 10}, Text: "x"})
			if err != nil {
				t.Fatal(err)
			}
			reused = cache.reused
			ix = analysis.Parse(typed)
			res, _ = cache.answer(&Snapshot{URI: "file:///w/b/Dockerfile", Doc: typed}, ix, analysis.UTF16, tree)
			res.release()
			if versions > 1 && cache.reused != reused+1 {
				t.Errorf("tree %v, after %d versions of another document: the second answer was written in a new buffer", tree, versions)
			}
		}
	}
}
