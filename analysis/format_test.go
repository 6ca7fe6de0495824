package analysis

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func format(text string, opts FormatOptions) string {
	return ApplyEdits(text, Format(Parse(NewDocument(text)), opts))
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"majority upper", "from alpine as base\nRUN x\nCOPY a b\n", "FROM alpine AS base\nRUN x\nCOPY a b\n"},
		{"majority lower", "FROM alpine AS base\nrun x\ncopy a b\n", "from alpine as base\nrun x\ncopy a b\n"},
		{"spacing", "  COPY   --from=base\t--chmod=644   a    b  \n", "COPY --from=base --chmod=644 a b\n"},
		{"shell words kept", "RUN   echo   hi\n", "RUN echo   hi\n"},
		{"continuation", "RUN apk add \\\n  git \\\n\t\tmake\n", "RUN apk add \\\n    git \\\n    make\n"},
		{"joined word kept", "RUN echo a\\\nb\n", "RUN echo a\\\nb\n"},
		{"quoted break kept", "RUN echo \"a \\\n  b\"\n", "RUN echo \"a \\\n  b\"\n"},
		{"json untouched", "CMD   [ \"a\",   \"b\" ]  \n", "CMD [ \"a\",   \"b\" ]  \n"},
		{"heredoc untouched", "RUN  <<EOF  \n  set -e   \n\tEOF\nEOF\n", "RUN <<EOF\n  set -e   \n\tEOF\nEOF\n"},
		{"stage gap added", "FROM a AS x\nRUN x\nFROM b\n", "FROM a AS x\nRUN x\n\nFROM b\n"},
		{"stage gap shrunk", "FROM a AS x\nRUN x\n\n\n  \n# doc\nFROM b\n", "FROM a AS x\nRUN x\n\n# doc\nFROM b\n"},
		{"stage gap above comment", "FROM a\nRUN x\n# doc\nFROM b\n", "FROM a\nRUN x\n\n# doc\nFROM b\n"},
		{"crlf", "from a\r\nRUN x  \r\nFROM b\r\n", "FROM a\r\nRUN x\r\n\r\nFROM b\r\n"},
		{"legacy env kept", "ENV A  b  c\n", "ENV A  b  c\n"},
		{"env pairs", "ENV A=1    B=2\n", "ENV A=1 B=2\n"},
		{"escape backtick", "# escape=`\nRUN a `\n  b\n", "# escape=`\nRUN a `\n    b\n"},
		{"broken file untouched", "RUN <<EOF\nx\n", "RUN <<EOF\nx\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := format(tc.in, FormatOptions{})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Format(%q) (-want +got):\n%s", tc.in, diff)
			}
			if again := format(got, FormatOptions{}); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestFormatIndentWidth(t *testing.T) {
	got := format("RUN a \\\n    b\n", FormatOptions{Indent: 2})
	if want := "RUN a \\\n  b\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatRange(t *testing.T) {
	text := "run  a\nrun  b\nRUN  c\n"
	ix := Parse(NewDocument(text))
	line1 := Span{ix.Doc.LineStart(1), ix.Doc.LineEnd(1)}
	got := ApplyEdits(text, FormatRange(ix, line1, FormatOptions{}))
	if want := "run  a\nrun b\nRUN  c\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatOnType(t *testing.T) {
	text := "RUN apk add \\\n\n"
	ix := Parse(NewDocument(text))
	got := ApplyEdits(text, FormatOnType(ix, len("RUN apk add \\\n"), FormatOptions{}))
	if want := "RUN apk add \\\n    \n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestFormatCorpus formats every corpus file BuildKit accepts and checks
// that the result parses to the same instructions, that formatting it
// again changes nothing, and that the edits are sorted and disjoint.
func TestFormatCorpus(t *testing.T) {
	checked, changed := 0, 0
	for name, text := range testgen.Corpus(t) {
		before, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			continue
		}
		ix := Parse(NewDocument(text))
		edits := Format(ix, FormatOptions{})
		for k := 1; k < len(edits); k++ {
			if edits[k].Span.Start <= edits[k-1].Span.End {
				t.Errorf("%s: edits %v and %v touch", name, edits[k-1], edits[k])
			}
		}
		got := ApplyEdits(text, edits)
		if got != text {
			changed++
		}
		after, err := parser.Parse(strings.NewReader(got))
		if err != nil {
			t.Errorf("%s: formatted file does not parse: %v\n%s", name, err, got)
			continue
		}
		if diff := cmp.Diff(instructionFacts(before.AST), instructionFacts(after.AST)); diff != "" {
			t.Errorf("%s: instructions changed (-before +after):\n%s", name, diff)
		}
		if again := Format(Parse(NewDocument(got)), FormatOptions{}); len(again) != 0 {
			t.Errorf("%s: not idempotent: %v", name, again)
		}
		checked++
	}
	t.Logf("%d files formatted, %d changed", checked, changed)
}

