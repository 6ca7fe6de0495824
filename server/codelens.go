package server

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.CodeLensProvider = &protocol.CodeLensOptions{}
	})
}

// CodeLens answers textDocument/codeLens with a lens on each FROM: which
// stages use it, or that none does, or that it is the final stage. The
// lenses are information only: their command is empty.
func (s *Server) CodeLens(ctx context.Context, params *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return nil, err
	}
	// The contexts' places name their lines (a lens title is plain text).
	docs := map[string]*analysis.Document{}
	lenses := features.LensesIn(ix, s.sited(s.namedContexts(snap.URI), false, docs), s.sitedBuilds(s.buildSpecs(snap.URI), false, docs))
	out := make([]protocol.CodeLens, 0, len(lenses))
	for _, l := range lenses {
		out = append(out, s.toCodeLenses(snap, ix, l)...)
	}
	return out, nil
}

// toCodeLenses converts l, and adds a lens naming the files that build its
// stage when the document is on disk and the stage is named.
func (s *Server) toCodeLenses(snap *Snapshot, ix *analysis.Index, l features.Lens) []protocol.CodeLens {
	r := toRange(snap.Doc, l.Span, s.encoding())
	out := []protocol.CodeLens{{Range: r, Command: protocol.Command{Title: l.Title}}}
	name := ix.Stage(l.Stage).Name
	if name == "" {
		return out
	}
	var ts []workspace.Target
	settingsTargets := s.settingsFor(snap.Path).Rules.Targets
	if snap.Path != "" {
		ts = s.targetsNaming(snap.Path, name)
		settingsTargets = s.ws.rulesFor(snap.Path, s.settingsFor(snap.Path).Rules).Targets
	}
	if len(ts) > 0 {
		out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: "built by " + s.builtBy(ts)}})
	} else if slices.Contains(settingsTargets, name) {
		// Named only by the targets setting (editor or settings file),
		// which UnusedStage counts too.
		out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: "built by the targets setting"}})
	}
	return out
}
