package workspace

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWildcardIncludesWatched: a file created where a wildcard the
// workspace follows matches (a Makefile's `include make/*.make`, a GitLab
// include of ci/jobs/*.yml) has the including file as a dependent, so
// that its creation re-reads it, and its name is watched: the targets it
// names count once it is read again.
func TestWildcardIncludesWatched(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":          "ref: refs/heads/main\n",
		"Dockerfile":         "FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS c\n",
		"Makefile":           "include make/*.make\n",
		"make/one.make":      "one:\n\tdocker build --target a .\n",
		".gitlab-ci.yml":     "include:\n  - local: ci/jobs/*.yml\n",
		"ci/jobs/build.yml":  "build:\n  script:\n    - docker build --target b .\n",
		"ci/jobs/readme.txt": "not a job\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	newMake, newJob := filepath.Join(root, "make/two.make"), filepath.Join(root, "ci/jobs/test.yml")
	if d := cmp.Diff([]string{filepath.Join(root, "Makefile")}, ix.Dependents(newMake)); d != "" {
		t.Errorf("Dependents(make/two.make) (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{filepath.Join(root, ".gitlab-ci.yml")}, ix.Dependents(newJob)); d != "" {
		t.Errorf("Dependents(ci/jobs/test.yml) (-want +got):\n%s", d)
	}
	if got := ix.Dependents(filepath.Join(root, "make/sub/three.make")); len(got) != 0 {
		t.Errorf("a file in a subfolder the pattern does not reach: %v", got)
	}
	if d := cmp.Diff([]string{"**/*.make", "**/*.yml", "**/build.yml", "**/one.make"}, ix.ReadThroughWatchGlobs()); d != "" {
		t.Errorf("watch globs (-want +got):\n%s", d)
	}
	// The files created, and the dependents read again as the server does.
	for p, text := range map[string]string{newMake: "two:\n\tdocker build --target c .\n", newJob: "test:\n  script:\n    - docker build --target c .\n"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range ix.Dependents(p) {
			data, _ := os.ReadFile(f)
			ix = ix.Update(f, string(data))
		}
	}
	var got []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, "Dockerfile")) {
		rel, _ := filepath.Rel(root, tg.File)
		got = append(got, filepath.ToSlash(rel)+" "+tg.Name)
	}
	want := []string{"ci/jobs/build.yml b", "ci/jobs/test.yml c", "make/one.make a", "make/two.make c"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("targets after the creations (-want +got):\n%s", d)
	}
}
