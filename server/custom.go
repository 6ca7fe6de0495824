package server

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Request answers methods outside the LSP specification. Stagehand defines
// none yet; tests register hooks in s.extra.
func (s *Server) Request(ctx context.Context, method string, params any) (any, error) {
	if h, ok := s.extra[method]; ok {
		raw, _ := params.(protocol.LSPAny)
		return h(ctx, raw)
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method)
}
