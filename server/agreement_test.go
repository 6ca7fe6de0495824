package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/graph"
)

// agreementFiles are Dockerfiles where `stagehand check`, `stagehand
// graph` and the editor (diagnostics, code lenses, stagehand/stageGraph)
// could disagree on which stages are unused.
var agreementFiles = map[string]string{
	// Issue 11, item 7: a --from built from an ARG.
	"copy-from-arg": "FROM alpine\nRUN true\n\nFROM alpine AS one\nRUN true\n\nFROM alpine\nARG N=0\nCOPY --from=${N} /a /a\n",
	// A FROM pattern over a platform ARG, and a stage no pattern names.
	"from-pattern": "ARG TARGETARCH\nFROM alpine AS base-amd64\nFROM alpine AS base-arm64\nFROM alpine AS lonely\nFROM base-${TARGETARCH}\nRUN true\n",
	// Duplicates: the last stage of a name is the one used.
	"duplicates": "FROM alpine AS base\nFROM debian AS base\nFROM base\n",
	// An ONBUILD trigger copies from a stage nothing else uses.
	"onbuild": "FROM alpine AS assets\nFROM alpine AS parent\nONBUILD COPY --from=assets /a /a\nFROM parent\n",
	// FROM alpine AS alpine is the image.
	"same-name": "FROM alpine AS alpine\nFROM scratch AS scratch\nFROM alpine AS final\nCOPY --from=scratch / /\n",
	// ARG SOURCE_DATE_EPOCH names a stage.
	"epoch": "ARG SOURCE_DATE_EPOCH=epoch\nFROM scratch AS epoch\nCOPY x /x\nFROM alpine AS unused\nFROM alpine\n",
}

// TestCheckGraphEditorAgree runs the three on the same files and compares
// the unused stages each reports.
func TestCheckGraphEditorAgree(t *testing.T) {
	dir := t.TempDir()
	c := newTestClient(t)
	c.initialize()
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range agreementFiles {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		text := agreementFiles[name]
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".Dockerfile")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(text, "\n")
			fromLine := func(line int) string { return fmt.Sprintf("%d:%s", line, lines[line-1]) }

			// stagehand check
			var fromCheck []string
			for _, line := range checkUnusedLines(t, "--rule", "UnusedStage=warning", path) {
				fromCheck = append(fromCheck, fromLine(line))
			}

			// stagehand graph
			stageLines := stageLines(lines)
			var fromGraph []string
			for _, s := range graphUnusedStages(t, path) {
				fromGraph = append(fromGraph, fromLine(stageLines[s]))
			}

			// the editor: diagnostics, lenses and the stage graph
			u := uri.File(path)
			c.open(string(u), text, 1)
			var fromDiags []string
			for _, d := range c.diagnostics(string(u), 1) {
				if strings.Contains(codeOf(d), `"UnusedStage"`) {
					fromDiags = append(fromDiags, fromLine(int(d.Range.Start.Line)+1))
				}
			}
			var lenses []protocol.CodeLens
			if err := c.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &lenses); err != nil {
				t.Fatal(err)
			}
			var fromLenses []string
			for _, l := range lenses {
				if strings.Contains(l.Command.Title, "not used by any stage") {
					fromLenses = append(fromLenses, fromLine(int(l.Range.Start.Line)+1))
				}
			}
			var sg struct {
				Stages []struct {
					Unused bool           `json:"unused"`
					Range  protocol.Range `json:"range"`
				} `json:"stages"`
			}
			if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]string{"uri": string(u)}}, &sg); err != nil {
				t.Fatal(err)
			}
			var fromStageGraph []string
			for _, s := range sg.Stages {
				if s.Unused {
					fromStageGraph = append(fromStageGraph, fromLine(int(s.Range.Start.Line)+1))
				}
			}

			if d := cmp.Diff(fromCheck, fromGraph); d != "" {
				t.Errorf("check vs graph (-check +graph):\n%s", d)
			}
			if d := cmp.Diff(fromCheck, fromDiags); d != "" {
				t.Errorf("check vs editor diagnostics (-check +editor):\n%s", d)
			}
			if d := cmp.Diff(fromCheck, fromLenses); d != "" {
				t.Errorf("check vs code lenses (-check +lenses):\n%s", d)
			}
			if d := cmp.Diff(fromCheck, fromStageGraph); d != "" {
				t.Errorf("check vs stagehand/stageGraph (-check +stageGraph):\n%s", d)
			}
			if want := agreementUnused[name]; !cmp.Equal(want, fromCheck) {
				t.Errorf("unused stages = %q, want %q", fromCheck, want)
			}
		})
	}
}

// agreementUnused is what the three must agree on.
var agreementUnused = map[string][]string{
	"copy-from-arg": nil, // ${N} can name stage 0 (the default, N=0) or one: both are used
	"from-pattern":  {"4:FROM alpine AS lonely"},
	"duplicates":    {"1:FROM alpine AS base"},
	"onbuild":       nil,
	"same-name":     nil, // the third FROM alpine is built on the stage alpine
	"epoch":         {"4:FROM alpine AS unused"},
}

// stageLines returns the 1-based line of each FROM.
func stageLines(lines []string) []int {
	var out []int
	for i, l := range lines {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(l)), "FROM ") {
			out = append(out, i+1)
		}
	}
	return out
}

func codeOf(d protocol.Diagnostic) string {
	b, _ := json.Marshal(d.Code)
	return string(b)
}

// checkUnusedLines runs `stagehand check --format json` with args and
// returns the lines of its UnusedStage findings.
func checkUnusedLines(t *testing.T, args ...string) []int {
	t.Helper()
	var out, errb bytes.Buffer
	check.Main(append([]string{"--format=json"}, args...), &out, &errb)
	var findings []check.Finding
	if err := json.Unmarshal(out.Bytes(), &findings); err != nil {
		t.Fatalf("check output: %v\n%s%s", err, out.String(), errb.String())
	}
	var lines []int
	for _, f := range findings {
		if f.Rule == "UnusedStage" {
			lines = append(lines, f.Line)
		}
	}
	return lines
}

// graphUnusedStages runs `stagehand graph --format json` with args and
// returns the indexes of the stages it marks unused.
func graphUnusedStages(t *testing.T, args ...string) []int {
	t.Helper()
	var out, errb bytes.Buffer
	if code := graph.Main(append([]string{"--format", "json"}, args...), &out, &errb); code != 0 {
		t.Fatalf("graph %v: exit %d: %s", args, code, errb.String())
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
	var unused []int
	for _, s := range g.Stages {
		if s.Unused {
			unused = append(unused, s.Index)
		}
	}
	return unused
}

// eachWorkspaceArchive runs fn, in parallel subtests, on every archive of
// testdata/workspace written to a folder (root), with a client initialized
// on that folder.
func eachWorkspaceArchive(t *testing.T, fn func(t *testing.T, archive *txtar.Archive, root string, c *testClient)) {
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
			fn(t, archive, root, c)
		})
	}
}
