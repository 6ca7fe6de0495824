package codeaction

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis/refactor"
)

// splitStage offers "Split stage here" on an instruction inside a stage.
func splitStage(r *Request) ([]Action, string) {
	ix := r.Index
	n, ok := ix.NodeAt(r.Span.Start)
	if !ok {
		return nil, "no instruction here"
	}
	edits, reason := refactor.SplitStage(ix, n.Index, r.Reserved...)
	if edits == nil {
		return nil, reason
	}
	st := ix.Stage(ix.StageOf(n.Index))
	// "Split stage build", or "Split stage 1 (golang:1.23)" for an
	// unnamed one (its label says "stage 1 (...)").
	label := strings.TrimPrefix(ix.StageLabel(st.Index), "stage ")
	if st.Name != "" {
		label = st.Name
	}
	return []Action{{
		Title: fmt.Sprintf("Split stage %s before line %d", label, ix.Doc.LineOf(n.Start)+1),
		Kind:  SplitStageKind,
		ID:    "splitStage:" + strconv.Itoa(n.Index),
		Edits: edits,
	}}, ""
}