// instructionFacts renders what BuildKit reads from each instruction:
// keyword, flags, argument values, attributes and heredocs. Whitespace
// runs outside quotes in a shell-form command are one separator to the
// shell, so they are compared as one space.
func instructionFacts(root *parser.Node) []string {
	var out []string
	for _, n := range root.Children {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %q", strings.ToLower(n.Value), n.Flags)
		var keys []string
		for k, v := range n.Attributes {
			if v {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, " %v", keys)
		cmd := strings.ToLower(n.Value)
		shell := !n.Attributes["json"] && (cmd == "run" || cmd == "cmd" || cmd == "entrypoint")
		for a := n.Next; a != nil; a = a.Next {
			v := a.Value
			switch {
			case shell:
				v = collapseBlanks(v)
			case cmd == "from" && strings.EqualFold(v, "as"):
				v = "as" // BuildKit reads AS in any case
			}
			fmt.Fprintf(&b, " %q", v)
			for _, c := range a.Children {
				fmt.Fprintf(&b, " {%s}", strings.Join(instructionFacts(&parser.Node{Children: []*parser.Node{c}}), ""))
			}
		}
		for _, h := range n.Heredocs {
			fmt.Fprintf(&b, " <<%s %v %q", h.Name, h.Expand, h.Content)
		}
		out = append(out, b.String())
	}
	return out
}

// collapseBlanks turns every run of blanks outside quotes into one space.
func collapseBlanks(s string) string {
	var b strings.Builder
	var quote byte
	blank := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote == 0 && (c == ' ' || c == '\t') {
			blank = true
			continue
		}
		if blank {
			b.WriteByte(' ')
			blank = false
		}
		switch {
		case c == '\\' && quote != '\'' && i+1 < len(s):
			b.WriteByte(c)
			i++
			c = s[i]
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == c:
			quote = 0
		}
		b.WriteByte(c)
	}
	return b.String()
}

func FuzzFormat(f *testing.F) {
	f.Add("from a as b\nrun  x \\\n y\n")
	f.Add("RUN <<EOF\nx\nEOF\nFROM b\n")
	f.Fuzz(func(t *testing.T, text string) {
		ix := Parse(NewDocument(text))
		edits := Format(ix, FormatOptions{})
		for k, e := range edits {
			if e.Span.Start < 0 || e.Span.End > len(text) || e.Span.End < e.Span.Start || (k > 0 && e.Span.Start <= edits[k-1].Span.End) {
				t.Fatalf("bad edit %v in %v", e, edits)
			}
		}
		got := ApplyEdits(text, edits)
		before, err := parser.Parse(strings.NewReader(text))
		if err != nil || len(edits) == 0 {
			return
		}
		after, err := parser.Parse(strings.NewReader(got))
		if err != nil {
			t.Fatalf("formatted %q to %q, which does not parse: %v", text, got, err)
		}
		if diff := cmp.Diff(instructionFacts(before.AST), instructionFacts(after.AST)); diff != "" {
			t.Fatalf("formatted %q to %q: (-before +after):\n%s", text, got, diff)
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	text := testgen.Large(1000)
	ix := Parse(NewDocument(text))
	b.ReportMetric(float64(strings.Count(text, "\n")), "lines")
	for b.Loop() {
		Format(ix, FormatOptions{})
	}
}
