package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.FoldingRangeProvider = protocol.Boolean(true)
	})
}

// FoldingRanges answers textDocument/foldingRange: each stage, each
// instruction over several lines, each heredoc and each comment block, up
// to the client's limit.
func (s *Server) FoldingRanges(ctx context.Context, params *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	_, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return nil, err
	}
	folds := features.Folds(ix)
	if limit := s.options().foldingLimit; limit > 0 && len(folds) > limit {
		folds = folds[:limit]
	}
	out := make([]protocol.FoldingRange, len(folds))
	for i, f := range folds {
		out[i] = protocol.FoldingRange{StartLine: uint32(f.StartLine), EndLine: uint32(f.EndLine), Kind: protocol.FoldingRangeKindRegion}
		if f.Kind == features.FoldComment {
			out[i].Kind = protocol.FoldingRangeKindComment
		}
	}
	return out, nil
}
