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
