package codeaction

import (
	"context"
	"fmt"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/refactor"
)

// buildRuntime offers "Split into build and runtime stages", one action
// per runtime base, when the final stage builds an artifact it can find.
func buildRuntime(ctx context.Context, r *Request) ([]Action, string) {
	ix := r.Index
	s := ix.StageCount() - 1
	if s < 0 || ix.StageAt(r.Span.Start) != s {
		return nil, "not inside the final stage"
	}
	plan, reason := refactor.PlanRuntime(ctx, ix, s, r.Context, r.Reserved...)
	if plan == nil {
		return nil, reason
	}
	var out []Action
	for k, base := range plan.Bases {
		if !plan.Fits(base) {
			continue
		}
		base := base
		title := fmt.Sprintf("Split into build and runtime stages (%s, runtime on %s", plan.Ecosystem, base)
		if plan.Certs[base] {
			title += " with the builder's CA certificates"
		}
		if plan.Changes != "" {
			title += "; " + plan.Changes
		}
		out = append(out, Action{
			Title:     title + ")",
			Kind:      BuildRuntime,
			ID:        "buildRuntime:" + base,
			Preferred: k == 0,
			Lazy:      func() ([]analysis.Edit, error) { return refactor.SplitBuildRuntime(ix, s, plan, base), nil },
		})
	}
	if len(out) == 0 {
		return nil, "every runtime base lacks the shell or users the final stage needs"
	}
	return out, ""
}
