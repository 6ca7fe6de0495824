package check

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestComposeContext runs check on the project of the server's marker test
// testdata/workspace/context.txtar: the Dockerfiles that Compose and Bake
// build with the root as context read the root's package.json, so
// SourceCopiedTooEarly is reported on them, and not on the one nothing
// builds, whose folder holds no manifest.
func TestComposeContext(t *testing.T) {
	archive, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "workspace", "context.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{".git/HEAD": "ref: refs/heads/main\n"}
	for _, f := range archive.Files {
		if !strings.HasPrefix(f.Name, "@") {
			files[f.Name] = string(f.Data)
		}
	}
	root := writeTree(t, files)
	var stdout, stderr bytes.Buffer
	Main([]string{root}, &stdout, &stderr)
	out := filepath.ToSlash(stdout.String())
	for _, df := range []string{"docker/app/Dockerfile", "docker/api/Dockerfile"} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			found = found || strings.Contains(line, df+":5:1: ") && strings.HasSuffix(line, "[SourceCopiedTooEarly]")
		}
		if !found {
			t.Errorf("%s: SourceCopiedTooEarly not reported at 5:1:\n%s\n%s", df, out, stderr.String())
		}
	}
	if strings.Contains(out, "docker/lone/Dockerfile") {
		t.Errorf("docker/lone/Dockerfile: its own folder is its context, yet:\n%s", out)
	}
	// Without the project, each Dockerfile's folder is its context.
	stdout.Reset()
	Main([]string{"--no-workspace", root}, &stdout, &stderr)
	if strings.Contains(stdout.String(), "SourceCopiedTooEarly") {
		t.Errorf("--no-workspace: the Compose context was used:\n%s", stdout.String())
	}
}
