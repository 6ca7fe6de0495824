package features

import (
	"context"
	"sort"

	"github.com/stagehand-ls/stagehand/analysis"
)

// FoldKind tells what a Fold holds.
type FoldKind int

const (
	FoldRegion FoldKind = iota // a stage, an instruction or a heredoc
	FoldComment
)

// Fold is a range of whole lines an editor may collapse; lines are
// zero-based as the protocol counts them.
type Fold struct {
	StartLine, EndLine int
	Kind               FoldKind
}

// Folds returns a fold for each stage, each instruction over several lines,
// each heredoc and each block of two or more comment lines between
// instructions, ordered by start line. Folds with the same start line are
// kept once, the widest.
func Folds(ix *analysis.Index) []Fold {
	doc := ix.Doc
	var out []Fold
	add := func(start, end int, kind FoldKind) {
		if end > start {
			out = append(out, Fold{start, end, kind})
		}
	}
	for s := range ix.StageCount() {
		st := ix.Stage(s)
		add(doc.LineOf(st.Span.Start), doc.LineOf(st.Span.End), FoldRegion)
	}
	// Comment blocks: runs of whole-line comments outside instructions.
	prevEnd, runStart, runEnd := 0, -1, -1
	flush := func() {
		if runStart >= 0 {
			add(runStart, runEnd, FoldComment)
		}
		runStart = -1
	}
	comments := func(from, to int) { // lines between offsets from and to
		if to <= from {
			return
		}
		for l := doc.LineOf(from); l < doc.LineCount(); l++ {
			ls := doc.LineStart(l)
			if ls >= to {
				break
			}
			if ls < from {
				continue
			}
			if analysis.IsCommentLine(doc.Slice(analysis.Span{Start: ls, End: doc.LineEnd(l)})) {
				if runStart < 0 || runEnd != l-1 {
					flush()
					runStart = l
				}
				runEnd = l
			}
		}
	}
	_ = ix.Each(context.Background(), func(n analysis.Node) {
		comments(prevEnd, n.Start)
		sp := n.Span()
		first, last := doc.LineOf(sp.Start), doc.LineOf(sp.End)
		add(first, last, FoldRegion)
		for _, h := range n.Heredocs() {
			body := n.Abs(h.Body)
			end := body.End
			if h.Terminator.End > 0 {
				end = n.Abs(h.Terminator).End
			}
			// From the line that opens it, so the opening line stays visible.
			add(max(doc.LineOf(body.Start)-1, first), doc.LineOf(end), FoldRegion)
		}
		prevEnd = sp.End
	})
	comments(prevEnd, doc.Len()+1)
	flush()

	sort.SliceStable(out, func(i, j int) bool {
		if out[i].StartLine != out[j].StartLine {
			return out[i].StartLine < out[j].StartLine
		}
		return out[i].EndLine > out[j].EndLine
	})
	dedup := out[:0]
	for _, f := range out {
		if len(dedup) > 0 && dedup[len(dedup)-1].StartLine == f.StartLine {
			continue
		}
		dedup = append(dedup, f)
	}
	return dedup
}
