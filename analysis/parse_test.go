package analysis

import (
	"slices"
	"strings"
	"testing"
)

func TestParseErrorOnLongLine(t *testing.T) {
	text := "FROM alpine AS a\nRUN echo " + strings.Repeat("x", 70000) + "\nRUN true\n"
	ix := Parse(NewDocument(text))
	if ix.ParseError == nil {
		t.Fatal("no parse error for a line past BuildKit's limit")
	}
	if p := ix.Doc.Position(ix.ParseError.Span.Start, UTF16); p.Line != 1 {
		t.Errorf("error on line %d, want the long line (1): %s", p.Line, ix.ParseError.Message)
	}
}

func TestParseKeepsIndexingAfterInstructionErrors(t *testing.T) {
	ix := Parse(NewDocument("FROM alpine AS a\nRUNN x\nCOPY --fromm=a . .\nFROM a AS 1bad\nFROM a AS ok\n"))
	if got := len(ix.Errors()); got != 3 {
		t.Errorf("%d errors, want 3: %+v", got, ix.Errors())
	}
	if ix.StageCount() != 3 || ix.Stage(2).Name != "ok" {
		t.Errorf("stages after errors: %+v", ix.Stages().Slice())
	}
	for _, e := range ix.Errors() {
		t.Logf("%q: %s", ix.Doc.Slice(e.Span), e.Message)
	}
}

// TestCheckCommentAboveInstruction: BuildKit's ParseInstruction panics on
// a `# check=` comment above an instruction unless given a linter.
func TestCheckCommentAboveInstruction(t *testing.T) {
	ix := Parse(NewDocument("FROM alpine\n# check=skip=MaintainerDeprecated\nMAINTAINER me\n"))
	if ix.ParseError != nil || ix.Len() != 2 {
		t.Fatalf("parse error %v, %d instructions", ix.ParseError, ix.Len())
	}
}

// TestStageNamesRegistered holds the stages each name registers, which
// linkStages finds with one map store a name, to a plain reading: the
// stages whose FROM names it, in any case, in order. Names repeat, in
// other cases too, and the references to them resolve to the last before.
func TestStageNamesRegistered(t *testing.T) {
	pool := []string{"a", "A", "base", "Base", "BASE", "b-1", "c.d", "x"}
	for seed := range 300 {
		var b strings.Builder
		var names []string // each stage's name, "" for none
		n := 1 + seed%9
		for s := range n {
			name := ""
			if (seed>>s)&3 != 0 {
				name = pool[(seed*7+s*3+s*s)%len(pool)]
			}
			names = append(names, name)
			b.WriteString("FROM alpine")
			if name != "" {
				b.WriteString(" AS " + name)
			}
			b.WriteString("\nCOPY --from=" + pool[(seed+s)%len(pool)] + " /x /y\n")
		}
		text := b.String()
		ix := Parse(NewDocument(text))
		want := map[string][]int{}
		for s, name := range names {
			if name != "" {
				k := strings.ToLower(name)
				want[k] = append(want[k], s)
			}
		}
		if len(ix.byName) != len(want) {
			t.Fatalf("%q: %d names registered, want %d: %v", text, len(ix.byName), len(want), ix.byName)
		}
		for k, ss := range want {
			if got := ix.StagesNamed(k); !slices.Equal(got, ss) {
				t.Fatalf("%q: stages named %q: %v, want %v", text, k, got, ss)
			}
		}
		// The same text through BuildKit's parser links the same way.
		src := newSourceLines(text)
		bk, _ := parseWithBuildKit(NewDocument(text), src)
		if got, want := ix.Dump(), bk.Dump(); got != want {
			t.Fatalf("%q: grouper's index\n%s\nBuildKit's\n%s", text, got, want)
		}
	}
}

// TestFromParts holds Base, As and Name, read from a FROM's arguments, to
// what each FROM shape names, through the grouper and the BuildKit path:
// the base is the first argument, `AS` (in any case) the second, the
// stage name the third after it; nothing for other instructions.
func TestFromParts(t *testing.T) {
	for _, c := range []struct {
		line           string
		base, as, name string // "" for none
	}{
		{"FROM a", "a", "", ""},
		{"FROM a AS b", "a", "AS", "b"},
		{"from a as b", "a", "as", "b"},
		{"FROM a aS b", "a", "aS", "b"},
		{"FROM a b c", "a", "", ""},
		{"FROM a asx c", "a", "", ""},
		{"FROM a AS", "a", "AS", ""},
		{"FROM a AS b c", "a", "AS", "b"},
		{"FROM --platform=$P a AS b", "a", "AS", "b"},
		{"FROM a \\\n  AS b", "a", "AS", "b"},
		{"FROM", "", "", ""},
		{"RUN a AS b", "", "", ""},
		{"COPY a as b", "", "", ""},
		{"ONBUILD FROM a AS b", "", "", ""},
	} {
		text := c.line + "\n"
		src := newSourceLines(text)
		oracle, _ := parseWithBuildKit(NewDocument(text), src)
		for path, ix := range map[string]*Index{"grouper": Parse(NewDocument(text)), "buildkit": oracle} {
			if ix == nil || ix.Len() == 0 {
				t.Fatalf("%q (%s): no instruction", c.line, path)
			}
			n := ix.Node(0)
			for _, p := range []struct {
				part string
				tok  *Token
				want string
			}{{"base", n.Base(), c.base}, {"as", n.As(), c.as}, {"name", n.Name(), c.name}} {
				got := ""
				if p.tok != nil {
					got = p.tok.Value
					if p.tok.Value == "" || ix.Doc.Slice(n.Abs(p.tok.Span)) != p.tok.Value {
						t.Errorf("%q (%s): %s %q at %v", c.line, path, p.part, p.tok.Value, p.tok.Span)
					}
				}
				if got != p.want {
					t.Errorf("%q (%s): %s %q, want %q", c.line, path, p.part, got, p.want)
				}
			}
		}
	}
}
