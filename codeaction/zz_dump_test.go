package codeaction

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

func TestZZDump(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "codeaction", "projects", "*.archive"))
	for _, p := range paths {
		ar, _ := txtar.ParseFile(p)
		dir := t.TempDir()
		for _, f := range ar.Files {
			file := filepath.Join(dir, f.Name)
			os.MkdirAll(filepath.Dir(file), 0o755)
			os.WriteFile(file, f.Data, 0o644)
		}
		for _, f := range ar.Files {
			if filepath.Base(f.Name) != "Dockerfile" {
				continue
			}
			file := filepath.Join(dir, f.Name)
			ctx, _ := workspace.LoadBuildContext(file, filepath.Dir(file))
			doc := analysis.NewDocument(string(f.Data))
			ix := analysis.Parse(doc)
			seen := map[string]bool{}
			for i := 0; i < ix.Len(); i++ {
				acts, _ := Actions(context.Background(), &Request{Index: ix, Span: analysis.Span{Start: ix.Node(i).Start, End: ix.Node(i).Start}, Context: ctx})
				for _, a := range acts {
					if a.Kind == SplitStageKind || a.Kind == QuickFix || seen[a.Title] {
						continue
					}
					seen[a.Title] = true
					e, _ := a.Resolve()
					out, _ := Apply(doc, e)
					t.Logf("==== %s/%s: %s\n%s", filepath.Base(p), f.Name, a.Title, strings.TrimSpace(out))
				}
			}
		}
	}
}
