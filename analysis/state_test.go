package analysis

import (
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// TestExpandFastPath checks that skipping the lexer for plain words gives
// what the lexer gives, over every ARG and ENV value of the corpus.
func TestExpandFastPath(t *testing.T) {
	checked := 0
	for name, text := range sample(t) {
		ix := Parse(NewDocument(text))
		m := ix.Model()
		lex := shell.NewLex(rune(ix.Escape))
		for i := 0; i < ix.Len(); i++ {
			n := ix.Node(i)
			for _, d := range n.Decls {
				raw := m.raw(n, d.Value)
				env := mapEnv{"HOME": "/root"}
				got, _, gerr := expand(lex, raw, env, ix.Escape)
				want, _, werr := lex.ProcessWord(raw, env)
				checked++
				if got != want || (gerr == nil) != (werr == nil) {
					t.Errorf("%s: %q: fast path %q %v, lexer %q %v", name, raw, got, gerr, want, werr)
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d values checked", checked)
	}
}
