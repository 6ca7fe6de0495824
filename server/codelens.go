package server

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"

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
	snap, err := s.snapshot(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	ix, ok := snap.Current()
	if !ok {
		return nil, nil
	}
	enc := s.encoding()
	lenses := ix.LensesIn(s.namedContexts(snap.URI))
	out := make([]protocol.CodeLens, 0, len(lenses))
	path, onDisk := snap.Path, snap.Path != ""
	settingsTargets := s.settings().Rules.Targets
	if onDisk {
		settingsTargets = s.ws.rulesFor(path, s.settings().Rules).Targets
	}
	for _, l := range lenses {
		r := toRange(snap.Doc, l.Span, enc)
		out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: l.Title}})
		if name := ix.Stage(l.Stage).Name; name != "" {
			var ts []workspace.Target
			if onDisk {
				ts = s.targetsNaming(path, name)
			}
			if len(ts) > 0 {
				out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: "built by " + s.builtBy(ts)}})
			} else if slices.Contains(settingsTargets, name) {
				// Named only by the targets setting (editor or settings file),
				// which UnusedStage counts too.
				out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: "built by the targets setting"}})
			}
		}
	}
	return out, nil
}
