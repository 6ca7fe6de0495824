package features

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// paintedByDefinition resolves overlaps as resolveOverlaps documents it,
// byte by byte: the covering token of highest priority wins, the earlier
// (after a stable sort by start) on a tie; runs of one winner are pieces.
func paintedByDefinition(ts []rawToken) []rawToken {
	ts = slices.Clone(ts)
	slices.SortStableFunc(ts, func(a, b rawToken) int { return a.span.Start - b.span.Start })
	var out []rawToken
	last := -1
	for _, t := range ts {
		last = max(last, t.span.End)
	}
	for p := 0; p < last; p++ {
		win := -1
		for i, t := range ts {
			if t.span.Start <= p && p < t.span.End && (win < 0 || t.prio > ts[win].prio) {
				win = i
			}
		}
		if win < 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].span.End == p && sameToken(out[n-1], ts[win]) {
			out[n-1].span.End++
			continue
		}
		t := ts[win]
		t.span = analysis.Span{Start: p, End: p + 1}
		out = append(out, t)
	}
	return out
}

func sameToken(a, b rawToken) bool { return a.typ == b.typ && a.mods == b.mods && a.prio == b.prio }

// TestResolveOverlapsAsDefinition compares resolveOverlaps with the
// byte-by-byte definition on random tokens, nested and overlapping, with
// ties of priority. Pieces of two different tokens that happen to look
// alike are compared as one run.
func TestResolveOverlapsAsDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 18))
	var sc overlapScratch
	for trial := range 20000 {
		ts := make([]rawToken, 1+r.IntN(8))
		for i := range ts {
			a, b := r.IntN(40), 1+r.IntN(12)
			ts[i] = rawToken{
				span: analysis.Span{Start: a, End: a + b},
				typ:  TokenType(r.IntN(3)),
				prio: int8(r.IntN(3)),
			}
		}
		want := paintedByDefinition(ts)
		got := merged(resolveOverlaps(slices.Clone(ts), &sc))
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: tokens %v\ngot  %v\nwant %v", trial, ts, got, want)
		}
	}
}

// merged joins adjacent pieces that look alike, as the definition does.
func merged(ts []rawToken) []rawToken {
	var out []rawToken
	for _, t := range ts {
		if n := len(out); n > 0 && out[n-1].span.End == t.span.Start && sameToken(out[n-1], t) {
			out[n-1].span.End = t.span.End
			continue
		}
		out = append(out, t)
	}
	return out
}

// BenchmarkResolveOverlapsNested is ${A:-${A:-...}} nested 20,000 deep:
// every token covers the ones inside it.
func BenchmarkResolveOverlapsNested(b *testing.B) {
	const depth = 20000
	ts := make([]rawToken, 0, 2*depth)
	for i := range depth {
		ts = append(ts, rawToken{span: analysis.Span{Start: 6 * i, End: 12*depth - 6*i}, typ: TokVariable, prio: 1})
		ts = append(ts, rawToken{span: analysis.Span{Start: 6*i + 2, End: 6*i + 3}, typ: TokString, prio: 2})
	}
	var sc overlapScratch
	for b.Loop() {
		resolveOverlaps(slices.Clone(ts), &sc)
	}
}
