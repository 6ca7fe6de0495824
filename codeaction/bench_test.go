package codeaction

import (
	"context"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkActions asks for every action in the middle of the generated
// 20,000-line, 1,000-stage file, the rules' diagnostics included, as the
// server does for each request.
func BenchmarkActions(b *testing.B) {
	doc := analysis.NewDocument(testgen.Large(1000))
	ix := analysis.Parse(doc)
	mid := ix.Node(ix.Len() / 2)
	b.ResetTimer()
	for b.Loop() {
		r := &Request{Index: ix, Span: analysis.Span{Start: mid.Start, End: mid.Start}, Diagnostics: FromRules(rules.Run(ix, nil))}
		acts, _ := Actions(context.Background(), r)
		for i := range acts {
			if _, err := acts[i].Resolve(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
