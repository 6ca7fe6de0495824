package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
)

// tokenLegend maps each features.TokenType to the protocol's token type;
// heredoc bodies are strings to themes.
var tokenLegend = map[features.TokenType]protocol.SemanticTokenTypes{
	features.TokKeyword:  protocol.SemanticTokenTypesKeyword,
	features.TokStage:    protocol.SemanticTokenTypesClass,
	features.TokFlag:     protocol.SemanticTokenTypesParameter,
	features.TokVariable: protocol.SemanticTokenTypesVariable,
	features.TokString:   protocol.SemanticTokenTypesString,
	features.TokComment:  protocol.SemanticTokenTypesComment,
	features.TokHeredoc:  protocol.SemanticTokenTypesString,
}

// legendTypes is the legend's list of types, and tokenIndex the place of
// each features.TokenType in it.
var legendTypes, tokenIndex = func() ([]string, []uint32) {
	var types []string
	index := make([]uint32, len(features.TokenTypes()))
	seen := map[protocol.SemanticTokenTypes]uint32{}
	for _, t := range features.TokenTypes() {
		name := tokenLegend[t]
		k, ok := seen[name]
		if !ok {
			k = uint32(len(types))
			seen[name] = k
			types = append(types, string(name))
		}
		index[t] = k
	}
	return types, index
}()

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.SemanticTokensProvider = &protocol.SemanticTokensOptions{
			Legend: protocol.SemanticTokensLegend{TokenTypes: legendTypes, TokenModifiers: features.TokenModNames()},
			Range:  protocol.Boolean(true),
			Full:   protocol.Boolean(true),
		}
	})
}

// SemanticTokensFull answers textDocument/semanticTokens/full.
func (s *Server) SemanticTokensFull(ctx context.Context, params *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return noTokens(err)
	}
	before := heapAllocated()
	toks, err := encodeTokens(ctx, ix, analysis.Span{Start: 0, End: snap.Doc.Len()}, s.encoding())
	s.returnMemoryAfter(before)
	if err != nil {
		return nil, err // cancelled: send nothing
	}
	return toks, nil
}

// SemanticTokensRange answers textDocument/semanticTokens/range with the
// tokens that overlap the range.
func (s *Server) SemanticTokensRange(ctx context.Context, params *protocol.SemanticTokensRangeParams) (*protocol.SemanticTokens, error) {
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return noTokens(err)
	}
	enc := s.encoding()
	sp, _ := fromRange(snap.Doc, params.Range, enc)
	return encodeTokens(ctx, ix, sp, enc)
}

// noTokens answers a request that fails with err, or, when err is nil, a
// document without a current index: no tokens, as an empty list.
func noTokens(err error) (*protocol.SemanticTokens, error) {
	if err != nil {
		return nil, err
	}
	return &protocol.SemanticTokens{Data: []uint32{}}, nil
}

// encodeTokens writes the tokens that overlap span in the protocol's
// relative form, as they are placed: five integers each, the line and
// start relative to the previous token. It returns ctx's error when ctx
// is cancelled.
func encodeTokens(ctx context.Context, ix *analysis.Index, span analysis.Span, enc analysis.Encoding) (*protocol.SemanticTokens, error) {
	data := make([]uint32, 0, 5*features.SemanticTokenHint(ix, span))
	line, col := 0, 0
	err := features.EachSemanticToken(ctx, ix, span, enc, func(t features.SemToken) {
		if t.Line != line {
			col = 0
		}
		data = append(data, uint32(t.Line-line), uint32(t.Col-col), uint32(t.Len), tokenIndex[t.Type], uint32(t.Mods))
		line, col = t.Line, t.Col
	})
	if err != nil {
		return nil, err
	}
	return &protocol.SemanticTokens{Data: data}, nil
}
