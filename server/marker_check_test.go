package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis/workspace"
	"github.com/stagehand-ls/stagehand/internal/check"
)

// TestCheckAgreesWithServer runs `stagehand check` and the server on every
// workspace archive: both must report the same diagnostics in the
// Dockerfiles and in the files naming targets, since both see the same
// project. The markers in the
// archives pin what the server says; this pins the CLI to it.
func TestCheckAgreesWithServer(t *testing.T) {
	eachWorkspaceArchive(t, func(t *testing.T, archive *txtar.Archive, root string, c *testClient) {
		var server []string
		for _, f := range archive.Files {
			if f.Name[0] == '@' {
				continue
			}
			u := fileURI(root, f.Name)
			c.openAs(u, languageOf(f.Name), string(f.Data))
			if !workspace.IsDockerfile(f.Name) && workspace.Classify(f.Name) == workspace.NotTargets {
				continue
			}
			for _, d := range c.diagnostics(u, 1) {
				code, _ := d.Code.(protocol.String)
				sev := map[protocol.DiagnosticSeverity]string{
					protocol.DiagnosticSeverityError: "error", protocol.DiagnosticSeverityWarning: "warning",
					protocol.DiagnosticSeverityInformation: "information", protocol.DiagnosticSeverityHint: "hint",
				}[d.Severity]
				server = append(server, fmt.Sprintf("%s:%d:%d: %s %s %s", f.Name, d.Range.Start.Line+1, d.Range.Start.Character+1, sev, code, d.Message.(protocol.String)))
			}
		}
		var stdout, stderr bytes.Buffer
		check.Main([]string{"--format=json", "--root", root, root}, &stdout, &stderr)
		var findings []check.Finding
		if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
			t.Fatalf("check output: %v\n%s\n%s", err, stdout.String(), stderr.String())
		}
		var cli []string
		for _, f := range findings {
			rel, _ := filepath.Rel(root, f.Path)
			cli = append(cli, fmt.Sprintf("%s:%d:%d: %s %s %s", filepath.ToSlash(rel), f.Line, f.Column, f.Severity, f.Rule, f.Message))
		}
		sort.Strings(server)
		sort.Strings(cli)
		if len(server) == 0 {
			t.Error("the server reported nothing: the archive should hold a reported stage")
		}
		if d := cmp.Diff(server, cli); d != "" {
			t.Errorf("server (-) and check (+) disagree:\n%s", d)
		}
	})
}
