package server

import (
	"context"

	"go.lsp.dev/protocol"
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
	for _, l := range lenses {
		r := toRange(snap.Doc, l.Span, enc)
		out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: l.Title}})
		if name := ix.Stage(l.Stage).Name; onDisk && name != "" {
			if ts := s.targetsNaming(path, name); len(ts) > 0 {
				out = append(out, protocol.CodeLens{Range: r, Command: protocol.Command{Title: "built by " + s.builtBy(ts)}})
			}
		}
	}
	return out, nil
}
