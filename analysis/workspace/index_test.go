package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScan(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Dockerfile":                  "FROM a AS test\nFROM b\n",
		"svc/Dockerfile.prod":         "FROM a AS runtime\n",
		"compose.yaml":                "services:\n  s:\n    build:\n      context: svc\n      dockerfile: Dockerfile.prod\n      target: runtime\n",
		"Makefile":                    "t:\n\tdocker build --target test .\n",
		"node_modules/x/compose.yaml": "services:\n  s:\n    build:\n      target: hidden\n",
		".git/hooks/build.sh":         "docker build --target hidden .\n",
		"vendor/y/Dockerfile":         "FROM hidden\n",
	})
	if err := os.Symlink(root, filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	ix := Scan([]string{root}, DefaultLimits)
	want := []string{filepath.Join(root, "Dockerfile"), filepath.Join(root, "svc/Dockerfile.prod")}
	if d := cmp.Diff(want, ix.Dockerfiles); d != "" {
		t.Errorf("Dockerfiles (-want +got):\n%s", d)
	}
	names := func(ts []Target) []string {
		var out []string
		for _, t := range ts {
			out = append(out, filepath.Base(t.File)+":"+t.Name)
		}
		return out
	}
	if d := cmp.Diff([]string{"Makefile:test"}, names(ix.TargetsFor(filepath.Join(root, "Dockerfile")))); d != "" {
		t.Errorf("targets of Dockerfile (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"compose.yaml:runtime"}, names(ix.TargetsFor(filepath.Join(root, "svc/Dockerfile.prod")))); d != "" {
		t.Errorf("targets of svc/Dockerfile.prod (-want +got):\n%s", d)
	}

	// Editing the Makefile in the editor, then deleting it.
	mk := filepath.Join(root, "Makefile")
	ix2 := ix.Update(mk, "t:\n\tdocker build --target other .\n")
	if d := cmp.Diff([]string{"Makefile:other"}, names(ix2.TargetsFor(filepath.Join(root, "Dockerfile")))); d != "" {
		t.Errorf("after an update (-want +got):\n%s", d)
	}
	if len(ix.TargetsFor(filepath.Join(root, "Dockerfile"))) != 1 || ix.TargetsIn(mk)[0].Name != "test" {
		t.Errorf("Update changed the index it was called on")
	}
	if got := ix2.Remove(mk).TargetsFor(filepath.Join(root, "Dockerfile")); len(got) != 0 {
		t.Errorf("after removal: %v", got)
	}
	if tg, ok := ix.TargetAt(mk, ix.TargetsIn(mk)[0].Span.Start+1); !ok || tg.Name != "test" {
		t.Errorf("TargetAt: %+v %v", tg, ok)
	}

	if lim := (Limits{MaxFiles: 2, MaxBytes: 1 << 20, MaxSize: 1 << 20}); !Scan([]string{root}, lim).Truncated {
		t.Errorf("a scan past MaxFiles is not marked truncated")
	}
}

// BenchmarkScan indexes a tree of 10,000 files: 1,000 services, each with a
// Dockerfile, a compose file, a Makefile and seven source files.
func BenchmarkScan(b *testing.B) {
	root := benchTree(b)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var ix *Index
	for b.Loop() {
		ix = Scan([]string{root}, DefaultLimits)
	}
	runtime.ReadMemStats(&after)
	if len(ix.Dockerfiles) != 1000 || len(ix.TargetsFor(filepath.Join(root, "svc0007", "Dockerfile"))) != 2 {
		b.Fatalf("scan found %d Dockerfiles", len(ix.Dockerfiles))
	}
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
}

// benchTree writes a tree of 10,000 files: 1,000 folders with a
// Dockerfile, a compose.yaml, a Makefile and 7 source files.
func benchTree(b *testing.B) string {
	root := b.TempDir()
	files := map[string]string{}
	for i := 0; i < 1000; i++ {
		dir := fmt.Sprintf("svc%04d", i)
		files[dir+"/Dockerfile"] = "FROM golang AS build\nFROM scratch\nCOPY --from=build /a /a\n"
		files[dir+"/compose.yaml"] = "services:\n  app:\n    build:\n      target: build\n"
		files[dir+"/Makefile"] = "image:\n\tdocker build --target build -t app .\n"
		for k := 0; k < 7; k++ {
			files[fmt.Sprintf("%s/src/file%d.go", dir, k)] = "package main\n"
		}
	}
	writeTree(b, root, files)
	return root
}

// BenchmarkRewalk is what a server whose client cannot watch files pays
// for each walk looking for created and deleted files: List and Changes
// over the 10,000-file tree.
func BenchmarkRewalk(b *testing.B) {
	root := benchTree(b)
	proj := LoadProject([]string{root})
	ix := proj.Scan(DefaultLimits)
	var created, deleted []string
	for b.Loop() {
		files, truncated := proj.List(DefaultLimits)
		created, deleted = ix.Changes(files, truncated)
	}
	if len(created)+len(deleted) != 0 {
		b.Fatalf("a tree that did not change: created %v, deleted %v", created, deleted)
	}
}

// TestChanges: a walk after the scan finds the target files and
// Dockerfiles created and deleted since, leaves out what the settings
// ignore, and concludes nothing is deleted from a walk a limit stopped.
func TestChanges(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Dockerfile": "FROM alpine\n", "old/Dockerfile": "FROM alpine\n", "Makefile": "x:\n\techo\n",
		"compose.yaml": "services: {}\n", ".stagehand.yaml": "ignore: [skip]\n", "README.md": "x\n",
	})
	proj := LoadProject([]string{root})
	ix := proj.Scan(DefaultLimits)
	writeTree(t, root, map[string]string{
		"new/compose.yml": "services: {}\n", "new/Dockerfile": "FROM alpine\n", "new/notes.txt": "x\n",
		".github/workflows/ci.yml": "jobs: {}\n", "skip/compose.yaml": "services: {}\n",
	})
	for _, f := range []string{"old/Dockerfile", "Makefile"} {
		if err := os.Remove(filepath.Join(root, f)); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(ps []string) []string {
		var out []string
		for _, p := range ps {
			r, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	files, truncated := proj.List(DefaultLimits)
	created, deleted := ix.Changes(files, truncated)
	if d := cmp.Diff([]string{".github/workflows/ci.yml", "new/Dockerfile", "new/compose.yml"}, rel(created)); d != "" {
		t.Errorf("created (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Makefile", "old/Dockerfile"}, rel(deleted)); d != "" {
		t.Errorf("deleted (-want +got):\n%s", d)
	}
	lim := DefaultLimits
	lim.MaxFiles = 2
	files, truncated = proj.List(lim)
	if _, deleted := ix.Changes(files, truncated); !truncated || len(deleted) != 0 {
		t.Errorf("a stopped walk: truncated %v, deleted %v; want true and none", truncated, rel(deleted))
	}
}

// TestDependentsOfOverrides: a Compose override service that passes only
// build arguments and named contexts, and a Bake target of the override
// file that does the same, depend on the base file that gives their
// Dockerfile: when it changes, re-reading Dependents moves the contexts
// (and arguments) to the new Dockerfile.
func TestDependentsOfOverrides(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"a/Dockerfile":             "FROM alpine\n",
		"b/Dockerfile":             "FROM alpine\n",
		"compose.yaml":             "services:\n  api:\n    build: a\n",
		"compose.override.yaml":    "services:\n  api:\n    build:\n      args:\n        V: 1\n      additional_contexts:\n        tools: ./tools\n",
		"docker-bake.hcl":          "target \"app\" {\n  context = \"a\"\n}\n",
		"docker-bake.override.hcl": "target \"app\" {\n  args = { W = 1 }\n  contexts = { lib = \"./lib\" }\n}\n",
	})
	a, b := filepath.Join(root, "a", "Dockerfile"), filepath.Join(root, "b", "Dockerfile")
	names := func(ix *Index, df string) []string {
		var out []string
		for _, c := range ix.ContextsFor(df) {
			out = append(out, filepath.Base(c.File)+":"+c.Name)
		}
		return out
	}
	ix := Scan([]string{root}, DefaultLimits)
	if d := cmp.Diff([]string{"compose.override.yaml:tools", "docker-bake.override.hcl:lib"}, names(ix, a)); d != "" {
		t.Fatalf("contexts of a/Dockerfile before (-want +got):\n%s", d)
	}
	// Both base files now build b; the server re-reads the dependents.
	for name, text := range map[string]string{
		"compose.yaml":    "services:\n  api:\n    build: b\n",
		"docker-bake.hcl": "target \"app\" {\n  context = \"b\"\n}\n",
	} {
		p := filepath.Join(root, name)
		writeTree(t, root, map[string]string{name: text})
		ix = ix.Update(p, text)
		for _, f := range ix.Dependents(p) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ix = ix.Update(f, string(data))
		}
	}
	if got := names(ix, a); len(got) != 0 {
		t.Errorf("contexts of a/Dockerfile after: %v", got)
	}
	if d := cmp.Diff([]string{"compose.override.yaml:tools", "docker-bake.override.hcl:lib"}, names(ix, b)); d != "" {
		t.Errorf("contexts of b/Dockerfile after (-want +got):\n%s", d)
	}
	for _, name := range []string{"compose.override.yaml", "docker-bake.override.hcl"} {
		p := filepath.Join(root, name)
		data, _ := os.ReadFile(p)
		for _, arg := range ix.BuildArgs(p, string(data)) {
			if arg.Dockerfile != b {
				t.Errorf("%s: argument %s is passed to %s, want b/Dockerfile", name, arg.Name, arg.Dockerfile)
			}
		}
	}
}

