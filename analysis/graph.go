package analysis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
}

// GraphStage is one stage in a Graph.
type GraphStage struct {
	Index  int    `json:"index"`
	Name   string `json:"name,omitempty"`
	Label  string `json:"label"`
	Base   string `json:"base"`
	Offset int    `json:"-"`
	// Target marks a build target: the last stage or one named by the
	// caller (`--target`).
	Target bool `json:"target"`
	Final  bool `json:"final"`
	Unused bool `json:"unused"`

	// Description is the stage's description, as BuildKit's outline reads it.
	Description string `json:"description,omitempty"`
}

// GraphEdge says that stage To uses stage From: as its base (RefFrom), by
// copying (RefCopyFrom), through a mount (RefMountFrom) or in an ONBUILD
// trigger. For a reference built from variables, From is -1 and Pattern
// names the pattern node it goes through; Variable marks it.
type GraphEdge struct {
	From     int    `json:"from"`
	To       int    `json:"to"`
	Kind     string `json:"kind"`
	Variable bool   `json:"variable,omitempty"`
	Pattern  string `json:"pattern,omitempty"`
	Onbuild  bool   `json:"onbuild,omitempty"`
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
func (ix *Index) Edges(ctx context.Context) ([]GraphEdge, error) {
	var out []GraphEdge
	seen := map[GraphEdge]bool{}
	m := ix.Model()
	for k, r := range m.Refs() {
		if err := cancelled(ctx, k); err != nil {
			return nil, err
		}
		if r.Stage < 0 || (r.Pattern >= 0 && len(m.patterns[r.Pattern].Stages) == 0) {
			continue // a pattern that can name no stage is an image
		}
		e := GraphEdge{From: r.Target, To: r.Stage, Kind: r.Kind.String(), Onbuild: r.Onbuild}
		switch {
		case r.Pattern >= 0:
			e.From, e.Variable, e.Pattern = -1, true, patternID(r.Pattern)
		case r.Resolution != ResolvesStage:
			continue
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, nil
}

func patternID(p int) string { return "p" + strconv.Itoa(p) }

// BuildTargets returns the stages built by a build of the named targets
// (case-insensitively, as `--target` picks them) and the last stage, which
// a plain build produces.
func (ix *Index) BuildTargets(names []string) []int {
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
// last stage). It stops early with ctx's error when ctx is cancelled.
func (ix *Index) Graph(ctx context.Context, buildTargets []string) (Graph, error) {
	m := ix.Model()
	targets := ix.BuildTargets(buildTargets)
	reached := m.Reachable(targets)
	isTarget := map[int]bool{}
	for _, t := range targets {
		isTarget[t] = true
	}
	edges, err := ix.Edges(ctx)
	if err != nil {
		return Graph{}, err
	}
	g := Graph{Stages: make([]GraphStage, 0, len(ix.stages)), Edges: edges}
	for s := range ix.stages {
		if err := cancelled(ctx, s); err != nil {
			return Graph{}, err
		}
		st := ix.Stage(s)
		g.Stages = append(g.Stages, GraphStage{
			Index: s, Name: st.Name, Label: ix.StageLabel(s), Base: st.Base, Description: ix.StageDescription(s), Offset: st.Span.Start,
			Target: isTarget[s], Final: s == len(ix.stages)-1, Unused: !reached[s],
		})
	}
	if g.Edges == nil {
		g.Edges = []GraphEdge{}
	}
	defaults := make([]int, len(m.patterns))
	for i := range defaults {
		defaults[i] = -1
	}
	for _, r := range m.refs {
		if r.Pattern >= 0 && defaults[r.Pattern] < 0 {
			defaults[r.Pattern] = r.Target
		}
	}
	for p, pat := range m.patterns {
		stages := pat.Stages
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
		if err := cancelled(ctx, i); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "  s%d[\"%s<br/><small>%s</small>\"]\n", s.Index, mermaidText(s.Label), mermaidText(s.Base))
	}
	for _, p := range g.Patterns {
		fmt.Fprintf(&b, "  %s{{\"%s\"}}\n", p.ID, mermaidText(p.Value))
		for i, s := range p.Stages {
			if err := cancelled(ctx, i); err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "  s%d -.-> %s\n", s, p.ID)
		}
	}
	for i, e := range g.Edges {
		if err := cancelled(ctx, i); err != nil {
			return "", err
		}
		if e.Pattern != "" {
			fmt.Fprintf(&b, "  %s -.->|%s| s%d\n", e.Pattern, e.Kind, e.To)
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
		fmt.Fprintf(&b, "  s%d -> s%d [label=%s];\n", e.From, e.To, strconv.Quote(e.Kind))
	}
	b.WriteString("}\n")
	return b.String()
}
