package features

import (
	"context"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestDescriptionInFeatures checks that a stage's description (its doc
// comment) reaches the features that show a stage: hover, the graph and
// the document symbols.
func TestDescriptionInFeatures(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument("# build compiles it\nFROM golang AS build\nFROM alpine\nCOPY --from=build /a /a\n"))
	if h := stageHover(ix, 0, nil); !strings.Contains(h, "\n\ncompiles it\n\n") {
		t.Errorf("hover lacks the description: %q", h)
	}
	g, _ := StageGraph(context.Background(), ix, nil, nil)
	if g.Stages[0].Description != "compiles it" || g.Stages[1].Description != "" {
		t.Errorf("graph descriptions: %+v", g.Stages)
	}
	syms := Symbols(ix)
	if len(syms) != 2 || syms[0].Detail != "golang · compiles it" || syms[1].Detail != "alpine" {
		t.Errorf("symbol details: %+v", syms)
	}
}
