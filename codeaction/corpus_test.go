package codeaction

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestCorpusRefactorings applies Split stage at every instruction of every
// multi-stage corpus file and Reorder layers wherever it is offered, and
// checks each result with the safety checker.
func TestCorpusRefactorings(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "files")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("corpus not found: %v", err)
	}
	type counts struct{ offered, applied, failed int }
	var split, reorder, runtime counts
	var failures []string
	check := func(c *counts, name, what string, doc *analysis.Document, edits []analysis.Edit, want analysis.Intended) {
		c.offered++
		out, err := Apply(doc, edits)
		if err != nil {
			c.failed++
			failures = append(failures, name+": "+what+": "+err.Error())
			return
		}
		c.applied++
		if err := analysis.CheckSafety(doc, analysis.NewDocument(out), want); err != nil {
			c.failed++
			failures = append(failures, name+": "+what+": "+err.Error())
		}
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		doc := analysis.NewDocument(string(b))
		ix := analysis.Parse(doc)
		if ix.ParseError != nil || len(ix.Errors()) > 0 {
			continue
		}
		if ix.StageCount() > 1 {
			for i := 0; i < ix.Len(); i++ {
				if edits, _ := SplitStage(ix, i); edits != nil {
					var added []string
					st := ix.Stage(ix.StageOf(i))
					for j := st.First + 1; j < i; j++ {
						if ix.Node(j).Cmd == "arg" {
							added = append(added, analysis.NormalizeInstruction(ix, j))
						}
					}
					check(&split, e.Name(), "split at instruction "+itoa(i), doc, edits, analysis.Intended{NewRefs: 1, Added: added})
				}
			}
		}
		for s := 0; s < ix.StageCount(); s++ {
			if plan, _ := analysis.PlanLayers(ix, s); plan != nil {
				var added []string
				if plan.ManifestCopy != "" {
					mix := analysis.Parse(analysis.NewDocument("FROM x\n" + plan.ManifestCopy + "\n"))
					added = append(added, analysis.NormalizeInstruction(mix, 1))
				}
				check(&reorder, e.Name(), "reorder stage "+itoa(s), doc, []analysis.Edit{plan.Edit}, analysis.Intended{Added: added})
			}
		}
		if s := ix.StageCount() - 1; s >= 0 {
			if plan, _ := planRuntime(ix, s); plan != nil {
				for _, base := range plan.bases {
					check(&runtime, e.Name(), "build/runtime on "+base, doc, SplitBuildRuntime(ix, s, plan, base), analysis.Intended{NewRefs: 1, SkipClosure: true})
				}
			}
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("split stage: offered %d, applied %d, checker failures %d", split.offered, split.applied, split.failed)
	t.Logf("reorder layers: offered %d, applied %d, checker failures %d", reorder.offered, reorder.applied, reorder.failed)
	t.Logf("build/runtime: offered %d, applied %d, checker failures %d", runtime.offered, runtime.applied, runtime.failed)
	if split.offered == 0 {
		t.Error("split stage was offered nowhere in the corpus")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
