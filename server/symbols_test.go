package server

import (
	"bytes"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestDocumentSymbolsJSON holds the outline's own encoder to the
// protocol's, byte for byte, over every corpus file, a generated one and
// names that need escaping.
func TestDocumentSymbolsJSON(t *testing.T) {
	files := testgen.Corpus(t)
	files["large"] = testgen.Large(40)
	files["escapes"] = "FROM a AS \"q\\\\\nRUN echo \"é\t\x01\xff\" \\\\ 😀 \u2028 \u2029 \x7f\nENV A=\"<&>\" B=\u2028\nARG C=\xff\n"
	compared := 0
	for name, text := range files {
		ix := analysis.Parse(analysis.NewDocument(text))
		for _, enc := range []analysis.Encoding{analysis.UTF16, analysis.UTF8} {
			syms := protocol.DocumentSymbolSlice(documentSymbols(ix.Doc.Cursor(enc), ix.Symbols()))
			want, err := protocol.Marshal(syms)
			if err != nil {
				t.Fatal(err)
			}
			got, err := codec{}.Marshal(syms)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s: outline JSON differs from the protocol's:\n got %.300s\nwant %.300s", name, got, want)
			}
			compared++
		}
	}
	if compared < 2*300 {
		t.Errorf("only %d outlines compared", compared)
	}
	deprecated := true
	odd := protocol.DocumentSymbolSlice{{Name: "x", Deprecated: &deprecated, Tags: []protocol.SymbolTag{protocol.SymbolTagDeprecated}}}
	want, _ := protocol.Marshal(odd)
	if got, _ := (codec{}).Marshal(odd); !bytes.Equal(want, got) {
		t.Errorf("tagged symbol: %s, want %s", got, want)
	}
}

// BenchmarkDocumentSymbolAnswer builds and encodes the outline of the
// generated 19,000-line file, as documentSymbol does for a new version:
// with the server's encoder, and with the protocol's for comparison.
func BenchmarkDocumentSymbolAnswer(b *testing.B) {
	ix := analysis.Parse(analysis.NewDocument(testgen.Large(905)))
	for _, enc := range []struct {
		name    string
		marshal func(any) ([]byte, error)
	}{{"server-encoder", codec{}.Marshal}, {"protocol-encoder", protocol.Marshal}} {
		b.Run(enc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuNow()
			for b.Loop() {
				syms := protocol.DocumentSymbolSlice(documentSymbols(ix.Doc.Cursor(analysis.UTF16), ix.Symbols()))
				if _, err := enc.marshal(syms); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
