package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestModelPiecesTakenOnce checks the hand-off of a seed's pieces (see
// modelSeed.piecesTaken): the model of the version after an edit takes the
// array of the one before it over instead of allocating one, and a second
// model built from the same seed (an older version's, read later, or
// another edit of the same version) reads its stages afresh; every model
// must equal a fresh parse's.
func TestModelPiecesTakenOnce(t *testing.T) {
	ix := Parse(NewDocument(testgen.Large(20)))
	ix.Model()
	edit := func(ix *Index, at int, text string) *Index {
		t.Helper()
		e := Edit{Span: Span{Start: at, End: at}, Text: text}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		return ix.Update(doc, e)
	}
	for k := range 6 {
		seed := ix.Model().seed
		text := ix.Doc.Text()
		a := edit(ix, strings.Index(text, "make build")+len("make build"), "x")
		b := edit(ix, strings.LastIndex(text, "make build")+len("make build"), "y")
		ma := a.Model()
		if &ma.seed.pieces[0] != &seed.pieces[0] {
			t.Fatalf("edit %d: the next model did not take the pieces of the one before over", k)
		}
		b.Model() // from the same seed, whose pieces a's model took
		for name, got := range map[string]*Index{"a": a, "b": b} {
			if d := cmp.Diff(viewModel(Parse(got.Doc)), viewModel(got), cmp.AllowUnexported(State{})); d != "" {
				t.Fatalf("edit %d, version %s (-fresh +reused):\n%s", k, name, d)
			}
		}
		if k%2 == 0 {
			ix = a
		} else {
			ix = b
		}
	}
}
