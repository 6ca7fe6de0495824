package analysis

import (
	"testing"

	"github.com/stagehand-ls/stagehand/internal/oracle"
)

// TestOracleReadsCheckComments: BuildKit's instructions.Parse panics on a
// `# check=` comment above an instruction when given no linter; the oracle
// must read such files (per-stage suppression puts them above FROMs) and
// agree with the model there.
func TestOracleReadsCheckComments(t *testing.T) {
	text := "FROM alpine AS base\nRUN true\n# check=skip=StageNameCasing\n# The final image\nFROM base AS Final\nCOPY --from=BASE / /\n"
	if _, ok := oracle.Resolve(text, "linux/amd64"); !ok {
		t.Fatal("the oracle rejects a file BuildKit builds")
	}
	refs, _, diffs, skipped := diffModel(text)
	if skipped || refs == 0 {
		t.Fatalf("nothing compared (skipped %v, %d references)", skipped, refs)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
