package server

import (
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestParseComfort(t *testing.T) {
	for raw, want := range map[string]bool{
		``:                                   true,
		`{"rules": {}}`:                      true,
		`{"inlayHints": {"enabled": false}}`: false,
		`{"stagehand": {"inlayHints": {"enabled": false}}}`: false,
		`{"stagehand": {"inlayHints": {"enabled": true}}}`:  true,
	} {
		c, err := parseComfort([]byte(raw))
		if err != nil || c.inlayHints() != want {
			t.Errorf("parseComfort(%q): hints %v, %v; want %v", raw, c.inlayHints(), err, want)
		}
	}
	if c, _ := parseComfort([]byte(`{"format": {"indent": 2}}`)); c.Format.Indent != 2 {
		t.Errorf("format.indent: %d", c.Format.Indent)
	}
}

// TestInlayHintsOff checks that the setting turns inlay hints off and the
// indentation setting overrides the editor's tab size.
func TestComfortSettings(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	const u = "file:///w/Dockerfile"
	c.open(u, "ARG V=1\nFROM alpine:${V} AS a\nRUN x \\\n y\n", 1)
	params := &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)},
		Range:        protocol.Range{End: protocol.Position{Line: 4}},
	}
	var hints []protocol.InlayHint
	if err := c.call(protocol.MethodTextDocumentInlayHint, params, &hints); err != nil || len(hints) != 1 {
		t.Fatalf("hints on: %v, %v", hints, err)
	}

	off := comfortSettings{}
	no := false
	off.InlayHints.Enabled = &no
	off.Format.Indent = 2
	_, gen := c.srv.rulesConfig()
	comfortStates.Store(c.srv, comfortState{gen: gen, settings: off})
	hints = nil
	if err := c.call(protocol.MethodTextDocumentInlayHint, params, &hints); err != nil || len(hints) != 0 {
		t.Errorf("hints off: %v, %v", hints, err)
	}
	var edits []protocol.TextEdit
	fp := &protocol.DocumentFormattingParams{TextDocument: params.TextDocument, Options: protocol.FormattingOptions{TabSize: 8}}
	if err := c.call(protocol.MethodTextDocumentFormatting, fp, &edits); err != nil || len(edits) != 1 || edits[0].NewText != "  " {
		t.Errorf("formatting with indent 2: %v, %v", edits, err)
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
