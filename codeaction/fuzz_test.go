package codeaction

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// FuzzActions asks for every action at every instruction of arbitrary
// text: no producer may fail, every edit must apply, and every
// refactoring must leave text BuildKit parses.
func FuzzActions(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "codeaction", "*.txtar"))
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			f.Add(string(file.Data))
		}
	}
	// The style files (heredocs, backtick escape, CRLF and BOM, astral text).
	styles, _ := filepath.Glob(filepath.Join("..", "testdata", "codeaction", "styles", "*.Dockerfile"))
	for _, p := range styles {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	if len(paths) == 0 {
		b, _ := os.ReadFile(filepath.Join("..", "examples", "multistage", "Dockerfile"))
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		doc := analysis.NewDocument(text)
		ix := analysis.Parse(doc)
		diags := FromRules(rules.Run(ix, nil))
		for i := 0; i < ix.Len() && ix.ParseError == nil; i++ {
			n := ix.Node(i)
			acts, skips := Actions(context.Background(), &Request{Index: ix, Span: analysis.Span{Start: n.Start, End: n.Start}, Diagnostics: diags})
			for _, s := range skips {
				if s.Err != nil {
					t.Fatalf("%s: %v", s.Producer, s.Err)
				}
			}
			for k := range acts {
				edits, err := acts[k].Resolve()
				var out string
				if err == nil {
					out, err = Apply(doc, edits)
				}
				if err != nil {
					t.Fatalf("%q: %v", acts[k].Title, err)
				}
				if acts[k].Kind.Within("refactor") {
					if after := analysis.Parse(analysis.NewDocument(out)); after.ParseError != nil {
						t.Fatalf("%q: the result does not parse: %s\n%s", acts[k].Title, after.ParseError.Message, out)
					}
				}
			}
		}
	})
}
