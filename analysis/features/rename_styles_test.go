package features

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/oracle"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// styleVariants derives from a corpus file the styles the corpus lacks:
// Windows line ends with a BOM; the backtick escape (the continuations
// rewritten, a directive added); stage names capitalised (`AS Build`,
// while FROM, --from and from= keep their casing).
func styleVariants(text string) map[string]string {
	out := map[string]string{}
	if !strings.Contains(text, "\r") && !strings.HasPrefix(text, "\uFEFF") {
		out["crlf-bom"] = "\uFEFF" + strings.ReplaceAll(text, "\n", "\r\n")
	}
	if !regexp.MustCompile(`(?im)^#\s*(escape|syntax|check)\s*=`).MatchString(text) {
		out["backtick"] = "# escape=`\n" + regexp.MustCompile(`\\([ \t]*)\n`).ReplaceAllString(text, "`$1\n")
	}
	out["capitalised"] = capitalizeNames(text)
	return out
}

// capitalizeNames rewrites every `AS name` of a FROM line as `AS Name`.
func capitalizeNames(text string) string {
	return regexp.MustCompile(`(?im)^(\s*FROM\s.*\sAS\s+)([a-z])`).ReplaceAllStringFunc(text, func(m string) string {
		return m[:len(m)-1] + strings.ToUpper(m[len(m)-1:])
	})
}

// TestRenameStylesWithBuildKit renames every named stage of every style
// variant of the corpus to a fresh name: either the rename is refused, or
// BuildKit resolves the result to the same graph (linux/amd64), and the
// stage has its new name.
func TestRenameStylesWithBuildKit(t *testing.T) {
	renamed, refused, variants := 0, 0, 0
	var diffs []string
	for name, text := range testgen.Sample(t) {
		for style, vtext := range styleVariants(text) {
			before, ok := oracle.Resolve(vtext, oracle.Platforms[0])
			if !ok {
				continue
			}
			variants++
			ix := analysis.Parse(analysis.NewDocument(vtext))
			for _, st := range ix.Stages().All() {
				if st.Name == "" {
					continue
				}
				newName := fmt.Sprintf("zz-renamed-%d", st.Index)
				edits, err := Rename(context.Background(), ix, st.NameSpan.Start, newName)
				if err != nil {
					if _, ok := err.(*RenameError); !ok {
						diffs = append(diffs, fmt.Sprintf("%s (%s): rename %s: %v", name, style, st.Name, err))
					}
					refused++
					continue
				}
				renamed++
				out := applied(vtext, edits)
				after, ok := oracle.Resolve(out, oracle.Platforms[0])
				switch {
				case !ok:
					diffs = append(diffs, fmt.Sprintf("%s (%s): rename %s: BuildKit rejects the result", name, style, st.Name))
				case fmt.Sprint(before.Refs) != fmt.Sprint(after.Refs):
					diffs = append(diffs, fmt.Sprintf("%s (%s): rename %s: references resolve differently:\n%v\n%v", name, style, st.Name, before.Refs, after.Refs))
				case fmt.Sprint(before.Reachable) != fmt.Sprint(after.Reachable):
					diffs = append(diffs, fmt.Sprintf("%s (%s): rename %s: other stages reachable", name, style, st.Name))
				}
				if got := analysis.Parse(analysis.NewDocument(out)).Stage(st.Index); got.LowerName() != newName {
					diffs = append(diffs, fmt.Sprintf("%s (%s): rename %s: the stage is called %q after", name, style, st.Name, got.Name))
				}
			}
		}
	}
	t.Logf("%d variants, %d renames, %d refused, %d disagreements", variants, renamed, refused, len(diffs))
	if renamed == 0 {
		t.Error("nothing renamed")
	}
	for _, d := range diffs[:min(len(diffs), 20)] {
		t.Error(d)
	}
}

