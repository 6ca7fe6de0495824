package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// buildkitDirectives returns the directives BuildKit acts on in text: the
// escape token its parser reads ("" when it fails), the syntax its builder
// detects and the check its linter reads.
func buildkitDirectives(text string) (escape, syntax, check string, parsed bool) {
	if res, err := parser.Parse(strings.NewReader(text)); err == nil {
		escape, parsed = string(rune(res.EscapeToken)), true
	}
	_, syntax, _, _ = parser.DetectSyntax([]byte(text))
	check, _, _, _ = parser.ParseDirective("check", []byte(text))
	return escape, syntax, check, parsed
}

// checkDirectives compares the directives of text, as the index reads
// them, with BuildKit's, and checks their spans.
func checkDirectives(t *testing.T, name, text string) {
	t.Helper()
	ix := Parse(NewDocument(text))
	got := map[string]string{"escape": `\`}
	for _, d := range ix.Directives {
		got[d.Name] = d.Value
		if n := ix.Doc.Slice(d.NameSpan); !strings.EqualFold(n, d.Name) {
			t.Errorf("%s: directive %s named %q at its name span", name, d.Name, n)
		}
		if v := ix.Doc.Slice(d.ValueSpan); v != d.Value {
			t.Errorf("%s: directive %s has %q at its value span, value %q", name, d.Name, v, d.Value)
		}
		if s := ix.Doc.Slice(d.Span); !strings.HasPrefix(s, "#") || !strings.Contains(s, ix.Doc.Slice(d.ValueSpan)) {
			t.Errorf("%s: directive %s spans %q", name, d.Name, s)
		}
	}
	escape, syntax, check, parsed := buildkitDirectives(text)
	if parsed && got["escape"] != escape {
		t.Errorf("%s: escape %q, BuildKit's parser %q\n%q", name, got["escape"], escape, text)
	}
	if got["syntax"] != syntax {
		t.Errorf("%s: syntax %q, BuildKit's DetectSyntax %q\n%q", name, got["syntax"], syntax, text)
	}
	if got["check"] != check {
		t.Errorf("%s: check %q, BuildKit's ParseDirective %q\n%q", name, got["check"], check, text)
	}
}

// TestDirectivesAgreeWithBuildKit compares the parser directives with
// BuildKit's reading over directive lines indented and spaced with every
// kind of space BuildKit trims (or not), in several orders, after a BOM or
// a shebang, and over the corpus.
func TestDirectivesAgreeWithBuildKit(t *testing.T) {
	lines := map[string]string{"syntax": "syntax=docker/dockerfile:1.7", "escape": "escape=`", "check": "check=skip=JSONArgsRecommended"}
	indents := []string{"", " ", "\t", "  \t", "\v", "\f", "\u00a0", "\u0085", "\u2003", "\r"}
	afterHash := []string{"", " ", "\t", "\u00a0", "\v", "  "}
	orders := [][]string{{"syntax", "escape", "check"}, {"escape", "check", "syntax"}, {"check", "syntax", "escape"}}
	heads := []string{"", "\uFEFF", "#!/usr/bin/env docker-build\n", "\n"}
	n := 0
	for _, head := range heads {
		for _, order := range orders {
			for a := range indents {
				for b := range indents {
					for c := range indents {
						var sb strings.Builder
						sb.WriteString(head)
						for k, d := range order {
							in := indents[[]int{a, b, c}[k]]
							fmt.Fprintf(&sb, "%s#%s%s\r\n", in, afterHash[(n+k)%len(afterHash)], lines[d])
						}
						sb.WriteString("FROM alpine\nRUN echo hi\n")
						checkDirectives(t, fmt.Sprintf("variant %d", n), sb.String())
						n++
					}
				}
			}
		}
	}
	for name, text := range testgen.Corpus(t) {
		checkDirectives(t, name, text)
		n++
	}
	t.Logf("%d files agree", n)
}
