package analysis

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// lookups records every name BuildKit's lexer looks up; every variable
// is set, so no ${A?} stops it early.
type lookups struct{ names []string }

func (r *lookups) Get(name string) (string, bool) {
	r.names = append(r.names, name)
	return "v", true
}

func (r *lookups) Keys() []string { return nil }

// A name starts with a letter or '_' and goes on with letters, digits and
// '_', Unicode ones included (shell.processName); the rest ($1, $@) are no
// variable's.
var varName = regexp.MustCompile(`^[\p{L}_][\p{L}\p{Nd}_]*$`)

// lexedNames returns the variable names BuildKit's lexer looks up in
// word, sorted, and whether it reads the word without an error.
func lexedNames(word string, esc rune, heredoc bool) ([]string, bool) {
	r := &lookups{}
	lex := shell.NewLex(esc)
	lex.SkipProcessQuotes = heredoc // dockerfile2llb's ExpandRaw
	if _, err := lex.ProcessWordWithMatches(word, r); err != nil {
		return nil, false
	}
	var out []string
	for _, n := range r.names {
		if varName.MatchString(n) { // not $1 or $@: no variable's
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, true
}

// usedNames returns the names of the uses of node n inside span (relative
// to n), sorted, after checking each use's spans against the text.
func usedNames(t *testing.T, ix *Index, n Node, span Span) []string {
	t.Helper()
	var out []string
	for _, u := range n.Uses {
		if u.Span.Start < span.Start || u.Span.End > span.End {
			continue
		}
		whole, name := ix.Doc.Slice(n.Abs(u.Span)), ix.Doc.Slice(n.Abs(u.Name.Span))
		if name != u.Name.Value || !strings.HasPrefix(whole, "$") ||
			strings.HasPrefix(whole, "${") != strings.HasSuffix(whole, "}") {
			t.Errorf("use %q spans %q, name %q", u.Name.Value, whole, name)
		}
		out = append(out, u.Name.Value)
	}
	slices.Sort(out)
	return out
}

// nestedWord builds a random word of expansions nested to depth, with
// every modifier, both quotes and escapes of esc.
func nestedWord(r *rand.Rand, depth int, esc string) string {
	names := []string{"A", "B_1", "c", "D9", "café", "Ωμ", "é٣"}
	mods := []string{":-", "-", ":+", "+", ":?", "?", "#", "##", "%", "%%", "/", "//", ":1:2", ":#", "!"}
	var b strings.Builder
	for range 1 + r.IntN(3) {
		switch k := r.IntN(13); {
		case k < 4 && depth > 0:
			name := names[r.IntN(len(names))]
			if r.IntN(8) == 0 {
				name = []string{"1", "@", "#"}[r.IntN(3)]
			}
			mod := mods[r.IntN(len(mods))]
			inner := nestedWord(r, depth-1, esc)
			switch {
			case r.IntN(6) == 0:
				b.WriteString("${" + name + "}")
			case mod == "/" || mod == "//":
				b.WriteString("${" + name + mod + inner + "/" + nestedWord(r, depth-1, esc) + "}")
			default:
				b.WriteString("${" + name + mod + inner + "}")
			}
		case k < 5:
			b.WriteString("$" + names[r.IntN(len(names))])
		case k < 6:
			b.WriteString("'" + nestedWord(r, depth, esc) + "'")
		case k < 7:
			b.WriteString(`"` + strings.ReplaceAll(nestedWord(r, depth, esc), `"`, "") + `"`)
		case k < 8:
			b.WriteString(esc + []string{"$", "}", "'", `"`, "/", esc, "x"}[r.IntN(7)])
		case k < 9:
			b.WriteString([]string{"}", "/", "$", "{", ":"}[r.IntN(5)])
		default:
			b.WriteString([]string{"x", "a.b", "-", "1", "é", "😀", "٣"}[r.IntN(7)])
		}
	}
	return b.String()
}

// TestNestedUsesMatchLexer compares the uses the scan records in a word
// with the names BuildKit's lexer looks up in it, over generated words
// (every modifier, nested 1 to 3 deep, quotes, both escapes, and a COPY
// heredoc's body, where quotes are text) that it reads without an error.
func TestNestedUsesMatchLexer(t *testing.T) {
	for _, mode := range []string{`\`, "`", "heredoc"} {
		esc := mode
		if mode == "heredoc" {
			esc = `\`
		}
		r := rand.New(rand.NewPCG(31, uint64(len(mode))+uint64(mode[0])))
		compared, nested := 0, 0
		for i := range 6000 {
			w := nestedWord(r, 1+i%3, esc)
			if strings.HasSuffix(w, esc) {
				w += "x" // not a line continuation
			}
			want, ok := lexedNames(w, rune(esc[0]), mode == "heredoc")
			if !ok {
				continue
			}
			var ix *Index
			switch mode {
			case "heredoc":
				ix = Parse(NewDocument("FROM scratch\nCOPY <<EOT /x\n" + w + "\nEOT\n"))
			case "`":
				ix = Parse(NewDocument("# escape=`\nFROM scratch\nWORKDIR " + w + "\n"))
			default:
				ix = Parse(NewDocument("FROM scratch\nWORKDIR " + w + "\n"))
			}
			n := ix.Node(ix.Len() - 1)
			got := usedNames(t, ix, n, Span{0, n.Span().Len()})
			if !slices.Equal(got, want) {
				t.Errorf("%s: %s: uses %q, BuildKit looks up %q", mode, w, got, want)
			}
			compared++
			if strings.Count(w, "$") > 1 && strings.Contains(w, "${") {
				nested++
			}
		}
		if compared < 1000 || nested < 500 {
			t.Fatalf("%s: only %d words compared (%d nested)", mode, compared, nested)
		}
	}
}

// TestNestedUsesCorpus compares, in every corpus word BuildKit expands
// itself (the arguments of instructions that expand, not RUN's), the uses
// the scan records with the names BuildKit's lexer looks up.
func TestNestedUsesCorpus(t *testing.T) {
	compared := 0
	for name, text := range testgen.Corpus(t) {
		ix := Parse(NewDocument(text))
		for i := range ix.Len() {
			n := ix.Node(i)
			if in := LookupInstruction(n.Cmd); in == nil || !in.Expands || n.Cmd == "run" || n.JSON {
				continue
			}
			for _, a := range n.Args {
				raw := ix.Doc.Slice(n.Abs(a.Span))
				if !strings.Contains(raw, "$") || raw != a.Value {
					continue
				}
				want, ok := lexedNames(raw, rune(ix.Escape), false)
				if !ok {
					continue
				}
				if got := usedNames(t, ix, n, a.Span); !slices.Equal(got, want) {
					t.Errorf("%s: %s %s: uses %q, BuildKit looks up %q", name, n.Cmd, raw, got, want)
				}
				compared++
			}
		}
	}
	if compared < 100 {
		t.Fatalf("only %d corpus words compared", compared)
	}
	t.Logf("%d corpus words compared", compared)
}
