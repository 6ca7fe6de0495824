package rules

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
)

var update = flag.Bool("update", false, "rewrite docs/rules from the registry")

const docsDir = "../../docs/rules"

// TestDocs fails when docs/rules and the registry disagree: a page missing,
// stale or left over. Run `go generate ./analysis/rules` (or this test with
// -update) to rewrite them.
func TestDocs(t *testing.T) {
	want := map[string]string{"README.md": IndexPage()}
	for _, r := range All() {
		want[r.Name+".md"] = Page(r)
	}
	if *update {
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(docsDir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(docsDir)
	if err != nil {
		t.Fatalf("%v; run go generate ./analysis/rules", err)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("%s/%s documents no rule; remove it", docsDir, e.Name())
		}
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(docsDir, name))
		if err != nil {
			t.Errorf("%v; run go generate ./analysis/rules", err)
			continue
		}
		if diff := cmp.Diff(text, string(got)); diff != "" {
			t.Errorf("%s is stale; run go generate ./analysis/rules (-registry +file):\n%s", name, diff)
		}
	}
}

// exampleIgnore is the .dockerignore the examples of CopyIgnoredFile
// assume.
var exampleIgnore = []string{"*.md"}

// TestExamples checks each rule's page examples: the bad one is reported
// by the rule, the good one by no rule at all.
func TestExamples(t *testing.T) {
	m, err := patternmatcher.New(exampleIgnore)
	if err != nil {
		t.Fatal(err)
	}
	// The build context the examples of SourceCopiedTooEarly assume.
	ctx := analysis.BuildContext{FS: fstest.MapFS{"package.json": {Data: []byte("{}")}, "package-lock.json": {}, "server.js": {}}}
	cfg := &Config{Ignore: m, Context: ctx}
	for _, r := range All() {
		t.Run(r.Name, func(t *testing.T) {
			if r.Bad == "" || r.Good == "" || r.Summary == "" || r.Doc == "" {
				t.Fatalf("%s lacks a summary, doc or example", r.Name)
			}
			if r.Use != nil {
				// Its examples need the compose.yaml read: the workspace
				// package's TestUseExamples runs them.
				if r.UsedBy == "" {
					t.Fatalf("%s judges uses but has no UsedBy example", r.Name)
				}
				return
			}
			bad := ruleNames(Run(analysis.Parse(analysis.NewDocument(r.Bad)), cfg))
			if !slices.Contains(bad, r.Name) {
				t.Errorf("bad example not reported by %s; got %v", r.Name, bad)
			}
			if good := ruleNames(Run(analysis.Parse(analysis.NewDocument(r.Good)), cfg)); len(good) > 0 {
				t.Errorf("good example reported: %v", good)
			}
		})
	}
}

func ruleNames(ds []Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Rule)
	}
	return out
}

func TestURL(t *testing.T) {
	for _, r := range All() {
		if !strings.HasPrefix(r.URL(), DocsBase) || !strings.HasSuffix(r.URL(), "/"+r.Name+".md") {
			t.Errorf("%s: URL %s", r.Name, r.URL())
		}
	}
}
