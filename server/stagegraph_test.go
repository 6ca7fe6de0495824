package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStageGraphRequest(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	c.open(testURI, "FROM golang AS build\nFROM alpine AS lint\nFROM scratch\nCOPY --from=build /a /a\n", 1)
	var res stageGraphResult
	if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]any{"uri": testURI}}, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Stages) != 3 || !res.Stages[1].Unused || res.Stages[0].Unused || !res.Stages[2].Final {
		t.Errorf("stages: %+v", res.Stages)
	}
	if r := res.Stages[2].Range; r.Start.Line != 2 || r.End.Character != 12 {
		t.Errorf("range of the last FROM: %+v", r)
	}
	if len(res.Edges) != 1 || res.Edges[0].From != 0 || res.Edges[0].To != 2 || res.Mermaid == "" {
		t.Errorf("edges %+v, mermaid %q", res.Edges, res.Mermaid)
	}
	res = stageGraphResult{}
	if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]any{"uri": "file:///not/open"}}, &res); err == nil {
		t.Errorf("a graph for an unopened document")
	}
	if err := c.call("stagehand/stageGraph", map[string]any{}, &res); err == nil {
		t.Errorf("a graph without a document")
	}
}

// variableStages is a Dockerfile of n stages, each built FROM a stage
// named by a global ARG: issue 13 item 7 (one edge per earlier stage gave
// 390 MB for 3,000 stages).
func variableStages(n int) string {
	var b strings.Builder
	b.WriteString("ARG VAR=s0\nFROM alpine AS s0\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "FROM ${VAR} AS s%d\nCOPY --from=${VAR} /a /a\n", i)
	}
	return b.String()
}

func TestStageGraphVariableStagesIsLinear(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	size := map[int]int{}
	for _, n := range []int{300, 3000} {
		u := fmt.Sprintf("file:///tmp/stages-%d/Dockerfile", n)
		c.open(u, variableStages(n), 1)
		var raw json.RawMessage
		start := time.Now()
		if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]any{"uri": u}}, &raw); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d stages: %d bytes in %v", n, len(raw), time.Since(start))
		size[n] = len(raw)
		var res stageGraphResult
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatal(err)
		}
		// Two patterns (FROM and --from), one edge each per stage.
		if len(res.Patterns) != 2 || len(res.Edges) != 2*(n-1) {
			t.Errorf("%d stages: %d patterns, %d edges", n, len(res.Patterns), len(res.Edges))
		}
	}
	// Ten times the stages, about ten times the answer (not a hundred).
	if r := float64(size[3000]) / float64(size[300]); r > 12 {
		t.Errorf("answer grows %.1f times for 10 times the stages", r)
	}
}

func BenchmarkStageGraph3000VariableStages(b *testing.B) {
	c := newTestClient(&testing.T{})
	c.initialize()
	const u = "file:///tmp/stages/Dockerfile"
	c.open(u, variableStages(3000), 1)
	var size int
	for b.Loop() {
		var raw json.RawMessage
		if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]any{"uri": u}}, &raw); err != nil {
			b.Fatal(err)
		}
		size = len(raw)
	}
	b.ReportMetric(float64(size), "answer-bytes")
}
