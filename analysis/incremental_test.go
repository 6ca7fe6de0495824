package analysis

import (
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// applyAndCheck applies e through Update and fails when the result differs
// from a full parse of the new text.
func applyAndCheck(t testing.TB, ix *Index, e Edit) *Index {
	t.Helper()
	doc, err := ix.Doc.Apply(e)
	if err != nil {
		t.Fatalf("apply %+v: %v", e, err)
	}
	got := ix.Update(doc, e)
	want := Parse(doc)
	if want.ParseError != nil {
		// The stale index keeps old instructions; only its error must agree.
		if got.ParseError == nil || got.ParseError.Message != want.ParseError.Message {
			t.Fatalf("edit %+v on %q: parse error %v, want %v", e, ix.Doc.Text(), got.ParseError, want.ParseError)
		}
		return got
	}
	if d := cmp.Diff(want.Dump(), got.Dump()); d != "" {
		t.Fatalf("edit %+v turning\n%q\ninto\n%q\nincremental differs from full parse (-full +incremental):\n%s", e, ix.Doc.Text(), doc.Text(), d)
	}
	return got
}

var editPieces = []string{
	"", "a", " ", "\n", "\\\n", "`\n", "\r\n", "#", "# c\n", "FROM x AS y\n", "RUN <<EOF\n", "EOF\n",
	"COPY --from=y / /\n", "RUN --mount=from=y,target=/t true\n", "ARG V=1\n", "$V", "${V}", "\"", "'",
	"AS b", "ENV K v\n", "\t", "é", "😀", "\xff", "\\", "# escape=`\n", "RUN x \\\n\n", "<<-E\n\tbody\n\tE\n",
}

// randomEdit picks a span of ix's text and replacement text built from
// pieces that change instruction boundaries.
func randomEdit(r *rand.Rand, doc *Document) Edit {
	n := doc.Len()
	start := r.IntN(n + 1)
	end := start
	if r.IntN(3) == 0 {
		end = min(n, start+r.IntN(12))
	}
	text := ""
	for k := r.IntN(3); k > 0; k-- {
		text += editPieces[r.IntN(len(editPieces))]
	}
	return Edit{Span: Span{start, end}, Text: text}
}

const seedDockerfile = "# syntax=docker/dockerfile:1\nARG GO=1.23\nFROM golang:${GO} AS build\nWORKDIR /src\nRUN --mount=type=cache,target=/c \\\n  # note\n\n  go build -o /app .\nRUN <<EOF\necho hi\nEOF\nFROM build AS test\nRUN go test\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=0 /a /b\nENV A=1\nCMD [\"/app\"]\n"

func TestIncrementalRandomEdits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for run := 0; run < 150; run++ {
		ix := Parse(NewDocument(seedDockerfile))
		for step := 0; step < 20; step++ {
			ix = applyAndCheck(t, ix, randomEdit(r, ix.Doc))
			if ix.ParseError != nil {
				break
			}
		}
	}
}

func FuzzIncremental(f *testing.F) {
	f.Add(seedDockerfile, uint64(1), uint8(10))
	f.Add("FROM a\nARG A B\nENV X=${A:-${B:+\"$C\"}} \\\n  Y=${D/x/$B}\nRUN echo ${A:-${B}}\n", uint64(3), uint8(12))
	if text, ok := testgen.CorpusText(f, "moby__buildkit__Dockerfile"); ok {
		f.Add(text, uint64(7), uint8(5))
	}
	f.Fuzz(func(t *testing.T, text string, seed uint64, steps uint8) {
		if len(text) > 1<<14 {
			return
		}
		r := rand.New(rand.NewPCG(seed, seed>>1))
		ix := Parse(NewDocument(text))
		for i := 0; i < int(steps%32); i++ {
			ix = applyAndCheck(t, ix, randomEdit(r, ix.Doc))
			if ix.ParseError != nil {
				return
			}
		}
	})
}

