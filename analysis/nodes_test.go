package analysis

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestAppendNodes holds AppendNodes to Node over random ranges of an
// index of many blocks, cut again by edits (blocks of other sizes), and
// over ranges past its ends.
func TestAppendNodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	ix := Parse(NewDocument(testgen.Large(80)))
	for e := range 30 {
		text := ix.Doc.Text()
		at := rng.IntN(len(text))
		at += strings.Index(text[at:]+"\nRUN ", "\nRUN ")
		if at < len(text) {
			ed := Edit{Span: Span{Start: at, End: at}, Text: "\nRUN echo " + strings.Repeat("x", e)}
			doc, err := ix.Doc.Apply(ed)
			if err != nil {
				t.Fatal(err)
			}
			ix = ix.Update(doc, ed)
		}
		if len(ix.blocks) < 3 {
			t.Fatalf("%d blocks, want several", len(ix.blocks))
		}
		for range 50 {
			first, end := rng.IntN(ix.Len()+20)-10, rng.IntN(ix.Len()+20)-10
			var want []Node
			for i := max(first, 0); i < min(end, ix.Len()); i++ {
				want = append(want, ix.Node(i))
			}
			// The same instructions (pointers), numbers and offsets.
			if got := ix.AppendNodes(nil, first, end); !slices.Equal(want, got) {
				t.Fatalf("edit %d, [%d, %d): AppendNodes gave %d nodes, not Node's %d (or other ones)", e, first, end, len(got), len(want))
			}
		}
	}
}
