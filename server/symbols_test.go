package server

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestOutlineJSON holds the outline's JSON, written straight from the
// outline, to the protocol's encoding of the answer as the server built it
// before (a tree of protocol.DocumentSymbol, or a flat
// protocol.SymbolInformationSlice, kept below as the oracle), byte for
// byte: every corpus file, a generated one, an empty one and names that
// need escaping, in every position encoding, in both forms, and through
// codec, which writes the answer on the wire.
func TestOutlineJSON(t *testing.T) {
	files := testgen.Corpus(t)
	files["large"] = testgen.Large(40)
	files["empty"] = ""
	files["comment only"] = "# nothing\n"
	files["escapes"] = "FROM a AS \"q\\\\\nRUN echo \"é\t\x01\xff\" \\\\ 😀 \u2028 \u2029 \x7f\nENV A=\"<&>\" B=\u2028\nARG C=\xff\n"
	uris := []string{"file:///w/Dockerfile", "file:///w/a%20b/\"q\"\\é.Dockerfile"}
	compared := 0
	for name, text := range files {
		ix := analysis.Parse(analysis.NewDocument(text))
		for _, enc := range []analysis.Encoding{analysis.UTF16, analysis.UTF8, analysis.UTF32} {
			for _, tree := range []bool{true, false} {
				snap := &Snapshot{URI: uris[compared%len(uris)], Doc: ix.Doc}
				want, err := protocol.Marshal(oracleSymbols(snap, ix, enc, tree))
				if err != nil {
					t.Fatal(err)
				}
				got, err := codec{}.Marshal(&symbolsJSON{data: appendOutline(nil, snap, ix, enc, tree)})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(want, got) {
					k := 0
					for k < min(len(got), len(want)) && got[k] == want[k] {
						k++
					}
					t.Errorf("%s (encoding %d, tree %v): outline JSON differs from the protocol's at byte %d:\n got %.300s\nwant %.300s",
						name, enc, tree, k, got[max(0, k-100):], want[max(0, k-100):])
				}
				compared++
			}
		}
	}
	if compared < 6*300 {
		t.Errorf("only %d outlines compared", compared)
	}
}

// oracleSymbols is the answer as the server built it before writing JSON
// directly: the protocol's tree, or its flat list.
func oracleSymbols(snap *Snapshot, ix *analysis.Index, enc analysis.Encoding, tree bool) protocol.DocumentSymbolResult {
	syms := features.Symbols(ix)
	if tree {
		return protocol.DocumentSymbolSlice(oracleTree(snap.Doc, syms, enc))
	}
	var flat protocol.SymbolInformationSlice
	var walk func([]features.Symbol, string)
	walk = func(syms []features.Symbol, container string) {
		for _, sym := range syms {
			info := protocol.SymbolInformation{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: sym.Name, Kind: symbolKinds[sym.Kind]},
				Location:              protocol.Location{URI: uri.URI(snap.URI), Range: toRange(snap.Doc, sym.Span, enc)},
			}
			if container != "" {
				info.ContainerName = &container
			}
			flat = append(flat, info)
			walk(sym.Children, sym.Name)
		}
	}
	walk(syms, "")
	return flat
}

func oracleTree(doc *analysis.Document, syms []features.Symbol, enc analysis.Encoding) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, len(syms))
	for i := range syms {
		sym := &syms[i]
		ds := protocol.DocumentSymbol{
			Name:           sym.Name,
			Kind:           symbolKinds[sym.Kind],
			Range:          toRange(doc, sym.Span, enc),
			SelectionRange: toRange(doc, sym.NameSpan, enc),
		}
		if sym.Detail != "" {
			ds.Detail = &sym.Detail
		}
		if len(sym.Children) > 0 {
			ds.Children = oracleTree(doc, sym.Children, enc)
		}
		out[i] = ds
	}
	return out
}

