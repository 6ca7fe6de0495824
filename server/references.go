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
// with their declarations when the client asks for them, and in a file
// that names targets for its targets and named contexts.
func (s *Server) References(ctx context.Context, params *protocol.ReferenceParams) ([]protocol.Location, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil || p.snap.TargetFile != "" {
		return s.targetFileReferences(ctx, p, params.Context.IncludeDeclaration, err)
	}
	if p.ix == nil {
		return nil, nil
	}
	if locs, ok := s.contextReferences(p, params.Context.IncludeDeclaration); ok {
		return locs, nil
	}
	occ, err := features.ReferencesIn(ctx, p.ix, p.off, params.Context.IncludeDeclaration, s.buildSpecs(string(p.uri)))
	if err != nil {
		return nil, err // cancelled: send nothing
	}
	locs, err := p.occurrenceLocations(ctx, occ)
	if err != nil {
		return nil, err // before reading the files that name targets
	}
	if params.Context.IncludeDeclaration {
		locs = append(locs, s.buildsContextLocations(p)...)
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

// targetFileReferences answers references in a file that names targets
// (Compose, Bake, workflows, scripts): on a target, the stage it names as
// the Dockerfile shows it, with the other files that build it; on a named
// context, its uses in the Dockerfile it goes to, the stages it replaces
// and, with the declarations, where the workspace gives it.
func (s *Server) targetFileReferences(ctx context.Context, p position, decl bool, err error) ([]protocol.Location, error) {
	if err != nil {
		return nil, err
	}
	path, ws := p.snap.TargetFile, s.ws.index()
	load := s.dockerfiles(path)
	if df, dix, name, ok := ws.Definition(path, p.off, load); ok {
		in, ok := s.dockerfileAt(df, dix)
		if !ok {
			return nil, nil
		}
		occ, err := features.References(ctx, dix, name.Start, decl)
		if err != nil {
			return nil, err // cancelled
		}
		locs, err := in.occurrenceLocations(ctx, occ)
		if err != nil {
			return nil, err
		}
		return append(locs, s.targetLocations(s.targetsNaming(df, dix.Doc.Slice(name)))...), nil
	}
	c, ok := ws.ContextAt(path, p.off)
	if !ok {
		return nil, nil
	}
	dix, ok := load(c.Dockerfile)
	if !ok {
		return nil, nil
	}
	in, ok := s.dockerfileAt(c.Dockerfile, dix)
	if !ok {
		return nil, nil
	}
	return s.contextNameLocations(in, c.Name, s.namedContexts(string(in.uri)), decl), nil
}

// dockerfileAt places the Dockerfile at path, whose index is ix, for
// answers given from another file: the client's URI when it is open.
func (s *Server) dockerfileAt(path string, ix *analysis.Index) (position, bool) {
	_, u, _, ok := s.fileDoc(path)
	if !ok {
		return position{}, false
	}
	return position{uri: u, doc: ix.Doc, ix: ix, enc: s.encoding()}, true
}
