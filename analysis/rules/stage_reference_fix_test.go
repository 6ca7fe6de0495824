package rules

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestStageReferenceMessageNamesFix checks that the name a stage-reference
// finding's message asks for is the text its fix writes, over stage names
// in every casing and references by typo and by index.
func TestStageReferenceMessageNamesFix(t *testing.T) {
	quoted := regexp.MustCompile(`(?:did you mean|use its name) "([^"]*)"`)
	checked := 0
	for _, name := range []string{"build", "Build", "BUILD", "bUild", "build-Stage_1.x"} {
		typo := strings.Replace(name, "u", "", 1) // buid: one edit away
		text := fmt.Sprintf("FROM golang:1.23 AS %s\nRUN make\n\nFROM alpine\nCOPY --from=%s /a /a\nCOPY --from=0 /a /b\nRUN --mount=from=%s,target=/x true\n", name, typo, typo)
		ix := analysis.Parse(analysis.NewDocument(text))
		for _, d := range Run(ix, nil) {
			if d.Rule != UnknownStageReference.Name && d.Rule != NumericStageReference.Name || len(d.Fixes) == 0 {
				continue
			}
			m := quoted.FindStringSubmatch(d.Message)
			if m == nil {
				t.Errorf("%s: %s: the message names no stage: %s", name, d.Rule, d.Message)
				continue
			}
			for _, f := range d.Fixes {
				if !f.Preferred {
					continue // the skip fixes
				}
				checked++
				if len(f.Edits) == 0 || f.Edits[0].Text != m[1] || !strings.Contains(f.Title, `"`+m[1]+`"`) {
					t.Errorf("%s: %s: the message asks for %q, the fix %q writes %v", name, d.Rule, m[1], f.Title, f.Edits)
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked %d fixes, want at least 10", checked)
	}
}
