package workspace

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestContextsReadThrough: the named contexts of a Compose file read
// through `include:` and of a Bake file a command (or bake-action's
// files:) names with -f belong to their builds, as a top-level file's do:
// BuildsFor lists the service or target, in the file it is written in,
// with its targets and contexts, and ContextsFor gives each once.
func TestContextsReadThrough(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":                "ref: refs/heads/main\n",
		"app/Dockerfile":           "FROM alpine AS assets\nFROM alpine AS release\n",
		"tools/Dockerfile":         "FROM alpine AS base\nFROM base AS cli\n",
		"compose.yaml":             "include:\n  - services/web.yaml\n",
		"services/web.yaml":        "services:\n  web:\n    build:\n      context: ../app\n      target: release\n      additional_contexts:\n        assets: docker-image://x\n",
		"ci/tools.hcl":             "target \"tools\" {\n  context = \"tools\"\n  target = \"cli\"\n  contexts = {\n    base = \"docker-image://y\"\n  }\n}\n",
		"build.sh":                 "docker buildx bake -f ci/tools.hcl tools\n",
		".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - uses: docker/bake-action@v6\n        with:\n          files: ci/tools.hcl\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	show := func(df string) []string {
		var out []string
		for _, b := range ix.BuildsFor(filepath.Join(root, df)) {
			rel, _ := filepath.Rel(root, b.File)
			var cs []string
			for _, c := range b.Contexts {
				crel, _ := filepath.Rel(root, c.File)
				cs = append(cs, c.Name+"@"+filepath.ToSlash(crel))
			}
			out = append(out, fmt.Sprintf("%s (%s) targets %v contexts %v", filepath.ToSlash(rel), b.Owner, b.Targets, cs))
		}
		for _, c := range ix.ContextsFor(filepath.Join(root, df)) {
			out = append(out, "context "+c.Name+" "+c.Owner)
		}
		return out
	}
	if d := cmp.Diff([]string{
		"services/web.yaml (service web) targets [release] contexts [assets@services/web.yaml]",
		"context assets service web",
	}, show("app/Dockerfile")); d != "" {
		t.Errorf("app (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{
		"ci/tools.hcl (target tools) targets [cli] contexts [base@ci/tools.hcl]",
		"context base target tools",
	}, show("tools/Dockerfile")); d != "" {
		t.Errorf("tools (-want +got):\n%s", d)
	}
}
