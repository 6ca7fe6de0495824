package features

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestGraph(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument(`ARG ENV=prod
FROM golang AS build
FROM build AS test
FROM alpine AS runtime-dev
FROM alpine AS runtime-prod
FROM alpine AS docs
FROM runtime-${ENV} AS final
COPY --from=build /app /app
RUN --mount=from=test,target=/t true
`))
	g, _ := StageGraph(context.Background(), ix, []string{"DOCS"}, nil)
	var unused, targets []string
	for _, s := range g.Stages {
		if s.Unused {
			unused = append(unused, s.Label)
		}
		if s.Target {
			targets = append(targets, s.Label)
		}
	}
	if d := cmp.Diff([]string(nil), unused); d != "" {
		t.Errorf("unused stages (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"docs", "final"}, targets); d != "" {
		t.Errorf("targets (-want +got):\n%s", d)
	}
	want := []GraphEdge{
		{From: 0, To: 1, Kind: "from"},
		{From: -1, To: 5, Kind: "from", Variable: true, Pattern: "p0"},
		{From: 0, To: 5, Kind: "copy-from"},
		{From: 1, To: 5, Kind: "mount-from"},
	}
	if d := cmp.Diff(want, g.Edges); d != "" {
		t.Errorf("edges (-want +got):\n%s", d)
	}
	// The variable reference is one edge to a pattern, which lists the
	// stages it can name and the one the defaults pick.
	if d := cmp.Diff([]GraphPattern{{ID: "p0", Value: "runtime-${ENV}", Stages: []int{2, 3}, Default: 3}}, g.Patterns); d != "" {
		t.Errorf("patterns (-want +got):\n%s", d)
	}
	// Without the docs target, docs is unused.
	if g, _ := StageGraph(context.Background(), ix, nil, nil); !g.Stages[4].Unused || g.Stages[0].Unused {
		t.Errorf("without targets: %+v", g.Stages)
	}
	if m, _ := g.Mermaid(context.Background()); !cmp.Equal(m[:15], "flowchart TD\n  ") {
		t.Errorf("mermaid starts %q", m[:15])
	}
}

// TestGraphScratchMounts checks the edges from a stage named scratch to
// the stages whose RUN mounts have no from=, which BuildKit takes from it
// (dockerfile2llb's detectRunMount), and that the graph then builds it.
func TestGraphScratchMounts(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument("FROM busybox AS scratch\nRUN echo hi > /a\nFROM alpine AS plain\nRUN --mount=from=scratch,target=/s true\nFROM alpine\nRUN --mount=type=secret,id=x true\n"))
	edges, err := Edges(context.Background(), ix)
	if err != nil {
		t.Fatal(err)
	}
	want := []GraphEdge{{From: 0, To: 1, Kind: "mount-from"}, {From: 0, To: 2, Kind: "mount-from"}}
	if diff := cmp.Diff(want, edges); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	g, err := StageGraph(context.Background(), ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range g.Stages {
		if st.Unused && st.Index != 1 {
			t.Errorf("stage %d is drawn unused", st.Index)
		}
	}
}