// TestDependentsOfDotenv: a Compose file depends on the .env file beside
// it, which gives the values it interpolates, even before one exists.
func TestDependentsOfDotenv(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Dockerfile":   "FROM alpine AS one\nFROM alpine AS two\n",
		"compose.yaml": "services:\n  api:\n    build:\n      context: .\n      target: ${T:-one}\n",
	})
	env := filepath.Join(root, ".env")
	targets := func(ix *Index) []string {
		var out []string
		for _, tg := range ix.TargetsFor(filepath.Join(root, "Dockerfile")) {
			out = append(out, tg.Name)
		}
		return out
	}
	ix := Scan([]string{root}, DefaultLimits)
	if d := cmp.Diff([]string{"one"}, targets(ix)); d != "" {
		t.Fatalf("targets before (-want +got):\n%s", d)
	}
	writeTree(t, root, map[string]string{".env": "T=two\n"})
	deps := ix.Dependents(env)
	if d := cmp.Diff([]string{filepath.Join(root, "compose.yaml")}, deps); d != "" {
		t.Fatalf("Dependents(.env) (-want +got):\n%s", d)
	}
	for _, f := range deps {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(f, string(data))
	}
	if d := cmp.Diff([]string{"two", "one"}, targets(ix)); d != "" {
		t.Errorf("targets after .env is written (-want +got):\n%s", d)
	}
}

