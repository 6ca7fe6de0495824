package codeaction

import (
	"strconv"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/refactor"
)

// reorderLayers offers "Reorder layers for caching" in a stage whose
// source copy comes before instructions that do not need the source.
func reorderLayers(r *Request) ([]Action, string) {
	ix := r.Index
	s := ix.StageAt(r.Span.Start)
	if s < 0 {
		return nil, "not inside a stage"
	}
	plan, reason := refactor.PlanLayers(ix, s, r.Context)
	if plan == nil {
		return nil, reason
	}
	title := "Reorder layers for caching: install dependencies before copying the source"
	if plan.Workspace != "" {
		title += " (every " + plan.Workspace + " manifest)"
	}
	if len(plan.Added) > 0 {
		title += ", adding a dependency step"
	}
	if len(plan.Installs) == 0 && len(plan.Added) == 0 {
		title = "Reorder layers for caching: move what does not need the source above its copy"
	}
	return []Action{{
		Title: title,
		Kind:  ReorderLayers,
		ID:    "reorderLayers:" + strconv.Itoa(s),
		Edits: []analysis.Edit{plan.Edit},
	}}, ""
}
