package server

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// customMethods are Stagehand's own requests, each registered from its
// feature's file with defineMethod.
var customMethods = map[string]func(s *Server, ctx context.Context, params protocol.LSPAny) (any, error){}

// defineMethod registers a request outside the LSP specification.
func defineMethod(name string, h func(s *Server, ctx context.Context, params protocol.LSPAny) (any, error)) {
	customMethods[name] = h
}

// Request answers methods outside the LSP specification: Stagehand's own,
// and the hooks tests register in s.extra.
func (s *Server) Request(ctx context.Context, method string, params any) (any, error) {
	raw, _ := params.(protocol.LSPAny)
	if h, ok := customMethods[method]; ok {
		return h(s, ctx, raw)
	}
	if h, ok := s.extra[method]; ok {
		return h(ctx, raw)
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method)
}
