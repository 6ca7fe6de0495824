package analysis

import (
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Update returns the index of doc, the document that e turned ix.Doc into.
//
// It re-parses only the instructions the edit touches, grown by one whole
// instruction on either side: BuildKit's parser carries no state between
// complete instructions except the escape token, so if the instruction after
// the edit comes out of the re-parse as it went in, everything after it is
// unchanged but for its offset. Where the edit cannot be localised (the
// directive block, a lone "\r", a heredoc or continuation that now runs on)
// it parses the whole text. The contract: the result equals Parse(doc).
func (ix *Index) Update(doc *Document, e Edit) *Index {
	if next, ok := ix.updateLocal(doc, e); ok {
		return next
	}
	full, err := parseFull(doc)
	if err == nil {
		return full
	}
	return ix.stale(doc, e, err)
}

func (ix *Index) updateLocal(doc *Document, e Edit) (*Index, bool) {
	if ix.ParseError != nil || ix.loneCR || len(ix.insts) == 0 || e.Span.Start < ix.starts[0] {
		return nil, false
	}
	// First instruction re-parsed: the one the edit starts in (or after).
	a := sort.SearchInts(ix.starts, e.Span.Start+1) - 1
	// The sentinel: the instruction after the one the edit ends in.
	c := sort.SearchInts(ix.starts, e.Span.End+1) - 1
	s := c + 1
	delta := len(e.Text) - e.Span.Len()
	regionStart := ix.starts[a]
	regionEnd := doc.Len()
	if s < len(ix.insts) {
		regionEnd = ix.starts[s] + ix.insts[s].Len + delta
	}
	region := doc.Text()[regionStart:regionEnd]
	if hasLoneCR(region) || strings.HasSuffix(region, "\r") {
		return nil, false
	}
	src := newSourceLines(region)
	nodes, ok := parseFragment(region, ix.Escape)
	if !ok || len(nodes) == 0 {
		return nil, false
	}
	if s < len(ix.insts) {
		last := nodes[len(nodes)-1]
		want := ix.starts[s] + delta - regionStart
		if last.StartLine-1 >= len(src.start) || src.start[last.StartLine-1] != want || last.EndLine != len(src.start) {
			return nil, false
		}
	}
	if nodes[0].StartLine != 1 {
		return nil, false
	}

	end := len(ix.insts)
	if s < end {
		end = s + 1
	}
	n := len(ix.insts) - (end - a) + len(nodes)
	next := &Index{Doc: doc, Escape: ix.Escape, Directives: ix.Directives}
	next.insts = make([]*Instruction, 0, n)
	next.starts = make([]int, 0, n)
	next.insts = append(next.insts, ix.insts[:a]...)
	next.starts = append(next.starts, ix.starts[:a]...)
	for _, node := range nodes {
		next.insts = append(next.insts, newInstruction(src, node.StartLine-1, node.EndLine-1, ix.Escape, node))
		next.starts = append(next.starts, regionStart+src.start[node.StartLine-1])
	}
	next.insts = append(next.insts, ix.insts[end:]...)
	for _, st := range ix.starts[end:] {
		next.starts = append(next.starts, st+delta)
	}
	next.relink(ix, a, end, len(nodes), delta)
	return next, true
}

// parseFragment parses text that starts at an instruction, with the file's
// escape token. A directive line is put in front only when the token is not
// the default, and the line numbers are moved back over it.
func parseFragment(text string, esc byte) ([]*parser.Node, bool) {
	prefix := ""
	if esc != '\\' {
		prefix = "# escape=" + string(esc) + "\n"
	}
	res, err := parser.Parse(strings.NewReader(prefix + text))
	if err != nil {
		return nil, false
	}
	nodes := res.AST.Children
	if prefix != "" {
		for _, n := range nodes {
			n.StartLine--
			n.EndLine--
		}
	}
	return nodes, true
}

// relink derives stages and references for an index spliced from prev:
// prev's instructions [a, end) were replaced by added new ones and every
// later offset moved by delta. When the replaced and the new instructions
// hold no FROM and no reference, the stage table keeps its shape: stages
// and references are shifted rather than derived again.
func (next *Index) relink(prev *Index, a, end, added int, delta int) {
	touches := func(insts []*Instruction) bool {
		for _, in := range insts {
			if in.Cmd == "from" || len(in.Refs) > 0 {
				return true
			}
		}
		return false
	}
	if touches(prev.insts[a:end]) || touches(next.insts[a:a+added]) {
		next.link()
		return
	}
	shift := added - (end - a)
	editStart := prev.starts[a]
	next.Stages = make([]Stage, len(prev.Stages))
	copy(next.Stages, prev.Stages)
	for i := range next.Stages {
		st := &next.Stages[i]
		if st.First >= end {
			st.First += shift
			st.NameSpan = shiftAfter(st.NameSpan, editStart, delta)
			st.BaseSpan = shiftAfter(st.BaseSpan, editStart, delta)
		}
		if st.End >= end || st.End > a {
			st.End += shift
			last := next.insts[st.End-1]
			st.Span = Span{next.starts[st.First], next.starts[st.End-1] + last.Len}
		}
	}
	next.Refs = make([]StageRef, len(prev.Refs))
	copy(next.Refs, prev.Refs)
	for i := range next.Refs {
		r := &next.Refs[i]
		if r.Instruction >= end {
			r.Instruction += shift
			r.Span = r.Span.Shift(delta)
		}
	}
}

func shiftAfter(s Span, at, delta int) Span {
	if s.Start >= at {
		return s.Shift(delta)
	}
	return s
}

// stale keeps the last good index for navigation when BuildKit rejects the
// new text: instructions before the edit stay, those after it move by the
// edit's length, and those it touched are dropped.
func (ix *Index) stale(doc *Document, e Edit, err *Error) *Index {
	next := &Index{Doc: doc, Escape: ix.Escape, ParseError: err, Stale: true, Directives: scanDirectives(doc.Text())}
	delta := len(e.Text) - e.Span.Len()
	for i, in := range ix.insts {
		st := ix.starts[i]
		switch {
		case st+in.Len < e.Span.Start:
			next.insts = append(next.insts, in)
			next.starts = append(next.starts, st)
		case st > e.Span.End:
			next.insts = append(next.insts, in)
			next.starts = append(next.starts, st+delta)
		}
	}
	next.link()
	return next
}
