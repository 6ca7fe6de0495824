package server

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.DefinitionProvider = protocol.Boolean(true)
	})
}

// Definition answers textDocument/definition: from a stage reference to the
// stage's name (its FROM line when it has none), from a variable to its
// ARG or ENV.
func (s *Server) Definition(ctx context.Context, params *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	p, err := s.positionAt(ctx, params.TextDocument.URI, params.Position)
	if err != nil {
		return nil, err
	}
	if p.snap.TargetFile != "" {
		if locs := s.targetDefinition(p.snap.TargetFile, p.off); len(locs) > 0 {
			return &locs[0], nil
		}
		return nil, nil
	}
	if p.ix == nil {
		return nil, nil
	}
	locs, ok := s.contextDefinition(p)
	if !ok {
		locs = p.locations(features.DefinitionsIn(p.ix, p.off, s.buildSpecs(string(p.uri))))
	}
	return definitionResult(locs), nil
}

// definitionResult converts locations: nothing, one location, or a list.
func definitionResult(locs protocol.LocationSlice) protocol.DefinitionResult {
	switch len(locs) {
	case 0:
		return nil
	case 1:
		return &locs[0]
	default:
		return locs
	}
}

// locations converts spans of p's document.
func (p position) locations(spans []analysis.Span) protocol.LocationSlice {
	locs := make(protocol.LocationSlice, len(spans))
	for i, sp := range spans {
		locs[i] = protocol.Location{URI: p.uri, Range: toRange(p.doc, sp, p.enc)}
	}
	return locs
}

// position is a request's place in an open document, with what the
// navigation features need to answer it.
type position struct {
	snap *Snapshot
	uri  uri.URI // as the client sent it when it opened the document
	doc  *analysis.Document
	ix   *analysis.Index // nil when the document has no index yet
	off  int
	enc  analysis.Encoding
}

// positionAt finds the snapshot of u that the request reads and the byte
// offset of pos in it.
func (s *Server) positionAt(ctx context.Context, u uri.URI, pos protocol.Position) (position, error) {
	snap, err := s.snapshot(ctx, u)
	if err != nil {
		return position{}, err
	}
	p := position{snap: snap, uri: uri.URI(snap.URI), doc: snap.Doc, enc: s.encoding()}
	if ix, ok := snap.Current(); ok {
		p.ix = ix
	}
	p.off, _ = fromPosition(snap.Doc, pos, p.enc)
	return p, nil
}
