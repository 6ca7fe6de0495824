package server

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
)

// TestGraphAgreesWithCheckInWorkspaces runs `stagehand check`, `stagehand
// graph` and stagehand/stageGraph on every workspace archive: a stage the
// project's Makefile, workflow, Compose or Bake file builds is used in all
// three, not only in check and the diagnostics.
func TestGraphAgreesWithCheckInWorkspaces(t *testing.T) {
	eachWorkspaceArchive(t, func(t *testing.T, archive *txtar.Archive, root string, c *testClient) {
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

			fromCheck := checkUnusedLines(t, "--root", root, file)
			var fromGraph []int
			for _, s := range graphUnusedStages(t, "--root", root, file) {
				fromGraph = append(fromGraph, from[s])
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
