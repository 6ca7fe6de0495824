package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBakeEnvFromExport: a Bake variable takes its value from the
// environment of the bake command, over its default: a script's export,
// a command's own assignment, a workflow step's env; a variable without
// a default too. Not from an assignment the script does not export.
func TestBakeEnvFromExport(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":                "ref: refs/heads/main\n",
		"app/Dockerfile":           "FROM alpine AS prod\nFROM alpine AS e2e\nFROM alpine AS slim\nFROM alpine AS ci\n",
		"docker-bake.hcl":          "variable \"TARGET\" {\n  default = \"prod\"\n}\nvariable \"FLAVOR\" {}\ntarget \"app\" {\n  context = \"app\"\n  target = TARGET\n}\ntarget \"x\" {\n  context = \"app\"\n  target = \"${FLAVOR}\"\n}\n",
		"a.sh":                     "export TARGET=e2e\ndocker buildx bake app\n",
		"b.sh":                     "FLAVOR=slim docker buildx bake x\nTARGET=notexported\ndocker buildx bake\n",
		".github/workflows/ci.yml": "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx bake\n        env:\n          TARGET: ci\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	got := targetSites(ix, root, "app/Dockerfile")
	want := []string{
		`.github/workflows/ci.yml:7 "ci" ci`,
		`a.sh:1 "e2e" e2e`,
		`b.sh:1 "slim" slim`,
		`docker-bake.hcl:2 "prod" prod`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestBakeJSONEnv: a docker-bake.json `variable` takes its value from the
// bake command's environment as an HCL one does: a workflow step's env, a
// script's export; the default stays the value elsewhere.
func TestBakeJSONEnv(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"web/Dockerfile": "FROM node:22 AS release\nFROM node:22 AS test\nFROM node:22 AS e2e\n",
		"docker-bake.json": `{
  "variable": {"WEB_TARGET": {"default": "release"}, "FLAVOR": {}},
  "target": {
    "web": {"context": "web", "target": "${WEB_TARGET}"},
    "web-flavor": {"context": "web", "target": "${FLAVOR}"}
  }
}
`,
		"ci.sh":                    "export WEB_TARGET=test\ndocker buildx bake web\n",
		".github/workflows/ci.yml": "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx bake web-flavor\n        env:\n          FLAVOR: e2e\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, "web/Dockerfile")) {
		rel, _ := filepath.Rel(root, tg.File)
		text, _ := os.ReadFile(tg.File)
		got = append(got, fmt.Sprintf("%s:%d %q %s", filepath.ToSlash(rel), tg.Line, text[tg.Span.Start:tg.Span.End], tg.Name))
	}
	want := []string{
		`.github/workflows/ci.yml:7 "e2e" e2e`,
		`ci.sh:1 "test" test`,
		`docker-bake.json:2 "release" release`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// targetSites lists the targets naming a stage of the Dockerfile at rel
// (under root) as `file:line "text" stage`: where each is written, the
// text its span covers and the stage it names.
func targetSites(ix *Index, root, rel string) []string {
	var out []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, rel)) {
		file, _ := filepath.Rel(root, tg.File)
		text, _ := os.ReadFile(tg.File)
		out = append(out, fmt.Sprintf("%s:%d %q %s", filepath.ToSlash(file), tg.Line, text[tg.Span.Start:tg.Span.End], tg.Name))
	}
	return out
}
