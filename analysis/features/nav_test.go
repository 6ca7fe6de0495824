package features

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

const navDockerfile = testgen.NavDockerfile

// at returns the offset of the nth (from 0) occurrence of needle in text.
func at(t testing.TB, text, needle string, nth int) int {
	t.Helper()
	off := -1
	for k := 0; k <= nth; k++ {
		i := strings.Index(text[off+1:], needle)
		if i < 0 {
			t.Fatalf("%q #%d not found", needle, nth)
		}
		off += 1 + i
	}
	return off
}

func TestDefinitionAndReferences(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument(navDockerfile))
	text := navDockerfile
	texts := func(occ []analysis.Occurrence) []string {
		var out []string
		for _, o := range occ {
			out = append(out, text[o.Span.Start:o.Span.End])
		}
		return out
	}
	// Every reference to the Build stage lands on its name.
	for _, needle := range []string{"FROM build", "--from=BUILD", "--from=0"} {
		off := at(t, text, needle, 0) + strings.IndexAny(needle, " =") + 1
		def, ok := Definition(ix, off)
		if !ok || text[def.Start:def.End] != "Build" {
			t.Errorf("definition at %q = %q %v, want Build", needle, text[def.Start:def.End], ok)
		}
	}
	got := texts(references(ix, at(t, text, "Build", 0), true))
	if d := cmp.Diff([]string{"Build", "build", "BUILD", "0"}, got); d != "" {
		t.Errorf("references of Build (-want +got):\n%s", d)
	}
	got = texts(references(ix, at(t, text, "Build", 0), false))
	if d := cmp.Diff([]string{"build", "BUILD", "0"}, got); d != "" {
		t.Errorf("references of Build without declaration (-want +got):\n%s", d)
	}
	// The global GO groups its stage re-declaration and the uses there.
	got = texts(references(ix, at(t, text, "GO", 0), true))
	if d := cmp.Diff([]string{"GO", "GO", "GO", "GO"}, got); d != "" {
		t.Errorf("references of GO (-want +got):\n%s", d)
	}
	if def, ok := Definition(ix, at(t, text, "$GO", 0)+1); !ok || ix.Doc.LineOf(def.Start) != 3 {
		t.Errorf("definition of $GO in RUN = line %d, want the stage's ARG GO on line 4", ix.Doc.LineOf(def.Start)+1)
	}
}

func TestRename(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument(navDockerfile))
	text := navDockerfile
	apply := func(edits []analysis.Edit) string {
		out := text
		for i := len(edits) - 1; i >= 0; i-- {
			out = out[:edits[i].Span.Start] + edits[i].Text + out[edits[i].Span.End:]
		}
		return out
	}
	edits, err := Rename(context.Background(), ix, at(t, text, "--from=BUILD", 0)+8, "compile")
	if err != nil {
		t.Fatal(err)
	}
	got := apply(edits)
	if strings.Count(got, "compile") != 3 || !strings.Contains(got, "--from=0") {
		t.Errorf("after rename:\n%s", got)
	}
	for _, bad := range []string{"test", "TEST", "1abc", "scratch", "a b"} {
		if _, err := Rename(context.Background(), ix, at(t, text, "Build", 0), bad); err == nil {
			t.Errorf("rename to %q accepted", bad)
		}
	}
	if _, err := Rename(context.Background(), ix, at(t, text, "Build", 0), "bUILD"); err != nil {
		t.Errorf("rename to a new casing of the same name: %v", err)
	}
	if _, err := Rename(context.Background(), ix, at(t, text, "CGO_ENABLED", 0), "GO"); err == nil {
		t.Errorf("renaming CGO_ENABLED to GO, which is in scope, was accepted")
	}
	edits, err = Rename(context.Background(), ix, at(t, text, "GO", 0), "GOVERSION")
	if err != nil {
		t.Fatal(err)
	}
	if got := apply(edits); strings.Count(got, "GOVERSION") != 4 {
		t.Errorf("after renaming GO:\n%s", got)
	}
}

