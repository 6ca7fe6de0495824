package server

import (
	"math"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
)

// TestLowerVersionStillPublished: a change whose version is lower than one
// before it (a client that restarts its count, or one message with the
// highest int32) is applied, and its diagnostics are published: they were
// computed and dropped as older than the last published, so the document
// was blind until a version passed that one (never, after 2^31-1), while
// the editor showed the old text's findings.
func TestLowerVersionStillPublished(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	df := "file:///w/Dockerfile"
	c.open(df, "FROM alpine AS a\n", 1)
	c.diagnostics(df, 1)
	c.change(df, math.MaxInt32, &protocol.TextDocumentContentChangeWholeDocument{Text: "FROM alpine\n"})
	c.diagnostics(df, math.MaxInt32)
	c.change(df, 3, &protocol.TextDocumentContentChangeWholeDocument{Text: "FROM alpine AS one\nFROM alpine\n"})
	c.settle()
	pubs := c.publications()
	i := slices.IndexFunc(pubs, func(p published) bool { return p.URI == df && p.Version != nil && *p.Version == 3 })
	if i < 0 {
		t.Fatalf("no diagnostics published for version 3 after version %d", math.MaxInt32)
	}
	if !slices.ContainsFunc(pubs[i].Diagnostics, func(d protocol.Diagnostic) bool { return d.Code == protocol.String("UnusedStage") }) {
		t.Errorf("version 3's diagnostics lack its unused stage: %v", pubs[i].Diagnostics)
	}
}
