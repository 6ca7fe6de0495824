package server

import (
	"testing"
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
