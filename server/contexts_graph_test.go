package server

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"

	"github.com/stagehand-ls/stagehand/analysis/features"
	"github.com/stagehand-ls/stagehand/internal/check"
	"github.com/stagehand-ls/stagehand/internal/graph"
)

// TestNamedContextGraphAgrees opens the named-context workspace archives in
// the server and runs `stagehand graph` and `stagehand check` on them: the
// stage graph (context nodes, their edges, replaced and unused stages),
// the code lenses and UnusedStage must say the same, and what they say is
// pinned: a reference to a context comes from a context node, a stage a
// context replaces is not built, nor what only it uses.
func TestNamedContextGraphAgrees(t *testing.T) {
	type summary struct {
		Contexts []string // id kind label source
		Edges    []string // from -> to kind
		Replaced []string // stage <- context id
		Unused   []int
	}
	want := map[string]summary{
		"named-contexts.txtar": {
			Contexts: []string{"c0 context deps = docker-image://alpine:3 compose.yaml:6, service app", "c1 context assets = ./assets docker-bake.hcl:4, target app", "c2 context vendored = ../vendor build.sh:2, docker build"},
			Edges:    []string{"s0 -> 1 copy-from", "c0 -> 1 copy-from", "c0 -> 1 mount-from", "c1 -> 1 mount-from", "c2 -> 1 copy-from"},
		},
		"named-contexts-replace.txtar": {
			Contexts: []string{"c0 context deps = docker-image://alpine:3 compose.yaml:6, service app"},
			Edges:    []string{"s0 -> 1 copy-from", "s2 -> 3 copy-from", "c0 -> 3 copy-from"},
			Replaced: []string{"1 <- c0"},
			Unused:   []int{0, 1},
		},
	}
	summarize := func(g features.Graph) summary {
		var s summary
		for _, c := range g.Contexts {
			s.Contexts = append(s.Contexts, strings.Join([]string{c.ID, c.Kind, c.Label, c.Source}, " "))
		}
		for _, e := range g.Edges {
			from := "s" + strconv.Itoa(e.From)
			if e.Context != "" {
				from = e.Context
			}
			s.Edges = append(s.Edges, from+" -> "+strconv.Itoa(e.To)+" "+e.Kind)
		}
		for _, st := range g.Stages {
			if st.Replaced != "" {
				s.Replaced = append(s.Replaced, strconv.Itoa(st.Index)+" <- "+st.Replaced)
			}
			if st.Unused {
				s.Unused = append(s.Unused, st.Index)
			}
		}
		return s
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			archive, err := txtar.ParseFile(filepath.Join("..", "testdata", "workspace", name))
			if err != nil {
				t.Fatal(err)
			}
			root := writeArchive(t, archive)
			path := filepath.Join(root, "Dockerfile")
			c := newTestClient(t)
			c.initializeWorkspace(root)
			var text string
			for _, f := range archive.Files {
				if f.Name == "Dockerfile" {
					text = string(f.Data)
				}
			}
			u := fileURI(root, "Dockerfile")
			c.openAs(u, "dockerfile", text)
			c.diagnostics(u, 1)

			var sg features.Graph
			if err := c.call("stagehand/stageGraph", map[string]any{"textDocument": map[string]string{"uri": u}}, &sg); err != nil {
				t.Fatal(err)
			}
			editor := summarize(sg)
			if d := cmp.Diff(w, editor); d != "" {
				t.Errorf("stagehand/stageGraph (-want +got):\n%s", d)
			}

			var out, errb bytes.Buffer
			if code := graph.Main([]string{"--format", "json", "--root", root, path}, &out, &errb); code != 0 {
				t.Fatalf("graph: exit %d: %s", code, errb.String())
			}
			var g features.Graph
			if err := json.Unmarshal(out.Bytes(), &g); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(editor, summarize(g)); d != "" {
				t.Errorf("stageGraph vs stagehand graph (-editor +cli):\n%s", d)
			}
			out.Reset()
			if code := graph.Main([]string{"--format", "mermaid", "--root", root, path}, &out, &errb); code != 0 || (len(w.Contexts) > 0 && !strings.Contains(out.String(), `c0[/"deps<br/><small>docker-image://alpine:3</small>"/]`)) {
				t.Errorf("graph mermaid: exit %d, no deps node:\n%s", code, out.String())
			}

			// UnusedStage (check) and the lenses mark the same stages.
			lines := map[int]int{} // the 1-based line of each FROM, to its stage
			for s, l := range stageLines(strings.Split(text, "\n")) {
				lines[l] = s
			}
			out.Reset()
			check.Main([]string{"--format", "json", "--root", root, "--rule", "UnusedStage=warning", path}, &out, &errb)
			var findings []check.Finding
			if err := json.Unmarshal(out.Bytes(), &findings); err != nil {
				t.Fatalf("check: %v\n%s", err, out.String())
			}
			var fromCheck, fromLenses []int
			for _, f := range findings {
				if f.Rule == "UnusedStage" {
					fromCheck = append(fromCheck, lines[f.Line])
				}
			}
			var lenses []protocol.CodeLens
			if err := c.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)}}, &lenses); err != nil {
				t.Fatal(err)
			}
			for _, l := range lenses {
				if t := l.Command.Title; strings.Contains(t, "not used by any stage") || strings.Contains(t, "not built") {
					fromLenses = append(fromLenses, lines[int(l.Range.Start.Line)+1])
				}
			}
			if d := cmp.Diff(editor.Unused, fromCheck); d != "" {
				t.Errorf("stageGraph vs check's UnusedStage (-graph +check):\n%s", d)
			}
			if d := cmp.Diff(editor.Unused, fromLenses); d != "" {
				t.Errorf("stageGraph vs code lenses (-graph +lenses):\n%s", d)
			}
		})
	}
}
