package completion

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkCompletion completes on a generated 20,000-line, 1,000-stage
// file: after `--from=` in the last stage (999 stages offered), after a
// half-typed `--from=stage-99`, in a mount spec, at a keyword and at a
// variable. It reports the median time of one completion as median-ns.
func BenchmarkCompletion(b *testing.B) {
	text := testgen.Large(1000)
	last := strings.LastIndex(text, "COPY --from=stage-998")
	cases := []struct {
		name string
		off  int
		lazy bool
	}{
		{"from-all", last + len("COPY --from="), false},
		{"from-all-lazy-docs", last + len("COPY --from="), true},
		{"from-prefix", last + len("COPY --from=stage-99"), false},
		{"mount-key", strings.LastIndex(text, "RUN --mount=type=bind,") + len("RUN --mount=type=bind,"), false},
		{"keyword", strings.LastIndex(text, "\nEXPOSE") + 2, false},
		{"variable", strings.LastIndex(text, "${VERSION}") + 2, false},
	}
	ix := analysis.Parse(analysis.NewDocument(text))
	if n := ix.StageCount(); n != 1000 {
		b.Fatalf("%d stages", n)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			opts := Options{LazyStageDocs: c.lazy}
			if len(Complete(ix, c.off, opts)) == 0 {
				b.Fatalf("nothing offered at %q", text[c.off-20:c.off])
			}
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				Complete(ix, c.off, opts)
				times = append(times, time.Since(t0))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns")
		})
	}
}
