package analysis

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

type stageFacts struct {
	Name, Base string
	CopyFrom   []string
}

// TestCorpusAgreement compares, for every corpus file BuildKit accepts, the
// stage names, base names and COPY --from values of our index with what
// BuildKit's instructions package reads.
func TestCorpusAgreement(t *testing.T) {
	compared := 0
	for name, text := range testgen.Corpus(t) {
		res, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			continue
		}
		stages, _, err := instructions.Parse(res.AST, nil)
		if err != nil {
			continue
		}
		var want []stageFacts
		for _, st := range stages {
			f := stageFacts{Name: st.Name, Base: st.BaseName}
			for _, c := range st.Commands {
				if cp, ok := c.(*instructions.CopyCommand); ok && cp.From != "" {
					f.CopyFrom = append(f.CopyFrom, cp.From)
				}
			}
			want = append(want, f)
		}
		ix := Parse(NewDocument(text))
		var got []stageFacts
		for _, st := range ix.Stages().All() {
			f := stageFacts{Name: st.LowerName(), Base: st.Base}
			for i := st.First; i < st.End; i++ {
				if n := ix.Node(i); n.Cmd == "copy" {
					if fl := n.Flag("from"); fl != nil {
						f.CopyFrom = append(f.CopyFrom, fl.Value.Value)
					}
				}
			}
			got = append(got, f)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: index disagrees with BuildKit (-buildkit +index):\n%s", name, d)
		}
		compared++
	}
	t.Logf("compared %d files", compared)
	if compared < 300 {
		t.Errorf("only %d corpus files compared", compared)
	}
}

// TestCorpusSpans checks every span of every corpus file's index, and that
// typing through each file character by character keeps the incremental
// index equal to a full parse at a sample of points.
func TestCorpusSpans(t *testing.T) {
	for name, text := range testgen.Corpus(t) {
		ix := Parse(NewDocument(text))
		if err := checkSpans(ix); err != "" {
			t.Errorf("%s: %s", name, err)
		}
	}
}

// TestCorpusIncremental retypes part of one instruction in every fifth
// corpus file a character at a time, and makes random edits, checking each
// step against a full parse.
func TestCorpusIncremental(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	files := testgen.Corpus(t)
	names := slices.Sorted(maps.Keys(files))
	for k, name := range names {
		if k%5 != 0 {
			continue
		}
		ix := Parse(NewDocument(files[name]))
		if ix.ParseError != nil || ix.Len() < 2 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			n := ix.Node(r.IntN(ix.Len()))
			line := ix.Doc.Slice(n.Span())
			cur := applyAndCheck(t, ix, Edit{Span: n.Span()})
			for i := 0; i < min(len(line), 40) && cur.ParseError == nil; i++ {
				off := n.Start + i
				cur = applyAndCheck(t, cur, Edit{Span: Span{off, off}, Text: line[i : i+1]})
			}
			for step := 0; step < 5 && cur.ParseError == nil; step++ {
				cur = applyAndCheck(t, cur, randomEdit(r, cur.Doc))
			}
		})
	}
}
