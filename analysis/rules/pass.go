package rules

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Pass is one rule's run over one index.
type Pass struct {
	Index  *analysis.Index
	Config *Config
	Rule   *Rule
	out    []Diagnostic
	facts  *facts
	// want, when set, holds the stages whose findings the run needs: a
	// PerStage rule may skip the others (see incremental.go). The
	// instructions before the first FROM are always wanted.
	want []bool
	run  *runCtx // nil outside Run
}

// stageSummary returns a small fact about stage s that f computes from
// its instructions alone; an incremental run keeps it by the hash of the
// stage's text, so a whole-file rule adds up summaries instead of reading
// every instruction.
func (p *Pass) stageSummary(kind summaryKind, s int, f func([]analysis.Node) any) any {
	if p.run == nil || p.run.own == nil {
		st := p.Index.Stages().At(s)
		return f(p.nodesIn(st.First, st.End))
	}
	if kept := p.run.sums.stage[s]; kept != nil && kept[kind] != nil {
		return kept[kind]
	}
	m := p.run.sums.of(s, p.run.own[s])
	v := m[kind]
	if v == nil {
		v = f(p.run.stageNodes(p.Index, s, p.Index.Stages().At(s)))
		m[kind] = v
	}
	return v
}

// stagesWith returns the stages whose summary of kind (stageSummary)
// nonzero holds, in order. An incremental run takes the last run's list
// when the stages are as many, and looks again only at the stages whose
// text changed, so that a whole-file rule reads the few stages that hold
// something instead of every stage's summary.
func (p *Pass) stagesWith(kind summaryKind, f func([]analysis.Node) any, nonzero func(any) bool) []int {
	rc := p.run
	if rc == nil || rc.own == nil || rc.cache == nil {
		var out []int
		for s := range p.Index.StageCount() {
			if nonzero(p.stageSummary(kind, s, f)) {
				out = append(out, s)
			}
		}
		return out
	}
	if out, ok := rc.with[kind]; ok {
		return out
	}
	out, ok := rc.cache.with[kind]
	if ok && rc.sameCount {
		for _, s := range rc.changed {
			in := nonzero(p.stageSummary(kind, s, f))
			if i, found := slices.BinarySearch(out, s); in != found {
				out = slices.Clone(out) // the last run's: never written
				if in {
					out = slices.Insert(out, i, s)
				} else {
					out = slices.Delete(out, i, i+1)
				}
			}
		}
	} else {
		out = nil
		for s := range p.Index.StageCount() {
			if nonzero(p.stageSummary(kind, s, f)) {
				out = append(out, s)
			}
		}
	}
	if rc.with == nil {
		rc.with = map[summaryKind][]int{}
	}
	rc.with[kind] = out
	return out
}

// eachNode calls f with every instruction before the first FROM and in
// the wanted stages, in order.
func (p *Pass) eachNode(f func(analysis.Node)) {
	ix := p.Index
	if p.want == nil {
		for _, n := range p.Nodes() {
			f(n)
		}
		return
	}
	if p.facts != nil && p.facts.wantNodes != nil {
		for _, n := range p.facts.wantNodes {
			f(n)
		}
		return
	}
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	// Read once a run: every rule walks the same instructions.
	nodes := ix.AppendNodes([]analysis.Node{}, 0, end)
	all := ix.Stages()
	for s, w := range p.want {
		if w {
			sp := all.At(s)
			nodes = ix.AppendNodes(nodes, sp.First, sp.End)
		}
	}
	if p.facts != nil {
		p.facts.wantNodes = nodes
	}
	for _, n := range nodes {
		f(n)
	}
}

