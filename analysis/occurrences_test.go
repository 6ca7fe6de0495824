package analysis

import (
	"context"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// slowVarOccurrences is varOccurrences done the obvious way: every use is
// resolved with ResolveVar.
func (ix *Index) slowVarOccurrences(root VarSite) []Occurrence {
	name := root.Decl.Name.Value
	same := func(a VarSite) bool { return a.Instruction == root.Instruction && a.NameSpan == root.NameSpan }
	var out []Occurrence
	ix.each(func(n Node) {
		start := len(out)
		for _, d := range n.Decls {
			if d.Name.Value == name && same(ix.rootVar(ix.site(n.Index, d))) {
				out = append(out, Occurrence{Span: n.Abs(d.Name.Span), Decl: true})
			}
		}
		for _, u := range ix.UsesOf(n) {
			if u.Name.Value != name {
				continue
			}
			if r, ok := ix.ResolveVar(n.Index, name); ok && same(ix.rootVar(r)) {
				out = append(out, Occurrence{Span: n.Abs(u.Name.Span)})
			}
		}
		sort.Slice(out[start:], func(i, j int) bool { return out[start+i].Span.Start < out[start+j].Span.Start })
	})
	return out
}

// TestVarOccurrencesAgree checks the one-pass variable references against
// ResolveVar for every declaration of every corpus file.
func TestVarOccurrencesAgree(t *testing.T) {
	files := testgen.Corpus(t)
	files["nav"] = navDockerfile
	files["large"] = testgen.Large(30)
	files["inherit"] = "ARG A=1\nFROM x AS one\nENV A=2\nARG A\nFROM one AS two\nRUN $A\nENV A=3\nFROM two\nARG A\nRUN $A\nFROM one\nRUN $A\nFROM x\nARG A\nRUN $A\n"
	checked := 0
	for name, text := range files {
		ix := Parse(NewDocument(text))
		ix.each(func(n Node) {
			for _, d := range n.Decls {
				root := ix.rootVar(ix.site(n.Index, d))
				fast, _ := ix.varOccurrences(context.Background(), root, ix.baseOf)
				if diff := cmp.Diff(ix.slowVarOccurrences(root), fast); diff != "" {
					t.Errorf("%s: occurrences of %s declared on line %d (-slow +fast):\n%s", name, d.Name.Value, ix.Doc.LineOf(root.NameSpan.Start)+1, diff)
				}
				checked++
			}
		})
	}
	t.Logf("checked %d declarations", checked)
}