// BenchmarkDocumentSymbolAnswer builds the JSON answer to documentSymbol
// for a new version of the generated 19,000-line file, in both forms, as
// the handler does while a person types on a line in the middle (or
// breaks it, enter-): through
// the cache, from the answer for the version before (whose unchanged
// stages are copied), in the buffer of an earlier answer, released as the
// stream releases it once its response is written. For comparison: the
// whole answer written in a new buffer (fresh-), as for a document's first
// answer, and the protocol's tree and list encoded by the protocol's
// encoder (the oracle of TestOutlineJSON; the list is how the server
// answered before).
func BenchmarkDocumentSymbolAnswer(b *testing.B) {
	ix := analysis.Parse(analysis.NewDocument(testgen.Large(905)))
	snap := &Snapshot{URI: "file:///w/Dockerfile", Doc: ix.Doc}
	// Two versions, a character typed on a line in the middle between
	// them: each answer is for the other version than the one before.
	type version struct {
		snap *Snapshot
		ix   *analysis.Index
	}
	typing := func(text string) []version {
		at := ix.Doc.LineEnd(ix.Doc.LineCount() / 2)
		typed, err := ix.Doc.Apply(analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: text})
		if err != nil {
			b.Fatal(err)
		}
		return []version{{snap, ix}, {&Snapshot{URI: snap.URI, Doc: typed}, analysis.Parse(typed)}}
	}
	typed, entered := typing("x"), typing("\n")
	var cache symbolCache
	handler := func(versions []version, tree bool) func() ([]byte, error) {
		i := 0
		return func() ([]byte, error) {
			i++
			v := versions[i%len(versions)]
			res, built := cache.answer(v.snap, v.ix, analysis.UTF16, tree)
			if !built {
				return nil, errors.New("a new version's answer came from the cache")
			}
			res.release() // the response is written
			return nil, nil
		}
	}
	// A document's first answer through the handler's path: two documents
	// alternate, so nothing is copied from an answer for the version
	// before, but the buffer of the other document's answer is written in.
	first := []version{{snap, ix}, {&Snapshot{URI: "file:///w/other/Dockerfile", Doc: ix.Doc}, ix}}
	for _, bc := range []struct {
		name   string
		answer func() ([]byte, error)
	}{
		{"first-tree", handler(first, true)},
		{"first-flat", handler(first, false)},
		{"tree", handler(typed, true)},
		{"flat", handler(typed, false)},
		{"enter-tree", handler(entered, true)}, // a line break typed: the lines after move
		{"enter-flat", handler(entered, false)},
		{"fresh-tree", func() ([]byte, error) { return outlineJSON(snap, ix, analysis.UTF16, true, 0), nil }},
		{"fresh-flat", func() ([]byte, error) { return outlineJSON(snap, ix, analysis.UTF16, false, 0), nil }},
		{"protocol-tree", func() ([]byte, error) { return protocol.Marshal(oracleSymbols(snap, ix, analysis.UTF16, true)) }},
		{"protocol-flat", func() ([]byte, error) { return protocol.Marshal(oracleSymbols(snap, ix, analysis.UTF16, false)) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := testgen.CPUTime()
			for b.Loop() {
				if _, err := bc.answer(); err != nil {
					b.Fatal(err)
				}
			}
			testgen.ReportCPU(b, cpu)
		})
	}
}

// TestAppendInt holds appendInt to strconv, for every number below
// 200,000 and some larger or negative.
func TestAppendInt(t *testing.T) {
	ns := []int{1<<31 - 1, 1 << 40, 1<<63 - 1, -1, -12}
	for n := range 200_000 {
		ns = append(ns, n)
	}
	for _, n := range ns {
		if got, want := string(appendInt([]byte("x"), n)), "x"+strconv.Itoa(n); got != want {
			t.Errorf("appendInt(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestPlain8 holds plain8 to the byte table jsonPlain: every byte value at
// every place of a word, and random words.
func TestPlain8(t *testing.T) {
	check := func(w []byte) {
		want := true
		for _, c := range w {
			want = want && jsonPlain[c]
		}
		if got := plain8(string(w)); got != want {
			t.Fatalf("plain8(%q) = %v, want %v", w, got, want)
		}
	}
	for c := range 256 {
		for at := range 8 {
			for _, fill := range []byte{'a', 0x20, 0x7e, 0xff, 0x00} {
				w := bytes.Repeat([]byte{fill}, 8)
				w[at] = byte(c)
				check(w)
			}
		}
	}
	r := rand.New(rand.NewPCG(18, 5))
	for range 200_000 {
		var w [8]byte
		for i := range w {
			w[i] = byte(0x1e + r.IntN(0x64)) // mostly plain, some not
		}
		check(w[:])
	}
}
