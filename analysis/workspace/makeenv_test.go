package workspace

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMakeEnvFromExport: what a script exports before it runs make is in
// make's environment, in the order the script runs: `export TARGET=x`,
// `export TARGET` after `TARGET=x`, `set -a`; unset takes it away, a
// subshell's export ends with it, a plain assignment is not exported. The
// environment wins over `?=` and a variable the Makefile does not set,
// and over `=` only with make -e, never over override.
func TestMakeEnvFromExport(t *testing.T) {
	root := t.TempDir()
	mk := "TARGET ?= prod\nHARD = hard\noverride PINNED = pinned\n\nimage:\n\tdocker build --target $(TARGET) -f app/Dockerfile .\n" +
		"hard:\n\tdocker build --target $(HARD) -f app/Dockerfile .\n" +
		"pinned:\n\tdocker build --target $(PINNED) -f app/Dockerfile .\n" +
		"free:\n\tdocker build --target $(FREE) -f app/Dockerfile .\n"
	writeTree(t, root, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"app/Dockerfile": "FROM alpine AS prod\nFROM alpine AS hard\nFROM alpine AS pinned\n",
		"Makefile":       mk,
		"a.sh":           "export TARGET=e2e\nmake image\n",
		"b.sh":           "FREE=later\nexport FREE\nmake free\n",
		"c.sh":           "NOTEXP=x\nTARGET=plain\nmake image\n",
		"d.sh":           "(export TARGET=sub; make image)\nmake image\n",
		"e.sh":           "export TARGET=gone\nunset TARGET\nmake image\n",
		"f.sh":           "set -a\nFREE=allexport\nset +a\nFREE2=no\nmake free\n",
		"g.sh":           "export HARD=soft\nmake hard\nmake -e hard\nexport PINNED=nope\nmake -e pinned\n",
		"h.sh":           "if [ -n \"$CI\" ]; then\n  export TARGET=ci\nfi\nmake image\n",
		"i.sh":           "make image\nexport TARGET=after\n",
		".env":           "# local settings\nFREE=fromdotenv\n",
		"ci/vars.env":    "export FREE='exported'\n",
		"j.sh":           "set -a\n. ./.env\nset +a\nmake free\n",
		"k.sh":           "source ci/vars.env\nmake free\n",
		"l.sh":           ". ./.env\nmake free\ndocker build --target \"$FREE\" -f app/Dockerfile .\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	got := targetSites(ix, root, "app/Dockerfile")
	want := []string{
		`.env:2 "fromdotenv" fromdotenv`,
		`Makefile:1 "prod" prod`,
		`Makefile:2 "hard" hard`,
		`Makefile:3 "pinned" pinned`,
		`a.sh:1 "e2e" e2e`,
		`b.sh:1 "later" later`,
		`ci/vars.env:1 "exported" exported`,
		`d.sh:1 "sub" sub`,
		`f.sh:2 "allexport" allexport`,
		`g.sh:1 "soft" soft`,
		`h.sh:2 "ci" ci`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// An edit to a sourced file re-reads the scripts sourcing it.
	var deps []string
	for _, d := range ix.Dependents(filepath.Join(root, ".env")) {
		deps = append(deps, filepath.Base(d))
	}
	if d := cmp.Diff([]string{"j.sh", "l.sh"}, deps); d != "" {
		t.Errorf("dependents of .env (-want +got):\n%s", d)
	}
}
