package features

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func TestInlayHints(t *testing.T) {
	text := strings.Join([]string{
		"ARG GO=1.23",
		"ARG REG=docker.io/library",
		"ARG IMG=${REG}/golang",
		"FROM ${IMG}:${GO}-alpine",
		"FROM alpine:${MISSING:-3.20}",
		"FROM scratch:${NODEFAULT}",
		"FROM golang:${GO} AS build",
		"COPY --from=1 /a /b",
		"COPY --from=build /a /b",
		"RUN --mount=type=bind,from=2,target=/x true",
		"COPY --from=9 /a /b",
	}, "\n")
	ix := analysis.Parse(analysis.NewDocument(text))
	var got []string
	for _, h := range InlayHints(ix, analysis.Span{Start: 0, End: len(text)}) {
		p := ix.Doc.Position(h.Off, analysis.UTF8)
		got = append(got, fmt.Sprintf("%d:%d %s", p.Line+1, p.Col+1, h.Label))
	}
	want := []string{
		"4:25 docker.io/library/golang:1.23-alpine",
		"5:29 alpine:3.20",
		"5:29 #1",
		// An ARG without a value expands to "", as BuildKit expands it.
		"6:26 scratch:",
		"7:18 golang:1.23",
		"8:14 alpine:3.20",
		// A mount's from=2 is an image for BuildKit: no hint.
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
	// Only the requested range.
	line := analysis.Span{Start: ix.Doc.LineStart(7), End: ix.Doc.LineEnd(7)}
	if hs := InlayHints(ix, line); len(hs) != 1 || hs[0].Label != "alpine:3.20" {
		t.Errorf("hints on line 8: %v", hs)
	}
}

func BenchmarkInlayHints(b *testing.B) {
	text := testgen.Large(1000)
	ix := analysis.Parse(analysis.NewDocument(text))
	ix.Refs()
	mid := ix.Doc.LineCount() / 2
	visible := analysis.Span{Start: ix.Doc.LineStart(mid), End: ix.Doc.LineStart(mid + 60)}
	if len(InlayHints(ix, visible)) == 0 {
		b.Fatal("no hints in the visible range")
	}
	for b.Loop() {
		InlayHints(ix, visible)
	}
}

// A FROM value past maxExpandedBase gets no expansion hint: BuildKit's
// lexer is quadratic in its nesting. One just under the bound still does.
func TestInlayHintsLongBase(t *testing.T) {
	nested := func(depth int) string {
		return "FROM " + strings.Repeat("${A:-", depth) + "alpine" + strings.Repeat("}", depth)
	}
	for _, c := range []struct {
		depth int
		hint  bool
	}{{100, true}, {5000, false}} {
		text := "ARG A\n" + nested(c.depth) + "\n"
		ix := analysis.Parse(analysis.NewDocument(text))
		got := 0
		for _, h := range InlayHints(ix, analysis.Span{Start: 0, End: len(text)}) {
			if h.Kind == InlayBase {
				got++
				if h.Label != "alpine" {
					t.Errorf("depth %d: hint %q, want alpine", c.depth, h.Label)
				}
			}
		}
		if (got == 1) != c.hint || got > 1 {
			t.Errorf("depth %d (%d bytes): %d base hints, want hint=%v", c.depth, len(text), got, c.hint)
		}
	}
}
