package graph

import (
	"bytes"
	"flag"
	"github.com/stagehand-ls/stagehand/internal/testgen"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden graphs")

// The corpus's largest multi-stage files, drawn in each format.
var goldenFiles = []string{
	"moby__buildkit__Dockerfile",
	"docker__buildx__Dockerfile",
	"docker-mailserver__docker-mailserver__Dockerfile",
}

func TestGraphGolden(t *testing.T) {
	corpus := testgen.RequireCorpus(t)
	for _, name := range goldenFiles {
		for _, format := range []string{"mermaid", "dot", "json"} {
			t.Run(name+"."+format, func(t *testing.T) {
				var out, errOut bytes.Buffer
				if code := Main([]string{"--no-workspace", "--format", format, filepath.Join(corpus, name)}, &out, &errOut); code != 0 {
					t.Fatalf("exit %d: %s", code, errOut.String())
				}
				golden := filepath.Join("..", "..", "testdata", "graph", name+"."+format)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update)", err)
				}
				if d := cmp.Diff(string(want), out.String()); d != "" {
					t.Errorf("graph differs (-want +got):\n%s", d)
				}
			})
		}
	}
}