// wantedStages yields the stages the run needs, with their numbers, in
// order.
func (p *Pass) wantedStages() iter.Seq2[int, analysis.Stage] {
	all := p.Index.Stages()
	if p.want == nil {
		return all.All()
	}
	if p.facts != nil && p.facts.wanted != nil {
		return p.facts.wanted
	}
	var out []analysis.Stage
	for s := range all.Len() {
		if p.want[s] {
			out = append(out, all.At(s))
		}
	}
	seq := func(yield func(int, analysis.Stage) bool) {
		for _, st := range out {
			if !yield(st.Index, st) {
				return
			}
		}
	}
	if p.facts != nil {
		p.facts.wanted = seq
	}
	return seq
}

// refs returns the stage references of the instructions before the first
// FROM and of the wanted stages, in document order. The slice is shared:
// do not change it.
func (p *Pass) refs() []analysis.StageRef {
	m := p.Index.Model()
	if p.want == nil {
		return m.Refs()
	}
	if p.facts != nil && p.facts.refsRead {
		return p.facts.refs
	}
	// Only the wanted stages' references: the whole list is not built.
	out := slices.Collect(m.RefsIn(-1))
	for s, w := range p.want {
		if w {
			for r := range m.RefsIn(s) {
				out = append(out, r)
			}
		}
	}
	if p.facts != nil {
		p.facts.refs, p.facts.refsRead = out, true
	}
	return out
}

// nodesIn returns instructions [first, end).
func (p *Pass) nodesIn(first, end int) []analysis.Node {
	if p.facts != nil && p.facts.nodes != nil && p.want == nil {
		return p.facts.nodes[first:end]
	}
	if rc := p.run; rc != nil {
		// A stage's instructions, with or without its FROM, are read
		// once a run, for every rule that reads them (and stageSummary).
		if s := p.Index.StageOf(first); s >= 0 {
			if st := p.Index.Stages().At(s); end == st.End && (first == st.First || first == st.First+1) {
				nodes := rc.stageNodes(p.Index, s, st)
				return nodes[first-st.First : len(nodes) : len(nodes)]
			}
		}
	}
	return p.Index.AppendNodes(make([]analysis.Node, 0, max(end-first, 0)), first, end)
}

// stageNodes returns stage s's instructions, FROM first, read once a run.
// The slice is shared: do not change it.
func (rc *runCtx) stageNodes(ix *analysis.Index, s int, st analysis.Stage) []analysis.Node {
	nodes, ok := rc.summed[s]
	if !ok {
		nodes = ix.AppendNodes(make([]analysis.Node, 0, st.End-st.First), st.First, st.End)
		if rc.summed == nil {
			rc.summed = map[int][]analysis.Node{}
		}
		rc.summed[s] = nodes
	}
	return nodes
}

// facts are views of the index that several rules need, computed once per
// run and shared by its passes.
type facts struct {
	nodes []analysis.Node
	byCmd map[string][]analysis.Node
	slots [][]int // instruction numbers by cmdSlot
	// wanted yields the stages a run that wants some only looks at.
	wanted iter.Seq2[int, analysis.Stage]
	// wantNodes are the instructions a run that wants some stages looks
	// at (eachNode), once read.
	wantNodes []analysis.Node
	// refs are the references of a run that wants some stages (refs),
	// once read.
	refs     []analysis.StageRef
	refsRead bool
}

// Nodes returns every instruction in place, in order, whatever the stages
// wanted.
func (p *Pass) Nodes() []analysis.Node {
	if p.want != nil {
		full := &Pass{Index: p.Index}
		return full.Nodes()
	}
	p.ensureFacts()
	return p.facts.nodes
}

// NodesOf returns the instructions whose keyword is cmd (lower case),
// before the first FROM and in the wanted stages. The slice is shared: do
// not change it.
func (p *Pass) NodesOf(cmds ...string) []analysis.Node {
	if p.want != nil {
		return p.wantedNodesOf(cmds)
	}
	p.ensureFacts()
	key := strings.Join(cmds, " ")
	if out, ok := p.facts.byCmd[key]; ok {
		return out
	}
	var idx []int
	for _, c := range cmds {
		idx = append(idx, p.facts.slots[cmdSlot(c)]...)
	}
	if len(cmds) > 1 {
		slices.Sort(idx)
	}
	out := make([]analysis.Node, 0, len(idx))
	for _, i := range idx {
		if n := p.facts.nodes[i]; slices.Contains(cmds, n.Cmd) {
			out = append(out, n)
		}
	}
	p.facts.byCmd[key] = out
	return out
}

