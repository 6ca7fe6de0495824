package server

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		yes := true
		caps.RenameProvider = &protocol.RenameOptions{PrepareProvider: &yes}
	})
}

// PrepareRename answers textDocument/prepareRename with the name under the
// cursor, or an error that says why nothing there can be renamed.
func (s *Server) PrepareRename(ctx context.Context, params *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil || p.ix == nil {
		return nil, err
	}
	sp, name, err := p.ix.PrepareRename(p.off)
	if err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	return &protocol.PrepareRenamePlaceholder{Range: toRange(p.doc, sp, p.enc), Placeholder: name}, nil
}

// Rename answers textDocument/rename for a stage or a variable: every
// reference is rewritten, or an error says why the new name cannot be
// used. The edit is versioned when the client takes documentChanges.
func (s *Server) Rename(ctx context.Context, params *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil {
		return nil, err
	}
	if p.ix == nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, "the document is still being analysed; try again")
	}
	edits, err := p.ix.Rename(p.off, params.NewName)
	if err != nil {
		return nil, jsonrpc2.NewError(codeRequestFailed, err.Error())
	}
	tes := make([]protocol.TextEdit, len(edits))
	for i, e := range edits {
		tes[i] = protocol.TextEdit{Range: toRange(p.doc, e.Span, p.enc), NewText: e.Text}
	}
	if !s.documentChanges() {
		return &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{p.uri: tes}}, nil
	}
	elems := make([]protocol.TextDocumentEditElement, len(tes))
	for i := range tes {
		elems[i] = &tes[i]
	}
	version := p.snap.Version
	return &protocol.WorkspaceEdit{DocumentChanges: []protocol.DocumentChange{&protocol.TextDocumentEdit{
		TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
			TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: p.uri},
			Version:                &version,
		},
		Edits: elems,
	}}}, nil
}

// documentChanges reports whether the client takes versioned document
// edits in a WorkspaceEdit.
func (s *Server) documentChanges() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.caps.Workspace
	return w != nil && w.WorkspaceEdit != nil && w.WorkspaceEdit.DocumentChanges != nil && *w.WorkspaceEdit.DocumentChanges
}
