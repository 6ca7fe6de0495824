package server

import (
	"context"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/stagehand-ls/stagehand/analysis"
)

// DidOpen stores the document and schedules its diagnostics.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	if _, ok := s.docs.get(td.URI); ok {
		s.log.Warn("didOpen for a document already open; replacing it", zap.String("uri", string(td.URI)))
	}
	snap := &Snapshot{
		URI:     sentURIFrom(ctx, string(td.URI)),
		Version: td.Version,
		Index:   s.parse(analysis.NewDocument(td.Text)),
	}
	s.docs.set(td.URI, snap)
	s.scheduleDiagnostics(td.URI)
	return nil
}

// DidChange applies the content changes in order. Each ranged change is
// converted with the negotiated encoding and applied incrementally; a
// whole-document change re-parses.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	u := params.TextDocument.URI
	snap, ok := s.docs.get(u)
	if !ok {
		s.log.Warn("didChange for a document that is not open; ignoring it", zap.String("uri", string(u)))
		return nil
	}
	if params.TextDocument.Version <= snap.Version {
		s.log.Warn("didChange version does not increase", zap.String("uri", string(u)),
			zap.Int32("from", snap.Version), zap.Int32("to", params.TextDocument.Version))
	}
	enc := s.encoding()
	ix := snap.Index
	for i, change := range params.ContentChanges {
		switch c := change.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			ix = s.parse(analysis.NewDocument(c.Text))
		case *protocol.TextDocumentContentChangePartial:
			span, clamped := fromRange(ix.Doc, c.Range, enc)
			if clamped {
				s.log.Warn("change range outside the document; clamped", zap.String("uri", string(u)),
					zap.Int32("version", params.TextDocument.Version), zap.Int("change", i),
					zap.Uint32("startLine", c.Range.Start.Line), zap.Uint32("startChar", c.Range.Start.Character),
					zap.Uint32("endLine", c.Range.End.Line), zap.Uint32("endChar", c.Range.End.Character))
			}
			ix = s.update(ix, analysis.Edit{Span: span, Text: c.Text})
		default:
			s.log.Warn("unknown content change; ignoring it", zap.String("uri", string(u)), zap.Int("change", i))
		}
	}
	s.docs.set(u, &Snapshot{URI: snap.URI, Version: params.TextDocument.Version, Index: ix})
	s.scheduleDiagnostics(u)
	return nil
}

// DidClose forgets the document and clears its diagnostics.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	u := params.TextDocument.URI
	snap, ok := s.docs.get(u)
	if !ok {
		s.log.Warn("didClose for a document that is not open", zap.String("uri", string(u)))
		return nil
	}
	s.docs.set(u, nil)
	s.clearDiagnostics(u, snap.URI)
	return nil
}

// DidSave needs nothing: the server reads the editor's buffer, not the disk.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	return nil
}

// parse indexes doc. A panic in the analysis is logged and gives an empty
// index, so that the stored text stays in step with the client's.
func (s *Server) parse(doc *analysis.Document) (ix *analysis.Index) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("analysis.Parse panicked", zap.Any("panic", r), zap.Stack("stack"))
			ix = &analysis.Index{Doc: doc, Escape: '\\'}
		}
	}()
	return analysis.Parse(doc)
}

// update applies e to ix's document and updates the index, falling back to
// a full parse when the incremental update fails.
func (s *Server) update(ix *analysis.Index, e analysis.Edit) (next *analysis.Index) {
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		// fromRange clamps, so this is a bug; keep the old text rather than crash.
		s.log.Error("applying change", zap.Error(err))
		return ix
	}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("analysis.Index.Update panicked; re-parsing", zap.Any("panic", r), zap.Stack("stack"))
			next = s.parse(doc)
		}
	}()
	return ix.Update(doc, e)
}
