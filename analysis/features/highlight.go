package features

import (
	"context"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Highlight returns the places to highlight for the stage or variable
// named at off: every occurrence, the declarations (Decl, where it is
// written) among them. It stops early with ctx's error when ctx is
// cancelled.
func Highlight(ctx context.Context, ix *analysis.Index, off int) ([]analysis.Occurrence, error) {
	return References(ctx, ix, off, true)
}
