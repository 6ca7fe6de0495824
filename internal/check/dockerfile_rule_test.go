package check

import (
	"bytes"
	"os"
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

// TestUsesConfinedToProject: a Compose file whose context lies outside the
// project names a Dockerfile check does not read, as the server does not:
// nothing is judged there.
func TestUsesConfinedToProject(t *testing.T) {
	outside := writeTree(t, map[string]string{"Dockerfile": "FROM alpine AS other\n"})
	root := writeTree(t, map[string]string{
		".git/HEAD":    "ref: refs/heads/main\n",
		"compose.yaml": "services:\n  x:\n    build:\n      context: " + outside + "\n      target: missing\n",
	})
	var stdout, stderr bytes.Buffer
	Main([]string{"--root", root, filepath.Join(root, "compose.yaml")}, &stdout, &stderr)
	if strings.Contains(stdout.String(), "UnknownTarget") {
		t.Errorf("a Dockerfile outside the project was judged:\n%s%s", stdout.String(), stderr.String())
	}
	inside := filepath.Join(root, "in")
	if err := os.MkdirAll(inside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inside, "Dockerfile"), []byte("FROM alpine AS other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "compose.yaml"), []byte("services:\n  x:\n    build:\n      context: in\n      target: missing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	Main([]string{"--root", root, filepath.Join(root, "compose.yaml")}, &stdout, &stderr)
	if !strings.Contains(stdout.String(), `has no stage named "missing"`) {
		t.Errorf("the Dockerfile inside the project was not judged:\n%s%s", stdout.String(), stderr.String())
	}
}

// TestNamedDockerfilesChecked: in a project, `check DIR` also checks the
// files a build names as its Dockerfile under other names (Compose's
// docker/Dockerfile-dev, Bake's build/app, `docker build -f ci/web.df` in
// a Makefile), but not a like-named file nothing builds, nor a named one
// outside the folder given or missing on disk.
func TestNamedDockerfilesChecked(t *testing.T) {
	root := writeTree(t, map[string]string{
		"compose.yaml":          "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile-dev\n  gone:\n    build:\n      dockerfile: docker/missing\n",
		"docker-bake.hcl":       "target \"app\" {\n  dockerfile = \"build/app\"\n  target = \"final\"\n}\n",
		"Makefile":              "image:\n\tdocker build -f ci/web.df --target web .\n",
		"docker/Dockerfile-dev": "FROM alpine AS api\nCOPY --from=bse /a /b\n",
		"docker/Dockerfile-old": "FROM alpine\n",
		"build/app":             "FROM alpine AS final\n",
		"ci/web.df":             "FROM alpine AS web\n",
		"Dockerfile":            "FROM alpine\n",
	})
	p := OpenProject(root, root)
	got, err := p.files([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range got {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"Dockerfile", "build/app", "ci/web.df", "docker/Dockerfile-dev"}
	if d := cmp.Diff(want, slices.Sorted(slices.Values(slices.DeleteFunc(rel, func(r string) bool { return workspace.Classify(r) != workspace.NotTargets })))); d != "" {
		t.Errorf("check DIR's Dockerfiles (-want +got):\n%s", d)
	}
	sub, err := p.files([]string{filepath.Join(root, "ci")})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) != 1 || filepath.Base(sub[0]) != "web.df" {
		t.Errorf("check ci/ takes %v, want ci/web.df alone", sub)
	}
	var out, errOut bytes.Buffer
	code := Main([]string{"--root", root, root}, &out, &errOut)
	if !strings.Contains(out.String(), "Dockerfile-dev:2:") || !strings.Contains(out.String(), "UnknownStageReference") {
		t.Errorf("check DIR (exit %d) does not report the unknown stage in docker/Dockerfile-dev:\n%s%s", code, out.String(), errOut.String())
	}
}
