package completion

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// buildkitOffers lists, in definition order, the labels BuildKit resolves
// to a stage before stage s for a reference of the given kind, from the
// stages its instructions package reads (names lower-cased). It follows
// dockerfile2llb (convert.go): a FROM base is looked up exactly in the
// names registered so far (addState: statesByName[BaseName], the last
// stage of a name wins), a `--from` by index or by name ignoring case
// after every stage is registered (findStateByIndex, findStateByName),
// a mount's from= by name only (detectRunMount); a stage defined at or
// after s fails the build ("needs to be defined before").
func buildkitOffers(stages []instructions.Stage, s int, kind analysis.RefKind) []string {
	last := map[string]int{}
	for i, st := range stages {
		if st.Name != "" && (kind != analysis.RefFrom || i < s) {
			last[st.Name] = i
		}
	}
	var out []string
	for i, st := range stages[:max(0, s)] {
		switch {
		case st.Name == "" && kind == analysis.RefCopyFrom:
			out = append(out, strconv.Itoa(i))
		case st.Name != "" && last[st.Name] == i:
			out = append(out, st.Name)
		}
	}
	return out
}

// TestCorpusFrom completes at the start of every stage reference (FROM,
// COPY and ADD --from, RUN --mount from=) in the corpus and in variants of
// it whose stage names are capitalised, and checks the labels against
// what BuildKit resolves there (buildkitOffers): exactly, for FROM, where
// the casing is what BuildKit matches; ignoring case elsewhere.
func TestCorpusFrom(t *testing.T) {
	checked := map[analysis.RefKind]int{}
	for name, text := range testgen.Corpus(t) {
		for _, variant := range []string{text, capitalizeStageNames(text)} {
			res, err := parser.Parse(strings.NewReader(variant))
			if err != nil {
				continue
			}
			stages, _, err := instructions.Parse(res.AST, nil)
			if err != nil {
				continue
			}
			ix := analysis.Parse(analysis.NewDocument(variant))
			if ix.ParseError != nil || ix.Stages().Len() != len(stages) {
				t.Errorf("%s: %d stages, BuildKit reads %d", name, ix.Stages().Len(), len(stages))
				continue
			}
			for _, r := range ix.Refs() {
				if r.Kind == analysis.RefEpoch || r.Stage < 0 {
					continue
				}
				n := ix.Node(r.Instruction)
				if strings.EqualFold(n.Keyword.Value, "onbuild") {
					continue
				}
				got := labels(Complete(ix, r.Span.Start, Options{}))
				want := buildkitOffers(stages, r.Stage, r.Kind)
				same := slices.EqualFunc(got, want, strings.EqualFold)
				if r.Kind == analysis.RefFrom {
					same = slices.Equal(got, want)
				}
				if !same {
					t.Errorf("%s:%d: %s completion = %q, BuildKit resolves %q", name, ix.Doc.LineOf(r.Span.Start)+1, r.Kind, got, want)
				}
				checked[r.Kind]++
			}
		}
	}
	for _, k := range []analysis.RefKind{analysis.RefFrom, analysis.RefCopyFrom, analysis.RefMountFrom} {
		if checked[k] == 0 {
			t.Errorf("no %s reference in the corpus", k)
		}
	}
	t.Logf("references checked: %v", checked)
}

// capitalizeStageNames rewrites every `AS name` of a FROM line as `AS Name`.
func capitalizeStageNames(text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) < 4 || !strings.EqualFold(f[0], "from") || !strings.EqualFold(f[len(f)-2], "as") {
			continue
		}
		name := f[len(f)-1]
		at := strings.LastIndex(l, name)
		lines[i] = l[:at] + strings.ToUpper(name[:1]) + name[1:] + l[at+len(name):]
	}
	return strings.Join(lines, "")
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
