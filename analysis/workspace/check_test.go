package workspace

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// TestUseExamples checks the page examples of the rules that judge what
// other files ask of a Dockerfile: with the rule's compose.yaml beside it,
// the bad Dockerfile is reported by the rule, the good one is not.
func TestUseExamples(t *testing.T) {
	root := filepath.FromSlash("/p")
	compose := filepath.Join(root, "compose.yaml")
	n := 0
	for _, r := range rules.All() {
		if r.Use == nil {
			continue
		}
		n++
		t.Run(r.Name, func(t *testing.T) {
			ix := Scan(nil, DefaultLimits).Update(compose, r.UsedBy)
			for _, c := range []struct {
				dockerfile string
				reported   bool
			}{{r.Bad, true}, {r.Good, false}} {
				load := func(df string) (*analysis.Index, bool) {
					if df != filepath.Join(root, "Dockerfile") {
						t.Errorf("the example names %s, want the Dockerfile beside compose.yaml", df)
						return nil, false
					}
					return analysis.Parse(analysis.NewDocument(c.dockerfile)), true
				}
				var got []string
				for _, d := range ix.Check(compose, r.UsedBy, load, func(string) *rules.Config { return nil }) {
					got = append(got, d.Rule)
				}
				if slices.Contains(got, r.Name) != c.reported {
					t.Errorf("reported %v, want %s reported: %v, for\n%s", got, r.Name, c.reported, c.dockerfile)
				}
			}
		})
	}
	if n < 2 {
		t.Errorf("%d rules judge uses, want UnknownTarget and UndeclaredBuildArg", n)
	}
}

// TestCheckConfigPerDockerfile: each Dockerfile a file names is judged
// under its own configuration.
func TestCheckConfigPerDockerfile(t *testing.T) {
	root := filepath.FromSlash("/p")
	compose := filepath.Join(root, "compose.yaml")
	text := "services:\n  a:\n    build:\n      context: a\n      target: nope\n  b:\n    build:\n      context: b\n      target: nope\n"
	ix := Scan(nil, DefaultLimits).Update(compose, text)
	load := func(string) (*analysis.Index, bool) {
		return analysis.Parse(analysis.NewDocument("FROM alpine AS prod\n")), true
	}
	config := func(df string) *rules.Config {
		if filepath.Base(filepath.Dir(df)) == "b" {
			return &rules.Config{Severity: map[string]rules.Severity{"UnknownTarget": rules.Off}}
		}
		return &rules.Config{Severity: map[string]rules.Severity{"UnknownTarget": rules.Warning}}
	}
	ds := ix.Check(compose, text, load, config)
	if len(ds) != 1 || ds[0].Severity != rules.Warning || text[ds[0].Span.Start:ds[0].Span.End] != "nope" || ds[0].Span.Start > 60 {
		t.Errorf("got %+v, want one warning on service a's target", ds)
	}
}
