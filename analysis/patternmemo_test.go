package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// patternFile is a Dockerfile of n stages, each built FROM a distinct
// reference of four variables (16 ways of setting them, 16 lexer runs to
// read it), so that no pattern is one the process already compiled; the
// one of stage i can name stage i (x-i) only.
func patternFile(n int) string {
	var b strings.Builder
	b.WriteString("ARG VA=a\nARG VB=b\nARG VC=c\nARG VD=d\n")
	for i := range n {
		fmt.Fprintf(&b, "FROM ${VA}${VB}${VC}${VD}-%d AS x-%d\nRUN true\n", i, i)
	}
	return b.String()
}

// BenchmarkStageNameEdit types a character into a stage's name in a file
// of 3,000 stages built from distinct patterns and builds the model: the
// stages each pattern can name are matched again (they depend on the
// names), the patterns are not read and compiled again.
func BenchmarkStageNameEdit(b *testing.B) {
	ix := Parse(NewDocument(patternFile(3000)))
	ix.Model()
	text := ix.Doc.Text()
	at := strings.Index(text, "AS x-1500\n") + len("AS x-1500")
	start := testgen.CPUTime()
	i := 0
	for b.Loop() {
		e := Edit{Span: Span{at + i, at + i}, Text: "x"}
		if i%2 == 1 {
			e = Edit{Span: Span{at + i - 1, at + i}, Text: ""}
		}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			b.Fatal(err)
		}
		ix = ix.Update(doc, e)
		ix.Model()
		i = (i + 1) % 2
	}
	testgen.ReportCPU(b, start)
}

// TestPatternsAfterRename renames stages of a file whose stages are built
// from distinct patterns, into and out of what the patterns name: each
// pattern's stages are those a fresh match gives, and no pattern is read
// and compiled again (the memo serves them; before, each name change read
// every pattern with 16 lexer runs and compiled it).
func TestPatternsAfterRename(t *testing.T) {
	ix := Parse(NewDocument(patternFile(200)))
	m := ix.Model()
	res := m.seed.res
	compiled := res.compiled
	if compiled < 200 {
		t.Fatalf("%d patterns compiled, want 200", compiled)
	}
	for _, e := range []struct{ from, to string }{
		{"AS x-5\n", "AS a-7\n"},  // named by ${VA}...-7 now, no longer by -5
		{"AS a-7\n", "AS b-7\n"},  // still by -7
		{"AS x-9\n", "AS x-9x\n"}, // by none
		{"AS x-8\n", "AS Z-9\n"},  // a FROM compares exactly: by -9
		{"AS b-7\n", "AS x-5\n"},  // back
	} {
		text := ix.Doc.Text()
		at := strings.Index(text, e.from)
		if at < 0 {
			t.Fatalf("no %q", e.from)
		}
		ed := Edit{Span: Span{at, at + len(e.from)}, Text: e.to}
		doc, err := ix.Doc.Apply(ed)
		if err != nil {
			t.Fatal(err)
		}
		prev := map[string][]int{}
		for _, p := range ix.Model().Patterns() {
			prev[p.Value] = p.Stages
		}
		ix = ix.Update(doc, ed)
		m := ix.Model()
		if m.seed.res != res {
			t.Fatalf("%q -> %q: the version has a memo of its own", e.from, e.to)
		}
		kept := 0
		for _, p := range m.Patterns() {
			want := patternStages(p.Value, p.Kind, m.seed.names, ix.Escape)
			if !slices.Equal(p.Stages, want) {
				t.Errorf("%q -> %q: pattern %q names %v, want %v", e.from, e.to, p.Value, p.Stages, want)
			}
			if old := prev[p.Value]; len(want) > 0 && len(old) > 0 && &p.Stages[0] == &old[0] {
				kept++ // matched for the renamed stage only, and the same
			}
			if p.Value == "${VA}${VB}${VC}${VD}-7" && e.to == "AS a-7\n" && !slices.Contains(p.Stages, 5) {
				t.Errorf("%q -> %q: pattern %q names %v, want stage 5 among them", e.from, e.to, p.Value, p.Stages)
			}
		}
		if kept < 190 {
			t.Errorf("%q -> %q: %d patterns kept their stages, want the 190 and more the rename does not touch", e.from, e.to, kept)
		}
	}
	if res.compiled != compiled {
		t.Errorf("renames compiled %d patterns again, want none", res.compiled-compiled)
	}
}
