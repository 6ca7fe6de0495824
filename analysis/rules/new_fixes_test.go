package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestNewRuleFixesParse applies every fix of the frontend, ARG and image
// rules over the corpus (and the rules' own examples) and checks that
// BuildKit still parses the result and that the finding is gone.
func TestNewRuleFixesParse(t *testing.T) {
	names := []string{FrontendFeatureUnavailable.Name, CopyFromVariable.Name, UnusedGlobalArg.Name, UnusedStageArg.Name,
		FinalStageDevDependencies.Name, PackageCacheInLayer.Name}
	texts := testgen.Corpus(t)
	for _, n := range names {
		texts[n+" example"] = Lookup(n).Bad
	}
	applied := 0
	for name, text := range texts {
		bkOK := func(s string) error {
			res, err := parser.Parse(strings.NewReader(s))
			if err != nil {
				return err
			}
			stages, _, err := instructions.Parse(res.AST, nil)
			if err != nil {
				return err
			}
			// RUN reads its --mount options only when expanded.
			for _, st := range stages {
				for _, c := range st.Commands {
					if run, ok := c.(*instructions.RunCommand); ok {
						if err := run.Expand(func(w string) (string, error) { return w, nil }); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}
		if bkOK(text) != nil {
			continue
		}
		diags := Run(analysis.Parse(analysis.NewDocument(text)), nil)
		count := func(ds []Diagnostic, rule string) int {
			k := 0
			for _, d := range ds {
				if d.Rule == rule {
					k++
				}
			}
			return k
		}
		for _, d := range diags {
			if !slices.Contains(names, d.Rule) {
				continue
			}
			for _, f := range d.Fixes {
				if strings.HasPrefix(f.Title, "Skip ") {
					continue
				}
				fixed := applyFix(t, text, f)
				applied++
				if err := bkOK(fixed); err != nil {
					t.Errorf("%s: %s fix %q: BuildKit rejects the result: %v", name, d.Rule, f.Title, err)
					continue
				}
				if after := Run(analysis.Parse(analysis.NewDocument(fixed)), nil); count(after, d.Rule) >= count(diags, d.Rule) {
					t.Errorf("%s: %s fix %q leaves the finding", name, d.Rule, f.Title)
				}
			}
		}
	}
	if applied < 20 {
		t.Errorf("applied only %d fixes", applied)
	}
	t.Logf("%d fixes applied", applied)
}
