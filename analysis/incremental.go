package analysis

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Update returns the index of doc, the document that e turned ix.Doc into.
//
// It re-parses only the instructions the edit touches, from the start of
// the one it begins in to the end of the one after it: BuildKit's parser
// carries no state between complete instructions except the escape token,
// so if the instruction after the edit comes out of the re-parse as it went
// in, everything after it is unchanged but for its offset. An edit that
// cannot change how lines group (typing within a line) re-parses its own
// instruction alone. Where the edit cannot be localised (the directive
// block, a lone "\r", a heredoc or continuation that now runs on) it parses
// the whole text. The contract: the result equals Parse(doc).
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
	if ix.ParseError != nil || ix.loneCR || ix.n == 0 || e.Span.Start < ix.start(0) {
		return nil, false
	}
	delta := len(e.Text) - e.Span.Len()
	// Re-parse from the instruction the edit starts in (or after) to the
	// end of one past the instruction it ends in, the sentinel; or, when
	// the edited instruction keeps its lines, that instruction alone.
	a := ix.search(e.Span.Start) - 1
	regionStart := ix.start(a)
	keep := ix.keepsLines(doc, e, a)
	end, regionEnd, sentinel := ix.n, doc.Len(), -1
	switch s := ix.search(e.Span.End); {
	case keep:
		end, regionEnd = a+1, regionStart+ix.inst(a).Len+delta
	case s < ix.n:
		n := ix.Node(s)
		end, regionEnd, sentinel = s+1, n.Start+n.Len+delta, s
	}
	region := doc.Slice(Span{regionStart, regionEnd})
	// A byte-order mark is dropped only at the start of the file.
	if hasLoneCR(region) || strings.HasSuffix(region, "\r") || (regionStart > 0 && strings.HasPrefix(region, "\uFEFF")) {
		return nil, false
	}
	src := newSourceLines(region)
	groups, esc, ok := groupLines(src, ix.Escape)
	if !ok || esc != ix.Escape || groups[0].first != 0 {
		return nil, false
	}
	last := groups[len(groups)-1]
	switch {
	case keep && (len(groups) != 1 || last.last+1 != len(src.start)):
		return nil, false
	case sentinel >= 0:
		want := ix.start(sentinel) + delta - regionStart
		if src.start[last.first] != want || last.last+1 != len(src.start) {
			return nil, false
		}
	}
	v := newValidator(src, ix.Escape, len(groups))
	insts := make([]*Instruction, len(groups))
	starts := make([]int, len(groups))
	for i := range groups {
		if insts[i], ok = v.instruction(&groups[i]); !ok {
			return nil, false
		}
		starts[i] = regionStart + src.start[groups[i].first]
	}
	return ix.splice(doc, a, end, insts, starts, delta), true
}

// splice returns the index of doc in which instructions [a, end) of ix are
// replaced by insts (at document offsets starts) and every later offset is
// moved by delta. Only the blocks holding [a, end) are cut again.
func (ix *Index) splice(doc *Document, a, end int, insts []*Instruction, starts []int, delta int) *Index {
	next := &Index{Doc: doc, Escape: ix.Escape, Directives: ix.Directives, ver: versions.Add(1)}
	next.modelSeed.Store(ix.modelSeed.Load()) // the model reuses the unchanged stages' reading
	next.runs.from = ix.runs.tableOf()        // and the shell reads the unchanged RUNs' reads
	ka, ke := ix.blockOf(a), ix.blockOf(end-1)
	next.blocks = make([]block, 0, len(ix.blocks)+2)
	next.blocks = append(next.blocks, ix.blocks[:ka]...)
	next.bbase = append(make([]int, 0, len(ix.blocks)+2), ix.bbase[:ka]...)
	next.bfirst = append(make([]int, 0, len(ix.blocks)+2), ix.bfirst[:ka]...)
	next.n = ix.bfirst[ka]

	// The touched blocks' instructions, with the new ones in place.
	lastBlock := ix.bfirst[ke] + len(ix.blocks[ke].insts)
	merged := make([]*Instruction, 0, lastBlock-ix.bfirst[ka]+len(insts))
	offs := make([]int, 0, cap(merged))
	// Block by block (inst and start search each instruction's block).
	kept := func(from, to, delta int) {
		for k := ka; k <= ke; k++ {
			b, first := ix.blocks[k], ix.bfirst[k]
			for j := max(from-first, 0); j < min(to-first, len(b.insts)); j++ {
				merged, offs = append(merged, b.insts[j]), append(offs, ix.bbase[k]+b.starts[j]+delta)
			}
		}
	}
	kept(ix.bfirst[ka], a, 0)
	merged, offs = append(merged, insts...), append(offs, starts...)
	kept(end, lastBlock, delta)
	next.appendOwnBlocks(merged, offs, 0) // offs is this splice's own

	shift := len(insts) - (end - a)
	for k := ke + 1; k < len(ix.blocks); k++ {
		next.blocks = append(next.blocks, ix.blocks[k])
		next.bbase = append(next.bbase, ix.bbase[k]+delta)
		next.bfirst = append(next.bfirst, ix.bfirst[k]+shift)
		next.n += len(ix.blocks[k].insts)
	}
	next.relink(ix, a, end, insts, shift, delta)
	if k := next.keptFroms; k != nil {
		k.lo, k.hi, k.at, k.after = ix.bfirst[ka], ix.bfirst[ka]+len(merged), a, a+len(insts)
	}
	return next
}

