package workspace

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// found is a target as the tests compare it: the text its span covers
// stands in for the span.
type found struct {
	Name, At, Dockerfile, Owner string
}

func extract(t *testing.T, file, text string) []found {
	t.Helper()
	var out []found
	for _, tg := range Extract(filepath.Dir(file), file, text) {
		if tg.Span.Start < 0 || tg.Span.End > len(text) || tg.Span.Start > tg.Span.End {
			t.Fatalf("span %v outside the file", tg.Span)
		}
		at := text[tg.Span.Start:tg.Span.End]
		if tg.Span.Start == tg.Span.End {
			// An empty value: show where it is, as line:col.
			line := strings.Count(text[:tg.Span.Start], "\n")
			col := tg.Span.Start - strings.LastIndex(text[:tg.Span.Start], "\n") - 1
			at = fmt.Sprintf("@%d:%d", line, col)
		}
		out = append(out, found{tg.Name, at, tg.Dockerfile, tg.Owner})
	}
	return out
}

func TestClassify(t *testing.T) {
	for p, want := range map[string]Kind{
		"/w/compose.yaml": Compose, "/w/docker-compose.override.yml": Compose, "/w/compose.dev.yaml": Compose,
		"/w/docker-bake.hcl": Bake, "/w/docker-bake.override.hcl": Bake, "/w/docker-bake.json": BakeJSON,
		"/w/.github/workflows/ci.yml": Workflow, "/w/Makefile": Script, "/w/build.sh": Script, "/w/justfile": Script,
		"/w/values.yaml": NotTargets, "/w/Dockerfile": NotTargets, "/w/composer.json": NotTargets,
	} {
		if got := Classify(p); got != want {
			t.Errorf("Classify(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestCompose(t *testing.T) {
	text := `services:
  api:
    build:
      context: ./api
      dockerfile: build/Dockerfile.prod
      target: "runtime"
  worker:
    build: ./worker
  web:
    build:
      target: é-dev
  half:
    build:
      target:
`
	got := extract(t, "/w/compose.yaml", text)
	want := []found{
		{"runtime", "runtime", "/w/api/build/Dockerfile.prod", "service api"},
		{"é-dev", "é-dev", "/w/Dockerfile", "service web"},
		{"", "@13:13", "/w/Dockerfile", "service half"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestBake(t *testing.T) {
	text := `group "default" { targets = ["app"] }
target "_common" {
  context = "src"
  dockerfile = "Containerfile"
}
target "app" {
  inherits = ["_common"]
  target = "release"
}
target "test" {
  context = "."
  target = "te"
}
target "dyn" {
  target = "${STAGE}"
}
`
	got := extract(t, "/w/docker-bake.hcl", text)
	want := []found{
		{"release", "release", "/w/src/Containerfile", "target app"},
		{"te", "te", "/w/Dockerfile", "target test"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	jsonText := `{"target": {"app": {"context": "svc", "target": "build"}}}`
	if d := cmp.Diff([]found{{"build", "build", "/w/svc/Dockerfile", "target app"}}, extract(t, "/w/docker-bake.json", jsonText)); d != "" {
		t.Errorf("json (-want +got):\n%s", d)
	}
}

func TestWorkflow(t *testing.T) {
	text := `on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build test image
        uses: docker/build-push-action@v6
        with:
          context: ./svc
          file: ./svc/Dockerfile.ci
          target: test
`
	want := []found{{"test", "test", "/repo/svc/Dockerfile.ci", "step Build test image"}}
	if d := cmp.Diff(want, extract(t, "/repo/.github/workflows/ci.yml", text)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestScripts(t *testing.T) {
	text := "image:\n\tdocker build --target runtime -t app:latest .\n" +
		"test:\n\tdocker buildx build \\\n\t  --platform linux/amd64 \\\n\t  --target=test -f docker/Dockerfile.test ctx\n" +
		"dyn:\n\tdocker build --target $(STAGE) .\n" +
		"# docker build --target commented .\n" +
		"quoted:\n\tpodman build --target \"lint\" sub\n"
	want := []found{
		{"runtime", "runtime", "/w/Dockerfile", "docker build"},
		{"test", "test", "/w/docker/Dockerfile.test", "docker build"},
		{"lint", "lint", "/w/sub/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), text)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestBrokenFilesYieldNothing(t *testing.T) {
	for file, text := range map[string]string{
		"/w/compose.yaml":            "services: [\n",
		"/w/docker-bake.json":        "{",
		"/w/.github/workflows/x.yml": "jobs: 3",
		"/w/docker-bake.hcl":         "target \"x\" {\n  target = \n",
	} {
		if got := extract(t, file, text); len(got) != 0 {
			t.Errorf("%s: broken file yielded %v, want nothing", file, got)
		}
	}
}

// TestToolFromVariable: the build tool may be a variable whose value the
// file gives (`DOCKER ?= docker` run as `$(DOCKER) build`, a script's
// `${ENGINE:-podman}`); a variable naming another tool builds nothing.
func TestToolFromVariable(t *testing.T) {
	mk := "DOCKER ?= docker\nGRADLE ?= ./gradlew\n" +
		"test:\n\t$(DOCKER) build --target unit-test .\n" +
		"jar:\n\t$(GRADLE) build --target nothing .\n"
	want := []found{{"unit-test", "unit-test", "/w/Dockerfile", "docker build"}}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), mk)); d != "" {
		t.Errorf("Makefile (-want +got):\n%s", d)
	}
	sh := "ENGINE=\"${ENGINE:-podman}\"\n\"$ENGINE\" build --target lint .\n${BUILDER:-docker} buildx build --target e2e .\n"
	want = []found{
		{"lint", "lint", "/w/Dockerfile", "docker build"},
		{"e2e", "e2e", "/w/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "build.sh"), sh)); d != "" {
		t.Errorf("script (-want +got):\n%s", d)
	}
}

// TestJustfileParameterDefaults: `just build` runs a recipe with its
// parameters' defaults, so `build target="runtime":` builds runtime. A
// parameter is the recipe's own: it hides the variable of its name there
// and nowhere else; one without a default, or whose default is an
// expression, has no known value.
func TestJustfileParameterDefaults(t *testing.T) {
	text := "target := \"dev\"\nimage := \"app\"\n" +
		"build target=\"runtime\" $tag='x:y': deps\n    docker build --target {{target}} -t {{image}}:{{tag}} .\n" +
		"[private]\n@lint  +flags stage='lint':\n    docker build --target {{stage}} {{flags}} .\n" +
		"run target:\n    docker build --target {{target}} .\n" +
		"expr target=env('T'):\n    docker build --target {{target}} .\n" +
		"dev:\n    docker build --target {{target}} .\n"
	want := []found{
		{"runtime", "runtime", "/w/Dockerfile", "docker build"},
		{"lint", "lint", "/w/Dockerfile", "docker build"},
		{"dev", "dev", "/w/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "justfile"), text)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestOptionValueFromVariable: `--target=$(STAGE)` and `--target="$STAGE"`
// name the variable's values as `--target $(STAGE)` does; a default two
// recipes read names its stage once (references list it once, a rename
// edits it once).
func TestOptionValueFromVariable(t *testing.T) {
	mk := "STAGE ?= dev\nbuild:\n\tdocker build --target=$(STAGE) .\nrun:\n\tdocker build --target $(STAGE) -t x .\n"
	want := []found{{"dev", "dev", "/w/Dockerfile", "docker build"}}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), mk)); d != "" {
		t.Errorf("Makefile (-want +got):\n%s", d)
	}
	sh := "STAGE=${STAGE:-lint}\ndocker build --target=\"$STAGE\" .\n"
	want = []found{{"lint", "lint", "/w/Dockerfile", "docker build"}}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "build.sh"), sh)); d != "" {
		t.Errorf("script (-want +got):\n%s", d)
	}
}

// TestComputedTargets: a target built from literal text and values
// (`runtime-${item}` over a Bake matrix, `--target runtime-$(FLAVOR)`,
// `runtime-${{ matrix.libc }}`) names each text it may have, spanning the
// whole expression and marked Computed (rename cannot edit it there). An
// expression without a known value names nothing; before, workflows
// named the expression's own text or a placeholder of the reader's.
func TestComputedTargets(t *testing.T) {
	type computed struct {
		Name, At string
		Computed bool
	}
	got := func(file, text string) []computed {
		var out []computed
		for _, tg := range Extract("/w", file, text) {
			out = append(out, computed{tg.Name, text[tg.Span.Start:tg.Span.End], tg.Computed})
		}
		return out
	}
	bake := "variable \"FLAVOR\" { default = \"slim\" }\n" +
		"target \"apps\" {\n  matrix = { item = [\"web\", \"admin\"] }\n  target = \"runtime-${item}-${FLAVOR}\"\n}\n" +
		"target \"plain\" {\n  matrix = { item = [\"a\"] }\n  target = item\n}\n" +
		"target \"unknown\" {\n  target = \"x-${NOPE}\"\n}\n"
	want := []computed{
		{"runtime-web-slim", "runtime-${item}-${FLAVOR}", true},
		{"runtime-admin-slim", "runtime-${item}-${FLAVOR}", true},
		{"a", "a", false},
	}
	if d := cmp.Diff(want, got("/w/docker-bake.hcl", bake)); d != "" {
		t.Errorf("bake (-want +got):\n%s", d)
	}
	mk := "FLAVOR ?= debian\nimage:\n\tdocker build --target runtime-$(FLAVOR) .\n\tdocker build --target=runtime-$(FLAVOR) .\n\tdocker build --target $(NOPE)-x .\n"
	want = []computed{
		{"runtime-debian", "runtime-$(FLAVOR)", true},
		{"runtime-debian", "runtime-$(FLAVOR)", true},
	}
	if d := cmp.Diff(want, got("/w/Makefile", mk)); d != "" {
		t.Errorf("Makefile (-want +got):\n%s", d)
	}
	wf := "on: push\njobs:\n  b:\n    strategy:\n      matrix:\n        libc: [musl, gnu]\n    steps:\n" +
		"      - run: docker build --target runtime-${{ matrix.libc }} .\n" +
		"      - uses: docker/build-push-action@v6\n        with:\n          target: runtime-${{ matrix.libc }}\n" +
		"      - uses: docker/build-push-action@v6\n        with:\n          target: x-${{ github.sha }}\n"
	want = []computed{
		{"runtime-musl", "runtime-${{ matrix.libc }}", true},
		{"runtime-gnu", "runtime-${{ matrix.libc }}", true},
		{"runtime-musl", "runtime-${{ matrix.libc }}", true},
		{"runtime-gnu", "runtime-${{ matrix.libc }}", true},
	}
	if d := cmp.Diff(want, got("/w/.github/workflows/ci.yml", wf)); d != "" {
		t.Errorf("workflow (-want +got):\n%s", d)
	}
}

// TestVariablesHoldingExpressions: a workflow env value holding an
// expression (`STAGE: runtime-${{ matrix.flavor }}`, the job's matrix
// included) and a GitLab variable naming another (`STAGE:
// runtime-$FLAVOR`) name their expanded texts as the job sees them (a job's FLAVOR
// counts in a STAGE set at the top), not their own text (which
// was reported as an unknown stage).
func TestVariablesHoldingExpressions(t *testing.T) {
	names := func(file, text string) []string {
		var out []string
		for _, tg := range Extract("/w", file, text) {
			out = append(out, fmt.Sprintf("%s computed=%v", tg.Name, tg.Computed))
		}
		return out
	}
	wf := "on: push\njobs:\n  b:\n    strategy:\n      matrix:\n        flavor: [debian, alpine]\n" +
		"    env:\n      STAGE: runtime-${{ matrix.flavor }}\n      WHOLE: ${{ matrix.flavor }}\n      SHA: x-${{ github.sha }}\n    steps:\n" +
		"      - run: docker build --target \"$STAGE\" .\n" +
		"      - run: docker build --target $WHOLE .\n" +
		"      - run: docker build --target $SHA .\n"
	want := []string{"runtime-debian computed=true", "runtime-alpine computed=true", "debian computed=false", "alpine computed=false"}
	if d := cmp.Diff(want, names("/w/.github/workflows/ci.yml", wf)); d != "" {
		t.Errorf("workflow (-want +got):\n%s", d)
	}
	gl := "variables:\n  FLAVOR: debian\n  STAGE: runtime-$FLAVOR\n  BRACED: ${FLAVOR}-x\n  CI: x-$CI_COMMIT_SHA\n" +
		"build:\n  variables:\n    FLAVOR: alpine\n    LOCAL: l-${FLAVOR}\n  script:\n    - docker build --target \"$STAGE\" .\n    - docker build --target $BRACED .\n    - docker build --target $CI .\n    - docker build --target $LOCAL .\n"
	want = []string{"runtime-alpine computed=true", "alpine-x computed=true", "l-alpine computed=true"}
	if d := cmp.Diff(want, names("/w/.gitlab-ci.yml", gl)); d != "" {
		t.Errorf("gitlab (-want +got):\n%s", d)
	}
}

// TestKaniko: GitLab's kaniko jobs, as its documentation writes them (the
// command continued over several lines of a plain YAML scalar, which
// YAML folds into one line): the executor's --target, --build-arg,
// --dockerfile and --context (dir:// or a folder, $CI_PROJECT_DIR being
// the checkout) count as docker build's do.
func TestKaniko(t *testing.T) {
	gl := "build:\n  script:\n    - /kaniko/executor\n      --context \"${CI_PROJECT_DIR}\"\n" +
		"      --dockerfile \"${CI_PROJECT_DIR}/docker/app.Dockerfile\"\n      --target runtime\n" +
		"      --build-arg VERSION=1\n      --destination \"${CI_REGISTRY_IMAGE}:${CI_COMMIT_SHA}\"\n" +
		"web:\n  script:\n    - /kaniko/executor --context=dir://web --target=nginx --no-push\n" +
		"other:\n  script:\n    - ./executor --context web --target nope\n"
	want := []found{
		{"runtime", "runtime", "/w/docker/app.Dockerfile", "job build"},
		{"nginx", "nginx", "/w/web/Dockerfile", "job web"},
	}
	if d := cmp.Diff(want, extract(t, "/w/.gitlab-ci.yml", gl)); d != "" {
		t.Errorf("targets (-want +got):\n%s", d)
	}
	var args []string
	for _, a := range walkFile(source{root: "/w"}, "/w/.gitlab-ci.yml", gl).args {
		args = append(args, a.Name+">"+a.Dockerfile+" at "+gl[a.Span.Start:a.Span.End])
	}
	if d := cmp.Diff([]string{"VERSION>/w/docker/app.Dockerfile at VERSION"}, args); d != "" {
		t.Errorf("args (-want +got):\n%s", d)
	}
}

// TestCdMovesBuilds: `cd app && docker build .` builds app/Dockerfile. In
// a script the cd holds to the end (not past a subshell's end); in a
// Makefile or justfile, each recipe line is a shell of its own.
func TestCdMovesBuilds(t *testing.T) {
	mk := "b:\n\tcd app && docker build --target x .\n\tdocker build --target root .\n" +
		"c:\n\tcd app; \\\n\t  docker build --target y .\n"
	want := []found{
		{"x", "x", "/w/app/Dockerfile", "docker build"},
		{"root", "root", "/w/Dockerfile", "docker build"},
		{"y", "y", "/w/app/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), mk)); d != "" {
		t.Errorf("Makefile (-want +got):\n%s", d)
	}
	just := "b:\n    cd app && docker build --target x .\n    docker build --target root .\n"
	want = []found{
		{"x", "x", "/w/app/Dockerfile", "docker build"},
		{"root", "root", "/w/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "justfile"), just)); d != "" {
		t.Errorf("justfile (-want +got):\n%s", d)
	}
	sh := "(cd sub && docker build --target s .)\ndocker build --target top .\ncd \"$(dirname \"$0\")\"\ncd web\ndocker build --target w .\nx=$(cd other && pwd)\ndocker build --target w2 .\n"
	want = []found{
		{"s", "s", "/w/sub/Dockerfile", "docker build"},
		{"top", "top", "/w/Dockerfile", "docker build"},
		{"w", "w", "/w/web/Dockerfile", "docker build"},
		{"w2", "w2", "/w/web/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "build.sh"), sh)); d != "" {
		t.Errorf("script (-want +got):\n%s", d)
	}
}

// TestGitHubWorkspace: ${{ github.workspace }} and $GITHUB_WORKSPACE are
// the checkout, so a context or -f under them leads into the repository.
func TestGitHubWorkspace(t *testing.T) {
	wf := "on: push\njobs:\n  b:\n    steps:\n" +
		"      - uses: docker/build-push-action@v6\n        with:\n          context: ${{ github.workspace }}/app\n          target: x\n" +
		"      - run: docker build --target y -f $GITHUB_WORKSPACE/svc/Dockerfile.ci \"${GITHUB_WORKSPACE}/svc\"\n"
	want := []found{
		{"x", "x", "/repo/app/Dockerfile", "job b"},
		{"y", "y", "/repo/svc/Dockerfile.ci", "job b"},
	}
	if d := cmp.Diff(want, extract(t, "/repo/.github/workflows/ci.yml", wf)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestMakeListLoop: a Make variable holding a list (`STAGES := test
// lint`, `+= e2e`) gives each word, so a recipe looping over it builds
// each.
func TestMakeListLoop(t *testing.T) {
	mk := "STAGES := test lint\nSTAGES += e2e\nall:\n\tfor s in $(STAGES); do docker build --target $$s .; done\n"
	want := []found{
		{"test", "test", "/w/Dockerfile", "docker build"},
		{"lint", "lint", "/w/Dockerfile", "docker build"},
		{"e2e", "e2e", "/w/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), mk)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestBakeJSONVariables: buildx reads a Bake JSON file's strings as HCL
// templates: "target": "${STAGE}" builds the variable's default (its span,
// so a rename edits it) and "x-${STAGE}" that text, computed; a variable
// without a default names nothing. The raw text was reported as an unknown
// stage named "${STAGE}".
func TestBakeJSONVariables(t *testing.T) {
	text := `{
  "variable": {"STAGE": {"default": "worker"}, "TAG": {}},
  "target": {
    "a": {"target": "${STAGE}"},
    "b": {"target": "x-${STAGE}"},
    "c": {"target": "${TAG}"},
    "d": {"target": "plain"}
  }
}`
	want := []found{
		{"worker", "worker", "/w/Dockerfile", "target a"},
		{"x-worker", "x-${STAGE}", "/w/Dockerfile", "target b"},
		{"plain", "plain", "/w/Dockerfile", "target d"},
	}
	if d := cmp.Diff(want, extract(t, "/w/docker-bake.json", text)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestMakeTargetSpecificVariable: `docs: TARGET = docs` gives TARGET one
// more value in the recipes (the docs stage was reported never built);
// rule lines without an assignment, and `X := y`, are not read as one.
func TestMakeTargetSpecificVariable(t *testing.T) {
	mk := "TARGET ?= prod\nDF := app.Dockerfile\n\ndocs: TARGET = docs\ndocs ci: override DF := ci.Dockerfile\n" +
		"e2e: export TARGET := e2e\nbuild: deps\n\t@docker build --target $(TARGET) -f $(DF) .\n"
	want := []found{
		{"prod", "prod", "/w/app.Dockerfile", "docker build"},
		{"docs", "docs", "/w/app.Dockerfile", "docker build"},
		{"e2e", "e2e", "/w/app.Dockerfile", "docker build"},
		{"prod", "prod", "/w/ci.Dockerfile", "docker build"},
		{"docs", "docs", "/w/ci.Dockerfile", "docker build"},
		{"e2e", "e2e", "/w/ci.Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), mk)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestMakeCommandLineOverrides: a recipe running make again on this
// Makefile with `TARGET=unit` builds that value (the stage was reported
// never built); a call with -C runs another Makefile.
func TestMakeCommandLineOverrides(t *testing.T) {
	mk := "TARGET ?= prod\nbuild:\n\tdocker build --target $(TARGET) .\ntest:\n\t@$(MAKE) build TARGET=unit V=1 && make -s build TARGET=e2e\n" +
		"sub:\n\t$(MAKE) -C sub build TARGET=other\n"
	want := []found{
		{"prod", "prod", "/w/Dockerfile", "docker build"},
		{"unit", "unit", "/w/Dockerfile", "docker build"},
		{"e2e", "e2e", "/w/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "Makefile"), mk)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestGitLabExtends: a GitLab job that `extends` a template runs the
// template's script with its own variables over the template's (the
// stages "unit" and "e2e" were reported never built); a job's own script
// wins over the one it extends, and extends cycles end.
func TestGitLabExtends(t *testing.T) {
	ci := ".tmpl:\n  variables:\n    STAGE: prod\n    DF: ci.Dockerfile\n  script:\n    - docker build --target \"$STAGE\" -f $DF .\n" +
		".mid:\n  extends: .tmpl\n  variables:\n    DF: Dockerfile\n" +
		"unit:\n  extends: .mid\n  variables:\n    STAGE: unit\n" +
		"e2e:\n  extends: [.other, .tmpl]\n  variables:\n    STAGE: e2e\n" +
		"own:\n  extends: .tmpl\n  script:\n    - docker build --target lint .\n" +
		".other:\n  extends: e2e\n"
	// .tmpl and .mid are hidden: templates, run only through unit, e2e
	// and own, so their own STAGE (prod) builds nothing.
	want := []found{
		{"unit", "unit", "/w/Dockerfile", "job unit"},
		{"e2e", "e2e", "/w/ci.Dockerfile", "job e2e"},
		{"lint", "lint", "/w/Dockerfile", "job own"},
		// .other (in a cycle with e2e) names e2e at the same place: once.
	}
	if d := cmp.Diff(want, extract(t, "/w/.gitlab-ci.yml", ci)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestJustWorkingDirectory: a justfile's `set working-directory` moves
// every recipe, a recipe's `[working-directory]` attribute (either
// spelling, among other attributes) moves it alone and wins over the
// setting; both are relative to the justfile's folder, and a cd in the
// recipe goes on from there. [no-cd] runs where just is run: taken to be
// the justfile's folder.
func TestJustWorkingDirectory(t *testing.T) {
	just := "set working-directory := 'app'\n\n" +
		"a:\n    docker build --target a .\n\n" +
		"[working-directory('svc')]\nb:\n    docker build --target b .\n\n" +
		"[private, working-directory: \"/abs\"]\nc:\n    docker build --target c .\n\n" +
		"[no-cd]\nd:\n    cd sub && docker build --target d .\n"
	want := []found{
		{"a", "a", "/w/app/Dockerfile", "docker build"},
		{"b", "b", "/w/svc/Dockerfile", "docker build"},
		{"c", "c", "/abs/Dockerfile", "docker build"},
		{"d", "d", "/w/sub/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "justfile"), just)); d != "" {
		t.Errorf("justfile (-want +got):\n%s", d)
	}
	noSetting := "[working-directory('x')]\nb:\n    docker build --target b .\nc:\n    docker build --target c .\n"
	want = []found{
		{"b", "b", "/w/x/Dockerfile", "docker build"},
		{"c", "c", "/w/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, filepath.Join("/w", "justfile"), noSetting)); d != "" {
		t.Errorf("justfile without the setting (-want +got):\n%s", d)
	}
}

// TestGitLabReference: a `!reference [job, key]` tag in a script (an item
// of the list, nested in a list, or the whole script) and in `variables`
// (the section, or one variable) is replaced by the section it names, as
// GitLab does; a tag naming nothing, or a cycle of tags, gives nothing.
func TestGitLabReference(t *testing.T) {
	ci := ".setup:\n  script:\n    - docker build --target setup .\n" +
		".vars:\n  variables:\n    STAGE: fromvars\n    OTHER: fromone\n" +
		".loop:\n  script: !reference [.loop, script]\n" +
		"a:\n  script:\n    - echo hi\n    - !reference [.setup, script]\n    - [!reference [.nothing, script]]\n" +
		"b:\n  variables: !reference [.vars, variables]\n  script: !reference [.b2, script]\n" +
		".b2:\n  script:\n    - docker build --target \"$STAGE\" .\n" +
		"c:\n  variables:\n    STAGE: !reference [.vars, variables, OTHER]\n  script:\n    - !reference [.b2, script]\n    - !reference [.loop, script]\n"
	want := []found{
		{"setup", "setup", "/w/Dockerfile", "job a"},
		{"fromvars", "fromvars", "/w/Dockerfile", "job b"},
		{"fromone", "fromone", "/w/Dockerfile", "job c"},
	}
	if d := cmp.Diff(want, extract(t, "/w/.gitlab-ci.yml", ci)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestScriptDirCd: a script that moves to its own folder, or one relative
// to it (`cd "$(dirname "$0")/.."`), builds from there; a Makefile
// recipe's $0 is no script's, and leaves the folder as it was.
func TestScriptDirCd(t *testing.T) {
	sh := "#!/bin/sh\ncd \"$(dirname \"$0\")/..\"\ndocker build --target a .\n" +
		"cd $(dirname -- \"${BASH_SOURCE[0]}\")\ndocker build --target b .\n"
	want := []found{
		{"a", "a", "/w/Dockerfile", "docker build"},
		{"b", "b", "/w/scripts/Dockerfile", "docker build"},
	}
	if d := cmp.Diff(want, extract(t, "/w/scripts/build.sh", sh)); d != "" {
		t.Errorf("script (-want +got):\n%s", d)
	}
	mk := "x:\n\tcd \"$$(dirname \"$$0\")/..\" && docker build --target c .\n"
	want = []found{{"c", "c", "/w/scripts/Dockerfile", "docker build"}}
	if d := cmp.Diff(want, extract(t, "/w/scripts/Makefile", mk)); d != "" {
		t.Errorf("Makefile (-want +got):\n%s", d)
	}
}

// TestGitLabDefaults: `default:`'s before_script and after_script (or
// the deprecated top-level ones) run in each job with a script that lacks
// its own, with that job's variables, unless `inherit: default:` is false
// or a list leaving the keyword out; `default`, `variables`, `stages` and
// the like are no jobs.
func TestGitLabDefaults(t *testing.T) {
	ci := "variables:\n  PRE: top\ndefault:\n  before_script:\n    - docker build --target \"$PRE\" .\n" +
		"after_script:\n  - docker build --target post .\nstages: [build]\n" +
		"a:\n  variables:\n    PRE: a-pre\n  script: [echo a]\n" +
		"b:\n  before_script: [docker build --target b-own .]\n  script: [echo b]\n" +
		"c:\n  inherit:\n    default: false\n  variables:\n    PRE: c-pre\n  script: [echo c]\n" +
		"d:\n  inherit:\n    default: [after_script]\n  variables:\n    PRE: d-pre\n  script: [echo d]\n" +
		"e:\n  trigger: other/project\n  variables:\n    PRE: e-pre\n"
	// The file's own PRE ("top") builds nothing: every job running the
	// default before_script has its own PRE. d runs the after_script only,
	// at the place a names it; c and e run neither.
	want := []found{
		{"a-pre", "a-pre", "/w/Dockerfile", "job a"},
		{"post", "post", "/w/Dockerfile", "job a"},
		{"b-own", "b-own", "/w/Dockerfile", "job b"},
	}
	if d := cmp.Diff(want, extract(t, "/w/.gitlab-ci.yml", ci)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestCdCarriesInJob: a GitLab job's before_script and script run in one
// shell, so a cd in one line moves the build commands of the lines after
// it; after_script starts again in the project folder. Within one
// multi-line script, and within one workflow `run:` step (which starts in
// its working-directory), a cd moves the commands after it; the next step
// starts afresh.
func TestCdCarriesInJob(t *testing.T) {
	ci := "api:\n  before_script: [cd services/api]\n  script:\n    - docker build -t x --target prod .\n" +
		"  after_script:\n    - docker build --target post .\n" +
		"multi:\n  script:\n    - |\n      cd web\n      docker build --target w .\n" +
		"other:\n  script:\n    - docker build --target fresh .\n"
	want := []found{
		{"prod", "prod", "/w/services/api/Dockerfile", "job api"},
		{"post", "post", "/w/Dockerfile", "job api"},
		{"w", "w", "/w/web/Dockerfile", "job multi"},
		{"fresh", "fresh", "/w/Dockerfile", "job other"},
	}
	if d := cmp.Diff(want, extract(t, "/w/.gitlab-ci.yml", ci)); d != "" {
		t.Errorf("GitLab (-want +got):\n%s", d)
	}
	wf := "on: push\njobs:\n  b:\n    steps:\n" +
		"      - run: |\n          cd app\n          docker build --target a .\n" +
		"      - run: docker build --target root .\n" +
		"      - run: |\n          cd sub\n          docker build --target s .\n        working-directory: web\n"
	want = []found{
		{"a", "a", "/repo/app/Dockerfile", "job b"},
		{"root", "root", "/repo/Dockerfile", "job b"},
		{"s", "s", "/repo/web/sub/Dockerfile", "job b"},
	}
	if d := cmp.Diff(want, extract(t, "/repo/.github/workflows/ci.yml", wf)); d != "" {
		t.Errorf("workflow (-want +got):\n%s", d)
	}
}

// TestGitHubEnvLaterSteps: a step writing `NAME=value` to $GITHUB_ENV
// sets NAME for the later steps of its job, in their shell and in
// `${{ env.NAME }}`, over the job's env; not for the step itself, earlier
// steps or other jobs. A value the code does not tell (a command's
// output) leaves NAME unknown; one written in a conditional joins the
// values before.
func TestGitHubEnvLaterSteps(t *testing.T) {
	wf := "on: push\njobs:\n  b:\n    env:\n      FLAVOR: jobvalue\n    steps:\n" +
		"      - run: docker build --target \"$STAGE\" --target \"$FLAVOR\" .\n" +
		"      - run: |\n" +
		"          echo \"STAGE=written\" >> $GITHUB_ENV\n" +
		"          echo DF=ci.Dockerfile >> \"$GITHUB_ENV\"\n" +
		"          echo \"FLAVOR=$(cat flavor)\" >>\"${GITHUB_ENV}\"\n" +
		"          { echo A=blocka; echo B=block-$STAGE; } >> $GITHUB_ENV\n" +
		"          if [ -n \"$CI\" ]; then echo MAYBE=maybe >> $GITHUB_ENV; fi\n" +
		"          echo NOT=written > notes.txt\n" +
		"          echo \"C=c-$FLAVOR\" >> $GITHUB_ENV\n" +
		"          docker build --target \"$STAGE\" .\n" +
		"      - run: docker build -f \"$DF\" --target \"$STAGE\" --target \"${FLAVOR:-fallback}\" .\n" +
		"      - uses: docker/build-push-action@v6\n        with:\n          target: ${{ env.A }}\n" +
		"      - run: docker build --target \"$B\" --target \"$MAYBE\" --target \"$NOT\" --target \"$C\" .\n" +
		"  other:\n    steps:\n      - run: docker build --target \"$STAGE\" .\n"
	want := []found{
		{"jobvalue", "jobvalue", "/repo/Dockerfile", "job b"},
		{"written", "written", "/repo/ci.Dockerfile", "job b"},
		{"fallback", "fallback", "/repo/ci.Dockerfile", "job b"},
		{"blocka", "blocka", "/repo/Dockerfile", "job b"},
		{"maybe", "maybe", "/repo/Dockerfile", "job b"},
		{"c-jobvalue", "c-$FLAVOR", "/repo/Dockerfile", "job b"},
	}
	if d := cmp.Diff(want, extract(t, "/repo/.github/workflows/ci.yml", wf)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestGitHubEnvTeeAndHeredoc follows the other common ways a step writes
// $GITHUB_ENV: a pipe into `tee -a`, and `cat` of a here-document with a
// NAME=value line each (`<<-` strips the tabs; a quoted delimiter keeps
// `$` as text; an unquoted one expands it, so the value is not known).
func TestGitHubEnvTeeAndHeredoc(t *testing.T) {
	wf := "on: push\njobs:\n  b:\n    steps:\n" +
		"      - run: |\n" +
		"          echo \"TEED=teed\" | tee -a \"$GITHUB_ENV\"\n" +
		"          echo \"NOTEED=x\" | tee notes.txt\n" +
		"          cat >> $GITHUB_ENV <<EOF\n" +
		"          DOC=fromdoc\n" +
		"          EXPANDED=v-$GITHUB_SHA\n" +
		"          EOF\n" +
		"          cat <<'EOF' >> \"$GITHUB_ENV\"\n" +
		"          QUOTED=q$x\n" +
		"          EOF\n" +
		"      - run: docker build --target \"$TEED\" --target \"$NOTEED\" --target \"$DOC\" --target \"$QUOTED\" .\n"
	want := []found{
		{"teed", "teed", "/repo/Dockerfile", "job b"},
		{"fromdoc", "fromdoc", "/repo/Dockerfile", "job b"},
		{"q$x", "q$x", "/repo/Dockerfile", "job b"},
	}
	if d := cmp.Diff(want, extract(t, "/repo/.github/workflows/ci.yml", wf)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
