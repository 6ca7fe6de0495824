package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMakeInclude: a Makefile's include, -include and sinclude read other
// files (relative to where make runs, or -I; shell patterns; a name from
// a variable) whose variables and rules are the Makefile's: a recipe in
// an included file builds with the Makefile's values, and one in the
// Makefile with the included file's, each target in the file that
// writes its value. `.DEFAULT_GOAL` picks what `make` with no goal runs,
// and an included file's first rule can be the default goal. An edit to
// an included file re-reads the Makefile and its callers.
func TestMakeInclude(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"app/Dockerfile": "FROM alpine AS prod\nFROM alpine AS e2e\nFROM alpine AS lint\nFROM alpine AS conf\nFROM alpine AS def\nFROM alpine AS first\n",
		"Makefile": "MK_DIR := mk\ninclude $(MK_DIR)/vars.mk\n-include missing.mk\nsinclude mk/rules/*.make\n\nIMAGE_TARGET ?= prod\n" +
			"build:\n\tdocker build --target $(CONF_TARGET) -f app/Dockerfile .\n",
		"mk/vars.mk":         "CONF_TARGET ?= conf\n",
		"mk/rules/lint.make": "lint:\n\tdocker build --target $(IMAGE_TARGET) -f app/Dockerfile .\n",
		"sub/Makefile":       "include ../mk/goal.mk\nother:\n\tdocker build --target $(T) -f ../other/Dockerfile ..\n.DEFAULT_GOAL := image\nimage:\n\tdocker build --target $(T) -f ../app/Dockerfile ..\n",
		"sub/inc/Makefile":   "include first.mk\nimage:\n\tdocker build --target $(T) -f ../../other/Dockerfile ../..\n",
		"sub/inc/first.mk":   "early:\n\tdocker build --target $(T) -f ../../app/Dockerfile ../..\n",
		"mk/goal.mk":         "T ?= never\n",
		"other/Dockerfile":   "FROM alpine AS x\n",
		"ci.sh":              "make -C sub T=def\nmake -C sub/inc T=first\nmake lint IMAGE_TARGET=e2e\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, df := range []string{"app/Dockerfile", "other/Dockerfile"} {
		for _, tg := range ix.TargetsFor(filepath.Join(root, df)) {
			rel, _ := filepath.Rel(root, tg.File)
			text, _ := os.ReadFile(tg.File)
			got = append(got, fmt.Sprintf("%s %s:%d %q %s", df, filepath.ToSlash(rel), tg.Line, text[tg.Span.Start:tg.Span.End], tg.Name))
		}
	}
	want := []string{
		`app/Dockerfile Makefile:6 "prod" prod`,
		`app/Dockerfile ci.sh:1 "def" def`,
		`app/Dockerfile ci.sh:2 "first" first`,
		`app/Dockerfile ci.sh:3 "e2e" e2e`,
		`app/Dockerfile mk/goal.mk:1 "never" never`,
		`app/Dockerfile mk/vars.mk:1 "conf" conf`,
		`other/Dockerfile mk/goal.mk:1 "never" never`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	dependents := func(f string) []string {
		var out []string
		for _, d := range ix.Dependents(filepath.Join(root, f)) {
			rel, _ := filepath.Rel(root, d)
			out = append(out, filepath.ToSlash(rel))
		}
		return out
	}
	if d := cmp.Diff([]string{"Makefile", "ci.sh"}, dependents("mk/rules/lint.make")); d != "" {
		t.Errorf("dependents of lint.make (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Makefile", "ci.sh"}, dependents("missing.mk")); d != "" {
		t.Errorf("dependents of missing.mk (-want +got):\n%s", d)
	}
}

// TestMakePatternRule: a pattern rule's recipe runs for each target it
// makes, $* the stem: the targets the Makefile's prerequisites (.PHONY's
// too) and a caller's goals name; a suffix pattern too. The stem is the
// target, spanning its place in the prerequisite or goal.
func TestMakePatternRule(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"app/Dockerfile": "FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS c\nFROM alpine AS d\n",
		"Makefile":       ".PHONY: img-a b-img\nall: img-a\n\nimg-%:\n\tdocker build --target $* -f app/Dockerfile .\n%-img:\n\tdocker build --target $* -f app/Dockerfile .\n",
		"ci.sh":          "make img-c d-img other\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	got := targetSites(ix, root, "app/Dockerfile")
	want := []string{
		`Makefile:1 "a" a`,
		`Makefile:1 "b" b`,
		`Makefile:2 "a" a`,
		`ci.sh:1 "c" c`,
		`ci.sh:1 "d" d`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