// wantedNodesOf is NodesOf for a run that wants some stages only.
func (p *Pass) wantedNodesOf(cmds []string) []analysis.Node {
	if p.facts == nil {
		p.facts = &facts{}
	}
	if p.facts.byCmd == nil {
		p.facts.byCmd = map[string][]analysis.Node{}
	}
	key := strings.Join(cmds, " ")
	if out, ok := p.facts.byCmd[key]; ok {
		return out
	}
	out := []analysis.Node{}
	p.eachNode(func(n analysis.Node) {
		if slices.Contains(cmds, n.Cmd) {
			out = append(out, n)
		}
	})
	p.facts.byCmd[key] = out
	return out
}

// cmdSlots names the instructions NodesOf groups (the instruction table's);
// others share a slot.
var cmdSlots = func() []string {
	var names []string
	for _, in := range analysis.Instructions {
		names = append(names, strings.ToLower(in.Name))
	}
	return names
}()

func cmdSlot(cmd string) int {
	if i := slices.Index(cmdSlots, cmd); i >= 0 {
		return i
	}
	return len(cmdSlots)
}

// GlobalEnv returns the global ARGs of a build with no build arguments on
// the default platform, as the build model computes them.
func (p *Pass) GlobalEnv() shell.EnvGetter {
	return p.Index.Model().GlobalArgs(analysis.DefaultPlatform)
}

// getVar returns the value of name in env, "" when it is not set.
func getVar(env shell.EnvGetter, name string) string {
	v, _ := env.Get(name)
	return v
}

func (p *Pass) ensureFacts() {
	if p.facts == nil {
		p.facts = &facts{}
	}
	if p.facts.nodes != nil {
		return
	}
	ix := p.Index
	p.facts.nodes = ix.AppendNodes(make([]analysis.Node, 0, ix.Len()), 0, ix.Len())
	p.facts.byCmd = map[string][]analysis.Node{}
	p.facts.slots = make([][]int, len(cmdSlots)+1)
	for i, n := range p.facts.nodes {
		k := cmdSlot(n.Cmd)
		p.facts.slots[k] = append(p.facts.slots[k], i)
	}
}

// Doc returns the document the index was built from.
func (p *Pass) Doc() *analysis.Document { return p.Index.Doc }

// Text returns the text of span.
func (p *Pass) Text(s analysis.Span) string { return p.Index.Doc.Slice(s) }

// Report records d; an unset severity is the rule's default.
func (p *Pass) Report(d Diagnostic) {
	d.Rule = p.Rule.Name
	if d.Severity == Off {
		d.Severity = p.Rule.Severity
	}
	if d.Tags == nil {
		d.Tags = p.Rule.Tags
	}
	p.out = append(p.out, d)
}

// Reportf records a diagnostic at span with a formatted message and fixes.
func (p *Pass) Reportf(span analysis.Span, fixes []Fix, format string, args ...any) {
	p.Report(Diagnostic{Span: span, Message: fmt.Sprintf(format, args...), Fixes: fixes})
}

// Ignore returns the matcher of the .dockerignore beside the Dockerfile,
// or nil when there is none.
func (p *Pass) Ignore() *patternmatcher.PatternMatcher {
	if p.Config == nil {
		return nil
	}
	return p.Config.Ignore
}

// replace returns an edit that replaces span with text.
func replace(span analysis.Span, text string) analysis.Edit {
	return analysis.Edit{Span: span, Text: text}
}

// fix returns a one-edit fix.
func fix(title string, preferred bool, edits ...analysis.Edit) []Fix {
	return []Fix{{Title: title, Edits: edits, Preferred: preferred}}
}
