package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestCorpus runs every rule over the shared corpus: no panic, every span
// and every fix inside the document, a fix's edits in order and disjoint.
// With -v it logs the count of each rule, for the noise review.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testgen.RequireCorpus(t), "*"))
	if len(files) == 0 {
		t.Fatal("the corpus folder is empty")
	}
	counts := map[string]int{}
	perFile := map[string]int{}
	for _, path := range files {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc := analysis.NewDocument(string(text))
		ix := analysis.Parse(doc)
		seen := map[string]bool{}
		for _, d := range Run(ix, nil) {
			counts[d.Rule]++
			if !seen[d.Rule] {
				seen[d.Rule] = true
				perFile[d.Rule]++
			}
			if d.Span.Start < 0 || d.Span.End > doc.Len() || d.Span.End < d.Span.Start {
				t.Errorf("%s: %s span %v outside the document", filepath.Base(path), d.Rule, d.Span)
			}
			if d.Severity == Off || d.Message == "" {
				t.Errorf("%s: %s without severity or message", filepath.Base(path), d.Rule)
			}
			for _, f := range d.Fixes {
				last := 0
				for _, e := range f.Edits {
					if e.Span.Start < last || e.Span.End > doc.Len() || e.Span.End < e.Span.Start {
						t.Errorf("%s: %s fix %q: edit %v out of order or outside", filepath.Base(path), d.Rule, f.Title, e.Span)
					}
					last = e.Span.End
				}
			}
		}
	}
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return counts[names[i]] > counts[names[j]] })
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%-34s %5d in %3d files\n", n, counts[n], perFile[n])
	}
	t.Logf("%d files:\n%s", len(files), b.String())
}

var large = testgen.Large(1000)

// BenchmarkRules runs every rule on the generated 20,000-line, 1,000-stage
// file, index built beforehand (as the server has it).
func BenchmarkRules(b *testing.B) {
	ix := analysis.Parse(analysis.NewDocument(large))
	b.ResetTimer()
	start := testgen.CPUTime()
	best := time.Hour
	for b.Loop() {
		t := time.Now()
		Run(ix, nil)
		best = min(best, time.Since(t))
	}
	// On a loaded machine wall time includes waiting for a CPU: the
	// process's CPU time per run, and the fastest run, show the cost of the
	// rules themselves.
	testgen.ReportCPU(b, start)
	b.ReportMetric(float64(best.Nanoseconds())/1e6, "min-ms")
}

// BenchmarkRulesFresh measures a run on a fresh index of the same text, as
// after a keystroke: the index's lazily built views (stages, references)
// are built again.
func BenchmarkRulesFresh(b *testing.B) {
	doc := analysis.NewDocument(large)
	base := analysis.Parse(doc)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		next, err := doc.Apply(analysis.Edit{Span: analysis.Span{Start: 0, End: 0}, Text: " "})
		if err != nil {
			b.Fatal(err)
		}
		ix := base.Update(next, analysis.Edit{Span: analysis.Span{Start: 0, End: 0}, Text: " "})
		b.StartTimer()
		Run(ix, nil)
	}
}

func BenchmarkRule(b *testing.B) {
	ix := analysis.Parse(analysis.NewDocument(large))
	for _, r := range All() {
		if r.Use != nil {
			continue // it judges what other files ask, not the index
		}
		b.Run(r.Name, func(b *testing.B) {
			for b.Loop() {
				p := &Pass{Index: ix, Config: &Config{}, Rule: r}
				if r.Local != nil {
					runLocal(p)
				} else {
					r.Run(p)
				}
			}
		})
	}
}

// TestPrefixes runs every rule on every line prefix of some corpus files,
// as a file looks while it is typed: no panic, no span outside.
func TestPrefixes(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testgen.RequireCorpus(t), "*"))
	if len(files) == 0 {
		t.Fatal("the corpus folder is empty")
	}
	if testing.Short() {
		files = files[:min(5, len(files))]
	}
	for k := 0; k < len(files); k += max(1, len(files)/40) {
		text, err := os.ReadFile(files[k])
		if err != nil {
			t.Fatal(err)
		}
		s := string(text)
		for i := 0; i <= len(s); {
			prefix := s[:i]
			doc := analysis.NewDocument(prefix)
			for _, d := range Run(analysis.Parse(doc), nil) {
				if d.Span.End > doc.Len() || d.Span.Start < 0 {
					t.Fatalf("%s[:%d]: %s span %v outside", filepath.Base(files[k]), i, d.Rule, d.Span)
				}
			}
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				if i == len(s) {
					break
				}
				i = len(s)
				continue
			}
			i += j + 1
		}
	}
}
