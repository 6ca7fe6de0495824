package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindRoot(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	writeTree(t, home, map[string]string{
		".git/HEAD":              "dotfiles\n",
		"src/app/.git/HEAD":      "app\n",
		"src/app/svc/Dockerfile": "FROM a\n",
		"scratch/x/Dockerfile":   "FROM a\n",
	})
	for path, want := range map[string]string{
		"src/app/svc/Dockerfile": "src/app",
		"src/app/svc":            "src/app",
		"src/app":                "src/app",
		// Under the home folder's own .git: the folder itself, not home.
		"scratch/x":            "scratch/x",
		"scratch/x/Dockerfile": "scratch/x",
	} {
		if got := FindRoot(filepath.Join(home, path)); got != filepath.Join(home, want) {
			t.Errorf("FindRoot(%s) = %s, want %s", path, got, filepath.Join(home, want))
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".git")); err != nil {
		t.Fatal(err)
	}
}

// TestProjectIgnore: the settings file's ignore patterns leave paths out
// of the scan and of Dockerfiles, and a `!` pattern brings one back.
func TestProjectIgnore(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		SettingsFile:             "ignore: [\"legacy/**\", \"!legacy/keep/**\"]\n",
		"Dockerfile":             "FROM a\n",
		"legacy/Dockerfile":      "FROM a\n",
		"legacy/keep/Dockerfile": "FROM a\n",
		"legacy/compose.yaml":    "services:\n  s:\n    build:\n      context: ..\n      target: x\n",
	})
	p := LoadProject([]string{root})
	if errs := p.Problems(); len(errs) != 0 {
		t.Fatal(errs)
	}
	ix := p.Scan(DefaultLimits)
	want := []string{filepath.Join(root, "Dockerfile"), filepath.Join(root, "legacy/keep/Dockerfile")}
	if len(ix.Dockerfiles) != 2 || ix.Dockerfiles[0] != want[0] || ix.Dockerfiles[1] != want[1] {
		t.Errorf("Dockerfiles %v, want %v", ix.Dockerfiles, want)
	}
	if ts := ix.TargetsFor(filepath.Join(root, "Dockerfile")); len(ts) != 0 {
		t.Errorf("an ignored Compose file names %v", ts)
	}
	if got := Dockerfiles(root, p.Ignored); len(got) != 2 {
		t.Errorf("Dockerfiles(root) = %v, want the scan's", got)
	}
}
