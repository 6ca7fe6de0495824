package graph

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis/features"
)

func write(t *testing.T, text string) string {
	path := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestGraphCommand(t *testing.T) {
	path := write(t, "FROM golang AS build\nFROM build AS test\nFROM alpine AS lint\nFROM scratch\nCOPY --from=build /a /a\n")
	var out, errOut bytes.Buffer
	if code := Main([]string{"--format", "json", "--target", "test", path}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var g features.Graph
	if err := json.Unmarshal(out.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Stages) != 4 || !g.Stages[1].Target || !g.Stages[2].Unused || g.Stages[0].Unused || !g.Stages[3].Final {
		t.Errorf("stages: %+v", g.Stages)
	}
	for format, want := range map[string]string{"mermaid": "s0 -->|copy-from| s3", "dot": "s0 -> s3 [label=\"copy-from\"]"} {
		out.Reset()
		if code := Main([]string{"--format", format, path}, &out, &errOut); code != 0 || !strings.Contains(out.String(), want) {
			t.Errorf("%s: exit %d, output lacks %q:\n%s", format, code, want, out.String())
		}
	}
	for _, args := range [][]string{{}, {"--format", "svg", path}, {"--target", "nope", path}, {filepath.Join(t.TempDir(), "missing")}, {write(t, "FROM a\nRUN <<EOF\n")}} {
		if code := Main(args, &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// A folder stands for its Dockerfile, as in `docker build DIR`; a folder
// without one names the Dockerfiles under it.
func TestGraphFolder(t *testing.T) {
	path := write(t, "FROM golang AS build\nFROM scratch\nCOPY --from=build /a /a\n")
	var out, errOut bytes.Buffer
	if code := Main([]string{"--no-workspace", filepath.Dir(path)}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "s0 -->|copy-from| s1") {
		t.Fatalf("folder with a Dockerfile: exit %d, %s%s", code, out.String(), errOut.String())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.dockerfile"), []byte("FROM alpine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	if code := Main([]string{dir}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "api.dockerfile") || strings.Contains(errOut.String(), "d---") {
		t.Errorf("folder without a Dockerfile: exit %d, stderr %q", code, errOut.String())
	}
}
