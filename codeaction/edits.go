package codeaction

import (
	"github.com/stagehand-ls/stagehand/analysis"
)

// Apply applies edits, relative to doc and disjoint, to doc's text, in
// document order whatever their order in the slice.
func Apply(doc *analysis.Document, edits []analysis.Edit) (string, error) {
	return analysis.ApplyEdits(doc.Text(), analysis.SortEdits(append([]analysis.Edit(nil), edits...)))
}
