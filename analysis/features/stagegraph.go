package features

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Graph is the stage graph of a Dockerfile: which stage builds on or copies
// from which, with the build targets and the stages no target reaches. A
// reference built from variables is one edge to a pattern node, which lists
// the stages it can name once: the graph grows with the file, not with its
// square.
type Graph struct {
	Stages   []GraphStage   `json:"stages"`
	Edges    []GraphEdge    `json:"edges"`
	Patterns []GraphPattern `json:"patterns,omitempty"`
	Contexts []GraphContext `json:"contexts,omitempty"`
}

// GraphStage is one stage in a Graph.
type GraphStage struct {
	Index  int    `json:"index"`
	Name   string `json:"name,omitempty"`
	Label  string `json:"label"`
	Base   string `json:"base"`
	Offset int    `json:"-"`
	// Target marks a build target: the last stage or one named by the
	// caller (`--target`, the targets setting, or a file of the project).
	Target bool `json:"target"`
	Final  bool `json:"final"`
	Unused bool `json:"unused"`
	// Replaced names the context node that replaces the stage: BuildKit
	// uses the named context and builds none of the stage's instructions.
	Replaced string `json:"replaced,omitempty"`

	// Description is the stage's description, as BuildKit's outline reads it.
	Description string `json:"description,omitempty"`
}

