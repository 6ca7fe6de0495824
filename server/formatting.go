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
		caps.DocumentFormattingProvider = protocol.Boolean(true)
		caps.DocumentRangeFormattingProvider = protocol.Boolean(true)
		// A newline after a continuation gives the new line its indentation.
		caps.DocumentOnTypeFormattingProvider = protocol.DocumentOnTypeFormattingOptions{FirstTriggerCharacter: "\n"}
	})
}

// Formatting answers textDocument/formatting with minimal edits.
func (s *Server) Formatting(ctx context.Context, params *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	return s.format(ctx, params.TextDocument.URI, params.Options, func(ix *analysis.Index, opts features.FormatOptions) []analysis.Edit {
		return features.Format(ix, opts)
	})
}

// RangeFormatting answers textDocument/rangeFormatting: the edits for the
// instructions the range touches.
func (s *Server) RangeFormatting(ctx context.Context, params *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	return s.format(ctx, params.TextDocument.URI, params.Options, func(ix *analysis.Index, opts features.FormatOptions) []analysis.Edit {
		sp, _ := fromRange(ix.Doc, params.Range, s.encoding())
		return features.FormatRange(ix, sp, opts)
	})
}

// OnTypeFormatting answers textDocument/onTypeFormatting after a newline.
func (s *Server) OnTypeFormatting(ctx context.Context, params *protocol.DocumentOnTypeFormattingParams) ([]protocol.TextEdit, error) {
	return s.format(ctx, params.TextDocument.URI, params.Options, func(ix *analysis.Index, opts features.FormatOptions) []analysis.Edit {
		off, _ := fromPosition(ix.Doc, params.Position, s.encoding())
		return features.FormatOnType(ix, off, opts)
	})
}

// format runs a formatter on the document's index and converts its edits.
// The indentation width is the "format.indent" setting, else the file's
// own, else the editor's tab size.
func (s *Server) format(ctx context.Context, u uri.URI, fo protocol.FormattingOptions, run func(*analysis.Index, features.FormatOptions) []analysis.Edit) ([]protocol.TextEdit, error) {
	snap, err := s.snapshot(ctx, u)
	if err != nil {
		return nil, err
	}
	ix, ok := snap.Current()
	if !ok {
		return nil, nil
	}
	c := s.settingsFor(snap.Path).Format
	opts := features.FormatOptions{Indent: c.Indent, NewIndent: int(fo.TabSize), Shell: c.Shell}
	return toTextEdits(snap.Doc, run(ix, opts), s.encoding()), nil
}
