package codeaction

import (
	"github.com/stagehand-ls/stagehand/analysis"
)

// FixAll returns the edits of the preferred fix of every diagnostic in
// ds, leaving out a fix whose edits overlap an earlier one's; the caller
// applies them and computes the diagnostics again for the rest. It also
// returns the number of fixes taken. `stagehand check --fix`, the fix-all
// action and the quick fixes share these fixes.
func FixAll(ds []Diagnostic) ([]analysis.Edit, int) {
	var edits []analysis.Edit
	taken := 0
	for _, d := range ds {
		for _, f := range d.Fixes {
			if !f.Preferred || len(f.Edits) == 0 || clashes(edits, f.Edits) {
				continue
			}
			edits = append(edits, f.Edits...)
			taken++
			break
		}
	}
	return analysis.SortEdits(edits), taken
}

// clashes reports whether any edit of b overlaps or touches one of a;
// touching insertions at one offset would apply in an arbitrary order.
func clashes(a, b []analysis.Edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Span.Start <= y.Span.End && y.Span.Start <= x.Span.End {
				return true
			}
		}
	}
	return false
}

// fixAll offers the preferred fixes of the whole document as one action,
// for an editor's fix-all (on save, for instance).
func fixAll(r *Request) ([]Action, string) {
	edits, n := FixAll(r.Diagnostics)
	if n == 0 {
		return nil, "no diagnostic has a preferred fix"
	}
	return []Action{{Title: "Fix all problems with an obvious fix", Kind: SourceFixAll, ID: "fixAll", Edits: edits}}, ""
}
