package completion

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestVariableEditCoversUnicodeName: completing in the middle of a name
// with non-ASCII letters replaces the whole name, as BuildKit's lexer reads
// it, not only its ASCII start. (In a RUN's command the shell reads names
// of ASCII only: there completion offers no café, see
// testdata/completion/variables_unicode.txtar.)
func TestVariableEditCoversUnicodeName(t *testing.T) {
	text := "FROM alpine\nENV café=1\nLABEL a=$café b=x\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	use := strings.LastIndex(text, "$café") + 1
	for _, off := range []int{use + 2, use + len("caf"), use + len("café")} {
		items := Complete(ix, off, Options{})
		if len(items) != 1 || items[0].Label != "café" {
			t.Fatalf("at %d: %v, want café", off, labels(items))
		}
		if got := ix.Doc.Slice(items[0].Edit); got != "café" {
			t.Errorf("at %d: the item replaces %q, want the whole name café", off, got)
		}
	}
}
