package main

import (
	"os"
	"regexp"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// TestPrecommitHooksSelectDockerfiles checks that each hook of
// .pre-commit-hooks.yaml runs on exactly the files `stagehand check DIR`
// takes for Dockerfiles (workspace.IsDockerfile): pre-commit passes a hook
// the files its `files` pattern matches and its `exclude` pattern does not
// (Python's re.search; these patterns mean the same in Go's regexp). A
// Dockerfile.dockerignore or Dockerfile.md given to `stagehand check` fails
// the commit with an "unknown instruction" on every line, and `stagehand
// fmt -w` would rewrite it.
func TestPrecommitHooksSelectDockerfiles(t *testing.T) {
	raw, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID      string `yaml:"id"`
		Files   string `yaml:"files"`
		Exclude string `yaml:"exclude"`
	}
	if err := yaml.Unmarshal(raw, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks in .pre-commit-hooks.yaml")
	}
	names := []string{
		"Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "containerfile",
		"Dockerfile.prod", "dockerfile.dev", "Containerfile.alpine",
		"web.Dockerfile", "web.dockerfile", "app.Containerfile", "app.containerfile",
		"sub/dir/Dockerfile", "sub/dir/api.dockerfile", "a.b/Dockerfile.x",
		"Dockerfile.dockerignore", "web.Dockerfile.dockerignore", "Dockerfile.md", "Dockerfile.MD",
		"Dockerfile.sh", "Dockerfile.yaml", "Dockerfile.yml", "Dockerfile.json", "Dockerfile.txt",
		"Dockerfile.go", "Dockerfile.orig", "Dockerfile.swp", "Dockerfile.bak",
		"dockerfile.go", "frontend/dockerfile/dockerfile.go", ".dockerignore", "Dockerfiles/README",
		"README.md", "compose.yaml", "docker-bake.hcl", "MyDockerfile", "Dockerfile-old", "notes.Dockerfile.md",
	}
	for _, h := range hooks {
		files, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files: %v", h.ID, err)
		}
		exclude := regexp.MustCompile("^$") // pre-commit's default
		if h.Exclude != "" {
			if exclude, err = regexp.Compile(h.Exclude); err != nil {
				t.Fatalf("hook %s: exclude: %v", h.ID, err)
			}
		}
		for _, name := range names {
			got := files.MatchString(name) && !exclude.MatchString(name)
			if want := workspace.IsDockerfile(name); got != want {
				t.Errorf("hook %s runs on %q: %v, but stagehand takes it for a Dockerfile: %v", h.ID, name, got, want)
			}
		}
	}
}