// TestCorpusDefinition checks, for every stage reference in every corpus
// file, that definition lands on the stage BuildKit picks for it.
func TestCorpusDefinition(t *testing.T) {
	checked := 0
	for name, text := range testgen.Corpus(t) {
		ix := analysis.Parse(analysis.NewDocument(text))
		var bk []*instructions.Stage
		if res, err := parser.Parse(strings.NewReader(text)); err == nil {
			if stages, _, err := instructions.Parse(res.AST, nil); err == nil {
				for i := range stages {
					bk = append(bk, &stages[i])
				}
			}
		}
		for _, r := range ix.Refs() {
			if r.Resolution != analysis.ResolvesStage {
				continue
			}
			def, ok := Definition(ix, r.Span.Start)
			if !ok {
				t.Errorf("%s: no definition for %q on line %d", name, r.Value, ix.Doc.LineOf(r.Span.Start)+1)
				continue
			}
			landed := ix.StageAt(def.Start)
			want := -1
			if r.Numeric {
				want, _ = strconv.Atoi(r.Value)
			} else if bk != nil {
				for k := 0; k < r.Stage && k < len(bk); k++ {
					if bk[k].Name == strings.ToLower(r.Value) {
						want = k
						break
					}
				}
			} else {
				want = ix.StageByName(r.Value)
			}
			if landed != want || landed >= r.Stage {
				t.Errorf("%s: definition of %q on line %d lands in stage %d, want %d", name, r.Value, ix.Doc.LineOf(r.Span.Start)+1, landed, want)
			}
			if st := ix.Stage(landed); st.Name != "" && !strings.EqualFold(ix.Doc.Slice(def), r.Value) && !r.Numeric {
				t.Errorf("%s: definition of %q lands on %q", name, r.Value, ix.Doc.Slice(def))
			}
			checked++
		}
	}
	t.Logf("checked %d references", checked)
}

// TestCorpusEveryPosition asks every feature at every position of every
// corpus file, and checks that what comes back lies in the document.
func TestCorpusEveryPosition(t *testing.T) {
	for name, text := range testgen.Corpus(t) {
		checkAllFeatures(t, name, analysis.Parse(analysis.NewDocument(text)))
	}
}

// TestEdgeCasesEveryPosition does the same over hand-written edge cases.
func TestEdgeCasesEveryPosition(t *testing.T) {
	cases := map[string]string{
		"nav":       navDockerfile,
		"crlf":      strings.ReplaceAll(navDockerfile, "\n", "\r\n"),
		"lonecr":    "FROM a AS x\rCOPY --from=x / /\r",
		"escape":    "# escape=`\nFROM alpine AS b`\n  ase\nRUN echo `\n  \"${X}\"\nFROM b\n",
		"heredoc":   "FROM alpine AS h\nRUN <<EOF cat > /x\n# not a comment\n$HOME\nEOF\nCOPY <<-A <<B /\n\tx\n\tA\ny\nB\n",
		"unicode":   "ARG ÄÖ=😀\nFROM alpine AS ünï\nRUN echo \"😀 $ÄÖ\"\nCOPY --from=ünï / /\n",
		"empty":     "",
		"broken":    "FROM alpine\nRUN <<EOF\nnever ends\n",
		"comments":  "# a\n# b\nFROM x\n# c\n# d\nRUN a \\\n# inside\n  b\n",
		"onbuild":   "FROM a AS b\nONBUILD COPY --from=b / /\nONBUILD RUN [\"x\"]\n",
		"mountcont": "FROM a AS b\nFROM a\nRUN --mount=type=cache,\\\n# c\nfrom=b,target=/x \\\n  true\nRUN --mount=from=b\\\nx,target=/y true\n",
		"bomtick":   "\uFEFF# escape=`\r\nFROM a AS Build\r\nFROM Build AS x\r\nCOPY --from=build C:\\a `\r\n  C:\\b\r\nRUN --mount=type=bind,`\r\nfrom=BUILD,target=C:\\m dir\r\n",
	}
	for name, text := range cases {
		checkAllFeatures(t, name, analysis.Parse(analysis.NewDocument(text)))
	}
}

