package codeaction

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// sortEdits puts edits in document order; insertions at the same offset
// keep the order they were made in.
func sortEdits(edits []analysis.Edit) []analysis.Edit {
	sort.SliceStable(edits, func(a, b int) bool { return edits[a].Span.Start < edits[b].Span.Start })
	return edits
}

// Apply applies edits, relative to doc and disjoint, to doc's text.
func Apply(doc *analysis.Document, edits []analysis.Edit) (string, error) {
	text := doc.Text()
	var b strings.Builder
	last := 0
	for _, e := range sortEdits(append([]analysis.Edit(nil), edits...)) {
		if e.Span.Start < last || e.Span.End < e.Span.Start || e.Span.End > len(text) {
			return "", fmt.Errorf("edit %d-%d overlaps another or leaves the text", e.Span.Start, e.Span.End)
		}
		b.WriteString(text[last:e.Span.Start])
		b.WriteString(e.Text)
		last = e.Span.End
	}
	b.WriteString(text[last:])
	return b.String(), nil
}
