package features

import (
	"context"
	"errors"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// lookCounter is a context cancelled at its at-th look, which counts how
// often a loop looks.
type lookCounter struct {
	context.Context
	looks, at int
}

func (c *lookCounter) Err() error {
	c.looks++
	if c.looks >= c.at {
		return context.Canceled
	}
	return nil
}

// TestLongLoopsStopWhenCancelled runs each long walk of a 20,000-line,
// 1,000-stage file with a context cancelled at its third look: each must
// look several times along the way, stop with context.Canceled, and (for
// the semantic tokens, whose progress shows) stop well before the end.
func TestLongLoopsStopWhenCancelled(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument(testgen.Large(1000)))
	all := 0
	if err := EachSemanticToken(context.Background(), ix, analysis.Span{Start: 0, End: ix.Doc.Len()}, analysis.UTF16, func(SemToken) { all++ }); err != nil {
		t.Fatal(err)
	}
	g, err := StageGraph(context.Background(), ix, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// VERSION, declared globally and brought into every stage.
	version := len("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\nARG ")
	if occ, err := References(context.Background(), ix, version, true); err != nil || len(occ) < 1000 {
		t.Fatalf("references of VERSION: %d, %v", len(occ), err)
	}
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"semantic tokens", func(ctx context.Context) error {
			n := 0
			err := EachSemanticToken(ctx, ix, analysis.Span{Start: 0, End: ix.Doc.Len()}, analysis.UTF16, func(SemToken) { n++ })
			if n > all/2 {
				t.Errorf("semantic tokens: %d of %d emitted after the cancel", n, all)
			}
			return err
		}},
		{"graph", func(ctx context.Context) error { _, err := StageGraph(ctx, ix, nil, nil); return err }},
		{"mermaid", func(ctx context.Context) error { _, err := g.Mermaid(ctx); return err }},
		{"references", func(ctx context.Context) error { _, err := References(ctx, ix, version, true); return err }},
	} {
		ctx := &lookCounter{Context: context.Background(), at: 3}
		if err := tc.run(ctx); !errors.Is(err, context.Canceled) || ctx.looks != 3 {
			t.Errorf("%s: error %v after %d looks, want context.Canceled at the third", tc.name, err, ctx.looks)
		}
	}
}
