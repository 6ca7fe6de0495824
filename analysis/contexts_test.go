package analysis

import "testing"

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
