package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.DocumentHighlightProvider = protocol.Boolean(true)
	})
}

// DocumentHighlight answers textDocument/documentHighlight: every place the
// stage or variable under the cursor is named, Write where it is declared
// and Read where it is used.
func (s *Server) DocumentHighlight(ctx context.Context, params *protocol.DocumentHighlightParams) ([]protocol.DocumentHighlight, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil || p.ix == nil {
		return nil, err
	}
	occ, err := features.ReferencesIn(ctx, p.ix, p.off, true, s.buildSpecs(string(p.uri)))
	if err != nil || len(occ) == 0 {
		return nil, err
	}
	out := make([]protocol.DocumentHighlight, len(occ))
	for i, o := range occ {
		if err := ctx.Err(); err != nil {
			return nil, err // cancelled: send nothing
		}
		kind := protocol.DocumentHighlightKindRead
		if o.Decl {
			kind = protocol.DocumentHighlightKindWrite
		}
		out[i] = protocol.DocumentHighlight{Range: toRange(p.doc, o.Span, p.enc), Kind: kind}
	}
	return out, nil
}
