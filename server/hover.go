package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.HoverProvider = protocol.Boolean(true)
	})
}

// Hover answers textDocument/hover: a stage's base chain, line and uses;
// a variable's declaration; what an instruction, flag, mount key or parser
// directive does, with a link to the Dockerfile reference.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil || p.ix == nil {
		return nil, err
	}
	// The contexts' places name their lines, as links where the hover
	// is markdown.
	markdown := s.options().hoverMarkdown
	docs := map[string]*analysis.Document{}
	builds := s.sitedBuilds(s.buildSpecs(p.snap.URI), markdown, docs)
	h, ok := features.BuildsHover(p.ix, p.off, builds)
	if !ok {
		h, ok = features.HoverIn(p.ix, p.off, s.sited(s.contextsAt(p, builds), markdown, docs), builds)
	}
	if !ok {
		return nil, nil
	}
	kind := protocol.MarkupKindMarkdown
	if !markdown {
		kind = protocol.MarkupKindPlainText
	}
	if ts := s.stageTargets(p); len(ts) > 0 {
		h.Markdown += "\n\nBuilt as a target by " + s.builtBy(ts) + "."
	}
	r := toRange(p.doc, h.Span, p.enc)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: h.Markdown}, Range: &r}, nil
}
