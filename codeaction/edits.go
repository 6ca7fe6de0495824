package codeaction

import (
	"github.com/stagehand-ls/stagehand/analysis"
)

// sortEdits puts edits in document order; insertions at the same offset
// keep the order they were made in.
func sortEdits(edits []analysis.Edit) []analysis.Edit { return analysis.SortEdits(edits) }

// Apply applies edits, relative to doc and disjoint, to doc's text, in
// document order whatever their order in the slice.
func Apply(doc *analysis.Document, edits []analysis.Edit) (string, error) {
	return analysis.ApplyEdits(doc.Text(), analysis.SortEdits(append([]analysis.Edit(nil), edits...)))
}