// TestFirstComposeOverride: docker compose merges only the first override
// file there is (compose.override.yml before docker-compose.override.yml)
// onto compose.yaml; another override file is read alone, and is merged
// once the first is gone.
func TestFirstComposeOverride(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"a/Dockerfile":                "FROM alpine AS dev\n",
		"Dockerfile":                  "FROM alpine AS dev\n",
		"compose.yaml":                "services:\n  api:\n    build: a\n",
		"compose.override.yml":        "services:\n  api:\n    environment: {X: 1}\n",
		"docker-compose.override.yml": "services:\n  api:\n    build:\n      target: dev\n",
	})
	a := filepath.Join(root, "a", "Dockerfile")
	sites := func(ix *Index, df string) []string {
		var out []string
		for _, tg := range ix.TargetsFor(df) {
			out = append(out, filepath.Base(tg.File)+":"+tg.Name)
		}
		return out
	}
	ix := Scan([]string{root}, DefaultLimits)
	if got := sites(ix, a); len(got) != 0 {
		t.Errorf("targets of a/Dockerfile with two override files: %v", got)
	}
	if d := cmp.Diff([]string{"docker-compose.override.yml:dev"}, sites(ix, filepath.Join(root, "Dockerfile"))); d != "" {
		t.Errorf("targets of Dockerfile with two override files (-want +got):\n%s", d)
	}
	first := filepath.Join(root, "compose.override.yml")
	if err := os.Remove(first); err != nil {
		t.Fatal(err)
	}
	ix = ix.Remove(first)
	for _, f := range ix.Dependents(first) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(f, string(data))
	}
	if d := cmp.Diff([]string{"docker-compose.override.yml:dev"}, sites(ix, a)); d != "" {
		t.Errorf("targets of a/Dockerfile once it is the only override file (-want +got):\n%s", d)
	}
}

