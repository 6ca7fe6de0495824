package completion

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// complete runs completion at the `|` in src and returns the index too.
func complete(t *testing.T, src string, opts Options) ([]Item, *analysis.Index, int) {
	t.Helper()
	off := strings.Index(src, "|")
	if off < 0 {
		t.Fatalf("no | in %q", src)
	}
	text := src[:off] + src[off+1:]
	ix := analysis.Parse(analysis.NewDocument(text))
	return Complete(ix, off, opts), ix, off
}

func labels(items []Item) []string {
	sortItems(items)
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}
