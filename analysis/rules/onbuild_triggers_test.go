package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestTriggerFindings checks the ONBUILD triggers BuildKit dispatches, in
// LF and CRLF files, the last line with and without a line break: each
// finding on its trigger, related to every stage that runs it, with fixes
// that rewrite the trigger in place; none for a trigger no reached stage
// runs, and the stage running a trigger sees what it sets.
func TestTriggerFindings(t *testing.T) {
	const text = "FROM alpine AS base\n" +
		"ONBUILD ENV MODE production\n" +
		"ONBUILD WORKDIR /srv\n" +
		"FROM alpine AS other\n" +
		"ONBUILD ENV QUIET yes\n" +
		"FROM other AS unbuilt\n" +
		"FROM base AS one\n" +
		"WORKDIR rel\n" +
		"FROM base AS two\n" +
		"COPY --from=one /a /b"
	for _, nl := range []string{"\n", "\r\n"} {
		for _, end := range []string{"", nl} {
			src := strings.ReplaceAll(text, "\n", nl) + end
			ix := analysis.Parse(analysis.NewDocument(src))
			var got []string
			for _, d := range Run(ix, nil) {
				r := Lookup(d.Rule)
				if r == nil || !r.BuildKit {
					continue
				}
				line := fmt.Sprintf("%d %s %q", ix.Doc.LineOf(d.Span.Start)+1, d.Rule, ix.Doc.Slice(d.Span))
				for _, rel := range d.Related {
					if TriggerRun(rel) {
						line += fmt.Sprintf(" run@%d", ix.Doc.LineOf(rel.Span.Start)+1)
					}
				}
				for _, f := range d.Fixes {
					if strings.HasPrefix(f.Title, "Skip ") {
						continue
					}
					fixed, err := analysis.ApplyEdits(src, f.Edits)
					if err != nil {
						t.Fatal(err)
					}
					line += fmt.Sprintf(" fix:%q", strings.Split(fixed, nl)[ix.Doc.LineOf(d.Span.Start)])
				}
				got = append(got, line)
			}
			want := []string{
				`2 LegacyKeyValueFormat "MODE production" run@7 run@9 fix:"ONBUILD ENV MODE=production"`,
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("newline %q, end %q: BuildKit-named findings (-want +got):\n%s", nl, end, d)
			}
		}
	}
}

// TestTriggerFindingsIncremental edits the ONBUILD files of the parity
// set at random: with triggers, a run with a cache equals a fresh one.
func TestTriggerFindingsIncremental(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(detailDir, "onbuild*.Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, f := range files {
		if strings.Contains(filepath.Base(f), "~") {
			continue
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkIncremental(t, filepath.Base(f), string(text), &Config{}, uint64(100+i), 40)
		n++
	}
	if n < 4 {
		t.Fatalf("%d ONBUILD files in %s, want at least 4", n, detailDir)
	}
}
