package server

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/graph"
)

// TestGraphAgreesWithCheckInWorkspaces runs `stagehand check`, `stagehand
// graph` and stagehand/stageGraph on every workspace archive: a stage the
// project's Makefile, workflow, Compose or Bake file builds is used in all
// three, not only in check and the diagnostics.
func TestGraphAgreesWithCheckInWorkspaces(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "workspace", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no workspace archives: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			archive, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			root := writeArchive(t, archive)
			c := newTestClient(t)
			c.initializeWorkspace(root)
			for _, f := range archive.Files {
				if f.Name[0] == '@' {
					continue
				}
				c.openAs(fileURI(root, f.Name), languageOf(f.Name), string(f.Data))
			}
			for _, f := range archive.Files {
				if f.Name[0] == '@' || !workspace.IsDockerfile(f.Name) {
					continue
				}
				file := filepath.Join(root, f.Name)
				lines := strings.Split(string(f.Data), "\n")
				from := stageLines(lines)

				var out, errb bytes.Buffer
				check.Main([]string{"--format=json", "--root", root, file}, &out, &errb)
				var findings []check.Finding
				if err := json.Unmarshal(out.Bytes(), &findings); err != nil {
					t.Fatalf("check output: %v\n%s%s", err, out.String(), errb.String())
				}
				var fromCheck []int
				for _, fd := range findings {
					if fd.Rule == "UnusedStage" {
						fromCheck = append(fromCheck, fd.Line)
					}
				}

				out.Reset()
				if code := graph.Main([]string{"--format", "json", "--root", root, file}, &out, &errb); code != 0 {
					t.Fatalf("graph %s: exit %d: %s", f.Name, code, errb.String())
				}
				var g struct {
					Stages []struct {
						Index  int  `json:"index"`
						Unused bool `json:"unused"`
					} `json:"stages"`
				}
				if err := json.Unmarshal(out.Bytes(), &g); err != nil {
					t.Fatal(err)
				}
				var fromGraph []int
				for _, s := range g.Stages {
					if s.Unused {
						fromGraph = append(fromGraph, from[s.Index])
					}
				}

				var sg struct {
					Stages []struct {
						Unused bool           `json:"unused"`
						Range  protocol.Range `json:"range"`
					} `json:"stages"`
				}
				if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]string{"uri": fileURI(root, f.Name)}}, &sg); err != nil {
					t.Fatal(err)
				}
				var fromEditor []int
				for _, s := range sg.Stages {
					if s.Unused {
						fromEditor = append(fromEditor, int(s.Range.Start.Line)+1)
					}
				}
				var lenses []protocol.CodeLens
				if err := c.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(fileURI(root, f.Name))}}, &lenses); err != nil {
					t.Fatal(err)
				}
				// A stage no stage uses is unused unless a "built by" lens
				// names what builds it.
				builtBy := map[uint32]bool{}
				for _, l := range lenses {
					if strings.HasPrefix(l.Command.Title, "built by ") {
						builtBy[l.Range.Start.Line] = true
					}
				}
				var fromLenses []int
				for _, l := range lenses {
					if unused := strings.Contains(l.Command.Title, "not used by any stage") || strings.Contains(l.Command.Title, "not built:"); unused && !builtBy[l.Range.Start.Line] {
						fromLenses = append(fromLenses, int(l.Range.Start.Line)+1)
					}
				}
				if d := cmp.Diff(fromCheck, fromLenses); d != "" {
					t.Errorf("%s: unused stages' lines, check (-) vs code lenses (+):\n%s", f.Name, d)
				}
				if d := cmp.Diff(fromCheck, fromGraph); d != "" {
					t.Errorf("%s: unused stages' lines, check (-) vs graph (+):\n%s", f.Name, d)
				}
				if d := cmp.Diff(fromCheck, fromEditor); d != "" {
					t.Errorf("%s: unused stages' lines, check (-) vs stagehand/stageGraph (+):\n%s", f.Name, d)
				}
			}
		})
	}
}
