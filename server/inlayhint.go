package server

import (
	"context"
	"sort"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
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
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil || !s.settingsFor(snap.Path).InlayHints {
		return nil, err
	}
	sp, _ := fromRange(snap.Doc, params.Range, s.encoding())
	out := []protocol.InlayHint{}
	for _, h := range features.InlayHints(ix, sp) {
		out = append(out, s.toInlayHint(snap, h.Off, h.Label, h.Tooltip))
	}
	if err := ctx.Err(); err != nil {
		return nil, err // before walking the build context
	}
	out = append(out, s.missingSourceHints(snap, ix, sp)...)
	sort.SliceStable(out, func(i, j int) bool { return positionLess(out[i].Position, out[j].Position) })
	return out, nil
}

// missingSourceHints marks the sources in sp that the build context lacks.
func (s *Server) missingSourceHints(snap *Snapshot, ix *analysis.Index, sp analysis.Span) []protocol.InlayHint {
	var out []protocol.InlayHint
	for _, sp := range ix.MissingSources(sp, s.buildContext(snap.Path)) {
		out = append(out, s.toInlayHint(snap, sp.End, "not in the build context", "No such file or folder beside the Dockerfile"))
	}
	return out
}

// toInlayHint converts a hint at off in snap.
func (s *Server) toInlayHint(snap *Snapshot, off int, label, tooltip string) protocol.InlayHint {
	return protocol.InlayHint{
		Position:    toPosition(snap.Doc, off, s.encoding()),
		Label:       protocol.String(label),
		Tooltip:     protocol.String(tooltip),
		PaddingLeft: ptr(true),
	}
}

func positionLess(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}
