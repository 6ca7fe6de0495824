package testgen

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Style is one Dockerfile of testdata/codeaction/styles, the acceptance
// files in styles the corpus lacks.
type Style struct {
	Name string // the file's name without .Dockerfile, "-crlf" added for the variant
	Text string
}

// StyleFiles returns testdata/codeaction/styles' Dockerfiles (heredocs, a
// backtick escape with Windows paths, CRLF and a BOM, astral text before
// names, global ARGs in FROM, --platform, numeric --from and mount from=,
// ONBUILD, comments and blank lines inside continuations, # check=
// directives), each with LF line ends also given with CRLF line ends and
// a BOM, sorted by name.
func StyleFiles(tb testing.TB) []Style {
	tb.Helper()
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			break
		}
		if parent := filepath.Dir(dir); parent != dir {
			dir = parent
		} else {
			err = os.ErrNotExist
		}
	}
	if err != nil {
		tb.Fatalf("no go.mod above the working directory: %v", err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "testdata", "codeaction", "styles", "*.Dockerfile"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no style files: %v", err)
	}
	var out []Style
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		name, text := strings.TrimSuffix(filepath.Base(p), ".Dockerfile"), string(b)
		out = append(out, Style{name, text})
		if !strings.Contains(text, "\r\n") {
			out = append(out, Style{name + "-crlf", "\ufeff" + strings.ReplaceAll(text, "\n", "\r\n")})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// WriteDockerfile writes text to a Dockerfile in a new temporary folder
// with mode perm (set again after the umask), for the tests of what the
// commands write on disk, and returns its path.
func WriteDockerfile(tb testing.TB, text string, perm os.FileMode) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "Dockerfile")
	if err := os.WriteFile(path, []byte(text), perm); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		tb.Fatal(err)
	}
	return path
}
