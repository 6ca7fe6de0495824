package check

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// TestOneDockerfileRule: `check DIR`, with and without the project, and
// the workspace scan (which the server's index and file watchers share)
// take the same files for Dockerfiles: those workspace.IsDockerfile names.
func TestOneDockerfileRule(t *testing.T) {
	names := []string{
		"Dockerfile", "Containerfile", "DOCKERFILE", "a/app.dockerfile", "a/Dockerfile.ci", "a/x.containerfile",
		"a/Containerfile.dev", "a/Dockerfile.dockerignore", "a/dockerfile.go", "a/Dockerfile.md", "a/Dockerfilex", "a/notes.txt",
	}
	tree := map[string]string{}
	var want []string
	for _, n := range names {
		tree[n] = "FROM alpine\n"
		if workspace.IsDockerfile(n) {
			want = append(want, n)
		}
	}
	root := writeTree(t, tree)
	rel := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator))))
		}
		return out
	}
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	want = sorted(want)
	if len(want) != 7 {
		t.Fatalf("IsDockerfile takes %v; the tree expects 7 of its names", want)
	}
	alone, err := Files([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	inProject, err := OpenProject(root, root).files([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	scan := workspace.Scan([]string{root}, workspace.DefaultLimits).Dockerfiles
	for what, got := range map[string][]string{"check DIR --no-workspace": alone, "check DIR": inProject, "workspace scan": scan} {
		if d := cmp.Diff(want, sorted(rel(got))); d != "" {
			t.Errorf("%s (-IsDockerfile +got):\n%s", what, d)
		}
	}
}
