package check

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/safety"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestFixStyleFilesOnDisk runs `stagehand check --fix` on each style file
// (testgen.StyleFiles: heredocs, backtick escape, CRLF and BOM, astral
// text, ...) written with mode 0640: the file is replaced whole, keeps its
// mode, line ends and BOM, holds what Fix gives (the fix-all the server
// offers, to its fixed point), BuildKit reads it, no temporary file is
// left, and a second --fix applies nothing.
func TestFixStyleFilesOnDisk(t *testing.T) {
	fixedSome := 0
	for _, f := range testgen.StyleFiles(t) {
		path := testgen.WriteDockerfile(t, f.Text, 0o640)
		dir := filepath.Dir(path)
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"--no-workspace", "--fix", path}, &stdout, &stderr); code == ExitUsage {
			t.Fatalf("%s: --fix exited %d: %s", f.Name, code, stderr.String())
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, n := Fix(f.Text, nil)
		if string(got) != want {
			t.Errorf("%s: --fix wrote\n%s\nwant\n%s", f.Name, got, want)
		}
		if n > 0 {
			fixedSome++
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode after --fix: %v %v", f.Name, info.Mode(), err)
		}
		if strings.HasPrefix(f.Text, "\ufeff") != strings.HasPrefix(string(got), "\ufeff") {
			t.Errorf("%s: the BOM was added or lost", f.Name)
		}
		if strings.Contains(f.Text, "\r\n") && strings.Contains(strings.ReplaceAll(string(got), "\r\n", ""), "\n") {
			t.Errorf("%s: a line ends in LF alone in a CRLF file:\n%q", f.Name, got)
		}
		if !safety.BuildKitReads(string(got)) {
			t.Errorf("%s: BuildKit rejects the fixed file:\n%s", f.Name, got)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: %d files in the folder after --fix, want the Dockerfile alone", f.Name, len(entries))
		}
		stderr.Reset()
		Main([]string{"--no-workspace", "--fix", path}, &stdout, &stderr)
		if again, _ := os.ReadFile(path); string(again) != string(got) || strings.Contains(stderr.String(), "applied") {
			t.Errorf("%s: a second --fix changed the file: %s", f.Name, stderr.String())
		}
	}
	if fixedSome == 0 {
		t.Error("--fix fixed none of the style files")
	}
}
