package refactor

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestSplitKeepsDescription checks a split stage keeps its description
// for `docker build --call=targets`: the comment above its FROM that
// starts with its name goes with the name to the second part.
func TestSplitKeepsDescription(t *testing.T) {
	for _, src := range []string{
		"# syntax=docker/dockerfile:1\n\n# api serves the API.\nFROM golang:1.23 AS api\nWORKDIR /src\nCOPY . .\nRUN go build -o /api .\n",
		"\ufeff# api serves the API.\r\n# check=skip=JSONArgsRecommended\r\nFROM golang:1.23 AS api\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build -o /api .\r\n",
	} {
		ix := analysis.Parse(analysis.NewDocument(src))
		edits, why := SplitStage(ix, ix.Stage(0).First+2)
		if edits == nil {
			t.Fatal(why)
		}
		out, err := analysis.ApplyEdits(src, edits)
		if err != nil {
			t.Fatal(err)
		}
		after := analysis.Parse(analysis.NewDocument(out))
		if after.StageCount() != 2 || after.StageDescription(1) != "serves the API." {
			t.Errorf("description of api after the split: %q\n%s", after.StageDescription(1), out)
		}
		if strings.Contains(src, "check=") && strings.Count(out, "# check=skip=JSONArgsRecommended") != 2 {
			t.Errorf("the stage's check setting is not above both parts:\n%s", out)
		}
		if d, a := len(ix.Directives), len(after.Directives); d != a {
			t.Errorf("directives %d, were %d:\n%s", a, d, out)
		}
	}
}