func checkAllFeatures(t *testing.T, name string, ix *analysis.Index) {
	t.Helper()
	doc := ix.Doc
	inDoc := func(what string, s analysis.Span) {
		if s.Start < 0 || s.End > doc.Len() || s.End < s.Start {
			t.Errorf("%s: %s span %v outside document of %d bytes", name, what, s, doc.Len())
		}
	}
	for off := 0; off <= doc.Len(); off++ {
		if d, ok := Definition(ix, off); ok {
			inDoc("definition", d)
		}
		for _, o := range references(ix, off, true) {
			inDoc("reference", o.Span)
		}
		if h, ok := Hover(ix, off, nil); ok {
			inDoc("hover", h.Span)
		}
		if sp, _, err := PrepareRename(ix, off); err == nil {
			inDoc("prepareRename", sp)
			edits, err := Rename(context.Background(), ix, off, "renamed_x")
			if err == nil {
				for i, e := range edits {
					inDoc("rename", e.Span)
					if i > 0 && e.Span.Start < edits[i-1].Span.End {
						t.Errorf("%s: overlapping rename edits %v %v", name, edits[i-1].Span, e.Span)
					}
				}
			}
		}
	}
	var walk func([]Symbol, analysis.Span)
	walk = func(syms []Symbol, parent analysis.Span) {
		for _, s := range syms {
			inDoc("symbol", s.Span)
			if s.NameSpan.Start < s.Span.Start || s.NameSpan.End > s.Span.End || s.Span.Start < parent.Start || s.Span.End > parent.End {
				t.Errorf("%s: symbol %q %v (name %v) not inside %v", name, s.Name, s.Span, s.NameSpan, parent)
			}
			walk(s.Children, s.Span)
		}
	}
	walk(Symbols(ix), analysis.Span{Start: 0, End: doc.Len()})
	NamedSymbols(ix, "")
	for _, f := range Folds(ix) {
		if f.StartLine >= f.EndLine || f.EndLine >= doc.LineCount() {
			t.Errorf("%s: bad fold %+v", name, f)
		}
	}
	for _, l := range Lenses(ix, nil) {
		inDoc("lens", l.Span)
	}
	for _, enc := range []analysis.Encoding{analysis.UTF8, analysis.UTF16, analysis.UTF32} {
		checkTokens(t, name, ix, SemanticTokens(ix, analysis.Span{Start: 0, End: doc.Len()}, enc), enc)
	}
	for l := 0; l < doc.LineCount(); l += 7 {
		sp := analysis.Span{Start: doc.LineStart(l), End: doc.LineEnd(min(l+3, doc.LineCount()-1))}
		checkTokens(t, name, ix, SemanticTokens(ix, sp, analysis.UTF16), analysis.UTF16)
	}
}

// checkTokens checks that tokens are ordered, inside their lines and
// disjoint.
func checkTokens(t *testing.T, name string, ix *analysis.Index, toks []SemToken, enc analysis.Encoding) {
	t.Helper()
	doc := ix.Doc
	for i, tk := range toks {
		width := analysis.ColumnWidth(doc.Slice(analysis.Span{Start: doc.LineStart(tk.Line), End: doc.LineEnd(tk.Line)}), enc)
		if tk.Len <= 0 || tk.Col+tk.Len > width {
			t.Errorf("%s: token %+v outside line %d of width %d", name, tk, tk.Line+1, width)
			return
		}
		if i > 0 {
			p := toks[i-1]
			if p.Line > tk.Line || p.Line == tk.Line && p.Col+p.Len > tk.Col {
				t.Errorf("%s: tokens %+v and %+v overlap or are out of order", name, p, tk)
				return
			}
		}
	}
}

