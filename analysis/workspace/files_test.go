package workspace

import (
	"path"
	"strings"
	"testing"
)

func TestIsDockerfile(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile": true, "dockerfile": true, "Containerfile": true, "app.Dockerfile": true, "web.dockerfile": true,
		"Dockerfile.prod": true, "dev.containerfile": true, "Containerfile.ci": true, "svc/Dockerfile": true,
		"Dockerfilex": false, "Dockerfile.dockerignore": false, "dockerfile.go": false, "README.md": false,
		"Dockerfile.": false, "compose.yaml": false,
	} {
		if got := IsDockerfile(name); got != want {
			t.Errorf("IsDockerfile(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestDockerfileGlob: the file watchers' glob names what IsDockerfile
// accepts, in the spellings the glob lists.
func TestDockerfileGlob(t *testing.T) {
	g := DockerfileGlob()
	alts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(g, "**/{"), "}"), ",")
	if len(alts) < len(dockerfileNames) {
		t.Fatalf("glob %q lists fewer names than %v", g, dockerfileNames)
	}
	for _, name := range []string{"Dockerfile", "dockerfile", "Containerfile", "a.Dockerfile", "a.dockerfile", "Dockerfile.ci", "dockerfile.ci", "a.containerfile", "Containerfile.ci"} {
		matched := false
		for _, a := range alts {
			if ok, _ := path.Match(a, name); ok {
				matched = true
			}
		}
		if !matched || !IsDockerfile(name) {
			t.Errorf("%s: glob matches %v, IsDockerfile %v; want both", name, matched, IsDockerfile(name))
		}
	}
}

// expandBraces expands the {a,b} alternatives of an LSP glob.
func expandBraces(g string) []string {
	i := strings.Index(g, "{")
	if i < 0 {
		return []string{g}
	}
	j := strings.Index(g[i:], "}") + i
	var out []string
	for _, alt := range strings.Split(g[i+1:j], ",") {
		out = append(out, expandBraces(g[:i]+alt+g[j+1:])...)
	}
	return out
}

// globMatches matches a relative path against an LSP glob of the shape
// "**/rest": rest matched against the path's last segments.
func globMatches(g, rel string) bool {
	for _, alt := range expandBraces(g) {
		rest := strings.TrimPrefix(alt, "**/")
		n := strings.Count(rest, "/") + 1
		parts := strings.Split(rel, "/")
		if len(parts) < n {
			continue
		}
		if ok, _ := path.Match(rest, strings.Join(parts[len(parts)-n:], "/")); ok {
			return true
		}
	}
	return false
}

// TestTargetGlobs: the server watches every kind of file Classify reads.
func TestTargetGlobs(t *testing.T) {
	for _, rel := range []string{
		"compose.yaml", "svc/docker-compose.override.yml", "docker-bake.hcl", "docker-bake.json",
		".github/workflows/ci.yml", "Makefile", "build/rules.mk", "justfile", "scripts/build.sh",
		".gitlab-ci.yml", "ci/app.gitlab-ci.yml", ".gitlab/ci/build.yml", ".devcontainer/devcontainer.json",
		".devcontainer.json", "skaffold.yaml", "Tiltfile", "apps/web/package.json",
	} {
		if Classify("/w/"+rel) == NotTargets {
			t.Errorf("Classify(%s) = none", rel)
		}
		matched := false
		for _, g := range TargetGlobs {
			matched = matched || globMatches(g, rel)
		}
		if !matched {
			t.Errorf("no watcher glob matches %s", rel)
		}
	}
	// And the files they read through: a Compose file's .env.
	for _, rel := range []string{".env", "svc/.env"} {
		matched := false
		for _, g := range ReadThroughGlobs {
			matched = matched || globMatches(g, rel)
		}
		if !matched {
			t.Errorf("no watcher glob matches %s", rel)
		}
	}
}
