package analysis

import (
	"fmt"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestPlainNodeAsParser compares plainNode with BuildKit's parser on every
// corpus instruction it builds a node for: the same command, flags and
// argument words.
func TestPlainNodeAsParser(t *testing.T) {
	compared := 0
	for name, text := range testgen.Sample(t) {
		ix := Parse(NewDocument(text))
		if ix.ParseError != nil {
			continue
		}
		for i := range ix.Len() {
			n := ix.Node(i)
			got, ok := ix.plainNode(n)
			if !ok {
				continue
			}
			nodes, ok := parseFragment(ix.Doc.Slice(n.Span()), ix.Escape)
			if !ok || len(nodes) != 1 {
				t.Errorf("%s: %q: BuildKit's parser does not read it as one instruction", name, ix.Doc.Slice(n.Span()))
				continue
			}
			compared++
			if g, w := dumpNode(got), dumpNode(nodes[0]); g != w {
				t.Errorf("%s: %q:\n got %s\nwant %s", name, ix.Doc.Slice(n.Span()), g, w)
			}
		}
	}
	// The race detector's sample is one corpus file in ten.
	if want := map[bool]int{false: 1000, true: 100}[testgen.Race]; compared < want {
		t.Errorf("compared %d instructions, want at least %d", compared, want)
	}
}

// dumpNode writes what the instructions package reads of a node (the
// lines aside: the parser's start at the fragment).
func dumpNode(n *parser.Node) string {
	s := fmt.Sprintf("%s %q %q", n.Value, n.Original, n.Flags)
	for a := n.Next; a != nil; a = a.Next {
		s += fmt.Sprintf(" %q", a.Value)
	}
	return s
}
