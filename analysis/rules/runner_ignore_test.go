package rules

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadBuildIgnore: BuildKit reads <Dockerfile>.dockerignore beside the
// Dockerfile when there is one, else .dockerignore at the context's root;
// never the .dockerignore beside a Dockerfile below the context.
func TestLoadBuildIgnore(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".dockerignore", "fromroot\n")
	write("docker/app/.dockerignore", "besidedockerfile\n")
	write("docker/app/Dockerfile", "FROM scratch\n")
	write("docker/web/Dockerfile", "FROM scratch\n")
	write("docker/web/Dockerfile.dockerignore", "own\n")
	for _, c := range []struct {
		dockerfile, context, ignored, kept string
	}{
		{"docker/app/Dockerfile", ".", "fromroot", "besidedockerfile"},
		{"docker/app/Dockerfile", "docker/app", "besidedockerfile", "fromroot"},
		{"docker/web/Dockerfile", ".", "own", "fromroot"},
	} {
		m, err := LoadBuildIgnore(filepath.Join(root, c.dockerfile), filepath.Join(root, c.context))
		if err != nil || m == nil {
			t.Fatalf("%s in %s: %v, %v", c.dockerfile, c.context, m, err)
		}
		if ok, _ := m.MatchesOrParentMatches(c.ignored); !ok {
			t.Errorf("%s in %s: %s not ignored", c.dockerfile, c.context, c.ignored)
		}
		if ok, _ := m.MatchesOrParentMatches(c.kept); ok {
			t.Errorf("%s in %s: %s ignored", c.dockerfile, c.context, c.kept)
		}
	}
}