// GraphEdge says that stage To uses stage From: as its base (RefFrom), by
// copying (RefCopyFrom), through a mount (RefMountFrom) or in an ONBUILD
// trigger. For a reference built from variables, From is -1 and Pattern
// names the pattern node it goes through; Variable marks it. For a
// reference that resolves to a named build context, From is -1 and Context
// names the context node.
type GraphEdge struct {
	From     int    `json:"from"`
	To       int    `json:"to"`
	Kind     string `json:"kind"`
	Variable bool   `json:"variable,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
	Context  string `json:"context,omitempty"`
	Onbuild  bool   `json:"onbuild,omitempty"`
}

// GraphContext is a named build context the workspace gives the
// Dockerfile that a reference of the file resolves to (Kind "context"),
// labelled with its name and value; Source says which file gives it.
type GraphContext struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Value  string `json:"value"`
	Label  string `json:"label"`
	Source string `json:"source"`
}

// GraphPattern is a reference built from variables, with the stages it can
// name; Default is the stage a build without build arguments picks, or -1.
type GraphPattern struct {
	ID      string `json:"id"`
	Value   string `json:"value"`
	Stages  []int  `json:"stages"`
	Default int    `json:"default"`
}

// Edges returns every use of one stage by another, once per kind, in
// document order; references built from variables give one edge to their
// pattern (when the pattern can name a stage). It stops early with ctx's
// error when ctx is cancelled.
func Edges(ctx context.Context, ix *analysis.Index) ([]GraphEdge, error) {
	edges, _, err := edgesIn(ctx, ix, nil)
	return edges, err
}

// edgesIn is Edges for a build given the named contexts: a reference that
// resolves to one is an edge from its context node, listed in contexts in
// the order first used.
func edgesIn(ctx context.Context, ix *analysis.Index, named []analysis.NamedContext) ([]GraphEdge, []GraphContext, error) {
	var out []GraphEdge
	var nodes []GraphContext
	ids := map[string]string{}
	seen := map[GraphEdge]bool{}
	m := ix.Model()
	for k, r := range m.Refs() {
		if err := analysis.Cancelled(ctx, k); err != nil {
			return nil, nil, err
		}
		if r.Stage < 0 || (r.Pattern >= 0 && len(m.Candidates(r)) == 0) {
			continue // a pattern that can name no earlier stage is an image
		}
		e := GraphEdge{From: r.Target, To: r.Stage, Kind: r.Kind.String(), Onbuild: r.Onbuild}
		res, c := r.Resolution, analysis.NamedContext{}
		if r.Pattern < 0 && len(named) > 0 {
			res, c = m.ResolveIn(r, named)
		}
		switch {
		case r.Pattern >= 0:
			e.From, e.Variable, e.Pattern = -1, true, patternID(r.Pattern)
		case res == analysis.ResolvesContext:
			id, ok := ids[c.Name]
			if !ok {
				id = "c" + strconv.Itoa(len(nodes))
				ids[c.Name] = id
				nodes = append(nodes, contextNode(id, c))
			}
			e.From, e.Context = -1, id
		case res != analysis.ResolvesStage:
			continue
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	// A RUN mount without from= uses the stage named scratch.
	if sc := m.ScratchStage(); sc >= 0 {
		for s := range ix.StageCount() {
			if s != sc && m.MountsWithoutFrom(s) {
				out = append(out, GraphEdge{From: sc, To: s, Kind: analysis.RefMountFrom.String()})
			}
		}
	}
	return out, nodes, nil
}

func contextNode(id string, c analysis.NamedContext) GraphContext {
	return GraphContext{ID: id, Kind: "context", Name: c.Name, Value: c.Value, Label: c.Name + " = " + c.Value, Source: c.Source}
}

func patternID(p int) string { return "p" + strconv.Itoa(p) }

// StageGraph returns the stage graph of a build of the given targets
// (besides the last stage) given the named contexts the workspace gives
// the Dockerfile (nil for none): references resolving to a context come
// from a context node, a stage a context replaces says so (Replaced) and, like
// what only it uses, is not built (Unused), as UnusedStage reports. It stops early with
// ctx's error when ctx is cancelled.
func StageGraph(ctx context.Context, ix *analysis.Index, buildTargets []string, named []analysis.NamedContext) (Graph, error) {
	m := ix.Model()
	targets := ix.BuildTargets(buildTargets)
	reached := m.ReachableIn(targets, named)
	isTarget := map[int]bool{}
	for _, t := range targets {
		isTarget[t] = true
	}
	edges, nodes, err := edgesIn(ctx, ix, named)
	if err != nil {
		return Graph{}, err
	}
	g := Graph{Stages: make([]GraphStage, 0, ix.StageCount()), Edges: edges, Contexts: nodes}
	for s := range ix.StageCount() {
		if err := analysis.Cancelled(ctx, s); err != nil {
			return Graph{}, err
		}
		st := ix.Stage(s)
		g.Stages = append(g.Stages, GraphStage{
			Index: s, Name: st.Name, Label: ix.StageLabel(s), Base: st.Base, Description: ix.StageDescription(s), Offset: st.Span.Start,
			Target: isTarget[s], Final: s == ix.StageCount()-1, Unused: !reached[s],
		})
		if c, ok := m.ReplacedBy(s, named); ok {
			id, seen := "", false
			for _, n := range g.Contexts {
				if n.Name == c.Name {
					id, seen = n.ID, true
				}
			}
			if !seen {
				id = "c" + strconv.Itoa(len(g.Contexts))
				g.Contexts = append(g.Contexts, contextNode(id, c))
			}
			g.Stages[s].Replaced = id
		}
	}
	if g.Edges == nil {
		g.Edges = []GraphEdge{}
	}
	defaults := make([]int, len(m.Patterns()))
	last := make([]int, len(m.Patterns())) // the last stage holding the pattern
	for i := range defaults {
		defaults[i], last[i] = -1, -1
	}
	for _, r := range m.Refs() {
		if r.Pattern >= 0 && defaults[r.Pattern] < 0 {
			defaults[r.Pattern] = r.Target
		}
		if r.Pattern >= 0 {
			last[r.Pattern] = max(last[r.Pattern], r.Stage)
		}
	}
	for p, pat := range m.Patterns() {
		// A reference names only stages before its own (BuildKit looks a
		// name up before it registers the stage's own).
		stages := slices.DeleteFunc(slices.Clone(pat.Stages), func(s int) bool { return s >= last[p] })
		if len(stages) == 0 {
			continue
		}
		g.Patterns = append(g.Patterns, GraphPattern{ID: patternID(p), Value: pat.Value, Stages: stages, Default: defaults[p]})
	}
	return g, nil
}

// Mermaid renders the graph as a Mermaid flowchart: an arrow from each
// stage to the stages that use it, targets in bold, unused stages dashed.
// It stops early with ctx's error when ctx is cancelled.
func (g Graph) Mermaid(ctx context.Context) (string, error) {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for i, s := range g.Stages {
		if err := analysis.Cancelled(ctx, i); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  s%d[\"%s<br/><small>%s</small>\"]\n", s.Index, mermaidText(s.Label), mermaidText(s.Base))
	}
	for _, c := range g.Contexts {
		fmt.Fprintf(&b, "  %s[/\"%s<br/><small>%s</small>\"/]\n", c.ID, mermaidText(c.Name), mermaidText(c.Value))
	}
	for _, s := range g.Stages {
		if s.Replaced != "" {
			fmt.Fprintf(&b, "  %s -.->|replaces| s%d\n", s.Replaced, s.Index)
		}
	}
	for _, p := range g.Patterns {
		fmt.Fprintf(&b, "  %s{{\"%s\"}}\n", p.ID, mermaidText(p.Value))
		for i, s := range p.Stages {
			if err := analysis.Cancelled(ctx, i); err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "  s%d -.-> %s\n", s, p.ID)
		}
	}
	for i, e := range g.Edges {
		if err := analysis.Cancelled(ctx, i); err != nil {
			return "", err
		}
		if e.Pattern != "" {
			fmt.Fprintf(&b, "  %s -.->|%s| s%d\n", e.Pattern, e.Kind, e.To)
			continue
		}
		if e.Context != "" {
			fmt.Fprintf(&b, "  %s -->|%s| s%d\n", e.Context, e.Kind, e.To)
			continue
		}
		fmt.Fprintf(&b, "  s%d -->|%s| s%d\n", e.From, e.Kind, e.To)
	}
	for _, s := range g.Stages {
		switch {
		case s.Target:
			fmt.Fprintf(&b, "  style s%d stroke-width:3px\n", s.Index)
		case s.Unused:
			fmt.Fprintf(&b, "  style s%d stroke-dasharray:5 5\n", s.Index)
		}
	}
	return b.String(), nil
}

func mermaidText(s string) string { return mermaidEscapes.Replace(s) }

// mermaidEscapes is built once: building a replacer per label took most of
// the time of a 3,000-stage graph.
var mermaidEscapes = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;")

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
	for _, c := range g.Contexts {
		fmt.Fprintf(&b, "  %s [label=%s, shape=parallelogram];\n", c.ID, strconv.Quote(c.Name+"\n"+c.Value))
	}
	for _, s := range g.Stages {
		if s.Replaced != "" {
			fmt.Fprintf(&b, "  %s -> s%d [label=\"replaces\", style=dashed];\n", s.Replaced, s.Index)
		}
	}
	for _, p := range g.Patterns {
		fmt.Fprintf(&b, "  %s [label=%s, shape=hexagon, style=dashed];\n", p.ID, strconv.Quote(p.Value))
		for _, s := range p.Stages {
			fmt.Fprintf(&b, "  s%d -> %s [style=dashed];\n", s, p.ID)
		}
	}
	for _, e := range g.Edges {
		if e.Pattern != "" {
			fmt.Fprintf(&b, "  %s -> s%d [label=%s, style=dashed];\n", e.Pattern, e.To, strconv.Quote(e.Kind))
			continue
		}
		if e.Context != "" {
			fmt.Fprintf(&b, "  %s -> s%d [label=%s];\n", e.Context, e.To, strconv.Quote(e.Kind))
			continue
		}
		fmt.Fprintf(&b, "  s%d -> s%d [label=%s];\n", e.From, e.To, strconv.Quote(e.Kind))
	}
	b.WriteString("}\n")
	return b.String()
}
