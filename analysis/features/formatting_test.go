package features

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

func format(text string, opts FormatOptions) string {
	return applied(text, Format(analysis.Parse(analysis.NewDocument(text)), opts))
}

// applied applies edits for a test, which fails (by the panic) when
// ApplyEdits refuses them.
func applied(text string, edits []analysis.Edit) string {
	out, err := analysis.ApplyEdits(text, edits)
	if err != nil {
		panic(err)
	}
	return out
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		indent         int
	}{
		{"majority upper", "from alpine as base\nRUN x\nCOPY a b\n", "FROM alpine AS base\nRUN x\nCOPY a b\n", 0},
		{"majority lower", "FROM alpine AS base\nrun x\ncopy a b\n", "from alpine as base\nrun x\ncopy a b\n", 0},
		{"space after keyword only", "  COPY   --from=base\t--chmod=644   a    b  \n", "COPY --from=base\t--chmod=644   a    b\n", 0},
		{"shell words kept", "RUN   echo   hi\n", "RUN echo   hi\n", 0},
		{"first continuation to the indent", "RUN apk add \\\n  git \\\n  make\n", "RUN apk add \\\n    git \\\n    make\n", 4},
		{"tabs widened at 4", "RUN apk add \\\n  git \\\n\t\tmake\n", "RUN apk add \\\n    git \\\n          make\n", 4},
		{"file's own indent", "RUN a \\\n  b\nRUN c \\\n  d\nRUN e \\\n      f\n", "RUN a \\\n  b\nRUN c \\\n  d\nRUN e \\\n  f\n", 0},
		{"file's own tab", "RUN a \\\n\tb \\\n\t\tc\nRUN d \\\n    e \\\n      f\n", "RUN a \\\n\tb \\\n\t\tc\nRUN d \\\n\te \\\n\t  f\n", 0},
		{"packages one per line", "RUN apt-get update && apt-get install -y \\\n      curl \\\n      git \\\n  && rm -rf /var/lib/apt/lists/*\n",
			"RUN apt-get update && apt-get install -y \\\n        curl \\\n        git \\\n    && rm -rf /var/lib/apt/lists/*\n", 4},
		{"case arms", "RUN set -e; \\\n  case \"$A\" in \\\n    x) echo x ;; \\\n    *) echo y ;; \\\n  esac\n",
			"RUN set -e; \\\n    case \"$A\" in \\\n      x) echo x ;; \\\n      *) echo y ;; \\\n    esac\n", 4},
		{"leading and", "RUN a \\\n && b \\\n && c\n", "RUN a \\\n    && b \\\n    && c\n", 4},
		{"comment moves with the block", "RUN a \\\n  b \\\n  # note\n  c\n", "RUN a \\\n    b \\\n    # note\n    c\n", 4},
		{"joined word kept", "RUN echo a\\\nb\n", "RUN echo a\\\nb\n", 0},
		{"quoted break kept", "RUN echo \"a \\\n  b\"\n", "RUN echo \"a \\\n  b\"\n", 4},
		{"json untouched", "CMD   [ \"a\",   \"b\" ]  \n", "CMD [ \"a\",   \"b\" ]\n", 0},
		{"json trailing tab", "CMD\t[\t\"a\",\t\"b\"\t]\t\nENTRYPOINT [\"a\", \\\n  \"b\"] \n", "CMD [\t\"a\",\t\"b\"\t]\nENTRYPOINT [\"a\", \\\n  \"b\"]\n", 0},
		{"heredoc untouched", "RUN  <<EOF  \n  set -e   \n\tEOF\nEOF\n", "RUN <<EOF\n  set -e   \n\tEOF\nEOF\n", 0},
		{"blank lines kept", "FROM a AS x\nRUN x\n\n\n# doc\nFROM b\nFROM c\n", "FROM a AS x\nRUN x\n\n\n# doc\nFROM b\nFROM c\n", 0},
		{"crlf", "from a\r\nRUN x  \r\nFROM b\r\n", "FROM a\r\nRUN x\r\nFROM b\r\n", 0},
		{"legacy env kept", "ENV A  b  c\n", "ENV A  b  c\n", 0},
		{"env pairs kept", "ENV A=1    B=2\n", "ENV A=1    B=2\n", 0},
		{"escape backtick", "# escape=`\nRUN a `\n  b\n", "# escape=`\nRUN a `\n    b\n", 4},
		{"unknown keyword keeps its case", "FROM a\n\u017fhell [\"sh\"]\nRUNN x\nrun y\n", "FROM a\n\u017fhell [\"sh\"]\nRUNN x\nRUN y\n", 0},
		{"non-ASCII keyword untouched", "from a\nWOR\u212aDIR /x\n", "from a\nWOR\u212aDIR /x\n", 0},
		{"broken file untouched", "RUN <<EOF\nx\n", "RUN <<EOF\nx\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := FormatOptions{Indent: tc.indent}
			got := format(tc.in, opts)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Format(%q) (-want +got):\n%s", tc.in, diff)
			}
			if again := format(got, opts); again != got {
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
	ix := analysis.Parse(analysis.NewDocument(text))
	line1 := analysis.Span{Start: ix.Doc.LineStart(1), End: ix.Doc.LineEnd(1)}
	got := applied(text, FormatRange(ix, line1, FormatOptions{}))
	if want := "run  a\nrun b\nRUN  c\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFormatOnType(t *testing.T) {
	text := "RUN apk add \\\n\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	got := applied(text, FormatOnType(ix, len("RUN apk add \\\n"), FormatOptions{}))
	if want := "RUN apk add \\\n    \n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestFormatCorpus formats every corpus file BuildKit accepts and checks
// that the result parses to the same instructions, that formatting it
// again changes nothing, and that the edits are sorted and disjoint.
func TestFormatCorpus(t *testing.T) {
	checked := 0
	var changedLines []int // per changed file, the lines the edits touch
	for name, text := range testgen.Corpus(t) {
		before, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			continue
		}
		ix := analysis.Parse(analysis.NewDocument(text))
		edits := Format(ix, FormatOptions{})
		for k := 1; k < len(edits); k++ {
			if edits[k].Span.Start <= edits[k-1].Span.End {
				t.Errorf("%s: edits %v and %v touch", name, edits[k-1], edits[k])
			}
		}
		got := applied(text, edits)
		if got != text {
			lines := map[int]bool{}
			for _, e := range edits {
				for l := ix.Doc.LineOf(e.Span.Start); l <= ix.Doc.LineOf(e.Span.End); l++ {
					lines[l] = true
				}
			}
			changedLines = append(changedLines, len(lines))
		}
		after, err := parser.Parse(strings.NewReader(got))
		if err != nil {
			t.Errorf("%s: formatted file does not parse: %v\n%s", name, err, got)
			continue
		}
		if diff := cmp.Diff(instructionFacts(before.AST), instructionFacts(after.AST)); diff != "" {
			t.Errorf("%s: instructions changed (-before +after):\n%s", name, diff)
		}
		if diff := cmp.Diff(parsedInstructions(before.AST), parsedInstructions(after.AST), sourceTextOpts); diff != "" {
			t.Errorf("%s: BuildKit's instructions changed (-before +after):\n%s", name, diff)
		}
		if again := Format(analysis.Parse(analysis.NewDocument(got)), FormatOptions{}); len(again) != 0 {
			t.Errorf("%s: not idempotent: %v", name, again)
		}
		checked++
	}
	sort.Ints(changedLines)
	median := 0
	if n := len(changedLines); n > 0 {
		median = changedLines[n/2]
	}
	t.Logf("%d files formatted, %d changed (%.1f%%), median %d changed lines per changed file",
		checked, len(changedLines), 100*float64(len(changedLines))/float64(max(checked, 1)), median)
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

// sourceTextOpts compares BuildKit's instructions, where the fields that
// keep the source text as written (for history and casing checks) may
// differ in case and blank runs only: what the formatter changes.
var sourceTextOpts = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && (sf.Name() == "code" || sf.Name() == "name" || sf.Name() == "SourceCode" || sf.Name() == "OrigCmd")
	}, cmp.Comparer(func(a, b string) bool {
		return strings.EqualFold(collapseBlanks(a), collapseBlanks(b))
	})),
}

