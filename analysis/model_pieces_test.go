package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestModelPiecesTakenOnce checks the hand-off of a seed's pieces (see
// modelSeed.piecesTaken): the model of the version after an edit takes the
// array of the one before it over instead of allocating one, and a second
// model built from the same seed (an older version's, read later, or
// another edit of the same version) reads its stages afresh; a model
// shares the per-stage arrays of the one before that have the same values
// (setShared). Every model, the one before included, must equal a fresh
// parse's.
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
		// A RUN typed into: every stage's base and place in the patterns
		// are what they were, and the arrays are shared.
		if &ma.patAt[0] != &ix.Model().patAt[0] || &ma.bases[0] != &ix.Model().bases[0] {
			t.Fatalf("edit %d: the next model did not share the unchanged patAt and bases", k)
		}
		b.Model() // from the same seed, whose pieces a's model took
		for name, got := range map[string]*Index{"a": a, "b": b, "before": ix} {
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

// TestModelSharedArraysCopiedOnChange types, in a file whose stages take
// stages named by variables, a `COPY --from=${...}` line into a middle
// stage and deletes it again: the per-stage places in the patterns after
// that stage change, so the model's patAt is copied, not written where
// the version before reads it; both versions must equal a fresh parse's.
func TestModelSharedArraysCopiedOnChange(t *testing.T) {
	var src strings.Builder
	src.WriteString("ARG V=s1\n")
	for s := range 12 {
		fmt.Fprintf(&src, "FROM alpine AS s%d\nRUN echo %d\nCOPY --from=${V} /a /b\n", s, s)
	}
	ix := Parse(NewDocument(src.String()))
	ix.Model()
	at := strings.Index(ix.Doc.Text(), "RUN echo 5\n") + len("RUN echo 5\n")
	for k, e := range []Edit{
		{Span: Span{Start: at, End: at}, Text: "COPY --from=${V} /c /d\n"},
		{Span: Span{Start: at, End: at + len("COPY --from=${V} /c /d\n")}},
		{Span: Span{Start: at, End: at}, Text: "FROM s1 AS t\n"},
	} {
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		next := ix.Update(doc, e)
		next.Model()
		for name, got := range map[string]*Index{"after": next, "before": ix} {
			if d := cmp.Diff(viewModel(Parse(got.Doc)), viewModel(got), cmp.AllowUnexported(State{})); d != "" {
				t.Fatalf("edit %d, version %s (-fresh +reused):\n%s", k, name, d)
			}
		}
		ix = next
	}
}
