package completion

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestStageDocDescription(t *testing.T) {
	text := "# build compiles it\nFROM golang AS build\nFROM alpine\nCOPY --from=build /a /a\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	if doc := StageDoc(ix, 0); !strings.Contains(doc, "\ncompiles it\n") {
		t.Errorf("StageDoc lacks the description: %q", doc)
	}
	items := Complete(ix, strings.Index(text, "--from=")+len("--from="), Options{})
	if len(items) != 1 || !strings.Contains(items[0].Documentation, "\ncompiles it\n") {
		t.Errorf("completion item lacks the description: %+v", items)
	}
}
