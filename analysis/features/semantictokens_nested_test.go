package features

import (
	"math/rand/v2"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestSemanticTokensNestedUses generates words with uses nested in other
// uses' words (`${A:-${B}}`, `${A/x/$B}`, three deep, in quotes, after
// non-ASCII text) and checks in UTF-16 that the tokens are disjoint and
// that each use's name lies in a variable token holding no other use's
// name: every name its own token.
func TestSemanticTokensNestedUses(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 3))
	names := []string{"A", "B", "CC", "D_1"}
	mods := []string{":-", "-", ":+", "+", ":?", "?", "#", "%", "##", "%%"}
	var word func(depth int) string
	word = func(depth int) string {
		name := names[rng.IntN(len(names))]
		if depth == 0 || rng.IntN(4) == 0 {
			if rng.IntN(2) == 0 {
				return "$" + name
			}
			return "${" + name + "}"
		}
		inner := word(depth - 1)
		switch rng.IntN(3) {
		case 0:
			return "${" + name + "/x" + inner + "/" + word(depth-1) + "}"
		default:
			return "${" + name + mods[rng.IntN(len(mods))] + "é" + inner + "z}"
		}
	}
	checked := 0
	for i := 0; i < 400; i++ {
		w := word(1 + i%3)
		if i%2 == 0 {
			w = `"ü` + w + `"`
		}
		text := "FROM scratch\nARG A=1 B=2 CC=3 D_1=4\nENV X=" + w + "\nLABEL l=" + w + "\n"
		ix := analysis.Parse(analysis.NewDocument(text))
		doc := ix.Doc
		toks := SemanticTokens(ix, analysis.Span{Start: 0, End: doc.Len()}, analysis.UTF16)
		checkTokens(t, w, ix, toks, analysis.UTF16)
		spans := make([]analysis.Span, len(toks))
		for k, tk := range toks {
			start, _ := doc.Offset(analysis.Position{Line: tk.Line, Col: tk.Col}, analysis.UTF16)
			end, _ := doc.Offset(analysis.Position{Line: tk.Line, Col: tk.Col + tk.Len}, analysis.UTF16)
			spans[k] = analysis.Span{Start: start, End: end}
		}
		for j := range ix.Len() {
			n := ix.Node(j)
			if n.Cmd != "env" && n.Cmd != "label" {
				continue
			}
			uses := ix.UsesOf(n)
			for _, u := range uses {
				name := n.Abs(u.Name.Span)
				k := -1
				for x, s := range spans {
					if s.Start <= name.Start && name.End <= s.End {
						k = x
					}
				}
				if k < 0 || toks[k].Type != TokVariable {
					t.Errorf("%q: %s at %v has no variable token", w, u.Name.Value, name)
					continue
				}
				for _, o := range uses {
					on := n.Abs(o.Name.Span)
					if on != name && spans[k].Start <= on.Start && on.End <= spans[k].End {
						t.Errorf("%q: the token %q of %s holds %s too", w, doc.Slice(spans[k]), u.Name.Value, o.Name.Value)
					}
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("checked %d uses, want at least 1000", checked)
	}
	t.Logf("%d uses checked", checked)
}
