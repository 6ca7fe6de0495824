package server

import (
	"context"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"

	"go.lsp.dev/protocol"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.ReferencesProvider = protocol.Boolean(true)
	})
}

// References answers textDocument/references for stages and variables,
// with their declarations when the client asks for them.
func (s *Server) References(ctx context.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil || p.ix == nil {
		return nil, err
	}
	if locs, ok := s.contextReferences(p, params.Context.IncludeDeclaration); ok {
		return locs, nil
	}
	occ, err := features.References(ctx, p.ix, p.off, params.Context.IncludeDeclaration)
	if err != nil {
		return nil, err // cancelled: send nothing
	}
	locs, err := p.occurrenceLocations(ctx, occ)
	if err != nil {
		return nil, err // before reading the files that name targets
	}
	return s.withTargetLocations(p, locs), nil
}

// withTargetLocations adds to locs the Compose, Bake, workflow and script
// files that build the stage at p: they use it too, whether or not the
// declaration is asked for. No locations at all is nil.
func (s *Server) withTargetLocations(p position, locs []protocol.Location) []protocol.Location {
	locs = append(locs, s.targetLocations(s.stageTargets(p))...)
	if len(locs) == 0 {
		return nil
	}
	return locs
}

// occurrenceLocations converts occurrences in p's document, stopping when
// the request is cancelled.
func (p position) occurrenceLocations(ctx context.Context, occ []analysis.Occurrence) ([]protocol.Location, error) {
	locs := make([]protocol.Location, len(occ))
	for i, o := range occ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		locs[i] = protocol.Location{URI: p.uri, Range: toRange(p.doc, o.Span, p.enc)}
	}
	return locs, ctx.Err()
}
