package server

import (
	"context"
	"sort"

	"go.lsp.dev/protocol"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.InlayHintProvider = protocol.Boolean(true)
	})
}

// InlayHint answers textDocument/inlayHint for the requested range: FROM
// bases with their ARG defaults, the index of numbered stages and the
// stage behind a numeric --from, and COPY sources missing from the build
// context. The "inlayHints.enabled" setting turns them off.
func (s *Server) InlayHint(ctx context.Context, params *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	snap, err := s.snapshot(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	ix, ok := snap.Current()
	if !ok || !s.settings().InlayHints {
		return nil, nil
	}
	enc := s.encoding()
	sp, _ := fromRange(snap.Doc, params.Range, enc)
	hints := ix.InlayHints(sp)
	out := make([]protocol.InlayHint, 0, len(hints))
	pad := true
	for _, h := range hints {
		out = append(out, protocol.InlayHint{
			Position:    toPosition(snap.Doc, h.Off, enc),
			Label:       protocol.String(h.Label),
			Tooltip:     protocol.String(h.Tooltip),
			PaddingLeft: &pad,
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err // before walking the build context
	}
	for _, sp := range ix.MissingSources(sp, s.buildContext(snap.Path)) {
		out = append(out, protocol.InlayHint{
			Position:    toPosition(snap.Doc, sp.End, enc),
			Label:       protocol.String("not in the build context"),
			Tooltip:     protocol.String("No such file or folder beside the Dockerfile"),
			PaddingLeft: &pad,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return positionLess(out[i].Position, out[j].Position) })
	return out, nil
}

func positionLess(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}
