package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// ApplyEdits applies edits to text. They must be in document order (see
// SortEdits), inside the text and disjoint (an insertion may touch a
// neighbour); otherwise it returns an error and no text, since applying
// them anyway would produce garbage.
func ApplyEdits(text string, edits []Edit) (string, error) {
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, e := range edits {
		switch {
		case e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > len(text):
			return "", fmt.Errorf("edit %d-%d lies outside the text of %d bytes", e.Span.Start, e.Span.End, len(text))
		case e.Span.Start < at:
			return "", fmt.Errorf("edit %d-%d overlaps or precedes the edit before it, which ends at %d", e.Span.Start, e.Span.End, at)
		}
		b.WriteString(text[at:e.Span.Start])
		b.WriteString(e.Text)
		at = e.Span.End
	}
	b.WriteString(text[at:])
	return b.String(), nil
}

// SortEdits puts a set of edits in document order, in place; insertions at
// the same offset keep the order they were made in.
func SortEdits(edits []Edit) []Edit {
	sort.SliceStable(edits, func(a, b int) bool { return edits[a].Span.Start < edits[b].Span.Start })
	return edits
}
