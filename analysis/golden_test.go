package analysis

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestIndexGolden parses testdata/index/<case>/Dockerfile and compares the
// index's dump with the case's result file.
func TestIndexGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "index", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			ix := Parse(NewDocument(string(src)))
			got := ix.Dump()
			for _, e := range ix.Errors() {
				got += "error " + ix.Doc.Slice(e.Span) + ": " + e.Message + "\n"
			}
			resultPath := filepath.Join(dir, "result")
			if *update {
				if err := os.WriteFile(resultPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(resultPath)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("index differs (-want +got):\n%s", d)
			}
			if e := checkSpans(ix); e != "" {
				t.Error(e)
			}
		})
	}
}
