package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestComposeExtendsCycles: services that extend each other, in one file
// or across two, end the walk; what they build is still read once.
func TestComposeExtendsCycles(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	other := filepath.Join(dir, "other.yml")
	text := "services:\n  a:\n    extends: b\n    build:\n      target: t\n      args: {X: 1}\n  b:\n    extends: a\n  self:\n    extends: self\n  far:\n    extends: {file: other.yml, service: back}\n    build:\n      args: [Y=1]\n"
	if err := os.WriteFile(compose, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("services:\n  back:\n    extends: {file: compose.yaml, service: far}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range Extract(dir, compose, text) {
		got = append(got, "target "+tg.Name+" "+tg.Owner)
	}
	for _, a := range Scan(nil, DefaultLimits).BuildArgs(compose, text) {
		got = append(got, "arg "+a.Name+" "+a.Owner)
	}
	want := []string{"target t service a", "arg X service a", "arg Y service far"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestComposeMergeKeys: a build written once under an anchor and merged
// into several services (`<<: *b`, or `build: *b`) names its target once
// for each Dockerfile, and a service's own keys win over merged ones.
func TestComposeMergeKeys(t *testing.T) {
	dir := filepath.FromSlash("/p")
	text := "x: &b\n  context: one\n  target: dev\nservices:\n  a:\n    build: *b\n  b:\n    build:\n      <<: *b\n  c:\n    build:\n      <<: [*b]\n      context: two\n"
	var got []string
	for _, tg := range Extract(dir, filepath.Join(dir, "compose.yaml"), text) {
		got = append(got, tg.Name+"@"+text[tg.Span.Start:tg.Span.End]+">"+filepath.ToSlash(tg.Dockerfile))
	}
	want := []string{"dev@dev>/p/one/Dockerfile", "dev@dev>/p/two/Dockerfile"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestBakeOneWalk: in HCL and in JSON, the target a Bake target names, the
// build arguments it passes and its build come from one walk, so they go
// to the same Dockerfile (looked up through inherits). A target passes
// the arguments it inherits too; one whose parent this file does not
// define passes none here (that parent may set another Dockerfile).
func TestBakeOneWalk(t *testing.T) {
	root := filepath.FromSlash("/p")
	for file, text := range map[string]string{
		"docker-bake.hcl":  "target \"base\" {\n  context = \"svc\"\n  args = { SHARED = \"1\" }\n}\ntarget \"app\" {\n  inherits = [\"base\"]\n  dockerfile = \"app.Dockerfile\"\n  target = \"prod\"\n  args = { OWN = \"1\" }\n}\ntarget \"tool\" {\n  context = \"tool\"\n  target = \"bin\"\n  args = { VERSION = \"1\" }\n}\ntarget \"far\" {\n  inherits = [\"elsewhere\"]\n  args = { SKIPPED = \"1\" }\n}\n",
		"docker-bake.json": `{"target": {"base": {"context": "svc", "args": {"SHARED": "1"}}, "app": {"inherits": ["base"], "dockerfile": "app.Dockerfile", "target": "prod", "args": {"OWN": "1"}}, "tool": {"context": "tool", "target": "bin", "args": {"VERSION": "1"}}, "far": {"inherits": ["elsewhere"], "args": {"SKIPPED": "1"}}}}`,
	} {
		p := filepath.Join(root, file)
		var got []string
		for _, tg := range Extract(filepath.Dir(p), p, text) {
			got = append(got, "target "+tg.Name+">"+filepath.ToSlash(tg.Dockerfile))
		}
		for _, a := range Scan(nil, DefaultLimits).BuildArgs(p, text) {
			got = append(got, "arg "+a.Name+">"+filepath.ToSlash(a.Dockerfile))
		}
		for _, b := range walkFile(source{root: root}, p, text).builds {
			got = append(got, "build "+filepath.ToSlash(b.Dockerfile)+" in "+filepath.ToSlash(b.Context))
		}
		want := []string{
			"target prod>/p/svc/app.Dockerfile", "target bin>/p/tool/Dockerfile",
			"arg SHARED>/p/svc/Dockerfile", "arg OWN>/p/svc/app.Dockerfile", "arg SHARED>/p/svc/app.Dockerfile", "arg VERSION>/p/tool/Dockerfile",
			"build /p/svc/Dockerfile in /p/svc", "build /p/svc/app.Dockerfile in /p/svc", "build /p/tool/Dockerfile in /p/tool", "build /p/Dockerfile in /p",
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", file, d)
		}
	}
}

// TestExtendsConfined: a Compose file's extends.file is read only inside
// the workspace root, as the Dockerfiles are; one outside gives nothing.
func TestExtendsConfined(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "ws")
	base := "services:\n  base:\n    build:\n      context: svc\n      target: basestage\n"
	for p, text := range map[string]string{filepath.Join(root, "common.yml"): base, filepath.Join(dir, "outside.yml"): base} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	compose := filepath.Join(root, "compose.yaml")
	text := "services:\n  in:\n    extends: {file: common.yml, service: base}\n  out:\n    extends: {file: ../outside.yml, service: base}\n"
	ix := Scan([]string{root}, DefaultLimits).Update(compose, text)
	var got []string
	for _, tg := range ix.files[compose] {
		got = append(got, tg.Owner+" "+filepath.ToSlash(strings.TrimPrefix(tg.File, dir)))
	}
	if d := cmp.Diff([]string{"service in (extends service base) /ws/common.yml"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestComposeExtendsMergesBuild: Compose merges the build mapping of a
// service with the one it extends, key by key: a service that sets only
// its context builds the Dockerfile name the other sets, in its own
// context; one that sets only its dockerfile takes the other's context.
func TestComposeExtendsMergesBuild(t *testing.T) {
	root := filepath.FromSlash("/p")
	text := "services:\n  base:\n    build:\n      context: one\n      dockerfile: ci.Dockerfile\n      target: a\n" +
		"  ctx:\n    extends: base\n    build:\n      context: two\n      target: b\n" +
		"  df:\n    extends: base\n    build:\n      dockerfile: other.Dockerfile\n      target: c\n"
	var got []string
	for _, tg := range Extract(root, filepath.Join(root, "compose.yaml"), text) {
		got = append(got, tg.Name+">"+filepath.ToSlash(tg.Dockerfile))
	}
	want := []string{"a>/p/one/ci.Dockerfile", "b>/p/two/ci.Dockerfile", "c>/p/one/other.Dockerfile"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestComposeOverrideMergesBase: `docker compose` without -f reads
// docker-compose.yml, then docker-compose.override.yml beside it, and
// merges their services by name. A service of the override that sets only
// a target or args builds the base service's Dockerfile; one the base
// lacks keeps its own build. A compose.dev.yaml, which docker compose
// reads only as `-f docker-compose.yml -f compose.dev.yaml`, is merged so
// too: its services the base defines are overrides of them.
func TestComposeOverrideMergesBase(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: src/Api/Dockerfile\n" +
			"  worker:\n    build:\n      context: ./worker\n",
	})
	override := "services:\n  api:\n    build:\n      target: build\n      args: [MODE=Debug]\n" +
		"  worker:\n    build:\n      target: dev\n  extra:\n    build:\n      target: tests\n"
	var got []string
	for _, name := range []string{"docker-compose.override.yml", "compose.dev.yaml"} {
		w := walkFile(source{root: root}, filepath.Join(root, name), override)
		for _, tg := range w.targets {
			rel, _ := filepath.Rel(root, tg.Dockerfile)
			got = append(got, name+": "+tg.Name+">"+filepath.ToSlash(rel))
		}
		for _, a := range w.args {
			rel, _ := filepath.Rel(root, a.Dockerfile)
			got = append(got, name+": arg "+a.Name+">"+filepath.ToSlash(rel))
		}
	}
	want := []string{
		"docker-compose.override.yml: build>src/Api/Dockerfile",
		"docker-compose.override.yml: dev>worker/Dockerfile",
		"docker-compose.override.yml: tests>Dockerfile",
		"docker-compose.override.yml: arg MODE>src/Api/Dockerfile",
		"compose.dev.yaml: build>src/Api/Dockerfile",
		"compose.dev.yaml: dev>worker/Dockerfile",
		"compose.dev.yaml: tests>Dockerfile",
		"compose.dev.yaml: arg MODE>src/Api/Dockerfile",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestComposeInterpolation: `target: ${BUILD_TARGET:-dev}` builds the
// default (its span is the default's own, so rename edits it) and the
// value the .env file beside the Compose file gives (computed); a
// variable without a value names nothing (it was reported as an unknown
// stage named "${WEB_TARGET}").
func TestComposeInterpolation(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{".env": "# local\nexport BUILD_TARGET=\"prod\"\nFLAVOR=slim # comment\n"})
	text := "services:\n  app:\n    build:\n      target: ${BUILD_TARGET:-dev}\n" +
		"  web:\n    build:\n      target: ${WEB_TARGET}\n" +
		"  flavored:\n    build:\n      target: \"runtime-${FLAVOR}\"\n" +
		"  dollar:\n    build:\n      target: a$$b\n" +
		"  unset:\n    build:\n      target: ${NOPE-plain}\n"
	var got []string
	for _, tg := range walkFile(source{root: root}, filepath.Join(root, "compose.yaml"), text).targets {
		got = append(got, fmt.Sprintf("%s at %q computed=%v", tg.Name, text[tg.Span.Start:tg.Span.End], tg.Computed))
	}
	want := []string{
		`prod at "${BUILD_TARGET:-dev}" computed=true`,
		`dev at "dev" computed=false`,
		`runtime-slim at "runtime-${FLAVOR}" computed=true`,
		`a$b at "a$$b" computed=true`,
		`plain at "plain" computed=false`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// The context and dockerfile are interpolated too; one naming a
	// variable without a value leads nowhere.
	paths := "services:\n  a:\n    build:\n      context: ${APP_DIR:-app}\n      dockerfile: ${DOCKERFILE-ci.Dockerfile}\n      target: t\n" +
		"  b:\n    build:\n      context: ${UNSET}\n      target: u\n"
	got = nil
	for _, tg := range walkFile(source{root: root}, filepath.Join(root, "compose.yaml"), paths).targets {
		rel, _ := filepath.Rel(root, tg.Dockerfile)
		got = append(got, tg.Name+">"+filepath.ToSlash(rel))
	}
	if d := cmp.Diff([]string{"t>app/ci.Dockerfile", "u>${UNSET}/Dockerfile"}, got); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
}

// TestBakeOverrideFile: `docker buildx bake` reads docker-bake.hcl and
// docker-bake.override.hcl together. A target of one inherits a target
// of the other (its Dockerfile, so its args are checked against it), and
// a variable's default set in the override file is the one used (a
// target naming it is computed: the value is written in the other file).
func TestBakeOverrideFile(t *testing.T) {
	root := t.TempDir()
	base := "variable \"STAGE\" {\n  default = \"dev\"\n}\ntarget \"_common\" {\n  dockerfile = \"docker/app.Dockerfile\"\n}\n" +
		"target \"app\" {\n  inherits = [\"_common\"]\n  target = STAGE\n}\n"
	override := "variable \"STAGE\" {\n  default = \"ci\"\n}\ntarget \"rel\" {\n  inherits = [\"_common\"]\n  target = \"release\"\n  args = { NOPE = \"2\" }\n}\n"
	writeTree(t, root, map[string]string{"docker-bake.hcl": base, "docker-bake.override.hcl": override})
	var got []string
	for name, text := range map[string]string{"docker-bake.hcl": base, "docker-bake.override.hcl": override} {
		w := walkFile(source{root: root}, filepath.Join(root, name), text)
		for _, tg := range w.targets {
			rel, _ := filepath.Rel(root, tg.Dockerfile)
			got = append(got, fmt.Sprintf("%s: %s>%s at %q computed=%v", name, tg.Name, filepath.ToSlash(rel), text[tg.Span.Start:tg.Span.End], tg.Computed))
		}
		for _, a := range w.args {
			rel, _ := filepath.Rel(root, a.Dockerfile)
			got = append(got, fmt.Sprintf("%s: arg %s>%s", name, a.Name, filepath.ToSlash(rel)))
		}
	}
	sort.Strings(got)
	want := []string{
		`docker-bake.hcl: ci>docker/app.Dockerfile at "STAGE" computed=true`,
		`docker-bake.override.hcl: arg NOPE>docker/app.Dockerfile`,
		`docker-bake.override.hcl: release>docker/app.Dockerfile at "release" computed=false`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestInlineDockerfiles: a Compose service with `dockerfile_inline` and a
// Bake target with `dockerfile-inline` (their own, or from the service they
// extend / the target they inherit) build the Dockerfile written there:
// their target and args were checked against ./Dockerfile ("Dockerfile has
// no stage named ..."), and ./Dockerfile counted as built.
func TestInlineDockerfiles(t *testing.T) {
	root := t.TempDir()
	compose := "x-inline: &inline\n  dockerfile_inline: |\n    FROM alpine AS migrator\n" +
		"services:\n  migrate:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine AS migrator\n" +
		"      target: migrator\n      args: [MODE=x]\n" +
		"  seed:\n    extends: migrate\n    build:\n      target: migrator\n" +
		"  anchored:\n    build:\n      <<: *inline\n      target: migrator\n" +
		"  web:\n    build:\n      context: .\n      target: app\n"
	hcl := "target \"_inline\" {\n  dockerfile-inline = <<EOT\nFROM alpine AS tiny\nEOT\n}\n" +
		"target \"tiny\" {\n  dockerfile-inline = \"FROM alpine AS tiny\\n\"\n  target = \"tiny\"\n  args = { MODE = \"x\" }\n}\n" +
		"target \"child\" {\n  inherits = [\"_inline\"]\n  dockerfile = \"Dockerfile\"\n  target = \"tiny\"\n}\n" +
		"target \"app\" {\n  target = \"app\"\n}\n"
	json := `{"target": {"p": {"dockerfile-inline": "FROM alpine AS tiny\n"}, "c": {"inherits": ["p"], "target": "tiny"}, "app": {"target": "app"}}}`
	var got []string
	for name, text := range map[string]string{"compose.yaml": compose, "docker-bake.hcl": hcl, "docker-bake.json": json} {
		w := walkFile(source{root: root}, filepath.Join(root, name), text)
		for _, tg := range w.targets {
			got = append(got, name+": "+tg.Name)
		}
		for _, a := range w.args {
			got = append(got, name+": arg "+a.Name)
		}
		for _, b := range w.builds {
			rel, _ := filepath.Rel(root, b.Dockerfile)
			got = append(got, name+": builds "+filepath.ToSlash(rel))
		}
	}
	sort.Strings(got)
	want := []string{
		"compose.yaml: app", "compose.yaml: builds Dockerfile",
		"docker-bake.hcl: app", "docker-bake.hcl: builds Dockerfile",
		"docker-bake.json: app", "docker-bake.json: builds Dockerfile",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestComposeInclude: the services of a file a Compose file includes
// (`include:`, both forms, and what that file includes in turn) build
// their targets; the included file's name is no Compose file's, so the
// scan does not read it and its stages were reported never built. A
// Compose-named included file is read by the scan itself, not twice.
func TestComposeInclude(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"deploy/lint.yaml":   "include: [more/db.yml]\nservices:\n  lint:\n    build:\n      context: ../api\n      target: lint\n      args: [X=1]\n",
		"deploy/more/db.yml": "services:\n  db:\n    build:\n      target: seed\n",
		"infra/compose.yaml": "services:\n  cache:\n    build:\n      target: cache\n",
		"deploy/tools.yaml":  "services:\n  tools:\n    build: {context: ., target: tools}\n",
	})
	compose := "include:\n  - deploy/lint.yaml\n  - path: [deploy/tools.yaml]\n  - path: infra/compose.yaml\n  - missing.yaml\n" +
		"services:\n  web:\n    build:\n      target: app\n"
	w := walkFile(source{root: root}, filepath.Join(root, "compose.yaml"), compose)
	var got []string
	for _, tg := range w.targets {
		file, _ := filepath.Rel(root, tg.File)
		df, _ := filepath.Rel(root, tg.Dockerfile)
		text, _ := os.ReadFile(tg.File)
		if tg.File == filepath.Join(root, "compose.yaml") {
			text = []byte(compose)
		}
		got = append(got, fmt.Sprintf("%s:%d %s=%s>%s", filepath.ToSlash(file), tg.Line, tg.Name, text[tg.Span.Start:tg.Span.End], filepath.ToSlash(df)))
	}
	for _, a := range w.args {
		file, _ := filepath.Rel(root, a.File)
		got = append(got, "arg "+a.Name+" in "+filepath.ToSlash(file))
	}
	want := []string{
		"compose.yaml:9 app=app>Dockerfile",
		"deploy/lint.yaml:6 lint=lint>api/Dockerfile",
		"deploy/more/db.yml:4 seed=seed>deploy/more/Dockerfile",
		"deploy/tools.yaml:3 tools=tools>deploy/Dockerfile",
		"arg X in deploy/lint.yaml", // checked there
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, f := range []string{"deploy/lint.yaml", "deploy/more/db.yml", "deploy/tools.yaml"} {
		if !slices.Contains(w.via, filepath.Join(root, f)) {
			t.Errorf("via %v lacks %s", w.via, f)
		}
	}
}

// TestComposeIncludeProjectDirectory: an include's `project_directory`
// (relative to the including file) is where the included file's paths
// lead, and its `env_file` list (relative to the including file) the
// values it interpolates with, over the including file's .env; without
// env_file, the .env of its project folder. A Compose-named file included
// with a folder of its own is read through the include too.
func TestComposeIncludeProjectDirectory(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".env":                  "WORKER_STAGE=fromroot\nREG=r\n",
		"deploy/worker.yaml":    "services:\n  worker:\n    build:\n      context: worker\n      target: ${WORKER_STAGE:-worker}\n",
		"deploy/env/worker.env": "WORKER_STAGE=fromenvfile\n",
		"deploy/api.yaml":       "services:\n  api:\n    build:\n      context: .\n      target: ${API_STAGE}\n",
		"services/.env":         "API_STAGE=fromprojectenv\n",
		"infra/compose.yaml":    "services:\n  cache:\n    build:\n      target: cache\n",
	})
	compose := "include:\n  - path: deploy/worker.yaml\n    project_directory: services\n    env_file: [deploy/env/worker.env]\n" +
		"  - path: deploy/api.yaml\n    project_directory: ./services\n" +
		"  - path: infra/compose.yaml\n    project_directory: services\n"
	w := walkFile(source{root: root}, filepath.Join(root, "compose.yaml"), compose)
	var got []string
	for _, tg := range w.targets {
		file, _ := filepath.Rel(root, tg.File)
		df, _ := filepath.Rel(root, tg.Dockerfile)
		got = append(got, fmt.Sprintf("%s:%d %s>%s", filepath.ToSlash(file), tg.Line, tg.Name, filepath.ToSlash(df)))
	}
	// The default counts too, as for every interpolated target.
	want := []string{
		"deploy/worker.yaml:5 fromenvfile>services/worker/Dockerfile",
		"deploy/worker.yaml:5 worker>services/worker/Dockerfile",
		"deploy/api.yaml:5 fromprojectenv>services/Dockerfile",
		"infra/compose.yaml:4 cache>services/Dockerfile",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, f := range []string{"deploy/env/worker.env", "services/.env"} {
		if !slices.Contains(w.via, filepath.Join(root, f)) {
			t.Errorf("via %v lacks %s", w.via, f)
		}
	}
}

// TestBakeTemplateNamed: a template target (inherited, named by no
// group) is no build of its own, but a command naming it (`docker buildx
// bake _debug`, `bake -f ci/bake.json tmpl`) builds it: its target, its
// build arguments (inherited too) and its build, written in the Bake
// file, come with the command's reading, in HCL and JSON (those a target
// inheriting it passes to the same Dockerfile are that target's). A
// command naming another target does not build the template.
func TestBakeTemplateNamed(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"docker-bake.hcl": "group \"default\" {\n  targets = [\"image\"]\n}\n" +
			"target \"_common\" {\n  args = { GO_VERSION = \"1.23\" }\n}\n" +
			"target \"_debug\" {\n  inherits = [\"_common\"]\n  target = \"debug\"\n  args = { DEBUG = \"1\" }\n}\n" +
			"target \"image\" {\n  inherits = [\"_debug\"]\n  dockerfile = \"image.Dockerfile\"\n  target = \"image\"\n}\n",
		"ci/bake.json": `{"group": {"default": {"targets": ["app"]}}, "target": {"tmpl": {"context": "svc", "target": "tmplstage"}, "app": {"inherits": ["tmpl"], "target": "appstage"}}}`,
	})
	mk := "debug:\n\tdocker buildx bake _debug\nimage:\n\tdocker buildx bake image\ntmpl:\n\tdocker buildx bake -f ci/bake.json tmpl\n"
	w := walkFile(source{root: root}, filepath.Join(root, "Makefile"), mk)
	got := describeWalk(root, w)
	want := []string{
		"target ci/bake.json:1 appstage>svc/Dockerfile (target app)",
		"target docker-bake.hcl:9 debug>Dockerfile (target _debug)",
		"target ci/bake.json:1 tmplstage>svc/Dockerfile (target tmpl)",
		"arg docker-bake.hcl DEBUG>Dockerfile (target _debug)",
		"arg docker-bake.hcl GO_VERSION>Dockerfile (target _debug)",
		"build ci/bake.json svc/Dockerfile in svc (target app)",
		"build docker-bake.hcl Dockerfile in . (target _debug)",
		"build ci/bake.json svc/Dockerfile in svc (target tmpl)",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// docker/bake-action's `targets` input names them too.
	wf := "on: push\njobs:\n  b:\n    steps:\n      - uses: docker/bake-action@v6\n        with:\n          targets: _debug\n"
	got = describeWalk(root, walkFile(source{root: root}, filepath.Join(root, ".github/workflows/ci.yml"), wf))
	if d := cmp.Diff([]string{
		"target docker-bake.hcl:9 debug>Dockerfile (target _debug)",
		"arg docker-bake.hcl DEBUG>Dockerfile (target _debug)",
		"arg docker-bake.hcl GO_VERSION>Dockerfile (target _debug)",
		"build docker-bake.hcl Dockerfile in . (target _debug)",
	}, got); d != "" {
		t.Errorf("bake-action (-want +got):\n%s", d)
	}
}

// TestBakeOverrideOneBuild: a target that docker-bake.hcl defines and
// docker-bake.override.hcl adds to is one target to buildx, the files'
// blocks merged attribute by attribute, the later winning: one build, of
// the first file, with the override's `target` where it sets one. The
// `target` it overrides still names its stage, but builds nothing.
func TestBakeOverrideOneBuild(t *testing.T) {
	base := "group \"default\" {\n  targets = [\"image\"]\n}\n" +
		"target \"_debug\" {\n  target = \"debug\"\n  args = { DEBUG = \"1\" }\n}\n" +
		"target \"image\" {\n  inherits = [\"_debug\"]\n  target = \"debug\"\n  args = { DEBUG = \"1\" }\n}\n"
	for _, c := range []struct {
		name, override string
		want           []string
	}{
		// Before the fix, the override's block was a second build, of the
		// last stage (it names none itself).
		{"args only", "target \"image\" {\n  args = { DEBUG = \"2\" }\n}\n",
			[]string{"docker-bake.hcl target image [debug]", "docker-bake.hcl target _debug [debug]"}},
		{"target", "target \"image\" {\n  target = \"debug2\"\n}\n",
			[]string{"docker-bake.hcl target image [debug2]", "docker-bake.hcl target _debug [debug]"}},
		{"template's target", "target \"_debug\" {\n  target = \"debug2\"\n}\n",
			[]string{"docker-bake.hcl target image [debug]", "docker-bake.hcl target _debug [debug2]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkBuilds(t, map[string]string{
				"docker-bake.hcl":          base,
				"docker-bake.override.hcl": c.override,
				"Makefile":                 "debug:\n\tdocker buildx bake _debug\n",
			}, c.want)
		})
	}
	// JSON files merge with the others, in buildx's order: .json before
	// .hcl, the override files last.
	baseJSON := `{"group": {"default": {"targets": ["image"]}}, "target": {"image": {"target": "debug", "args": {"DEBUG": "1"}}}}`
	t.Run("json args only", func(t *testing.T) {
		checkBuilds(t, map[string]string{"docker-bake.json": baseJSON, "docker-bake.override.json": `{"target": {"image": {"args": {"DEBUG": "2"}}}}`},
			[]string{"docker-bake.json target image [debug]"})
	})
	t.Run("hcl, json override", func(t *testing.T) {
		checkBuilds(t, map[string]string{
			"docker-bake.hcl":           "group \"default\" {\n  targets = [\"image\"]\n}\ntarget \"image\" {\n  target = \"debug\"\n}\n",
			"docker-bake.override.json": `{"target": {"image": {"target": "debug2"}}}`,
		}, []string{"docker-bake.hcl target image [debug2]"})
	})
	// A file named with -f, or written for that (docker-bake.ci.hcl), is a
	// build of its own, its command's: not merged into the default one.
	single := "group \"default\" {\n  targets = [\"image\"]\n}\ntarget \"image\" {\n  target = \"debug\"\n}\n"
	t.Run("a -f file", func(t *testing.T) {
		checkBuilds(t, map[string]string{
			"docker-bake.hcl": single,
			"ci.hcl":          "target \"image\" {\n  target = \"debug2\"\n}\n",
			"Makefile":        "ci:\n\tdocker buildx bake -f docker-bake.hcl -f ci.hcl\n",
		}, []string{"docker-bake.hcl target image [debug]", "ci.hcl target image [debug2]"})
	})
	t.Run("a variant file", func(t *testing.T) {
		checkBuilds(t, map[string]string{"docker-bake.hcl": single, "docker-bake.ci.hcl": "target \"image\" {\n  target = \"debug2\"\n}\n"},
			[]string{"docker-bake.hcl target image [debug]", "docker-bake.ci.hcl target image [debug2]"})
	})
	t.Run("json, hcl override", func(t *testing.T) {
		checkBuilds(t, map[string]string{"docker-bake.json": baseJSON, "docker-bake.override.hcl": "target \"image\" {\n  target = \"debug2\"\n}\n"},
			[]string{"docker-bake.json target image [debug2]"})
	})
}

// checkBuilds writes files and a Dockerfile of three stages into a new
// folder and wants its builds, as "file owner [targets]".
func checkBuilds(t *testing.T, files map[string]string, want []string) {
	t.Helper()
	root := t.TempDir()
	files["Dockerfile"] = "FROM alpine AS debug\nFROM alpine AS debug2\nFROM alpine AS final\n"
	writeTree(t, root, files)
	ix := Scan([]string{root}, DefaultLimits)
	var got []string
	for _, b := range ix.BuildsFor(filepath.Join(root, "Dockerfile")) {
		got = append(got, fmt.Sprintf("%s %s %v", filepath.Base(b.File), b.Owner, b.Targets))
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("builds (-want +got):\n%s", d)
	}
}

// TestBakeTemplateNamedOverridden: a template that docker-bake.hcl
// defines and docker-bake.override.hcl overrides is one target to buildx,
// merged attribute by attribute, so naming it is one build with the
// override's values, not one build a file.
func TestBakeTemplateNamedOverridden(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"docker-bake.hcl": "target \"_debug\" {\n  target = \"debug\"\n  args = { DEBUG = \"1\" }\n}\n" +
			"target \"image\" {\n  inherits = [\"_debug\"]\n  target = \"image\"\n}\n",
		"docker-bake.override.hcl": "target \"_debug\" {\n  target = \"debug2\"\n  args = { DEBUG = \"2\" }\n}\n",
	})
	mk := "debug:\n\tdocker buildx bake _debug\n"
	w := walkFile(source{root: root}, filepath.Join(root, "Makefile"), mk)
	got := describeWalk(root, w)
	// Each file's walk gives the build, both under docker-bake.hcl: one.
	want := []string{
		"target docker-bake.hcl:2 debug>Dockerfile (target _debug), overridden",
		"target docker-bake.override.hcl:2 debug2>Dockerfile (target _debug)",
		"arg docker-bake.override.hcl DEBUG>Dockerfile (target _debug)",
		"build docker-bake.hcl Dockerfile in . (target _debug)",
		"build docker-bake.hcl Dockerfile in . (target _debug)",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// describeWalk lists a walk's targets, arguments and builds, one line
// each, their paths relative to root.
func describeWalk(root string, w walked) []string {
	rel := func(p string) string { r, _ := filepath.Rel(root, p); return filepath.ToSlash(r) }
	var got []string
	for _, tg := range w.targets {
		line := fmt.Sprintf("target %s:%d %s>%s (%s)", rel(tg.File), tg.Line, tg.Name, rel(tg.Dockerfile), tg.Owner)
		if tg.Overridden {
			line += ", overridden"
		}
		got = append(got, line)
	}
	for _, a := range w.args {
		got = append(got, fmt.Sprintf("arg %s %s>%s (%s)", rel(a.File), a.Name, rel(a.Dockerfile), a.Owner))
	}
	for _, b := range w.builds {
		got = append(got, fmt.Sprintf("build %s %s in %s (%s)", rel(b.File), rel(b.Dockerfile), rel(b.Context), b.Owner))
	}
	return got
}

// TestComposeOverrideOneBuild: docker compose merges a service of
// compose.override.yaml onto compose.yaml's service of its name: one
// service, one build, compose.yaml's, with the override's build.target
// where it gives one. A service only the override file has is its own.
func TestComposeOverrideOneBuild(t *testing.T) {
	base := "services:\n  app:\n    build:\n      context: .\n      target: debug\n"
	for _, c := range []struct {
		name     string
		override string
		want     []string
	}{
		// Before the fix, the override's service was a second build, of
		// the last stage.
		{"environment only", "services:\n  app:\n    environment:\n      - DEBUG=1\n",
			[]string{"compose.yaml service app [debug]"}},
		{"target", "services:\n  app:\n    build:\n      target: debug2\n",
			[]string{"compose.yaml service app [debug2]"}},
		{"a service of its own", "services:\n  app:\n    ports: [\"8080:8080\"]\n  tool:\n    build:\n      context: .\n      target: debug2\n",
			[]string{"compose.yaml service app [debug]", "compose.override.yaml service tool [debug2]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkBuilds(t, map[string]string{"compose.yaml": base, "compose.override.yaml": c.override}, c.want)
		})
	}
	// A file given with -f after compose.yaml is a project of its own:
	// `docker compose build` builds compose.yaml's target, the Makefile's
	// command the later file's. Two builds.
	t.Run("a -f file", func(t *testing.T) {
		checkBuilds(t, map[string]string{
			"compose.yaml":      base,
			"compose.prod.yaml": "services:\n  app:\n    build:\n      target: debug2\n",
			"Makefile":          "prod:\n\tdocker compose -f compose.yaml -f compose.prod.yaml build\n",
		}, []string{"compose.yaml service app [debug]", "compose.prod.yaml service app [debug2]"})
	})
}

// TestBakeVariablesOfNamedFiles: `docker buildx bake -f ci/build.hcl -f
// ci/vars.hcl` merges the files' variables as it merges their targets,
// the later file's default winning, in HCL or JSON. Before the files of a
// walk were read once for every use, the variables came from the default
// files beside the walked one only, and the target read build.hcl's own
// default.
func TestBakeVariablesOfNamedFiles(t *testing.T) {
	build := "variable \"STAGE\" {\n  default = \"debug\"\n}\ntarget \"image\" {\n  context = \".\"\n  target = STAGE\n}\n"
	for _, c := range []struct{ name, vars, file string }{
		{"hcl", "variable \"STAGE\" {\n  default = \"debug2\"\n}\n", "ci/vars.hcl"},
		{"json", `{"variable": {"STAGE": {"default": "debug2"}}}`, "ci/vars.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkBuilds(t, map[string]string{
				"ci/build.hcl": build,
				c.file:         c.vars,
				"Makefile":     "ci:\n\tdocker buildx bake -f ci/build.hcl -f " + c.file + " image\n",
			}, []string{"build.hcl target image [debug2]"})
		})
	}
	// Given first, the variables file loses to build.hcl's own default.
	t.Run("earlier file", func(t *testing.T) {
		checkBuilds(t, map[string]string{
			"ci/build.hcl": build,
			"ci/vars.hcl":  "variable \"STAGE\" {\n  default = \"debug2\"\n}\n",
			"Makefile":     "ci:\n\tdocker buildx bake -f ci/vars.hcl -f ci/build.hcl image\n",
		}, []string{"build.hcl target image [debug]"})
	})
}

// TestBakeSiblingThatDoesNotParse: docker-bake.hcl's reading depends on
// the docker-bake.override.hcl beside it even while that file does not
// parse, so that mending it reads docker-bake.hcl again (Dependents).
func TestBakeSiblingThatDoesNotParse(t *testing.T) {
	for _, c := range []struct{ name, file, broken string }{
		{"hcl", "docker-bake.override.hcl", "target \"image\" {\n  target = \n"},
		{"json", "docker-bake.override.json", `{"target": {"image": `},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, map[string]string{
				"Dockerfile":      "FROM alpine AS debug\nFROM alpine AS final\n",
				"docker-bake.hcl": "target \"image\" {\n  target = \"debug\"\n}\n",
				c.file:            c.broken,
			})
			ix := Scan([]string{root}, DefaultLimits)
			base := filepath.Join(root, "docker-bake.hcl")
			if got := ix.Dependents(filepath.Join(root, c.file)); !slices.Contains(got, base) {
				t.Errorf("Dependents(%s) = %v; want docker-bake.hcl among them", c.file, got)
			}
		})
	}
}

// TestBakeOverrideAttributesAcrossFormats: buildx merges the target blocks
// of every file it reads together attribute by attribute, whether HCL or
// JSON, so an override in the other format that moves a target to another
// Dockerfile or context moves its build too.
func TestBakeOverrideAttributesAcrossFormats(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		// want is, by Dockerfile, its builds as "file owner", and the
		// context its builds give it.
		want map[string][]string
	}{
		{"hcl, json override of dockerfile", map[string]string{
			"docker-bake.hcl":           "target \"image\" {\n  target = \"debug\"\n}\n",
			"docker-bake.override.json": `{"target": {"image": {"dockerfile": "Dockerfile.prod"}}}`,
		}, map[string][]string{"Dockerfile": nil, "Dockerfile.prod": {"docker-bake.hcl target image ."}}},
		{"json, hcl override of dockerfile", map[string]string{
			"docker-bake.json":         `{"target": {"image": {"target": "debug"}}}`,
			"docker-bake.override.hcl": "target \"image\" {\n  dockerfile = \"Dockerfile.prod\"\n}\n",
		}, map[string][]string{"Dockerfile": nil, "Dockerfile.prod": {"docker-bake.json target image ."}}},
		{"json, json override of context", map[string]string{
			"docker-bake.json":          `{"target": {"image": {"target": "debug"}}}`,
			"docker-bake.override.json": `{"target": {"image": {"context": "app"}}}`,
		}, map[string][]string{"Dockerfile": nil, "app/Dockerfile": {"docker-bake.json target image app"}}},
		{"json override's inherits", map[string]string{
			"docker-bake.hcl":           "target \"_prod\" {\n  dockerfile = \"Dockerfile.prod\"\n}\ntarget \"image\" {\n  target = \"debug\"\n}\n",
			"docker-bake.override.json": `{"target": {"image": {"inherits": ["_prod"]}}}`,
		}, map[string][]string{"Dockerfile": nil, "Dockerfile.prod": {"docker-bake.hcl target image ."}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			stages := "FROM alpine AS debug\nFROM alpine AS final\n"
			c.files["Dockerfile"], c.files["Dockerfile.prod"], c.files["app/Dockerfile"] = stages, stages, stages
			writeTree(t, root, c.files)
			ix := Scan([]string{root}, DefaultLimits)
			for df, want := range c.want {
				var got []string
				for _, b := range ix.BuildsFor(filepath.Join(root, df)) {
					ctx, _ := filepath.Rel(root, ix.ContextFor(filepath.Join(root, df)))
					got = append(got, fmt.Sprintf("%s %s %s", filepath.Base(b.File), b.Owner, ctx))
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("builds of %s (-want +got):\n%s", df, d)
				}
			}
		})
	}
}
