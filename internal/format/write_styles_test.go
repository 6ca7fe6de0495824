package format

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestWriteStyleFiles runs `stagehand fmt -w`, and `fmt -w --shell`, on
// each style file (testgen.StyleFiles) written with mode 0640: the file
// keeps its mode, line ends and BOM, BuildKit reads the same stages and
// instructions from it (keyword case aside), no temporary file is left,
// and `fmt -d` then finds nothing to change.
func TestWriteStyleFiles(t *testing.T) {
	for _, f := range testgen.StyleFiles(t) {
		for _, flags := range [][]string{{"-w"}, {"-w", "--shell"}} {
			path := testgen.WriteDockerfile(t, f.Text, 0o640)
			dir := filepath.Dir(path)
			var out, errb bytes.Buffer
			if code := Main(append(flags, path), &out, &errb); code != ExitOK {
				t.Fatalf("%s: fmt %v: %d %s", f.Name, flags, code, errb.String())
			}
			got, _ := os.ReadFile(path)
			if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
				t.Errorf("%s: mode after fmt %v: %v %v", f.Name, flags, info.Mode(), err)
			}
			if strings.HasPrefix(f.Text, "\ufeff") != strings.HasPrefix(string(got), "\ufeff") {
				t.Errorf("%s: fmt %v added or lost the BOM", f.Name, flags)
			}
			if strings.Contains(f.Text, "\r\n") && strings.Contains(strings.ReplaceAll(string(got), "\r\n", ""), "\n") {
				t.Errorf("%s: fmt %v left a line ending in LF alone in a CRLF file", f.Name, flags)
			}
			before, err1 := buildkitInstructions(f.Text, flags[len(flags)-1] == "--shell")
			after, err2 := buildkitInstructions(string(got), flags[len(flags)-1] == "--shell")
			if err1 != nil || err2 != nil {
				t.Errorf("%s: fmt %v: BuildKit: %v, %v", f.Name, flags, err1, err2)
			} else if before != after {
				t.Errorf("%s: fmt %v changed what BuildKit reads:\n%s\n---\n%s", f.Name, flags, before, after)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("%s: %d files in the folder after fmt %v", f.Name, len(entries), flags)
			}
			out.Reset()
			if code := Main(append([]string{"-d"}, append(flags[1:], path)...), &out, &errb); code != ExitOK || out.Len() > 0 {
				t.Errorf("%s: fmt %v is not idempotent: %d\n%s", f.Name, flags, code, out.String())
			}
		}
	}
}

// buildkitInstructions renders the stages and instructions BuildKit reads
// from text, keywords in lower case; with shellFormatted set, a RUN's
// shell form script is left out, for --shell formats it (BuildKit then
// reads the same program, not the same text).
func buildkitInstructions(text string, shellFormatted bool) (string, error) {
	res, err := parser.Parse(strings.NewReader(text))
	if err != nil {
		return "", err
	}
	quiet := linter.New(&linter.Config{Warn: func(string, string, string, string, []parser.Range) {}})
	stages, meta, err := instructions.Parse(res.AST, quiet)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, a := range meta {
		b.WriteString("ARG " + a.String() + "\n")
	}
	for _, s := range stages {
		b.WriteString("FROM " + s.BaseName + " AS " + s.Name + " " + s.Platform + "\n")
		for _, c := range s.Commands {
			if r, ok := c.(*instructions.RunCommand); ok && shellFormatted && r.PrependShell {
				b.WriteString("run (shell form, formatted)\n")
				continue
			}
			line := fmt.Sprint(c)
			if k, rest, ok := strings.Cut(line, " "); ok {
				line = strings.ToLower(k) + " " + rest
			} else {
				line = strings.ToLower(line)
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String(), nil
}