// TestExtendedTargetInterpolated: a target read from a service another
// file extends is interpolated with the .env of the Compose file, as
// docker compose does: the .env value, and the default written.
func TestExtendedTargetInterpolated(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Dockerfile":   "FROM alpine AS dev\nFROM alpine AS prod\n",
		".env":         "T=prod\n",
		"compose.yaml": "services:\n  web:\n    extends:\n      file: common.yml\n      service: base\n",
		"common.yml":   "services:\n  base:\n    build:\n      context: .\n      target: ${T:-dev}\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, "Dockerfile")) {
		text, _ := os.ReadFile(tg.File)
		got = append(got, fmt.Sprintf("%s:%d %s@%s computed=%v", filepath.Base(tg.File), tg.Line, tg.Name, text[tg.Span.Start:tg.Span.End], tg.Computed))
	}
	want := []string{"common.yml:5 prod@${T:-dev} computed=true", "common.yml:5 dev@dev computed=false"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("targets (-want +got):\n%s", d)
	}
}

// TestExtendsChain: a Compose service extending one in
// common-services.yml (which names the target), which extends one in
// base/svc.yaml (which gives the context), depends on both files: a
// change two steps away re-reads it. Both are watched by name, as no
// Compose glob covers them.
func TestExtendsChain(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"a/Dockerfile":        "FROM alpine AS one\n",
		"b/Dockerfile":        "FROM alpine AS one\n",
		"compose.yaml":        "services:\n  web:\n    extends: {file: common-services.yml, service: mid}\n",
		"common-services.yml": "services:\n  mid:\n    extends: {file: base/svc.yaml, service: base}\n    build:\n      target: one\n",
		"base/svc.yaml":       "services:\n  base:\n    build:\n      context: ../a\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	compose, far := filepath.Join(root, "compose.yaml"), filepath.Join(root, "base", "svc.yaml")
	built := func(ix *Index) []string {
		var out []string
		for _, dir := range []string{"a", "b"} {
			for _, tg := range ix.TargetsFor(filepath.Join(root, dir, "Dockerfile")) {
				out = append(out, dir+":"+tg.Name)
			}
		}
		return out
	}
	if d := cmp.Diff([]string{"a:one"}, built(ix)); d != "" {
		t.Fatalf("targets before (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{compose}, ix.Dependents(far)); d != "" {
		t.Errorf("Dependents of the file two steps away (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"**/common-services.yml", "**/svc.yaml"}, ix.ReadThroughWatchGlobs()); d != "" {
		t.Errorf("watch globs (-want +got):\n%s", d)
	}
	writeTree(t, root, map[string]string{"base/svc.yaml": "services:\n  base:\n    build:\n      context: ../b\n"})
	for _, f := range ix.Dependents(far) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(f, string(data))
	}
	if d := cmp.Diff([]string{"b:one"}, built(ix)); d != "" {
		t.Errorf("targets after base/svc.yaml changed (-want +got):\n%s", d)
	}
}

// TestDotenvOverlay: Update with a .env's text (an editor's unsaved
// buffer) is what the Compose files beside it interpolate with once they
// are read again; Remove goes back to the disk's.
func TestDotenvOverlay(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Dockerfile":   "FROM alpine AS one\nFROM alpine AS two\n",
		"compose.yaml": "services:\n  api:\n    build:\n      context: .\n      target: ${T:?}\n",
		".env":         "T=one\n",
	})
	compose, env := filepath.Join(root, "compose.yaml"), filepath.Join(root, ".env")
	text, err := os.ReadFile(compose)
	if err != nil {
		t.Fatal(err)
	}
	name := func(ix *Index) string {
		ix = ix.Update(compose, string(text))
		var names []string
		for _, tg := range ix.TargetsFor(filepath.Join(root, "Dockerfile")) {
			names = append(names, tg.Name)
		}
		return strings.Join(names, ",")
	}
	ix := Scan([]string{root}, DefaultLimits)
	open := ix.Update(env, "T=two\n")
	for _, tt := range []struct {
		ix   *Index
		want string
	}{{ix, "one"}, {open, "two"}, {open.Remove(env), "one"}} {
		if got := name(tt.ix); got != tt.want {
			t.Errorf("target %q, want %q", got, tt.want)
		}
	}
}

