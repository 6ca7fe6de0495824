package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.SignatureHelpProvider = &protocol.SignatureHelpOptions{
			TriggerCharacters:   []string{" ", "="},
			RetriggerCharacters: []string{","},
		}
	})
}

// SignatureHelp answers textDocument/signatureHelp: the instruction's
// flags and arguments, and the one the cursor is on.
func (s *Server) SignatureHelp(ctx context.Context, params *protocol.SignatureHelpParams) (*protocol.SignatureHelp, error) {
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return nil, err
	}
	off, _ := fromPosition(snap.Doc, params.Position, s.encoding())
	sig, ok := features.SignatureHelp(ix, off)
	if !ok {
		return nil, nil
	}
	return toSignatureHelp(sig), nil
}

// toSignatureHelp converts sig, with its parameters' labels counted in
// UTF-16 as the protocol counts them.
func toSignatureHelp(sig features.Signature) *protocol.SignatureHelp {
	info := protocol.SignatureInformation{
		Label:         sig.Label,
		Documentation: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: sig.Doc + "\n\n[Reference](" + sig.URL + ")"},
	}
	for _, p := range sig.Params {
		info.Parameters = append(info.Parameters, protocol.ParameterInformation{
			Label:         protocol.ParameterInformationLabelTuple{uint32(labelColumn(sig.Label, p.Start)), uint32(labelColumn(sig.Label, p.End))},
			Documentation: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: p.Doc},
		})
	}
	info.ActiveParameter = protocol.NullNullable[uint32]() // on the keyword: no parameter
	if sig.Active >= 0 {
		info.ActiveParameter = protocol.NewNullable(uint32(sig.Active))
	}
	return &protocol.SignatureHelp{Signatures: []protocol.SignatureInformation{info}, ActiveSignature: ptr(uint32(0))}
}

// labelColumn converts a byte offset in a label to the UTF-16 offset the
// protocol counts parameter labels in.
func labelColumn(label string, off int) int {
	return analysis.NewDocument(label).Position(off, analysis.UTF16).Col
}
