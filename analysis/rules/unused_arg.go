package rules

import (
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UnusedGlobalArg = register(&Rule{
	Name:     "UnusedGlobalArg",
	Summary:  "A global `ARG` (before the first `FROM`) that no `FROM` reads and no stage declares again.",
	Severity: Information,
	Tags:     []Tag{Unnecessary},
	Doc: `An ` + "`ARG`" + ` before the first ` + "`FROM`" + ` is in the global scope: only ` + "`FROM`" + ` lines (and
other global ` + "`ARG`" + ` defaults) can read it, and a stage sees it only after declaring it
again with ` + "`ARG <name>`" + `. One that none of them reads does nothing: often a
leftover, or a variable meant for a stage that forgot to declare it.

Names BuildKit itself reads (` + "`BUILDKIT_*`" + `, ` + "`SOURCE_DATE_EPOCH`" + `) are not reported.
The fix removes the declaration.`,
	Bad: `ARG GO_VERSION=1.23
ARG UNUSED=1
FROM golang:${GO_VERSION}
`,
	Good: `ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}
`,
	Run: runUnusedGlobalArg,
})

var UnusedStageArg = register(&Rule{
	Name:     "UnusedStageArg",
	Summary:  "An `ARG` in a stage that nothing after it reads, in the stage or in the stages built on it.",
	Severity: Information,
	Tags:     []Tag{Unnecessary},
	Doc: `An ` + "`ARG`" + ` declared in a stage is visible to the rest of that stage and to the
stages built on it (` + "`FROM <stage>`" + `, which inherit its build args): to the
instructions that expand it (` + "`$NAME`" + `) and, as an environment variable, to every
` + "`RUN`" + ` (` + "`ARG DEBIAN_FRONTEND=noninteractive`" + ` works without a ` + "`$`" + `). An ` + "`ARG`" + ` that
none of them mentions, with no ` + "`RUN`" + ` among them, can have no effect.

A ` + "`RUN`" + ` after the ` + "`ARG`" + ` (in the stage or a stage built on it) may read the variable
from its environment, so it is never reported then; a stage built ` + "`FROM`" + ` a
variable may be built on any earlier stage. The fix removes the declaration.`,
	Bad: `FROM alpine
ARG VERSION=1.0
COPY app /app
`,
	Good: `FROM alpine
ARG VERSION=1.0
COPY app-${VERSION} /app
`,
	Run: runUnusedStageArg,
})

// readByBuildKit reports whether BuildKit itself reads a build arg.
func readByBuildKit(name string) bool {
	return strings.HasPrefix(name, "BUILDKIT_") || name == "SOURCE_DATE_EPOCH"
}

var (
	readsGlobalArgsSummary = newSummaryKind("reads-global-args")
	unreadStageArgsSummary = newSummaryKind("unread-stage-args")
)

func runUnusedGlobalArg(p *Pass) {
	ix := p.Index
	if ix.StageCount() == 0 {
		return
	}
	first := ix.Stage(0).First
	pre := p.nodesIn(0, first)
	// The global ARGs that could be reported, until a read is found: the
	// stages are asked only while one is left.
	unread := map[string]bool{}
	for _, n := range pre {
		if n.Cmd == "arg" {
			for _, d := range n.Decls {
				if !readByBuildKit(d.Name.Value) {
					unread[d.Name.Value] = true
				}
			}
		}
	}
	for _, n := range pre {
		for _, u := range n.Uses {
			delete(unread, u.Name.Value)
		}
	}
	for s := 0; s < ix.StageCount() && len(unread) > 0; s++ {
		for _, name := range p.stageSummary(readsGlobalArgsSummary, s, globalArgReads).([]string) {
			delete(unread, name)
		}
	}
	for _, n := range pre {
		if n.Cmd != "arg" {
			continue
		}
		for _, d := range n.Decls {
			name := d.Name.Value
			if !unread[name] {
				continue
			}
			p.Reportf(n.Abs(d.Name.Span), removeDeclFix(p, n, d), "Global ARG %s is never used: no FROM reads it and no stage declares it again with `ARG %s`", name, name)
		}
	}
}

// globalArgReads lists the names a stage's instructions may read from the
// global ARGs: those its FROM uses and those it declares without a default.
func globalArgReads(nodes []analysis.Node) any {
	var out []string
	for _, n := range nodes {
		switch n.Cmd {
		case "from":
			for _, u := range n.Uses {
				out = append(out, strings.Clone(u.Name.Value)) // kept: no slice of the text
			}
		case "arg":
			for _, d := range n.Decls {
				if !d.HasDefault {
					out = append(out, strings.Clone(d.Name.Value)) // imports the global value
				}
			}
		}
	}
	return out
}

func runUnusedStageArg(p *Pass) {
	ix := p.Index
	stages := ix.Stages()
	// The stages built on s, directly or not, are those below it in the
	// tree of FROMs (a stage is built on an earlier one), and the later
	// stages built FROM a variable, which count as built on every earlier
	// stage. The search stops at the first that reads the name. Most
	// ARGs are read in their own stage (a stage summary), so the tree is
	// built only for those that are not.
	var children [][]int
	var variable []int
	tree := func() {
		children = make([][]int, stages.Len())
		for t, st := range stages.All() {
			for _, r := range ix.Node(st.First).Refs {
				if r.Kind == analysis.RefFrom && r.Resolution == analysis.ResolvesVariable {
					variable = append(variable, t)
					break
				}
			}
			if b := st.BaseStage; b >= 0 && b < t {
				children[b] = append(children[b], t)
			}
		}
	}
	reads := func(t int, name string) bool {
		return stageReads(p.nodesIn(stages.At(t).First+1, stages.At(t).End), name)
	}
	builtOnReads := func(s int, name string) bool {
		if children == nil {
			tree()
		}
		below := append([]int(nil), children[s]...)
		for len(below) > 0 {
			t := below[len(below)-1]
			below = below[:len(below)-1]
			if reads(t, name) {
				return true
			}
			below = append(below, children[t]...)
		}
		for _, t := range variable[sort.SearchInts(variable, s+1):] {
			if reads(t, name) {
				return true
			}
		}
		return false
	}
	for _, s := range p.stagesWith(unreadStageArgsSummary, unreadStageArgs, func(v any) bool { return len(v.([]declAt)) > 0 }) {
		for _, a := range p.stageSummary(unreadStageArgsSummary, s, unreadStageArgs).([]declAt) {
			n := ix.Node(stages.At(s).First + a.inst)
			d := n.Decls[a.decl]
			if builtOnReads(s, d.Name.Value) {
				continue
			}
			p.Reportf(n.Abs(d.Name.Span), removeDeclFix(p, n, d), "ARG %s is never used: no later instruction of its stage, or of a stage built on it, mentions it, and no RUN follows to read it from the environment", d.Name.Value)
		}
	}
}

// declAt places a declaration in a stage: its instruction, counted from
// the FROM, and its place among the instruction's declarations.
type declAt struct{ inst, decl int }

// unreadStageArgs lists the ARGs of a stage (its instructions, FROM
// first) that nothing after them in the stage may read.
func unreadStageArgs(nodes []analysis.Node) any {
	var out []declAt
	for k := 1; k < len(nodes); k++ {
		n := nodes[k]
		if n.Cmd != "arg" {
			continue
		}
		for j, d := range n.Decls {
			if !readByBuildKit(d.Name.Value) && !stageReads(nodes[k+1:], d.Name.Value) {
				out = append(out, declAt{k, j})
			}
		}
	}
	return out
}

// stageReads reports whether one of nodes may read build arg name: a RUN
// (through its environment) or an instruction that mentions it.
func stageReads(nodes []analysis.Node, name string) bool {
	for _, n := range nodes {
		if n.Cmd == "run" || n.Cmd == "onbuild" {
			return true
		}
		for _, u := range n.Uses {
			if u.Name.Value == name {
				return true
			}
		}
		if n.Cmd == "arg" {
			for _, d := range n.Decls {
				if d.Name.Value == name {
					// Declared again: with a default it shadows this one;
					// without, it may take the inherited value.
					return !d.HasDefault
				}
			}
		}
	}
	return false
}

// removeDeclFix removes declaration d: the whole instruction when it is the
// only one, else the declaration and the blank before it.
func removeDeclFix(p *Pass, n analysis.Node, d analysis.VarDecl) []Fix {
	title := "Remove ARG " + d.Name.Value
	if len(n.Decls) == 1 {
		return fix(title, false, deleteLines(p.Doc(), n.Span()))
	}
	end := n.Abs(d.Name.Span).End
	if d.HasDefault {
		end = n.Abs(d.Value.Span).End
		if raw := p.Text(analysis.Span{Start: end, End: min(end+1, p.Doc().Len())}); raw == `"` || raw == "'" {
			end++
		}
	}
	start := n.Abs(d.Name.Span).Start
	for start > n.Start && strings.ContainsAny(p.Text(analysis.Span{Start: start - 1, End: start}), " \t") {
		start--
	}
	return fix(title, false, replace(analysis.Span{Start: start, End: end}, ""))
}
