package analysis

import (
	"fmt"
	"testing"
)

// TestResolveIn checks the order BuildKit resolves a name in: a stage of
// the file first, then a named context (compared exactly), then an image;
// a stage named like a context is replaced by it.
func TestResolveIn(t *testing.T) {
	const text = "FROM alpine AS deps\nFROM alpine AS build\nFROM base\nCOPY --from=DEPS / /\nCOPY --from=build / /\nCOPY --from=Assets / /\nCOPY --from=assets:latest / /\nCOPY --from=other / /\nFROM Base\n"
	ix := Parse(NewDocument(text))
	contexts := []NamedContext{{Name: "deps", Value: "./deps"}, {Name: "assets", Value: "./a"}, {Name: "base", Value: "docker-image://alpine"}}
	got := map[string]Resolution{}
	for _, r := range ix.Model().Refs() {
		res, _ := ix.Model().ResolveIn(r, contexts)
		got[r.Kind.String()+" "+r.Value] = res
	}
	want := map[string]Resolution{
		RefFrom.String() + " alpine":            ResolvesImage,   // no context of that name
		RefFrom.String() + " base":              ResolvesContext, // exactly
		RefFrom.String() + " Base":              ResolvesImage,   // a FROM compares exactly
		RefCopyFrom.String() + " DEPS":          ResolvesContext, // BuildKit replaces the stage deps by the context
		RefCopyFrom.String() + " build":         ResolvesStage,
		RefCopyFrom.String() + " Assets":        ResolvesImage, // no valid context name
		RefCopyFrom.String() + " assets:latest": ResolvesContext,
		RefCopyFrom.String() + " other":         ResolvesImage,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %v, want %v", k, got[k], w)
		}
	}
}

// TestReachableIn checks reachability as BuildKit builds with named
// contexts: a stage a context replaces is used as the context, its base
// and what its instructions copy from are not built through it.
func TestReachableIn(t *testing.T) {
	const text = "FROM alpine AS tools\n" +
		"FROM alpine AS base\n" +
		"FROM base AS deps\nCOPY --from=tools / /\n" +
		"FROM alpine AS build\n" +
		"FROM deps\nCOPY --from=build / /\n"
	ix := Parse(NewDocument(text))
	m := ix.Model()
	last := ix.StageCount() - 1
	contexts := []NamedContext{{Name: "deps", Value: "./deps"}}
	if got, want := fmt.Sprint(m.Reachable([]int{last})), "[true true true true true]"; got != want {
		t.Errorf("without contexts: %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(m.ReachableIn([]int{last}, contexts)), "[false false false true true]"; got != want {
		t.Errorf("with deps a context: %s, want %s", got, want)
	}
	// As the target, the replaced stage is the context: nothing of it runs.
	if got, want := fmt.Sprint(m.ReachableIn([]int{2}, contexts)), "[false false true false false]"; got != want {
		t.Errorf("target deps: %s, want %s", got, want)
	}
	if c, ok := m.ReplacedBy(2, contexts); !ok || c.Value != "./deps" {
		t.Errorf("ReplacedBy(deps) = %v, %v", c, ok)
	}
	if _, ok := m.ReplacedBy(3, contexts); ok {
		t.Errorf("ReplacedBy(build) is true")
	}
}