// TestBakeFileNamedByCommand: `docker buildx bake -f ci/build.hcl` (and
// --file=ci/more.json) reads a Bake file whose name the scan does not
// read as one: its targets build their stages (they were reported never
// built), its paths are resolved from where the command runs, as buildx
// does, and two commands naming it give each target once.
func TestBakeFileNamedByCommand(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":                "ref: refs/heads/main\n",
		"svc/Dockerfile":           "FROM alpine AS lint\nFROM alpine AS unit\nFROM alpine AS prod\n",
		"ci/build.hcl":             "target \"lint\" {\n  context = \"svc\"\n  target = \"lint\"\n}\n",
		"ci/more.json":             `{"target": {"unit": {"context": "svc", "target": "unit"}}}`,
		"Makefile":                 "lint:\n\tdocker buildx bake -f ci/build.hcl --file=ci/more.json lint unit\n",
		".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - run: docker buildx bake --file ci/build.hcl\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, "svc/Dockerfile")) {
		rel, _ := filepath.Rel(root, tg.File)
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), tg.Line, tg.Name))
	}
	if d := cmp.Diff([]string{"ci/build.hcl:3 lint", "ci/more.json:1 unit"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestMakeCalledWithVariables: a script, workflow step or GitLab job
// running `make <goals> NAME=value` on a Makefile (found in the folder, or
// by -C and -f) gives NAME that value in the recipes those goals run (and
// their prerequisites); the target is named where the caller writes the
// value. A recipe the goals do not run, and a Makefile's own value, are
// not the caller's.
func TestMakeCalledWithVariables(t *testing.T) {
	root := t.TempDir()
	mk := "TARGET ?= prod\n\nall: image\n\nimage: check\n\tdocker build --target $(TARGET) -f app/Dockerfile .\n\n" +
		"check:\n\t@echo checking\n\nlint:\n\tdocker build --target $(TARGET) -f other/Dockerfile .\n"
	writeTree(t, root, map[string]string{
		".git/HEAD":                "ref: refs/heads/main\n",
		"app/Dockerfile":           "FROM alpine AS prod\nFROM alpine AS e2e\nFROM alpine AS unit\nFROM alpine AS nightly\nFROM alpine AS sub\nFROM alpine AS fromenv\n",
		"other/Dockerfile":         "FROM alpine AS lint\n",
		"Makefile":                 mk,
		"tools/build.mk":           "go:\n\tdocker build --target $(STAGE) -f tools/Dockerfile .\n",
		"scripts/ci.sh":            "#!/bin/sh\nmake -C .. image TARGET=e2e -j 4\nmake -C .. -f tools/build.mk STAGE=\"sub\"\nSTAGE=envsub make -C .. -f tools/build.mk\nOTHER=x make -C ..\n",
		".github/workflows/ci.yml": "jobs:\n  t:\n    strategy:\n      matrix:\n        suite: [unit]\n    steps:\n      - run: make TARGET=${{ matrix.suite }}\n",
		".gitlab-ci.yml":           "nightly:\n  variables:\n    STAGE: nightly\n  script:\n    - make image TARGET=$STAGE\nenv:\n  variables:\n    TARGET: fromenv\n  script:\n    - make image\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, df := range []string{"app/Dockerfile", "other/Dockerfile", "tools/Dockerfile"} {
		for _, tg := range ix.TargetsFor(filepath.Join(root, df)) {
			rel, _ := filepath.Rel(root, tg.File)
			text, _ := os.ReadFile(tg.File)
			got = append(got, fmt.Sprintf("%s %s:%d %q %s (%s)", df, filepath.ToSlash(rel), tg.Line, text[tg.Span.Start:tg.Span.End], tg.Name, tg.Owner))
		}
	}
	want := []string{
		`app/Dockerfile .github/workflows/ci.yml:5 "unit" unit (make (Makefile))`,
		`app/Dockerfile .gitlab-ci.yml:3 "nightly" nightly (make image (Makefile))`,
		`app/Dockerfile .gitlab-ci.yml:8 "fromenv" fromenv (make image (Makefile))`,
		`app/Dockerfile Makefile:1 "prod" prod (docker build)`,
		`app/Dockerfile scripts/ci.sh:2 "e2e" e2e (make image (Makefile))`,
		`other/Dockerfile Makefile:1 "prod" prod (docker build)`,
		`tools/Dockerfile scripts/ci.sh:3 "sub" sub (make (build.mk))`,
		`tools/Dockerfile scripts/ci.sh:4 "envsub" envsub (make (build.mk))`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// The Makefile changing re-reads its callers.
	if d := cmp.Diff([]string{filepath.Join(root, ".github/workflows/ci.yml"), filepath.Join(root, ".gitlab-ci.yml"), filepath.Join(root, "scripts/ci.sh")},
		ix.Dependents(filepath.Join(root, "Makefile"))); d != "" {
		t.Errorf("dependents (-want +got):\n%s", d)
	}
}

// TestBakeSetThroughNamedFile: `--set app.target=X` with `-f
// ci/release.hcl` (or bake-action's `files:`) resolves app through that
// file, which the scan does not index, its context taken from where the
// command runs; several -f files merge, the later winning; its stages are
// reported unknown against that file's Dockerfile; an edit to the file
// re-reads the command's file.
func TestBakeSetThroughNamedFile(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":       "ref: refs/heads/main\n",
		"svc/Dockerfile":  "FROM alpine AS prod\nFROM alpine AS debug\n",
		"tool/Dockerfile": "FROM alpine AS cli\nFROM alpine AS debug\n",
		"ci/release.hcl":  "target \"app\" {\n  context = \"svc\"\n}\ntarget \"tool\" {\n  context = \"svc\"\n}\n",
		"ci/tool.json":    `{"target": {"tool": {"context": "tool"}}}`,
		"release.sh":      "docker buildx bake -f ci/release.hcl --set app.target=debug app\ndocker buildx bake -f ci/release.hcl -f ci/tool.json --set tool.target=cli tool\n",
		".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - uses: docker/bake-action@v6\n        with:\n          files: ci/release.hcl\n" +
			"          targets: app\n          set: |\n            app.target=debgu\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, df := range []string{"svc/Dockerfile", "tool/Dockerfile"} {
		for _, tg := range ix.TargetsFor(filepath.Join(root, df)) {
			rel, _ := filepath.Rel(root, tg.File)
			got = append(got, fmt.Sprintf("%s %s:%d %s", df, filepath.ToSlash(rel), tg.Line, tg.Name))
		}
	}
	want := []string{
		"svc/Dockerfile .github/workflows/ci.yml:9 debgu",
		"svc/Dockerfile release.sh:1 debug",
		"tool/Dockerfile release.sh:2 cli",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{filepath.Join(root, ".github/workflows/ci.yml"), filepath.Join(root, "release.sh")}, ix.Dependents(filepath.Join(root, "ci/release.hcl"))); d != "" {
		t.Errorf("dependents (-want +got):\n%s", d)
	}
}

// TestBakeJSONSiblingVariables: a docker-bake.json target's variable takes
// its default from every default Bake file buildx reads with it, in its
// order (docker-bake.json, docker-bake.hcl, docker-bake.override.json,
// docker-bake.override.hcl), the later winning; a default from another
// file is computed here. `bake --set` resolves through docker-bake.json
// and its groups; an edit to a sibling re-reads the file.
func TestBakeJSONSiblingVariables(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":                 "ref: refs/heads/main\n",
		"Dockerfile":                "FROM alpine AS worker\nFROM alpine AS debug\nFROM alpine AS lint\nFROM alpine AS own\nFROM alpine AS prod\n",
		"docker-bake.json":          `{"variable": {"STAGE": {"default": "worker"}, "OWN": {"default": "own"}}, "group": {"default": {"targets": ["w"]}}, "target": {"w": {"target": "${STAGE}"}, "l": {"target": "${LINT_STAGE}"}, "o": {"target": "${OWN}"}}}`,
		"docker-bake.override.json": `{"variable": {"STAGE": {"default": "debug"}}}`,
		"docker-bake.hcl":           "variable \"LINT_STAGE\" { default = \"lint\" }\ntarget \"h\" {\n  target = \"${STAGE}\"\n}\n",
		"build.sh":                  "docker buildx bake --set w.target=prod\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, tg := range ix.TargetsFor(filepath.Join(root, "Dockerfile")) {
		rel, _ := filepath.Rel(root, tg.File)
		text, _ := os.ReadFile(tg.File)
		got = append(got, fmt.Sprintf("%s %s %q computed=%v", filepath.ToSlash(rel), tg.Name, text[tg.Span.Start:tg.Span.End], tg.Computed))
	}
	want := []string{
		`build.sh prod "prod" computed=false`,
		`docker-bake.hcl debug "${STAGE}" computed=true`, // the HCL file reads the JSON files' variables too
		`docker-bake.json own "own" computed=false`,
		`docker-bake.json debug "${STAGE}" computed=true`,
		`docker-bake.json lint "${LINT_STAGE}" computed=true`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{filepath.Join(root, "docker-bake.hcl"), filepath.Join(root, "docker-bake.json")}, ix.Dependents(filepath.Join(root, "docker-bake.override.json"))); d != "" {
		t.Errorf("dependents (-want +got):\n%s", d)
	}
}

// TestReadThroughFilesFirstClass: the files others read targets through
// (an included Compose file, a Bake file a script names with -f) name
// their targets in their own right (TargetsIn, TargetAt, TargetFiles),
// their unsaved text is what the including file reads, and their names are
// watched.
func TestReadThroughFilesFirstClass(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".git/HEAD":         "ref: refs/heads/main\n",
		"Dockerfile":        "FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS c\n",
		"compose.yaml":      "include: [deploy/tools.yaml]\n",
		"deploy/tools.yaml": "services:\n  t:\n    build:\n      context: ..\n      target: a\n",
		"ci/build.hcl":      "target \"x\" {\n  target = \"b\"\n}\n",
		"build.sh":          "docker buildx bake -f ci/build.hcl x\n",
		"notes.yaml":        "a: b\n",
		"Makefile":          "include make/docker\n",
		"make/docker":       "image:\n\tdocker build --target c .\n",
	})
	tools, hcl := filepath.Join(root, "deploy/tools.yaml"), filepath.Join(root, "ci/build.hcl")
	ix := Scan([]string{root}, DefaultLimits)
	names := func(ix *Index, p string) (out []string) {
		for _, tg := range ix.TargetsIn(p) {
			out = append(out, tg.Name)
		}
		return out
	}
	if d := cmp.Diff([]string{"a"}, names(ix, tools)); d != "" {
		t.Errorf("TargetsIn(tools.yaml) (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"b"}, names(ix, hcl)); d != "" {
		t.Errorf("TargetsIn(build.hcl) (-want +got):\n%s", d)
	}
	if tg, ok := ix.TargetAt(tools, strings.Index("services:\n  t:\n    build:\n      context: ..\n      target: a\n", "target: a")+8); !ok || tg.Name != "a" {
		t.Errorf("TargetAt(tools.yaml) = %v, %v", tg, ok)
	}
	// make/docker, an include named without an extension, too.
	if d := cmp.Diff([]string{filepath.Join(root, "Makefile"), filepath.Join(root, "build.sh"), hcl, filepath.Join(root, "compose.yaml"), tools, filepath.Join(root, "make/docker")}, ix.TargetFiles()); d != "" {
		t.Errorf("TargetFiles (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"**/build.hcl", "**/docker", "**/tools.yaml"}, ix.ReadThroughWatchGlobs()); d != "" {
		t.Errorf("watch globs (-want +got):\n%s", d)
	}
	// An unsaved edit of the included file, then the including file read
	// again (as the server does with Dependents).
	edited := ix.Update(tools, "services:\n  t:\n    build:\n      context: ..\n      target: c\n")
	for _, f := range edited.Dependents(tools) {
		data, _ := os.ReadFile(f)
		edited = edited.Update(f, string(data))
	}
	if d := cmp.Diff([]string{"c"}, names(edited, tools)); d != "" {
		t.Errorf("after the edit (-want +got):\n%s", d)
	}
	if edited.Update(filepath.Join(root, "notes.yaml"), "x: y\n") != edited {
		t.Error("a YAML file nothing reads changed the index")
	}
}
