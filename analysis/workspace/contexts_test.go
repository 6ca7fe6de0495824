package workspace

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestNamedContexts(t *testing.T) {
	root := filepath.FromSlash("/p")
	tests := []struct {
		file, text string
		want       []string // name=value@text-at-span>dockerfile
	}{
		{"compose.yaml", "services:\n  api:\n    build:\n      context: svc\n      additional_contexts:\n        base: docker-image://alpine:3\n        \"src\": ../src\n  web:\n    build:\n      dockerfile: web.Dockerfile\n      additional_contexts:\n        - tools=target:tools\n        - $SKIP=x\n",
			[]string{"base=docker-image://alpine:3@base>/p/svc/Dockerfile", "src=../src@src>/p/svc/Dockerfile", "tools=target:tools@tools>/p/web.Dockerfile"}},
		// Values are interpolated, as docker compose does (no .env here: the defaults).
		{"compose.yaml", "services:\n  api:\n    build:\n      additional_contexts:\n        lib: ${LIB:-./lib}\n  web:\n    build:\n      additional_contexts:\n        - src=${SRC-../src}\n",
			[]string{"lib=./lib@lib>/p/Dockerfile", "src=../src@src>/p/Dockerfile"}},
		{"docker-bake.hcl", "target \"app\" {\n  context = \"app\"\n  contexts = {\n    deps = \"target:deps\"\n    \"alpine\" = \"docker-image://alpine:3.20\"\n  }\n}\ntarget \"child\" {\n  inherits = [\"app\"]\n  contexts = { more = \"./more\" }\n}\n",
			[]string{"deps=target:deps@deps>/p/app/Dockerfile", "alpine=docker-image://alpine:3.20@alpine>/p/app/Dockerfile", "more=./more@more>/p/app/Dockerfile"}},
		{"docker-bake.json", `{"target": {"app": {"dockerfile": "x.Dockerfile", "contexts": {"src": "./src"}}}}`,
			[]string{"src=./src@src>/p/x.Dockerfile"}},
		// A child building another Dockerfile gets its parent's contexts,
		// and overrides one by name; JSON follows inherits as HCL does.
		// The template `_common` gives the Dockerfile it would build none.
		{"docker-bake.hcl", "target \"_common\" {\n  contexts = { src = \"./src\", deps = \"./deps\" }\n}\ntarget \"web\" {\n  inherits = [\"_common\"]\n  dockerfile = \"web.Dockerfile\"\n  contexts = { deps = \"./web-deps\" }\n}\n",
			[]string{"deps=./web-deps@deps>/p/web.Dockerfile", "src=./src@src>/p/web.Dockerfile"}},
		{"docker-bake.json", `{"target": {"base": {"dockerfile": "x.Dockerfile"}, "app": {"inherits": ["base"], "contexts": {"src": "./src"}}}}`,
			[]string{"src=./src@src>/p/x.Dockerfile"}},
		{".github/workflows/ci.yml", "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: svc\n          build-contexts: |\n            deps=docker-image://alpine:3\n            src=../src\n",
			[]string{"deps=docker-image://alpine:3@deps>/p/svc/Dockerfile", "src=../src@src>/p/svc/Dockerfile"}},
		{".github/workflows/release.yml", "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx build --build-context src=../src -f svc/Dockerfile svc\n",
			[]string{"src=../src@src>/p/svc/Dockerfile"}},
		{".gitlab-ci.yml", "build:\n  script:\n    - docker buildx build --build-context deps=docker-image://alpine:3 svc\n",
			[]string{"deps=docker-image://alpine:3@deps>/p/svc/Dockerfile"}},
		{"build.sh", "docker buildx build --build-context deps=docker-image://alpine:3 \\\n  --build-context=src=../src -f svc/Dockerfile .\n",
			[]string{"deps=docker-image://alpine:3@deps>/p/svc/Dockerfile", "src=../src@src>/p/svc/Dockerfile"}},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range NamedContexts(root, filepath.Join(root, tt.file), tt.text) {
			got = append(got, fmt.Sprintf("%s=%s@%s>%s", c.Name, c.Value, tt.text[c.Span.Start:c.Span.End], filepath.ToSlash(c.Dockerfile)))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.file, diff)
		}
	}
	// The index keeps them by the Dockerfile they go to, and forgets a
	// removed file's.
	ix := (&Index{}).clone().Update(filepath.Join(root, "compose.yaml"), tests[0].text)
	if got := len(ix.ContextsFor(filepath.Join(root, "svc", "Dockerfile"))); got != 2 {
		t.Errorf("ContextsFor svc/Dockerfile: %d, want 2", got)
	}
	if got := len(ix.Remove(filepath.Join(root, "compose.yaml")).ContextsFor(filepath.Join(root, "svc", "Dockerfile"))); got != 0 {
		t.Errorf("after Remove: %d, want 0", got)
	}
}

// TestRuleContextsPerBuild: contexts are per build. A context a Bake
// target gives (and one inheriting it) replaces its stage only there: a
// target without it that reaches the stage builds it, so the rules are
// not told it is replaced; a stage replaced wherever it is reached stays
// replaced, and a context naming no stage is kept.
func TestRuleContextsPerBuild(t *testing.T) {
	root := t.TempDir()
	df := "FROM alpine AS deps\nFROM alpine AS cache\nFROM deps AS test\nFROM cache AS build\nFROM build AS release\nCOPY --from=base / /\n"
	writeTree(t, root, map[string]string{
		".git/HEAD":  "ref: refs/heads/main\n",
		"Dockerfile": df,
		"docker-bake.hcl": "target \"release\" {\n  target = \"release\"\n  contexts = { deps = \"docker-image://d\", cache = \"docker-image://c\", base = \"docker-image://b\" }\n}\n" +
			"target \"arm\" {\n  inherits = [\"release\"]\n}\ntarget \"ci\" {\n  target = \"test\"\n}\n",
	})
	ix := Scan([]string{root}, DefaultLimits)
	builds := ix.BuildsFor(filepath.Join(root, "Dockerfile"))
	var got []string
	for _, b := range builds {
		var names []string
		for _, c := range b.Contexts {
			names = append(names, c.Name)
		}
		got = append(got, fmt.Sprintf("%s %v %v", b.Owner, b.Targets, names))
	}
	want := []string{"target arm [] [deps cache base]", "target ci [test] []", "target release [release] [deps cache base]"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("builds (-want +got):\n%s", d)
	}
	got = nil
	for _, c := range RuleContexts(analysis.Parse(analysis.NewDocument(df)), builds) {
		got = append(got, c.Name)
	}
	// deps: ci builds test FROM deps without it; cache: only release and
	// arm reach it, both giving it; base names no stage.
	if d := cmp.Diff([]string{"cache", "base"}, got); d != "" {
		t.Errorf("rule contexts (-want +got):\n%s", d)
	}
}
