package completion

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestStageDocDescription(t *testing.T) {
	text := "# build compiles it\nFROM golang AS build\nFROM alpine\nCOPY --from=build /a /a\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	if doc := StageDoc(ix, 0); !strings.Contains(doc, "\ncompiles it\n") {
		t.Errorf("StageDoc lacks the description: %q", doc)
	}
	items := Complete(ix, strings.Index(text, "--from=")+len("--from="), Options{})
	if len(items) != 1 || !strings.Contains(items[0].Documentation, "\ncompiles it\n") {
		t.Errorf("completion item lacks the description: %+v", items)
	}
}

// TestNamedContexts: where a stage may be named (FROM, --from=, a mount's
// from=), the named build contexts the project gives are offered after
// the stages; one of a stage's name replaces the stage and is offered
// once; a prefix filters them.
func TestNamedContexts(t *testing.T) {
	text := "FROM golang AS build\nFROM alpine AS protos\nFROM alpine\nCOPY --from= /a /a\nRUN --mount=from=p /x\nFROM \n"
	ix := analysis.Parse(analysis.NewDocument(text))
	opts := Options{Contexts: []analysis.NamedContext{{Name: "protos", Value: "./proto"}, {Name: "docs", Value: "./docs"}, {Name: "docs", Value: "x"}}}
	labels := func(off int) string {
		var out []string
		for _, it := range Complete(ix, off, opts) {
			out = append(out, it.Label+":"+it.Kind.String())
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct{ at, want string }{
		{"--from=", "build:stage protos:stage docs:context"},
		{"from=p", "protos:stage"},
		{"FROM \n", "build:stage protos:stage docs:context"}, // no index: `FROM 2` is an image
	} {
		if got := labels(strings.Index(text, c.at) + len(c.at) - strings.Count(c.at, "\n")); got != c.want {
			t.Errorf("at %q: got %q, want %q", c.at, got, c.want)
		}
	}
}
