package features

import (
	"context"
	"slices"

	"github.com/stagehand-ls/stagehand/analysis"
)

// References returns the occurrences of the name at off, without the
// declarations unless includeDecl is set. It stops early with ctx's error
// when ctx is cancelled.
func References(ctx context.Context, ix *analysis.Index, off int, includeDecl bool) ([]analysis.Occurrence, error) {
	return ReferencesIn(ctx, ix, off, includeDecl, nil)
}

// ReferencesIn is References for a file the builds build: the
// occurrences in each build state that reaches the name's stage, each
// place once (a variable's uses in a stage built FROM a stage a context
// replaces are not linked with that stage's declarations in the builds
// giving the context).
func ReferencesIn(ctx context.Context, ix *analysis.Index, off int, includeDecl bool, builds []analysis.BuildSpec) ([]analysis.Occurrence, error) {
	var occ []analysis.Occurrence
	states := statesAt(ix, off, builds)
	for _, b := range states {
		t, ok := b.ReferentAt(off)
		if !ok {
			continue
		}
		more, err := b.Occurrences(ctx, t)
		if err != nil {
			return nil, err
		}
		if len(states) == 1 {
			occ = more
			break
		}
		occ = mergeOccurrences(occ, more)
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

// mergeOccurrences merges two lists of occurrences in document order,
// each place once.
func mergeOccurrences(a, b []analysis.Occurrence) []analysis.Occurrence {
	out := slices.Clone(a)
	seen := make(map[analysis.Span]bool, len(a))
	for _, o := range a {
		seen[o.Span] = true
	}
	for _, o := range b {
		if !seen[o.Span] {
			seen[o.Span] = true
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(x, y analysis.Occurrence) int { return x.Span.Start - y.Span.Start })
	return out
}
