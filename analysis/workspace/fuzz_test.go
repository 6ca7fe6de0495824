package workspace

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// FuzzExtract feeds every kind of target file arbitrary text: extraction
// must not panic, and every span must lie in the text.
func FuzzExtract(f *testing.F) {
	kinds := []string{"/w/compose.yaml", "/w/docker-bake.hcl", "/w/docker-bake.json", "/w/.github/workflows/ci.yml",
		"/w/Makefile", "/w/build.sh", "/w/justfile", "/w/.gitlab-ci.yml", "/w/.devcontainer/devcontainer.json",
		"/w/skaffold.yaml", "/w/Tiltfile", "/w/docker-compose.override.yml"}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "workspace", "*.txtar"))
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			for i, k := range kinds {
				if Classify(k) == Classify("/w/"+file.Name) {
					f.Add(uint8(i), string(file.Data))
				}
			}
		}
	}
	f.Add(uint8(4), "x:\n\tdocker build --target \\\n")
	f.Add(uint8(3), "jobs:\n  a:\n    steps:\n      - run: |\n          docker build --target ${{ matrix.x }} .\n")
	f.Add(uint8(3), "jobs:\n  a:\n    steps:\n      - run: |\n          echo T=a | tee -a $GITHUB_ENV\n          cat <<-EOF >> $GITHUB_ENV\n          \tU=b\n          EOF\n      - run: docker build --target $T$U .\n")
	f.Add(uint8(0), "x: &a\n  <<: *a\n  build: *a\nservices:\n  s: &s\n    extends: s\n    build:\n      <<: [*a, *s]\n      args: *a\n")
	f.Fuzz(func(t *testing.T, kind uint8, text string) {
		p := kinds[int(kind)%len(kinds)]
		for _, tg := range Extract(filepath.Dir(p), p, text) {
			if tg.File != p {
				continue // read from another file
			}
			if tg.Span.Start < 0 || tg.Span.End < tg.Span.Start || tg.Span.End > len(text) {
				t.Fatalf("%s: target %q span %v outside the %d-byte text", p, tg.Name, tg.Span, len(text))
			}
		}
		for _, a := range Scan(nil, DefaultLimits).BuildArgs(p, text) {
			if a.Span.Start < 0 || a.Span.End < a.Span.Start || a.Span.End > len(text) {
				t.Fatalf("%s: build argument %q span %v outside the %d-byte text", p, a.Name, a.Span, len(text))
			}
		}
	})
}
