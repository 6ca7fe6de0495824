package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
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

// TestSharedContexts checks that the contexts a run shares are the ones
// LoadBuildContext reads for each file: a folder's .dockerignore for the
// Dockerfiles without one of their own, their own where they have it (a
// broken one reported), nothing for a folder without ignore files.
func TestSharedContexts(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/.dockerignore":               "*.log\nnode_modules\n",
		"a/Dockerfile":                  "FROM a\n",
		"a/Dockerfile.dev":              "FROM a\n",
		"a/own.Dockerfile":              "FROM a\n",
		"a/own.Dockerfile.dockerignore": "secret\n",
		"a/bad.Dockerfile":              "FROM a\n",
		"a/bad.Dockerfile.dockerignore": "[\n",
		"b/Dockerfile":                  "FROM b\n",
	})
	var c contexts
	for range 2 {
		for _, f := range []string{"a/Dockerfile", "a/own.Dockerfile", "a/Dockerfile.dev", "a/bad.Dockerfile", "b/Dockerfile"} {
			file := filepath.Join(root, f)
			dir := filepath.Dir(file)
			got, gotErr := c.load(file, dir)
			want, wantErr := workspace.LoadBuildContext(file, dir)
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Errorf("%s: error %v, want %v", f, gotErr, wantErr)
			}
			if (got.FS == nil) != (want.FS == nil) || (got.Ignore == nil) != (want.Ignore == nil) {
				t.Fatalf("%s: context %+v, want %+v", f, got, want)
			}
			if want.Ignore != nil && fmt.Sprint(got.Ignore.Patterns()) != fmt.Sprint(want.Ignore.Patterns()) {
				t.Errorf("%s: patterns %v, want %v", f, got.Ignore.Patterns(), want.Ignore.Patterns())
			}
		}
	}
	if len(c.byDir) != 2 {
		t.Errorf("%d folders shared, want 2 (a, b)", len(c.byDir))
	}
	if got, _ := c.load(filepath.Join(root, "a/own.Dockerfile"), filepath.Join(root, "a")); got.Ignore == nil || got.Ignore.Patterns()[0].String() != "secret" {
		t.Errorf("own.Dockerfile: its own ignore file not read")
	}
}

// countingFS counts the calls that reach a file system.
type countingFS struct {
	fs.FS
	calls int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.calls++
	return c.FS.Open(name)
}

// TestMemoFS checks that memoFS answers Stat, ReadDir and ReadFile as the
// file system it wraps does, errors included, asks it once per name, and
// hands out lists and contents the caller may change.
func TestMemoFS(t *testing.T) {
	inner := fstest.MapFS{
		"package.json":   {Data: []byte(`{"name": "x"}`)},
		"src/main.go":    {Data: []byte("package main\n")},
		"src/lib/lib.go": {Data: []byte("package lib\n")},
	}
	counted := &countingFS{FS: inner}
	m := &memoFS{fsys: counted}
	names := []string{"package.json", "src", "src/main.go", "src/lib", "missing", "src/missing.go", "."}
	afterFirst := 0
	for round := range 3 {
		for _, name := range names {
			gotInfo, gotErr := m.Stat(name)
			wantInfo, wantErr := fs.Stat(inner, name)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || (gotInfo == nil) != (wantInfo == nil) || gotInfo != nil && (gotInfo.Name() != wantInfo.Name() || gotInfo.IsDir() != wantInfo.IsDir() || gotInfo.Size() != wantInfo.Size()) {
				t.Errorf("Stat(%q) = %v, %v; want %v, %v", name, gotInfo, gotErr, wantInfo, wantErr)
			}
			gotList, gotErr := m.ReadDir(name)
			wantList, wantErr := fs.ReadDir(inner, name)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || fmt.Sprint(gotList) != fmt.Sprint(wantList) {
				t.Errorf("ReadDir(%q) = %v, %v; want %v, %v", name, gotList, gotErr, wantList, wantErr)
			}
			gotData, gotErr := m.ReadFile(name)
			wantData, wantErr := fs.ReadFile(inner, name)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !bytes.Equal(gotData, wantData) {
				t.Errorf("ReadFile(%q) = %q, %v; want %q, %v", name, gotData, gotErr, wantData, wantErr)
			}
			for i := range gotData {
				gotData[i] = 'x' // the caller's to change
			}
			if len(gotList) > 0 {
				gotList[0] = nil
			}
		}
		if round == 0 {
			afterFirst = counted.calls
		}
	}
	if afterFirst == 0 || counted.calls != afterFirst {
		t.Errorf("the wrapped file system was asked %d times in the first round, %d after", afterFirst, counted.calls-afterFirst)
	}
}
