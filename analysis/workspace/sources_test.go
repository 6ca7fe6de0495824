package workspace

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// TestSources scans the workspace archives the marker tests use and checks
// what each target source gives: the stage, the Dockerfile, and that the
// span holds the stage's name where the file writes it (a variable's value
// where it is assigned, a matrix entry, a Bake default).
func TestSources(t *testing.T) {
	want := map[string][]string{
		"scripts": {
			"Dockerfile: binary juststage lint local ci described shdefault unit",
			"Dockerfile.ci: citest",
			"docker/app.Dockerfile: flavored",
		},
		"workflow": {
			"Dockerfile: bakeset envstage inputdefault matrix-a matrix-b passed runstep",
			"ci/Dockerfile.ci: cistage",
			"variants/Dockerfile.alpine: variant",
			"web/Dockerfile: webstage",
		},
		"gitlab":          {"Dockerfile: gla glb", "Dockerfile.gl: gloption glscript glvalue glvalue"},
		"devcontainer":    {"Dockerfile: devcon"},
		"bake":            {"Dockerfile: actionstage appstage fromvar ma mb", "rel/Dockerfile: relstage"},
		"compose-extends": {"svc/Dockerfile: extstage", "svc2/Dockerfile: apistage"},
		"skaffold":        {"svc/Dockerfile: skaf skafdev"},
		"tilt":            {"svc/Dockerfile: tilt2 tiltstage"},
		"package-json":    {"apps/web/Dockerfile: prod"},
	}
	for name, want := range want {
		t.Run(name, func(t *testing.T) {
			archive, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "workspace", name+".txtar"))
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			files := map[string]string{}
			for _, f := range archive.Files {
				files[f.Name] = string(f.Data)
			}
			writeTree(t, root, files)
			ix := Scan([]string{root}, DefaultLimits)
			var got []string
			for _, df := range ix.Dockerfiles {
				var names []string
				for _, tg := range ix.TargetsFor(df) {
					names = append(names, tg.Name)
					text, err := os.ReadFile(tg.File)
					if err != nil {
						t.Fatal(err)
					}
					if at := string(text[tg.Span.Start:tg.Span.End]); at != tg.Name {
						t.Errorf("%s: target %q has span %v holding %q", tg.File, tg.Name, tg.Span, at)
					}
					if line := 1 + strings.Count(string(text[:tg.Span.Start]), "\n"); line != tg.Line {
						t.Errorf("%s: target %q on line %d, not %d", tg.File, tg.Name, line, tg.Line)
					}
				}
				if len(names) == 0 {
					continue
				}
				sort.Strings(names)
				rel, _ := filepath.Rel(root, df)
				got = append(got, filepath.ToSlash(rel)+": "+strings.Join(names, " "))
			}
			for i := range want {
				f := strings.Fields(want[i])
				sort.Strings(f[1:])
				want[i] = f[0] + " " + strings.Join(f[1:], " ")
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("targets (-want +got):\n%s", d)
			}
		})
	}
}
