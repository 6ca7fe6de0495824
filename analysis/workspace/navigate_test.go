package workspace

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestTargetNavigation(t *testing.T) {
	root := filepath.FromSlash("/p")
	compose := filepath.Join(root, "compose.yaml")
	dockerfile := filepath.Join(root, "svc", "Dockerfile")
	text := "services:\n  api:\n    build:\n      context: svc\n      target: Dev\n  web:\n    build:\n      context: svc\n      target: gone\n"
	ix := Scan([]string{root}, Limits{}).Update(compose, text)
	dix := analysis.Parse(analysis.NewDocument("FROM alpine AS dev\nFROM alpine\n"))
	load := func(df string) (*analysis.Index, bool) { return dix, df == dockerfile }

	df, got, span, ok := ix.Definition(compose, strings.Index(text, "Dev")+1, load)
	if !ok || df != dockerfile || got != dix || dix.Doc.Slice(span) != "dev" {
		t.Errorf("Definition at Dev = %s %q %v, want the name of stage dev in %s", df, dix.Doc.Slice(span), ok, dockerfile)
	}
	if _, _, _, ok := ix.Definition(compose, strings.Index(text, "gone"), load); ok {
		t.Error("Definition at a target naming no stage found one")
	}
	if _, _, _, ok := ix.Definition(compose, 0, load); ok {
		t.Error("Definition away from a target found one")
	}

	var sites []string
	for _, tg := range ix.Naming(dockerfile, "dev") {
		sites = append(sites, tg.Site([]string{root}))
	}
	if d := cmp.Diff([]string{"compose.yaml:5 (service api)"}, sites); d != "" {
		t.Errorf("Naming dev (-want +got):\n%s", d)
	}
	if ts := ix.Naming(dockerfile, ""); ts != nil {
		t.Errorf("Naming of an unnamed stage = %v, want none", ts)
	}
	if d := cmp.Diff([]string{"Dev", "gone"}, ix.Names(dockerfile)); d != "" {
		t.Errorf("Names (-want +got):\n%s", d)
	}
	if got, want := BuiltBy(ix.TargetsFor(dockerfile), []string{root}), "compose.yaml:5 (service api), compose.yaml:9 (service web)"; got != want {
		t.Errorf("BuiltBy = %q, want %q", got, want)
	}
}
