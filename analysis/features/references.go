package features

import (
	"context"

	"github.com/stagehand-ls/stagehand/analysis"
)

// References returns the occurrences of the name at off, without the
// declarations unless includeDecl is set. It stops early with ctx's error
// when ctx is cancelled.
func References(ctx context.Context, ix *analysis.Index, off int, includeDecl bool) ([]analysis.Occurrence, error) {
	t, ok := ix.ReferentAt(off)
	if !ok {
		return nil, nil
	}
	occ, err := ix.Occurrences(ctx, t)
	if err != nil {
		return nil, err
	}
	if includeDecl {
		return occ, nil
	}
	out := occ[:0:0]
	for _, o := range occ {
		if !o.Decl {
			out = append(out, o)
		}
	}
	return out, nil
}
