package rules

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestCacheKeepsLocalFindings types into one instruction of the generated
// file: with a cache, a local rule runs again only on the instruction that
// changed, and the findings equal a run without the cache.
func TestCacheKeepsLocalFindings(t *testing.T) {
	text := strings.ReplaceAll(testgen.Large(50), " AS stage-", " as stage-") // FromAsCasing on every stage
	ix := analysis.Parse(analysis.NewDocument(text))
	calls := 0
	orig := FromAsCasing.Local
	FromAsCasing.Local = func(p *Pass, n analysis.Node) { calls++; orig(p, n) }
	defer func() { FromAsCasing.Local = orig }()

	cache := &Cache{}
	first := Run(ix, &Config{Cache: cache})
	if calls != 50 {
		t.Fatalf("first run looked at %d FROMs, want 50", calls)
	}
	// Type into the base of stage 20's FROM, then into a RUN.
	for _, edit := range []struct{ after, text string }{{"FROM stage-19", "x"}, {"make build", "s"}} {
		off := strings.Index(ix.Doc.Text(), edit.after) + len(edit.after)
		e := analysis.Edit{Span: analysis.Span{Start: off, End: off}, Text: edit.text}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		calls = 0
		cached := Run(ix, &Config{Cache: cache})
		if calls > 1 {
			t.Errorf("after typing %q: the rule ran on %d FROMs with the cache, want at most the one edited", edit.text, calls)
		}
		fresh := Run(ix, &Config{})
		if d := cmp.Diff(fresh, cached); d != "" {
			t.Fatalf("after typing %q: cached findings differ (-fresh +cached):\n%s", edit.text, d)
		}
	}
	if len(first) == 0 {
		t.Fatal("no findings at all")
	}
}

// BenchmarkRulesAfterKeystroke runs every rule on the generated
// 20,000-line file after each keystroke typed into a RUN line, with the
// cache the server keeps; the index is updated outside the timer.
func BenchmarkRulesAfterKeystroke(b *testing.B) {
	ix := analysis.Parse(analysis.NewDocument(testgen.Large(1000)))
	off := strings.LastIndex(ix.Doc.Text(), "make build") + len("make build")
	cache := &Cache{}
	Run(ix, &Config{Cache: cache})
	for b.Loop() {
		b.StopTimer()
		e := analysis.Edit{Span: analysis.Span{Start: off, End: off}, Text: "s"}
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			b.Fatal(err)
		}
		ix = ix.Update(doc, e)
		off++
		b.StartTimer()
		Run(ix, &Config{Cache: cache})
	}
}
