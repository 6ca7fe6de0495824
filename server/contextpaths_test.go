package server

import (
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestCompletionOfContextPaths completes a COPY source from the files beside
// the Dockerfile, leaving out what .dockerignore excludes.
func TestCompletionOfContextPaths(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"src/main.go": "package main\n", "secret.env": "x\n", "go.mod": "module m\n", ".dockerignore": "*.env\n"})
	c := newTestClient(t)
	c.initialize()
	u := string(uri.File(filepath.Join(dir, "Dockerfile")))
	c.open(u, "FROM golang\nCOPY ", 1)
	var list protocol.CompletionList
	if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{
		TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)}, Position: protocol.Position{Line: 1, Character: 5},
		},
	}, &list); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, it := range list.Items {
		got[it.Label] = true
	}
	if !got["go.mod"] || !got["src/"] || got["secret.env"] {
		t.Errorf("labels %v: want go.mod and src/ without secret.env", got)
	}
}