// TestUpdateIsLocal checks that typing inside one instruction re-scans only
// its neighbourhood: the instructions far from the edit are the same
// objects as before.
func TestUpdateIsLocal(t *testing.T) {
	ix := Parse(NewDocument(seedDockerfile))
	off := len("# syntax=docker/dockerfile:1\nARG GO=1.23\nFROM golang:${GO} AS build\nWORKDIR /sr")
	for i, c := range "c/app" {
		ix2 := applyAndCheck(t, ix, Edit{Span: Span{off + i, off + i}, Text: string(c)})
		if ix2.inst(0) != ix.inst(0) || ix2.inst(ix.Len()-1) != ix.inst(ix.Len()-1) {
			t.Fatalf("keystroke %d re-scanned instructions far from the edit", i)
		}
		if ix2.Stale || ix2.ParseError != nil {
			t.Fatalf("keystroke %d: unexpected parse error %v", i, ix2.ParseError)
		}
		ix = ix2
	}
}

// TestUpdateEdgeCases makes the edits that change how BuildKit groups
// lines without adding a line break, each checked against a full parse.
func TestUpdateEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		text, old, new string
	}{
		{"FROM a\nRUNX \\\n  <<EOF\nx\nEOF\nRUN y\n", "RUNX", "RUN"},      // the keyword now takes a heredoc
		{"FROM a\nRUN cat < <EOF\nx\nEOF\nRUN y\n", "< <", "<<"},          // a heredoc appears
		{"FROM a\nRUN a b\nRUN c\n", "a b", "a \\"},                       // a continuation appears
		{"FROM a\nRUN a \\\n  b\nRUN c\n", "a \\", "a"},                   // a continuation goes
		{"FROM a\nRUN a \\\n  b \\\n  c\nRUN d\n", "  b", "# b"},          // a line becomes a comment
		{"FROM a\nRUN a \\\n  \\\n  c\nRUN d\n", "  \\\n  c", "  x\n  c"}, // a blank line fills
		{"FROM a\nRUN a \\\n# note\n  c\nRUN d\n", "# note", "note"},      // a comment becomes content
		{"FROM a\nRUN echo hi\nRUN d\n", "echo hi", "echo hi there"},      // plain typing
	} {
		ix := Parse(NewDocument(tc.text))
		at := strings.Index(tc.text, tc.old)
		applyAndCheck(t, ix, Edit{Span: Span{at, at + len(tc.old)}, Text: tc.new})
	}
}

// TestRelinkSameFroms makes the edits that re-read a FROM as it was, and
// those that change one, next to the FROMs of a generated file: typing in
// the comment above a FROM (whose re-parse runs to the end of the FROM
// after it), a line inserted between that comment and the FROM, a comment
// line added, and characters typed in a FROM's name or base. Each result
// must equal a full parse (instructions, stage views, references), and the
// edits that leave every FROM's text alone must keep the stages (carried
// views, the same name table) while the others must not.
func TestRelinkSameFroms(t *testing.T) {
	ix := Parse(NewDocument(testgen.Large(12)))
	ix.Dump()
	r := rand.New(rand.NewPCG(18, 14))
	kept, relinked := 0, 0
	for i := range 240 {
		text := ix.Doc.Text()
		var froms []int
		for at := 0; ; {
			k := strings.Index(text[at:], "\nFROM ")
			if k < 0 {
				break
			}
			at += k + 1
			froms = append(froms, at)
		}
		f := froms[r.IntN(len(froms))]
		eol := f + strings.IndexByte(text[f:], '\n')
		var e Edit
		sameFroms := true
		switch r.IntN(7) {
		case 0, 1: // type at the end of the line above (the comment)
			e = Edit{Span: Span{f - 1, f - 1}, Text: "x"}
		case 2: // delete the character before that line's end
			if ls := strings.LastIndexByte(text[:f-1], '\n') + 1; text[ls] != '#' || f-2 <= ls {
				continue
			}
			e = Edit{Span: Span{f - 2, f - 1}}
		case 3: // a new instruction or comment between the comment and the FROM
			e = Edit{Span: Span{f, f}, Text: []string{"RUN true\n", "# more\n", "ENV A=b\n"}[r.IntN(3)]}
		case 4: // type in the FROM's name (the end of its line)
			e, sameFroms = Edit{Span: Span{eol, eol}, Text: "z"}, false
		case 5: // type in its base
			e, sameFroms = Edit{Span: Span{f + len("FROM "), f + len("FROM ")}, Text: "q"}, false
		case 6: // change its name's last character, keeping its length
			c := "y"
			if text[eol-1] == 'y' {
				c = "w"
			}
			e, sameFroms = Edit{Span: Span{eol - 1, eol}, Text: c}, false
		}
		prev := ix
		ix = applyAndCheck(t, ix, e)
		if ix.ParseError != nil {
			t.Fatalf("edit %d (%+v): %v", i, e, ix.ParseError)
		}
		carried := reflect.ValueOf(ix.byName).UnsafePointer() == reflect.ValueOf(prev.byName).UnsafePointer()
		switch {
		case carried && !sameFroms:
			t.Fatalf("edit %d (%+v) changed a FROM, yet the stages were carried", i, e)
		case carried:
			kept++
		case sameFroms:
			relinked++
		}
	}
	if kept < 100 {
		t.Errorf("%d edits kept the stages (%d that left every FROM alone linked them again), want at least 100", kept, relinked)
	}
	t.Logf("%d kept, %d linked again though no FROM changed", kept, relinked)
}

