package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// buildkitDirectivePattern is the pattern BuildKit's DirectiveParser
// matches after a line's `#` and the blanks after it.
var buildkitDirectivePattern = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`)

// directiveLinesDiff runs directiveParser and BuildKit's DirectiveParser
// over lines, and directiveLine and BuildKit's pattern over each line, and
// describes the first difference ("" when they agree).
func directiveLinesDiff(lines []string) string {
	var ours directiveParser
	var theirs parser.DirectiveParser
	for _, line := range lines {
		ns, vs, ok := directiveLine(line)
		if rest, hash := strings.CutPrefix(line, "#"); hash {
			rest = strings.TrimLeftFunc(rest, func(r rune) bool { return isSpaceRune(r) })
			at := len(line) - len(rest)
			m := buildkitDirectivePattern.FindStringSubmatchIndex(rest)
			switch {
			case (m != nil) != ok:
				return "directiveLine " + q(line) + ": match " + q(ok) + ", BuildKit's pattern " + q(m != nil)
			case ok && (ns != Span{at + m[2], at + m[3]} || vs != Span{at + m[4], at + m[5]}):
				return "directiveLine " + q(line) + ": name " + q(ns) + " value " + q(vs) + ", BuildKit's pattern " + q(m)
			}
		} else if ok {
			return "directiveLine " + q(line) + ": matched without a #"
		}
		d, found, err := ours.parseLine(line)
		want, wantErr := theirs.ParseLine([]byte(line))
		switch {
		case err != (wantErr != nil):
			return "parseLine " + q(line) + ": error " + q(err) + ", BuildKit " + q(wantErr)
		case found != (want != nil):
			return "parseLine " + q(line) + ": found " + q(found) + ", BuildKit " + q(want)
		case found && (d.Name != want.Name || d.Value != want.Value):
			return "parseLine " + q(line) + ": " + q(d.Name) + "=" + q(d.Value) + ", BuildKit " + q(want.Name) + "=" + q(want.Value)
		}
	}
	return ""
}

func q(v any) string { return fmt.Sprintf("%#v", v) }

// directivePieces are the parts the generated directive lines are made of.
var directivePieces = []string{
	"#", "#", " ", "\t", "\f", "\v", "\r", "\u00a0", "\u0085", "\u2003", "=", "=", "syntax", "SynTax", "escape",
	"check", "x1", "9a", "`", `\`, "a b", "é", "\xff", "docker/dockerfile:1", "#!", "//", "skip=all;error=true",
}

// TestDirectiveLinesMatchBuildKit holds directiveLine and directiveParser
// to BuildKit's DirectiveParser and its pattern, over the first lines of
// every corpus file and 20,000 generated sequences of lines.
func TestDirectiveLinesMatchBuildKit(t *testing.T) {
	dir := testgen.RequireCorpus(t)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i := range lines {
			lines[i] = trimEOL(lines[i])
		}
		if d := directiveLinesDiff(lines[:min(len(lines), 8)]); d != "" {
			t.Errorf("%s: %s", filepath.Base(f), d)
		}
	}
	r := rand.New(rand.NewPCG(18, 4))
	matched := 0
	for range 20_000 {
		lines := make([]string, 1+r.IntN(4))
		for i := range lines {
			var b strings.Builder
			if r.IntN(4) > 0 {
				b.WriteString("#")
			}
			for range r.IntN(8) {
				b.WriteString(directivePieces[r.IntN(len(directivePieces))])
			}
			lines[i] = b.String()
			if _, _, ok := directiveLine(lines[i]); ok {
				matched++
			}
		}
		if d := directiveLinesDiff(lines); d != "" {
			t.Fatal(d)
		}
	}
	if matched < 1000 {
		t.Errorf("only %d generated lines are directives: the generator misses the point", matched)
	}
}

// FuzzDirectiveLines holds directiveLine and directiveParser to BuildKit's
// DirectiveParser and its pattern on the lines of any text.
func FuzzDirectiveLines(f *testing.F) {
	for _, s := range []string{"# syntax=docker/dockerfile:1\n#escape=`", "#check = skip=all \t\n# syntax= \r", "#\u00a0a=b\n#a =\v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if d := directiveLinesDiff(strings.Split(text, "\n")); d != "" {
			t.Fatal(d)
		}
	})
}