func TestSemanticTokensLine(t *testing.T) {
	text := "ARG V=1\nFROM alpine AS Base\nCOPY --from=base --chown=1:1 \"a b\" /c\nRUN echo ${V} $TARGETOS\n# done\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	var got []string
	for _, tk := range SemanticTokens(ix, analysis.Span{Start: 0, End: len(text)}, analysis.UTF8) {
		s := ix.Doc.LineStart(tk.Line) + tk.Col
		got = append(got, fmt.Sprintf("%d:%s:%s/%d", tk.Line+1, text[s:s+tk.Len], tk.Type, tk.Mods))
	}
	want := []string{
		"1:ARG:keyword/0", "1:V:variable/1", "1:1:string/0",
		"2:FROM:keyword/0", "2:AS:keyword/0", "2:Base:stage/1",
		"3:COPY:keyword/0", "3:--from:flag/0", "3:base:stage/2", "3:--chown:flag/0", "3:1:1:string/0", "3:\"a b\":string/0",
		"4:RUN:keyword/0", "4:${V}:variable/2", "4:$TARGETOS:variable/6",
		"5:# done:comment/0",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tokens (-want +got):\n%s", d)
	}
}

func TestFoldsAndLenses(t *testing.T) {
	text := "# a\n# b\nFROM x AS one\nRUN a \\\n  b\n\nFROM one\nRUN <<EOF\nx\nEOF\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	want := []Fold{{0, 1, FoldComment}, {2, 4, FoldRegion}, {3, 4, FoldRegion}, {6, 9, FoldRegion}, {7, 9, FoldRegion}}
	if d := cmp.Diff(want, Folds(ix)); d != "" {
		t.Errorf("folds (-want +got):\n%s", d)
	}
	var titles []string
	for _, l := range Lenses(ix, nil) {
		titles = append(titles, l.Title)
	}
	if d := cmp.Diff([]string{"used by 1 stage: stage 1", "final stage"}, titles); d != "" {
		t.Errorf("lenses (-want +got):\n%s", d)
	}
}

// largeIndex is the generated 20,000-line, 1,000-stage file.
func largeIndex(tb testing.TB) *analysis.Index {
	return analysis.Parse(analysis.NewDocument(testgen.Large(1000)))
}

// stageRefs returns the references that resolve to a stage.
func stageRefs(ix *analysis.Index) []analysis.StageRef {
	var out []analysis.StageRef
	for _, r := range ix.Refs() {
		if r.Resolution == analysis.ResolvesStage {
			out = append(out, r)
		}
	}
	return out
}

func BenchmarkDefinition(b *testing.B) {
	ix := largeIndex(b)
	refs := stageRefs(ix)
	i := 0
	for b.Loop() {
		Definition(ix, refs[i%len(refs)].Span.Start)
		i += 997
	}
}

func BenchmarkReferences(b *testing.B) {
	ix := largeIndex(b)
	refs := stageRefs(ix)
	b.Run("stage", func(b *testing.B) {
		i := 0
		for b.Loop() {
			references(ix, refs[i%len(refs)].Span.Start, true)
			i += 997
		}
	})
	b.Run("global-arg", func(b *testing.B) {
		off := strings.Index(ix.Doc.Text(), "VERSION")
		for b.Loop() {
			references(ix, off, true)
		}
	})
}

func BenchmarkSemanticTokens(b *testing.B) {
	ix := largeIndex(b)
	for b.Loop() {
		SemanticTokens(ix, analysis.Span{Start: 0, End: ix.Doc.Len()}, analysis.UTF16)
	}
}

