package server

import (
	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
)

// This file is the one place where the server converts between the
// analysis package's byte offsets and protocol positions, which count
// columns in the negotiated encoding.

// toPosition converts a byte offset in doc to a protocol position.
func toPosition(doc *analysis.Document, off int, enc analysis.Encoding) protocol.Position {
	p := doc.Position(off, enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Col)}
}

// toRange converts a span of doc to a protocol range.
func toRange(doc *analysis.Document, sp analysis.Span, enc analysis.Encoding) protocol.Range {
	return protocol.Range{Start: toPosition(doc, sp.Start, enc), End: toPosition(doc, sp.End, enc)}
}

// toTextEdits converts edits of doc to protocol text edits.
func toTextEdits(doc *analysis.Document, edits []analysis.Edit, enc analysis.Encoding) []protocol.TextEdit {
	out := make([]protocol.TextEdit, len(edits))
	for i, e := range edits {
		out[i] = protocol.TextEdit{Range: toRange(doc, e.Span, enc), NewText: e.Text}
	}
	return out
}

// fromPosition converts a protocol position to a byte offset in doc.
// Positions past the end of a line or of the document are clamped, as the
// protocol asks; clamped reports whether that happened.
func fromPosition(doc *analysis.Document, p protocol.Position, enc analysis.Encoding) (off int, clamped bool) {
	return doc.Offset(fromProtocol(p), enc)
}

// fromProtocol converts a protocol position to the core's, which counts
// columns in the same encoding.
func fromProtocol(p protocol.Position) analysis.Position {
	return analysis.Position{Line: int(p.Line), Col: int(p.Character)}
}

// fromRange converts a protocol range to a span of doc, clamping as
// fromPosition does; an end before the start is taken as the start.
func fromRange(doc *analysis.Document, r protocol.Range, enc analysis.Encoding) (sp analysis.Span, clamped bool) {
	start, c1 := fromPosition(doc, r.Start, enc)
	end, c2 := fromPosition(doc, r.End, enc)
	if end < start {
		end, c2 = start, true
	}
	return analysis.Span{Start: start, End: end}, c1 || c2
}
