package rules

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestRemoveUnusedStageTakesItsComments: the fix that removes an unused
// stage removes the comments BuildKit attaches to its FROM (its
// description, Index.Comments), whatever they say, a line starting with
// `# @` included, and leaves those of the next stage.
func TestRemoveUnusedStageTakesItsComments(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"at-line", "FROM alpine AS base\nRUN x\n\n# old the old builder\n# @deprecated since 2.0\nFROM alpine AS old\nRUN y\n\n# final the image\nFROM base\n",
			"FROM alpine AS base\nRUN x\n\n# final the image\nFROM base\n"},
		{"blank-between", "FROM alpine AS base\nRUN x\n\n# about old\n\n# @owner: build team\nFROM alpine AS old\nRUN y\n\nFROM base\n",
			"FROM alpine AS base\nRUN x\n\nFROM base\n"},
		{"empty-hash-cuts", "FROM alpine AS base\nRUN x\n# kept: not old's\n#\n# @old\nFROM alpine AS old\nRUN y\n\nFROM base\n",
			"FROM alpine AS base\nRUN x\n# kept: not old's\n#\nFROM base\n"},
	} {
		ix := analysis.Parse(analysis.NewDocument(tc.text))
		var got string
		for _, d := range Run(ix, nil) {
			if d.Rule != UnusedStage.Name {
				continue
			}
			for _, f := range d.Fixes {
				if strings.HasPrefix(f.Title, "Remove unused stage") {
					got = applyFix(t, tc.text, f)
				}
			}
		}
		if got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}