// TestFormatStylesWithBuildKit formats every style variant of the corpus:
// the result parses to the same instructions, BuildKit resolves the same
// graph, a second pass changes nothing, and line ends and BOM stay.
func TestFormatStylesWithBuildKit(t *testing.T) {
	formatted := 0
	for name, text := range testgen.Sample(t) {
		for style, vtext := range styleVariants(text) {
			before, err := parser.Parse(strings.NewReader(vtext))
			if err != nil {
				continue
			}
			got := applied(vtext, Format(analysis.Parse(analysis.NewDocument(vtext)), FormatOptions{}))
			formatted++
			after, err := parser.Parse(strings.NewReader(got))
			if err != nil {
				t.Errorf("%s (%s): the formatted file does not parse: %v", name, style, err)
				continue
			}
			if diff := cmp.Diff(parsedInstructions(before.AST), parsedInstructions(after.AST), sourceTextOpts); diff != "" {
				t.Errorf("%s (%s): BuildKit's instructions changed (-before +after):\n%s", name, style, diff)
			}
			b1, ok1 := oracle.Resolve(vtext, oracle.Platforms[0])
			b2, ok2 := oracle.Resolve(got, oracle.Platforms[0])
			if ok1 != ok2 || fmt.Sprint(b1.Refs, b1.Reachable) != fmt.Sprint(b2.Refs, b2.Reachable) {
				t.Errorf("%s (%s): BuildKit resolves the formatted file differently", name, style)
			}
			if again := Format(analysis.Parse(analysis.NewDocument(got)), FormatOptions{}); len(again) != 0 {
				t.Errorf("%s (%s): not idempotent: %v", name, style, again)
			}
			if strings.HasPrefix(vtext, "\uFEFF") != strings.HasPrefix(got, "\uFEFF") ||
				strings.Count(vtext, "\r\n") != strings.Count(got, "\r\n") || strings.Count(vtext, "\n") != strings.Count(got, "\n") {
				t.Errorf("%s (%s): the BOM or the line ends changed", name, style)
			}
		}
	}
	if formatted == 0 {
		t.Fatal("nothing formatted")
	}
	t.Logf("%d variants formatted", formatted)
}

// TestDefinitionStylesWithBuildKit asks for the definition at every stage
// reference BuildKit resolves (internal/oracle, linux/amd64) in the corpus
// and its style variants: where BuildKit resolves a stage, definition lands
// on that stage (for a later stage, which fails the build, on the stage
// named); where it resolves an image or an index out of range, on none.
func TestDefinitionStylesWithBuildKit(t *testing.T) {
	checked := 0
	for name, text := range testgen.Sample(t) {
		all := styleVariants(text)
		all["as-is"] = text
		for style, vtext := range all {
			b, ok := oracle.Resolve(vtext, oracle.Platforms[0])
			if !ok {
				continue
			}
			ix := analysis.Parse(analysis.NewDocument(vtext))
			// Our references keyed as the oracle keys them: the line their
			// instruction starts on, kind and rank there.
			type key struct {
				line int
				kind string
				rank int
			}
			ours := map[key]analysis.StageRef{}
			rank := map[key]int{}
			for _, r := range ix.Refs() {
				if r.Onbuild || r.Kind == analysis.RefEpoch {
					continue
				}
				k := key{ix.Doc.LineOf(ix.Node(r.Instruction).Start) + 1, r.Kind.String(), 0}
				k.rank = rank[k]
				rank[key{k.line, k.kind, 0}]++
				ours[k] = r
			}
			for _, br := range b.Refs {
				if br.Line <= 0 || br.Res.Kind == "variable" || br.Res.Kind == "empty" {
					continue
				}
				r, found := ours[key{br.Line, br.Kind, br.Rank}]
				if !found {
					t.Errorf("%s (%s): line %d: BuildKit reads a %s reference we do not", name, style, br.Line, br.Kind)
					continue
				}
				if r.Pattern >= 0 {
					continue // built from variables: Definitions lists every candidate
				}
				def, ok := Definition(ix, r.Span.Start)
				landed := -1
				if ok {
					landed = ix.StageAt(def.Start)
				}
				want := -1
				if br.Res.Kind == "stage" || br.Res.Kind == "later" {
					want = br.Res.Stage // a later stage: the error's stage, to go and see
				}
				if landed != want {
					t.Errorf("%s (%s): line %d: definition of %s %q lands in stage %d, BuildKit resolves %v", name, style, br.Line, br.Kind, r.Value, landed, br.Res)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	t.Logf("%d references checked", checked)
}
