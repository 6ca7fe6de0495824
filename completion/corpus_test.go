package completion

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// earlier lists what BuildKit resolves before stage s: each name once (its
// first stage), unnamed stages by index, in definition order.
func earlier(ix *analysis.Index, s int) []string {
	var out []string
	seen := map[string]bool{}
	for _, st := range ix.Stages()[:max(0, s)] {
		if st.Name == "" {
			out = append(out, strconv.Itoa(st.Index))
			continue
		}
		if !seen[st.LowerName()] {
			seen[st.LowerName()] = true
			out = append(out, st.Name)
		}
	}
	return out
}

// TestCorpusFrom completes at the start of every `--from=` value (COPY, ADD
// and RUN --mount) in the corpus and checks the labels are exactly the
// stages before the reference's own.
func TestCorpusFrom(t *testing.T) {
	checked := 0
	for name, text := range testgen.Corpus(t) {
		ix := analysis.Parse(analysis.NewDocument(text))
		if ix.ParseError != nil {
			continue
		}
		for _, r := range ix.Refs() {
			if r.Kind == analysis.RefFrom {
				continue
			}
			n := ix.Node(r.Instruction)
			if strings.EqualFold(n.Keyword.Value, "onbuild") {
				continue
			}
			items := Complete(ix, r.Span.Start, Options{})
			got := labels(items)
			want := earlier(ix, r.Stage)
			if !slices.Equal(got, want) {
				t.Errorf("%s:%d: --from completion = %q, want %q", name, ix.Doc.LineOf(r.Span.Start)+1, got, want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("no --from in the corpus")
	}
	t.Logf("%d --from references checked", checked)
}

// TestCorpusEverywhere completes at every offset of every corpus file: no
// panic, and every item's edit holds the offset on the offset's line.
func TestCorpusEverywhere(t *testing.T) {
	files := testgen.Corpus(t)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	step := 1
	if testing.Short() {
		step = 7
	}
	total := 0
	for _, name := range names {
		ix := analysis.Parse(analysis.NewDocument(files[name]))
		doc := ix.Doc
		for off := 0; off <= doc.Len(); off += step {
			items := func() (items []Item) {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s: offset %d (line %d): panic: %v", name, off, doc.LineOf(off)+1, r)
					}
				}()
				return Complete(ix, off, Options{Snippets: off%2 == 0})
			}()
			total++
			line := doc.LineOf(off)
			at := off
			if off > 0 && off < doc.Len() && doc.Slice(analysis.Span{Start: off - 1, End: off + 1}) == "\r\n" {
				at = off - 1 // between CR and LF: clamped to the line's end
			}
			for _, it := range items {
				if it.Edit.Start > at || it.Edit.End < at || doc.LineOf(it.Edit.Start) != line || doc.LineOf(it.Edit.End) != line {
					t.Errorf("%s:%d: offset %d: %s %q edit %v does not hold the offset", name, line+1, off, it.Kind, it.Label, it.Edit)
				}
				if it.Label == "" || it.Kind == 0 {
					t.Errorf("%s:%d: offset %d: item %+v", name, line+1, off, it)
				}
			}
		}
	}
	t.Logf("%d completions over %d files", total, len(names))
}
