package analysis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Graph is the stage graph of a Dockerfile: which stage builds on or copies
// from which, with the build targets and the stages no target reaches.
type Graph struct {
	Stages []GraphStage `json:"stages"`
	Edges  []GraphEdge  `json:"edges"`
}

// GraphStage is one stage in a Graph.
type GraphStage struct {
	Index  int    `json:"index"`
	Name   string `json:"name,omitempty"`
	Label  string `json:"label"`
	Base   string `json:"base"`
	Offset int    `json:"-"`
	Target bool   `json:"target"`
	Final  bool   `json:"final"`
	Unused bool   `json:"unused"`

	// Description is the stage's description, as BuildKit's outline reads it.
	Description string `json:"description,omitempty"`
}

// GraphEdge says that stage To uses stage From: as its base (RefFrom), by
// copying (RefCopyFrom) or through a mount (RefMountFrom). Variable marks an
// edge from a reference built from variables, which may reach any stage
// whose name fits its pattern.
type GraphEdge struct {
	From     int    `json:"from"`
	To       int    `json:"to"`
	Kind     string `json:"kind"`
	Variable bool   `json:"variable,omitempty"`
}

// Edges returns every use of one stage by another, once per kind, in
// document order. References built from variables give an edge to each
// earlier stage their pattern can match.
func (ix *Index) Edges() []GraphEdge {
	var out []GraphEdge
	seen := map[GraphEdge]bool{}
	add := func(e GraphEdge) {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	for _, r := range ix.Refs() {
		if r.Stage < 0 {
			continue
		}
		switch r.Resolution {
		case ResolvesStage:
			add(GraphEdge{From: r.Target, To: r.Stage, Kind: r.Kind.String()})
		case ResolvesVariable:
			for _, s := range ix.StagesMatching(r.Value, r.Stage) {
				add(GraphEdge{From: s, To: r.Stage, Kind: r.Kind.String(), Variable: true})
			}
		}
	}
	return out
}

var varPattern = regexp.MustCompile(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// StagesMatching returns the stages before stage `before` whose name a
// reference built from variables, such as `runtime-${ENV}`, could spell,
// whatever values its variables take.
func (ix *Index) StagesMatching(value string, before int) []int {
	parts := varPattern.Split(value, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(strings.ToLower(p))
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	if err != nil {
		return nil
	}
	var out []int
	for s := 0; s < min(before, len(ix.stages)); s++ {
		if name := ix.inst(ix.stages[s].first).Name; name != nil && re.MatchString(strings.ToLower(name.Value)) {
			out = append(out, s)
		}
	}
	return out
}

// Reachable returns, for each stage, whether building one of targets
// builds it. Variable references count as reaching every stage they could
// name.
func (ix *Index) Reachable(targets []int) []bool {
	uses := make([][]int, len(ix.stages))
	for _, e := range ix.Edges() {
		uses[e.To] = append(uses[e.To], e.From)
	}
	reached := make([]bool, len(ix.stages))
	stack := append([]int(nil), targets...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s < 0 || s >= len(reached) || reached[s] {
			continue
		}
		reached[s] = true
		stack = append(stack, uses[s]...)
	}
	return reached
}

// Targets returns the stages named by targets (case-insensitively) and the
// last stage, which a plain build produces.
func (ix *Index) Targets(names []string) []int {
	var out []int
	if n := len(ix.stages); n > 0 {
		out = append(out, n-1)
	}
	for _, name := range names {
		if s := ix.StageByName(name); s >= 0 {
			out = append(out, s)
		}
	}
	return out
}

// Graph returns the stage graph with the given build targets (besides the
// last stage).
func (ix *Index) Graph(targetNames []string) Graph {
	targets := ix.Targets(targetNames)
	reached := ix.Reachable(targets)
	isTarget := map[int]bool{}
	for _, t := range targets {
		isTarget[t] = true
	}
	g := Graph{Stages: make([]GraphStage, 0, len(ix.stages)), Edges: ix.Edges()}
	for s := range ix.stages {
		st := ix.Stage(s)
		g.Stages = append(g.Stages, GraphStage{
			Index: s, Name: st.Name, Label: ix.StageLabel(s), Base: st.Base, Description: ix.StageDescription(s), Offset: st.Span.Start,
			Target: isTarget[s], Final: s == len(ix.stages)-1, Unused: !reached[s],
		})
	}
	if g.Edges == nil {
		g.Edges = []GraphEdge{}
	}
	return g
}

// Mermaid renders the graph as a Mermaid flowchart: an arrow from each
// stage to the stages that use it, targets in bold, unused stages dashed.
func (g Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for _, s := range g.Stages {
		fmt.Fprintf(&b, "  s%d[\"%s<br/><small>%s</small>\"]\n", s.Index, mermaidText(s.Label), mermaidText(s.Base))
	}
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Variable {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  s%d %s|%s| s%d\n", e.From, arrow, e.Kind, e.To)
	}
	for _, s := range g.Stages {
		switch {
		case s.Target:
			fmt.Fprintf(&b, "  style s%d stroke-width:3px\n", s.Index)
		case s.Unused:
			fmt.Fprintf(&b, "  style s%d stroke-dasharray:5 5\n", s.Index)
		}
	}
	return b.String()
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;").Replace(s)
}

// Dot renders the graph in Graphviz's language.
func (g Graph) Dot() string {
	var b strings.Builder
	b.WriteString("digraph stages {\n  rankdir=TB;\n  node [shape=box];\n")
	for _, s := range g.Stages {
		attrs := fmt.Sprintf("label=%s", strconv.Quote(s.Label+"\n"+s.Base))
		switch {
		case s.Target:
			attrs += ", penwidth=3"
		case s.Unused:
			attrs += ", style=dashed"
		}
		fmt.Fprintf(&b, "  s%d [%s];\n", s.Index, attrs)
	}
	for _, e := range g.Edges {
		style := ""
		if e.Variable {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  s%d -> s%d [label=%s%s];\n", e.From, e.To, strconv.Quote(e.Kind), style)
	}
	b.WriteString("}\n")
	return b.String()
}
