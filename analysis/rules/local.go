package rules

import (
	"hash/maphash"

	"github.com/stagehand-ls/stagehand/analysis"
)

// A local rule looks at one instruction at a time and at nothing else: not
// the stage it is in, not the file's other instructions, not the settings.
// It is PerStage, and more: in an incremental run its findings are also
// kept per instruction, by the hash of the instruction's text (with the
// escape character), so that in a changed stage it runs again only on the
// instructions that changed.

// localKey names the findings of one local rule on one instruction text.
type localKey struct {
	rule string
	hash uint64
}

// localFindings are the findings of the last run and of this one.
type localFindings struct {
	seed       maphash.Seed
	prev, next map[localKey][]Diagnostic
}

// runLocal runs a local rule over the instructions it looks at.
func runLocal(p *Pass) {
	r := p.Rule
	each := func(n analysis.Node) {
		if p.run == nil || p.run.local == nil {
			r.Local(p, n)
			return
		}
		lf := p.run.local
		var h maphash.Hash
		h.SetSeed(lf.seed)
		h.WriteByte(p.Index.Escape)
		h.WriteString(p.Text(n.Span()))
		k := localKey{r.Name, h.Sum64()}
		found, ok := lf.next[k]
		if !ok {
			found, ok = lf.prev[k]
		}
		if ok {
			lf.next[k] = found
			for _, d := range found {
				p.out = append(p.out, mapSpans(d, func(s analysis.Span) analysis.Span { return s.Shift(n.Start) }))
			}
			return
		}
		before := len(p.out)
		r.Local(p, n)
		found = make([]Diagnostic, 0, len(p.out)-before)
		for _, d := range p.out[before:] {
			inside := true
			rel := mapSpans(d, func(s analysis.Span) analysis.Span {
				inside = inside && s.Start >= n.Start && s.End <= n.Start+n.Len && s.Start <= s.End
				return s.Shift(-n.Start)
			})
			if !inside {
				return // a finding outside the instruction: not kept
			}
			found = append(found, rel)
		}
		lf.next[k] = found
	}
	if len(r.Cmds) > 0 {
		for _, n := range p.NodesOf(r.Cmds...) {
			each(n)
		}
		return
	}
	p.eachNode(each)
}