// relink derives stages and resolutions for an index spliced from prev.
// When the replaced and the new instructions hold the same FROMs (none, or
// a FROM re-read as it was, such as the one after a comment typed in: see
// sameFroms), the stages keep their names and order: their bounds move by
// shift (and their offsets by delta), only the new instructions'
// references are resolved, and the stage views prev built are carried for
// Stages to move into place.
func (next *Index) relink(prev *Index, a, end int, added []*Instruction, shift, delta int) {
	movedA, ok := next.sameFroms(prev, a, end, added, shift, delta)
	if !ok {
		next.link()
		return
	}
	next.byName = prev.byName
	next.stages = prev.stages
	// The stage the edit lies in, whose view is read again; those after
	// it moved.
	s := prev.StageOf(a)
	if movedA {
		s-- // the stage before ends elsewhere; the one at a only moved
	}
	if v := prev.stageViews.Load(); v != nil {
		next.carried = &carriedViews{views: *v, s: s, shift: shift, delta: delta}
	}
	if sd := next.modelSeed.Load(); sd != nil && end > a && prev.ver != 0 && sd.ver == prev.ver {
		// A FROM re-read holds what the seed's did (sameFroms).
		next.keptFroms = &keptFroms{seed: sd, s: s, delta: delta}
	}
	if shift != 0 {
		next.stages = make([]stageRec, len(prev.stages))
		for i, st := range prev.stages {
			// A FROM after a moved by shift (sameFroms); one at a, unless
			// movedA, stays.
			if st.first > a || st.first == a && movedA {
				st.first += shift
			}
			if st.end > a || st.end == a && movedA {
				st.end += shift
			}
			next.stages[i] = st
		}
	}
	for i := range added {
		k := next.blockOf(a + i)
		j := a + i - next.bfirst[k]
		next.resolveBlock(k, j, j+1)
	}
}

// sameFroms reports whether instructions [a, end) of prev, which added
// replace in next, leave every stage as it was but for its place: the
// FROMs among them pair one to one with those among added, each with the
// same text (so the same instruction: the same base, flags and name), and
// each either at a in both (before the edit, where nothing moved) or after
// it, moved by shift instructions and delta bytes like everything past the
// edit (movedA: the FROM at a is such a one, text inserted before it).
// Then the stage names, their order and count are prev's, and no
// reference outside added resolves otherwise.
func (next *Index) sameFroms(prev *Index, a, end int, added []*Instruction, shift, delta int) (movedA, ok bool) {
	j := 0
	for i := a; i < end; i++ {
		if prev.inst(i).Cmd != "from" {
			continue
		}
		for j < len(added) && added[j].Cmd != "from" {
			j++
		}
		if j == len(added) {
			return false, false
		}
		old, now := prev.Node(i), next.Node(a+j)
		stays := i == a && j == 0 && now.Start == old.Start
		moved := !stays && a+j == i+shift && now.Start == old.Start+delta
		if !moved && !stays || now.Len != old.Len || next.Doc.Slice(now.Span()) != prev.Doc.Slice(old.Span()) {
			return false, false
		}
		movedA = movedA || moved && i == a
		j++
	}
	for ; j < len(added); j++ {
		if added[j].Cmd == "from" {
			return false, false
		}
	}
	return movedA, true
}

// keepsLines reports whether edit e, inside instruction a, leaves the lines
// that BuildKit groups into it as they were: the edit stays within one line
// of it, that line keeps its kind (comment, blank, content) and its
// continuation, and no heredoc can start in the instruction before or
// after. Typing in a word is such an edit.
func (ix *Index) keepsLines(doc *Document, e Edit, a int) bool {
	n := ix.Node(a)
	if len(n.Heredocs()) > 0 || e.Span.End > n.Start+n.Len || strings.ContainsAny(e.Text, "\r\n") {
		return false
	}
	old := ix.Doc
	line := old.LineOf(e.Span.Start)
	if old.LineOf(e.Span.End) != line {
		return false
	}
	before := old.Slice(Span{old.LineStart(line), old.LineEnd(line)})
	after := doc.Slice(Span{doc.LineStart(line), doc.LineEnd(line)})
	_, contBefore := continues(before, ix.Escape)
	_, contAfter := continues(after, ix.Escape)
	if strings.Contains(old.Slice(n.Span()), "<<") || strings.Contains(after, "<<") {
		return false
	}
	return contBefore == contAfter &&
		isCommentLine(before) == isCommentLine(after) &&
		isSpaceOnly(before) == isSpaceOnly(after) &&
		!strings.HasPrefix(strings.TrimSpace(before), "\uFEFF") && !strings.HasPrefix(strings.TrimSpace(after), "\uFEFF")
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

// stale keeps the last good index for navigation when BuildKit rejects the
// new text: instructions before the edit stay, those after it move by the
// edit's length, and those it touched are dropped.
func (ix *Index) stale(doc *Document, e Edit, err *Error) *Index {
	next := &Index{Doc: doc, Escape: ix.Escape, ParseError: err, Stale: true, Directives: scanDirectives(doc.Text())}
	delta := len(e.Text) - e.Span.Len()
	var insts []*Instruction
	var starts []int
	for i := 0; i < ix.n; i++ {
		n := ix.Node(i)
		switch {
		case n.Start+n.Len < e.Span.Start:
			insts, starts = append(insts, n.Instruction), append(starts, n.Start)
		case n.Start > e.Span.End:
			insts, starts = append(insts, n.Instruction), append(starts, n.Start+delta)
		}
	}
	next.appendBlocks(insts, starts, 0)
	next.link()
	return next
}
