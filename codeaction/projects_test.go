package codeaction

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// TestProjectActions plays the acceptance suite on real-project
// Dockerfiles with their build contexts: each archive under
// testdata/codeaction/projects (txtar; a Dockerfile's folder is its
// context, .dockerignore included, written to disk and read as the server
// reads it) gets every action offered at every instruction applied and
// judged as TestStyleActions does, LF and CRLF+BOM. An archive's comment
// lists what must be offered ("offer: <title part>") and refused
// ("refuse: <producer>: <reason part>"), so that an action lost, or a
// refusal that no longer says why, fails; "edit: <text>" must be in some
// action's result.
func TestProjectActions(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "codeaction", "projects", "*.archive"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no project archives: %v", err)
	}
	kinds, files := map[Kind]int{}, 0
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".archive")
		dir := t.TempDir()
		for _, f := range ar.Files {
			file := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pl := &play{kinds: kinds, refusals: map[string]int{}, titles: map[string]int{}}
		for _, f := range ar.Files {
			if filepath.Base(f.Name) != "Dockerfile" {
				continue
			}
			file := filepath.Join(dir, filepath.FromSlash(f.Name))
			ctx, err := workspace.LoadBuildContext(file, filepath.Dir(file))
			if err != nil {
				t.Fatal(err)
			}
			text := string(f.Data)
			for _, variant := range []string{text, "\ufeff" + strings.ReplaceAll(text, "\n", "\r\n")} {
				files++
				playActions(t, name+"/"+f.Name, variant, ctx, pl)
			}
		}
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if want, ok := strings.CutPrefix(line, "offer: "); ok && !anyContains(pl.titles, want) {
				t.Errorf("%s: no action offered whose title has %q among %q", name, want, sortedKeys(pl.titles))
			}
			if want, ok := strings.CutPrefix(line, "refuse: "); ok && !anyContains(pl.refusals, want) {
				t.Errorf("%s: no refusal saying %q among %q", name, want, sortedKeys(pl.refusals))
			}
			if want, ok := strings.CutPrefix(line, "edit: "); ok && !slices.ContainsFunc(pl.results, func(r string) bool { return strings.Contains(r, want) }) {
				t.Errorf("%s: no action's result has %q", name, want)
			}
		}
		for r := range pl.refusals {
			if strings.HasSuffix(r, ": ") {
				t.Errorf("%s: a refusal without a reason: %q", name, r)
			}
		}
		t.Logf("%s: %d distinct titles, %d distinct refusals: %q", name, len(pl.titles), len(pl.refusals), sortedKeys(pl.refusals))
	}
	t.Logf("%d files (LF and CRLF+BOM); actions applied, by kind: %v", files, kinds)
}

func anyContains(m map[string]int, part string) bool {
	for k := range m {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
