package completion

import (
	"slices"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// TestCheckSkipOffersEveryRule: after `# check=skip=` every rule of the
// registry is offered, Stagehand's own (the workspace rules included) as
// well as BuildKit's, each once.
func TestCheckSkipOffersEveryRule(t *testing.T) {
	text := "# check=skip=\nFROM alpine\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	got := labels(Complete(ix, len("# check=skip="), Options{}))
	for _, r := range rules.All() {
		if n := count(got, r.Name); n != 1 {
			t.Errorf("%s offered %d times, want once", r.Name, n)
		}
	}
	for _, r := range BuildKitRules {
		if !slices.Contains(got, r.Name) {
			t.Errorf("BuildKit's %s not offered", r.Name)
		}
	}
	for _, name := range []string{"UnknownTarget", "UndeclaredBuildArg", "UnusedStage"} {
		if !slices.Contains(got, name) {
			t.Errorf("%s not offered", name)
		}
	}
}

func count(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