// TestShellReadsCarried edits every sample file at random and, after each
// edit, reads the commands and installs of every RUN of the updated index,
// which takes what the version it was spliced from read of an unchanged
// RUN under the same shell: each must equal a fresh parse's. Every other
// version reads only half of them first, so that some come from the
// version before. A SHELL changed above an unchanged RUN changes what it
// reads.
func TestShellReadsCarried(t *testing.T) {
	type reads struct {
		Cmds     []SimpleCommand
		Installs []Install
		ICmds    []SimpleCommand
		OK       bool
	}
	read := func(ix *Index, i int, installsFirst bool) reads {
		var r reads
		if installsFirst {
			r.Installs, r.ICmds, r.OK = ix.installsOf(i)
			r.Cmds = ix.ShellCommands(ix.Node(i))
		} else {
			r.Cmds = ix.ShellCommands(ix.Node(i))
			r.Installs, r.ICmds, r.OK = ix.installsOf(i)
		}
		return r
	}
	carried := 0
	check := func(name string, ix *Index, v int) {
		fresh := Parse(ix.Doc)
		if fresh.ParseError != nil || ix.ParseError != nil {
			return
		}
		for i := range ix.Len() {
			if ix.inst(i).Cmd != "run" || (v%2 == 1 && i%2 == 0) {
				continue
			}
			if _, ok := ix.carriedCommands(ix.runKeyOf(i)); ok {
				carried++
			}
			if d := cmp.Diff(read(fresh, i, i%3 == 0), read(ix, i, i%3 == 0)); d != "" {
				t.Fatalf("%s, version %d, RUN %d: reads differ (-fresh +carried):\n%s", name, v, i, d)
			}
		}
	}
	corpus := testgen.Sample(t)
	for k, name := range slices.Sorted(maps.Keys(corpus)) {
		edit := testgen.NewEditor(uint64(k), []string{"all"})
		ix := Parse(NewDocument(corpus[name]))
		check(name, ix, 0)
		for v := range 6 {
			ix, _ = randomUpdate(t, ix, edit)
			check(name, ix, v+1)
		}
	}
	// The shell in force is part of what is carried: the same RUN reads
	// otherwise under another one.
	for _, c := range []struct{ from, to, run string }{
		{`["pwsh", "-c"]`, `["bash", "-c"]`, "npm ci"},
	} {
		ix := Parse(NewDocument("FROM alpine\nSHELL " + c.from + "\nRUN " + c.run + "\n"))
		before := read(ix, 2, false)
		at := strings.Index(ix.Doc.Text(), c.from)
		ix = applyAndCheck(t, ix, Edit{Span: Span{Start: at, End: at + len(c.from)}, Text: c.to})
		after, fresh := read(ix, 2, false), read(Parse(ix.Doc), 2, false)
		if d := cmp.Diff(fresh, after); d != "" {
			t.Fatalf("SHELL %s after %s: reads differ (-fresh +carried):\n%s", c.to, c.from, d)
		}
		if cmp.Equal(before, after) {
			t.Fatalf("SHELL %s and %s read %q alike; the case tests nothing", c.from, c.to, c.run)
		}
	}
	want := 1000
	if raceEnabled {
		want = 100
	}
	if carried < want {
		t.Fatalf("%d RUN reads were carried, want at least %d", carried, want)
	}
	t.Logf("%d RUN reads carried", carried)
}
