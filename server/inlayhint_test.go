package server

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis/rules"
)

func TestParseComfort(t *testing.T) {
	for raw, want := range map[string]bool{
		``:                                   true,
		`{"rules": {}}`:                      true,
		`{"inlayHints": {"enabled": false}}`: false,
		`{"stagehand": {"inlayHints": {"enabled": false}}}`: false,
		`{"stagehand": {"inlayHints": {"enabled": true}}}`:  true,
		`{"stagehand.inlayHints": {"enabled": false}}`:      false,
	} {
		st, errs := parseSettings([]byte(raw))
		if len(errs) > 0 || st.InlayHints != want {
			t.Errorf("parseSettings(%q): hints %v, %v; want %v", raw, st.InlayHints, errs, want)
		}
	}
	if st, _ := parseSettings([]byte(`{"format": {"indent": 2}}`)); st.Format.Indent != 2 {
		t.Errorf("format.indent: %d", st.Format.Indent)
	}
	// A mistake in one key leaves the others in force.
	st, errs := parseSettings([]byte(`{"format": {"indent": "two"}, "inlayHints": {"enabled": false}, "rules": {"UnusedStage": "off"}}`))
	if len(errs) != 1 || st.InlayHints || st.Rules.Severity["UnusedStage"] != rules.Off {
		t.Errorf("a bad format.indent: %+v %v", st, errs)
	}
}

// comfortDoc opens a Dockerfile with one inlay hint and one line to
// indent, and returns the inlay hint request for the whole of it.
func (c *testClient) comfortDoc() *protocol.InlayHintParams {
	const u = "file:///w/Dockerfile"
	c.open(u, "ARG V=1\nFROM alpine:${V} AS a\nRUN x \\\n y\n", 1)
	return &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)},
		Range:        protocol.Range{End: protocol.Position{Line: 4}},
	}
}

// checkComfort checks that the document of params has hints inlay hints
// and that formatting it indents the continuation line with indent (""
// keeps the file's own: no edit).
func (c *testClient) checkComfort(params *protocol.InlayHintParams, hints int, indent string) {
	c.t.Helper()
	var got []protocol.InlayHint
	if err := c.call(protocol.MethodTextDocumentInlayHint, params, &got); err != nil || len(got) != hints {
		c.t.Errorf("inlay hints: %v, %v; want %d", got, err, hints)
	}
	var edits []protocol.TextEdit
	fp := &protocol.DocumentFormattingParams{TextDocument: params.TextDocument, Options: protocol.FormattingOptions{TabSize: 8}}
	if err := c.call(protocol.MethodTextDocumentFormatting, fp, &edits); err != nil ||
		(indent == "" && len(edits) != 0) || (indent != "" && (len(edits) != 1 || edits[0].NewText != indent)) {
		c.t.Errorf("formatting: %v, %v; want the indentation %q", edits, err, indent)
	}
}

// TestComfortSettings checks that the settings pushed turn inlay hints off
// and that the indentation setting overrides the editor's tab size.
func TestComfortSettings(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	params := c.comfortDoc()
	c.checkComfort(params, 1, "")
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{
		Settings: []byte(`{"stagehand": {"inlayHints": {"enabled": false}, "format": {"indent": 2}}}`),
	})
	c.checkComfort(params, 0, "  ")
}

// TestComfortSettingsPulledOnce checks that a client that answers
// workspace/configuration is asked once, after initialized, and that
// requests then read the settings without asking again.
func TestComfortSettingsPulledOnce(t *testing.T) {
	c := newTestClient(t)
	var asked atomic.Int32
	c.answers = map[string]func([]byte) (any, error){
		protocol.MethodWorkspaceConfiguration: func([]byte) (any, error) {
			asked.Add(1)
			return []any{map[string]any{"inlayHints": map[string]any{"enabled": false}, "format": map[string]any{"indent": 2}}}, nil
		},
	}
	yes := true
	c.initializeParams(&protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{Configuration: &yes},
	}})
	// The pull ends with a publication of the open document's diagnostics.
	params := c.comfortDoc()
	c.waitFor("the pulled settings", func() bool { return !c.srv.settings().InlayHints })
	for range 3 {
		c.checkComfort(params, 0, "  ")
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("workspace/configuration asked %d times, want 1", n)
	}
}

// TestMissingSourceHint opens a Dockerfile that lives on disk and checks
// the hint after a COPY source its folder does not hold.
func TestMissingSourceHint(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"go.mod": "module x", ".dockerignore": "*.env\n", "a.env": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := newTestClient(t)
	c.initialize()
	u := string(uri.File(filepath.Join(dir, "Dockerfile")))
	c.open(u, "FROM alpine\nCOPY go.mod go.sum a.env ./\n", 1)
	var hints []protocol.InlayHint
	params := &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)},
		Range:        protocol.Range{End: protocol.Position{Line: 2}},
	}
	if err := c.call(protocol.MethodTextDocumentInlayHint, params, &hints); err != nil {
		t.Fatal(err)
	}
	if len(hints) != 1 || hints[0].Position != (protocol.Position{Line: 1, Character: 18}) || hints[0].Label != protocol.String("not in the build context") {
		t.Errorf("hints: %+v", hints)
	}
}
