package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis/features"
)

// stageGraphParams are the parameters of stagehand/stageGraph.
type stageGraphParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
	Targets []string `json:"targets"`
}

// stageGraphStage adds to a stage the range of its FROM line, for editors
// that jump to it.
type stageGraphStage struct {
	features.GraphStage
	Range protocol.Range `json:"range"`
}

type stageGraphResult struct {
	Stages   []stageGraphStage       `json:"stages"`
	Edges    []features.GraphEdge    `json:"edges"`
	Patterns []features.GraphPattern `json:"patterns,omitempty"`
	Contexts []features.GraphContext `json:"contexts,omitempty"`
	Mermaid  string                  `json:"mermaid"`
}

func init() {
	defineMethod("stagehand/stageGraph", (*Server).stageGraph)
}

// stageGraph answers stagehand/stageGraph: the stages of an open
// Dockerfile and what uses what, for editors to draw.
func (s *Server) stageGraph(ctx context.Context, raw protocol.LSPAny) (any, error) {
	var p stageGraphParams
	if err := json.Unmarshal(raw, &p); err != nil || p.TextDocument.URI == "" {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "stagehand/stageGraph needs {textDocument: {uri}}")
	}
	u, err := uri.Parse(p.TextDocument.URI)
	if err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "bad uri: %v", err)
	}
	snap, err := s.snapshot(ctx, u)
	if err != nil {
		return nil, err
	}
	ix, ok := snap.Current()
	if !ok {
		return nil, jsonrpc2.Errorf(codeRequestFailed, "no analysis of %s", p.TextDocument.URI)
	}
	// The stages the project builds count as targets, as for UnusedStage.
	targets := append(append([]string(nil), p.Targets...), s.documentRules(snap).Targets...)
	g, err := features.StageGraph(ctx, ix, targets, s.namedContexts(snap.URI))
	if err != nil {
		return nil, err
	}
	mermaid, err := g.Mermaid(ctx)
	if err != nil {
		return nil, err
	}
	res := stageGraphResult{Edges: g.Edges, Patterns: g.Patterns, Contexts: g.Contexts, Mermaid: mermaid, Stages: make([]stageGraphStage, len(g.Stages))}
	for i, st := range g.Stages {
		if err := ctx.Err(); err != nil {
			return nil, err // cancelled: send nothing
		}
		from := ix.Node(ix.Stage(st.Index).First)
		res.Stages[i] = stageGraphStage{GraphStage: st, Range: toRange(ix.Doc, from.Span(), s.encoding())}
	}
	return res, nil
}
