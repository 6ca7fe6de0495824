package features

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

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
			for _, st := range ix.Stages() {
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
