package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReviseBatches sends batches of ranged changes, some with a whole-text
// change among them, through Revise and checks the text against the
// edits applied one by one and the index against a full parse.
func TestReviseBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ix := Parse(NewDocument(seedDockerfile))
	for round := range 300 {
		var changes []Change
		want := ix.Doc
		for k := 1 + r.IntN(4); k > 0; k-- {
			if r.IntN(20) == 0 {
				changes = append(changes, Change{Whole: true, Text: seedDockerfile})
				want = NewDocument(seedDockerfile)
				continue
			}
			e := randomEdit(r, want)
			changes = append(changes, Change{Start: want.Position(e.Span.Start, UTF16), End: want.Position(e.Span.End, UTF16), Text: e.Text})
			want, _ = want.Apply(e)
		}
		rev := Revise(ix, nil, changes, UTF16)
		if rev.Err != nil || len(rev.Clamped) > 0 {
			t.Fatalf("round %d: err %v, clamped %v", round, rev.Err, rev.Clamped)
		}
		if rev.Doc.Text() != want.Text() {
			t.Fatalf("round %d: text %q, want %q", round, rev.Doc.Text(), want.Text())
		}
		full := Parse(want)
		if full.ParseError != nil {
			if rev.Index.ParseError == nil {
				t.Fatalf("round %d: no parse error, want %v", round, full.ParseError)
			}
		} else if d := cmp.Diff(full.Dump(), rev.Index.Dump()); d != "" {
			t.Fatalf("round %d: Revise differs from a full parse (-full +revise):\n%s", round, d)
		}
		if rev.Index.Doc != rev.Doc {
			t.Fatalf("round %d: the index is not of the new text", round)
		}
		if full.ParseError != nil || round%50 == 0 {
			ix = Parse(NewDocument(seedDockerfile)) // start again from a good text
		} else {
			ix = rev.Index
		}
	}
}

func TestReviseOpenAndClamp(t *testing.T) {
	rev := Revise(nil, nil, []Change{{Whole: true, Text: "FROM a\n"}}, UTF8)
	if rev.Doc.Text() != "FROM a\n" || rev.Index == nil || rev.Index.Doc != rev.Doc {
		t.Fatalf("open: %+v", rev)
	}
	// A range past the end is clamped to it.
	rev = Revise(rev.Index, nil, []Change{{Start: Position{Line: 9}, End: Position{Line: 9}, Text: "RUN x\n"}, {Start: Position{Line: 0, Col: 5}, End: Position{Line: 0, Col: 6}, Text: "b"}}, UTF8)
	if rev.Doc.Text() != "FROM b\nRUN x\n" || !slices.Equal(rev.Clamped, []int{0}) || rev.Index.Doc != rev.Doc {
		t.Fatalf("clamped: %q %v", rev.Doc.Text(), rev.Clamped)
	}
	// Text not indexed.
	doc, clamped := NewDocument("a: 1\n").ApplyChanges([]Change{{Start: Position{Line: 0, Col: 3}, End: Position{Line: 0, Col: 4}, Text: "2"}}, UTF16)
	if doc.Text() != "a: 2\n" || len(clamped) != 0 {
		t.Fatalf("ApplyChanges: %q %v", doc.Text(), clamped)
	}
}