// BenchmarkSemanticTokensAfterEdit asks for the full tokens of the
// 1,000-stage file after each keystroke, as an editor does. In "vars" each
// RUN heredoc body reads $VERSION and $((N+1)), which only the shell sees:
// their parses carry over from one version to the next, so only the edited
// instruction's would be read again.
func BenchmarkSemanticTokensAfterEdit(b *testing.B) {
	for _, tc := range []struct{ name, text string }{
		{"large", testgen.Large(1000)},
		{"vars", strings.ReplaceAll(testgen.Large(1000), "make build\n", "make build V=$VERSION J=$((N+1))\n")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ix := analysis.Parse(analysis.NewDocument(tc.text))
			full := func() []SemToken {
				return SemanticTokens(ix, analysis.Span{Start: 0, End: ix.Doc.Len()}, analysis.UTF16)
			}
			full()
			mid := len(tc.text) / 2
			at := mid + strings.Index(tc.text[mid:], "WORKDIR /src") + len("WORKDIR /src")
			i := 0
			cpu := testgen.CPUTime()
			for b.Loop() {
				e := analysis.Edit{Span: analysis.Span{Start: at, End: at}, Text: "x"}
				if i%2 == 1 {
					e = analysis.Edit{Span: analysis.Span{Start: at, End: at + 1}}
				}
				i++
				doc, err := ix.Doc.Apply(e)
				if err != nil {
					b.Fatal(err)
				}
				ix = ix.Update(doc, e)
				full()
			}
			testgen.ReportCPU(b, cpu)
		})
	}
}

func TestHoverDocs(t *testing.T) {
	text := "# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine AS a\nRUN --mount=type=secret,id=x,target=/s --network=none true\nHEALTHCHECK --interval=5s CMD true\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	for _, tc := range []struct{ at, want string }{
		{"syntax", "Dockerfile frontend"},
		{"escape", "escapes characters"},
		{"RUN", "reference/dockerfile/#run"},
		{"secret", "secret given to the build"},
		{"id=", "Names the cache"},
		{"--network", "**--network**"},
		{"--interval", "**--interval**"},
	} {
		h, ok := Hover(ix, at(t, text, tc.at, 0)+1, nil)
		if !ok || !strings.Contains(h.Markdown, tc.want) {
			t.Errorf("hover at %q = %q %v, want it to contain %q", tc.at, h.Markdown, ok, tc.want)
		}
	}
	if h, ok := Hover(ix, at(t, text, "true", 0)+1, nil); ok {
		t.Errorf("hover on a command's word = %q", h.Markdown)
	}
}

func TestRenameVarCapture(t *testing.T) {
	for _, tc := range []struct {
		text, at, to string
		ok           bool
	}{
		{"FROM x\nARG B=0\nENV A=1\nRUN $B\n", "A=", "B", false},         // RUN $B would then mean A
		{"FROM x\nENV A=1\nRUN $A\nENV B=2\nRUN $B\n", "A=", "B", true},  // ENV B=2 still wins
		{"FROM x\nENV A=1\nENV B=2\nRUN $B $A\n", "A=", "B", false},      // $A would become ENV B=2
		{"FROM x AS one\nENV A=1\nFROM one\nRUN $B\n", "A=", "B", false}, // inherited by the next stage
		{"FROM x AS one\nENV A=1\nFROM x\nRUN $B\n", "A=", "B", true},    // not built on it
		{"FROM x\nARG A=1\nRUN $A\n", "A=", "A", true},                   // the same name
	} {
		ix := analysis.Parse(analysis.NewDocument(tc.text))
		_, err := Rename(context.Background(), ix, at(t, tc.text, tc.at, 0), tc.to)
		if (err == nil) != tc.ok {
			t.Errorf("rename %s to %s in %q: %v, want ok=%v", tc.at, tc.to, tc.text, err, tc.ok)
		}
	}
}

// references is References with a context that is never cancelled.
func references(ix *analysis.Index, off int, includeDecl bool) []analysis.Occurrence {
	occ, _ := References(context.Background(), ix, off, includeDecl)
	return occ
}
