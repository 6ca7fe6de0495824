package server

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
	})
}

// DocumentLink answers textDocument/documentLink: FROM bases link to their
// registry pages, built from the reference without any look-up.
func (s *Server) DocumentLink(ctx context.Context, params *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return nil, err
	}
	enc := s.encoding()
	links := features.Links(ix)
	out := make([]protocol.DocumentLink, 0, len(links))
	for _, l := range links {
		target := uri.URI(l.Target)
		tooltip := l.Tooltip
		out = append(out, protocol.DocumentLink{Range: toRange(snap.Doc, l.Span, enc), Target: &target, Tooltip: &tooltip})
	}
	return out, nil
}