// parsedInstructions is what BuildKit's instructions package reads from
// each instruction, with shell-form commands' blank runs collapsed as in
// instructionFacts; an instruction it rejects is its error text.
func parsedInstructions(root *parser.Node) []any {
	var out []any
	for _, n := range root.Children {
		// With no linter BuildKit panics on a `# check=` comment above n.
		v, err := instructions.ParseInstructionWithLinter(n, linter.New(&linter.Config{}))
		if err != nil {
			// BuildKit's suggestion in the message is picked at random.
			msg, _, _ := strings.Cut(err.Error(), " (did you mean")
			out = append(out, msg)
			continue
		}
		var sd *instructions.ShellDependantCmdLine
		switch c := v.(type) {
		case *instructions.RunCommand:
			sd = &c.ShellDependantCmdLine
		case *instructions.CmdCommand:
			sd = &c.ShellDependantCmdLine
		case *instructions.EntrypointCommand:
			sd = &c.ShellDependantCmdLine
		case *instructions.HealthCheckCommand:
			if c.Health != nil && len(c.Health.Test) == 2 && c.Health.Test[0] == "CMD-SHELL" {
				c.Health.Test[1] = collapseBlanks(c.Health.Test[1])
			}
		}
		if sd != nil && sd.PrependShell {
			for i := range sd.CmdLine {
				sd.CmdLine[i] = collapseBlanks(sd.CmdLine[i])
			}
		}
		out = append(out, v)
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
	f.Add("RUN a \\\n\t b \\\n  # c\n\t\t  d\n\u017fhell x\n")
	f.Add("from alpine\n# check=skip=JSONArgsRecommended\ncmd  echo hi\n")
	f.Fuzz(func(t *testing.T, text string) {
		ix := analysis.Parse(analysis.NewDocument(text))
		edits := Format(ix, FormatOptions{})
		for k, e := range edits {
			if e.Span.Start < 0 || e.Span.End > len(text) || e.Span.End < e.Span.Start || (k > 0 && e.Span.Start <= edits[k-1].Span.End) {
				t.Fatalf("bad edit %v in %v", e, edits)
			}
		}
		got := applied(text, edits)
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
		if diff := cmp.Diff(parsedInstructions(before.AST), parsedInstructions(after.AST), sourceTextOpts); diff != "" {
			t.Fatalf("formatted %q to %q: BuildKit's instructions changed (-before +after):\n%s", text, got, diff)
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	text := testgen.Large(1000)
	ix := analysis.Parse(analysis.NewDocument(text))
	b.ReportMetric(float64(strings.Count(text, "\n")), "lines")
	for b.Loop() {
		Format(ix, FormatOptions{})
	}
}

func TestFormatShell(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"chain one per line", "RUN apt-get update &&   apt-get install -y curl&&rm -rf /var/lib/apt/lists/*\n",
			"RUN apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /var/lib/apt/lists/*\n"},
		{"statements", "RUN --mount=type=cache,target=/root/.cache set -e;\\\n  pip install x ;  echo  done\n",
			"RUN --mount=type=cache,target=/root/.cache set -e; \\\n    pip install x; \\\n    echo done\n"},
		{"already formatted", "RUN a && \\\n    b\n", "RUN a && \\\n    b\n"},
		{"comment left alone", "RUN a  # b\n", "RUN a  # b\n"},
		{"exec form left alone", "RUN [\"a\",  \"b\"]\n", "RUN [\"a\",  \"b\"]\n"},
		{"bash syntax under sh left alone", "RUN a=(1  2) && echo  $a\n", "RUN a=(1  2) && echo  $a\n"},
		{"bash syntax under bash", "SHELL [\"/bin/bash\", \"-c\"]\nRUN [[  -f x ]] && echo  y\n", "SHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -f x ]] && \\\n    echo y\n"},
		{"powershell left alone", "SHELL [\"pwsh\", \"-c\"]\nRUN a  &&  b\n", "SHELL [\"pwsh\", \"-c\"]\nRUN a  &&  b\n"},
		{"heredoc", "RUN <<EOF\nif [ -f x ];then\necho   y\nfi\nEOF\n", "RUN <<EOF\nif [ -f x ]; then\n    echo y\nfi\nEOF\n"},
		{"heredoc program left alone", "RUN python3 <<EOF\nprint(  1)\nEOF\n", "RUN python3 <<EOF\nprint(  1)\nEOF\n"},
		{"arguments broken where they were", "RUN apt-get update && apt-get install -y \\\n  curl \\\n  git  &&  rm -rf /x\n",
			"RUN apt-get update && \\\n    apt-get install -y \\\n        curl \\\n        git && \\\n    rm -rf /x\n"},
		{"leading operators kept", "RUN a \\\n  && b   c \\\n  || d\n", "RUN a \\\n    && b c \\\n    || d\n"},
		{"flags on their own lines", "RUN --mount=type=cache,target=/a \\\n  --mount=type=cache,target=/b \\\n    go   install \\\n      x\n",
			"RUN --mount=type=cache,target=/a \\\n    --mount=type=cache,target=/b go install \\\n    x\n"},
		{"comment lines dropped by BuildKit", "RUN a \\\n# note\n  && b\n", "RUN a \\\n# note\n    && b\n"},
		{"CRLF file, one-line RUN", "FROM alpine\r\nRUN a &&   b\r\n", "FROM alpine\r\nRUN a && \\\r\n    b\r\n"},
		{"case arms", "RUN case \"$x\" in a) echo a;; *) echo b;; esac\n", "RUN case \"$x\" in a) echo a ;; *) echo b ;; esac\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := FormatOptions{Indent: 4, Shell: true}
			got := format(tc.in, opts)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Format(%q) (-want +got):\n%s", tc.in, diff)
			}
			if again := format(got, opts); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

// TestFormatShellCorpus formats every corpus file with shell formatting
// on: BuildKit must read the same instructions, each RUN's script must
// parse to the same program, and a second pass must change nothing.
func TestFormatShellCorpus(t *testing.T) {
	opts := FormatOptions{Shell: true}
	runs, printed := 0, 0
	for name, text := range testgen.Corpus(t) {
		before, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			continue
		}
		ix := analysis.Parse(analysis.NewDocument(text))
		edits := Format(ix, opts)
		got := applied(text, edits)
		after, err := parser.Parse(strings.NewReader(got))
		if err != nil {
			t.Errorf("%s: formatted file does not parse: %v\n%s", name, err, got)
			continue
		}
		if len(before.AST.Children) != len(after.AST.Children) {
			t.Errorf("%s: %d instructions, then %d", name, len(before.AST.Children), len(after.AST.Children))
			continue
		}
		for k, a := range before.AST.Children {
			b := after.AST.Children[k]
			if strings.EqualFold(a.Value, "run") {
				runs++
				if a.Original == b.Original {
					continue
				}
				printed++
				rs, _ := ix.RunScript(k)
				bash := rs.Bash
				if !sameRun(a.Original, b.Original, bash) && !sameRunNode(a, b, bash) {
					t.Errorf("%s: RUN changed meaning:\n%s\n%s", name, a.Original, b.Original)
				}
				continue
			}
			one := func(n *parser.Node) []string { return instructionFacts(&parser.Node{Children: []*parser.Node{n}}) }
			if diff := cmp.Diff(one(a), one(b)); diff != "" {
				t.Errorf("%s: instruction changed (-before +after):\n%s", name, diff)
			}
		}
		if again := Format(analysis.Parse(analysis.NewDocument(got)), opts); len(again) != 0 {
			t.Errorf("%s: not idempotent: %v\n%s", name, again, got)
		}
	}
	t.Logf("%d RUN instructions, %d changed with shell formatting on", runs, printed)
}

// sameRunNode compares two parsed RUNs whose Original text cannot be
// re-parsed alone (heredocs keep their bodies outside Original).
func sameRunNode(a, b *parser.Node, bash bool) bool {
	if strings.Join(a.Flags, " ") != strings.Join(b.Flags, " ") || len(a.Heredocs) != len(b.Heredocs) || (a.Next == nil) != (b.Next == nil) {
		return false
	}
	if a.Next == nil {
		return true
	}
	if len(a.Heredocs) == 0 {
		pa, okA := canonicalShell(a.Next.Value, bash)
		pb, okB := canonicalShell(b.Next.Value, bash)
		return okA && okB && pa == pb || collapseBlanks(a.Next.Value) == collapseBlanks(b.Next.Value)
	}
	for k, h := range a.Heredocs {
		pa, okA := canonicalShell(h.Content, bash)
		pb, okB := canonicalShell(b.Heredocs[k].Content, bash)
		if h.Content != b.Heredocs[k].Content && !(okA && okB && pa == pb) {
			return false
		}
	}
	return a.Next.Value == b.Next.Value
}

func FuzzFormatShell(f *testing.F) {
	f.Add("RUN a&&b;c\\\n  d \\\n  || e\n")
	f.Add("RUN <<EOF\nif x;then y;fi\nEOF\n")
	f.Fuzz(func(t *testing.T, text string) {
		opts := FormatOptions{Shell: true}
		before, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		got := applied(text, Format(analysis.Parse(analysis.NewDocument(text)), opts))
		after, err := parser.Parse(strings.NewReader(got))
		if err != nil {
			t.Fatalf("formatted %q to %q, which does not parse: %v", text, got, err)
		}
		if len(before.AST.Children) != len(after.AST.Children) {
			t.Fatalf("formatted %q to %q: instruction count changed", text, got)
		}
		for k, a := range before.AST.Children {
			b := after.AST.Children[k]
			if strings.EqualFold(a.Value, "run") && a.Original != b.Original && !sameRunNode(a, b, true) && !sameRunNode(a, b, false) {
				t.Fatalf("formatted %q to %q: RUN changed meaning", text, got)
			}
		}
	})
}
