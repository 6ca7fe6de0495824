package server

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		if s.pullMode() {
			caps.DiagnosticProvider = &protocol.DiagnosticOptions{Identifier: ptr("stagehand")}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// pullMode reports whether the client pulls diagnostics; the server then
// publishes none.
func (s *Server) pullMode() bool { return s.options().pullDiagnostics }

// Diagnostic answers textDocument/diagnostic with the diagnostics of the
// document as the request sees it. The result id names the version and the
// inputs besides the text (settings, workspace), so an unchanged document is answered "unchanged".
func (s *Server) Diagnostic(ctx context.Context, params *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	snap, err := s.snapshot(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	set := s.diagnostics(snap)
	id := fmt.Sprintf("%d/%d", snap.Version, set.inputs)
	if params.PreviousResultID != nil && *params.PreviousResultID == id {
		return &protocol.RelatedUnchangedDocumentDiagnosticReport{
			UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{Kind: "unchanged", ResultID: id},
		}, nil
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", ResultID: &id, Items: set.published},
	}, nil
}
