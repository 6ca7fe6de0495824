package server

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestPublishedJoinEqualsMarshal converts every sample file's diagnostics
// through a pubCache, first afresh and then again after an edit on top
// (most taken from the cache), and requires the notification joined from
// the diagnostics marshalled one by one to be, byte for byte, what
// marshalling the whole notification gives, and the diagnostics to be
// toDiagnostic's.
func TestPublishedJoinEqualsMarshal(t *testing.T) {
	corpus := testgen.Sample(t)
	const docURI = "file:///p/Dockerfile"
	joined, taken := 0, 0
	for _, name := range slices.Sorted(maps.Keys(corpus)) {
		doc := analysis.NewDocument(corpus[name])
		cache := &pubCache{}
		for round := range 2 {
			found := rules.Run(analysis.Parse(doc), &rules.Config{})
			before := cache.last
			published, raw := cache.convert(doc, docURI, found, analysis.UTF16)
			var want []protocol.Diagnostic
			for _, d := range found {
				want = append(want, toDiagnostic(doc, docURI, d, analysis.UTF16))
			}
			if len(published) != len(want) {
				t.Fatalf("%s, round %d: %d diagnostics converted, want %d", name, round, len(published), len(want))
			}
			for i := range found {
				c := cache.key
				if e, ok := before[string(diagKey(c[:0], doc, docURI, &found[i], analysis.UTF16))]; ok && &e.raw[0] == &raw[i][0] {
					taken++
				}
			}
			// The whole notification of toDiagnostic's conversion, and the
			// one joined, and the one of the cache's conversion.
			params := &protocol.PublishDiagnosticsParams{URI: uri.URI(docURI), Version: protocol.NewOptional(int32(round + 1)), Diagnostics: want}
			wantMsg, err := protocol.Marshal(params)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := joinPublished(params, raw)
			params.Diagnostics = published
			whole, err := protocol.Marshal(params)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || !bytes.Equal(got, wantMsg) || !bytes.Equal(whole, wantMsg) {
				t.Fatalf("%s, round %d: joined notification differs:\njoined: %s\nwhole:  %s", name, round, got, wantMsg)
			}
			joined++
			// Lines added at the end leave every diagnostic's place: the
			// next round takes them from the cache.
			next, err := doc.Apply(analysis.Edit{Span: analysis.Span{Start: doc.Len(), End: doc.Len()}, Text: "\n# more\n"})
			if err != nil {
				t.Fatal(err)
			}
			doc = next
		}
	}
	want := 100
	if testgen.Race {
		want = 10 // the race run's sample is a tenth of the corpus
	}
	if joined < want || taken < want {
		t.Fatalf("joined %d notifications, taking %d diagnostics from the cache; want at least %d of each", joined, taken, want)
	}
}
