//go:build unix

package server

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// hostileDeadline bounds each answer after a hostile file, and
// hostileAlloc what the server may allocate over one kind's whole run.
const (
	hostileDeadline = 5 * time.Second
	hostileAlloc    = 256 << 20
)

// timed makes a request with c and fails the test if its answer takes
// past hostileDeadline.
func timed(t *testing.T, what string, f func() error) {
	t.Helper()
	start := time.Now()
	if err := f(); err != nil {
		t.Errorf("%s: %v", what, err)
	}
	if d := time.Since(start); d > hostileDeadline {
		t.Errorf("%s took %v, the deadline is %v", what, d, hostileDeadline)
	}
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func docPos(u string, line, char uint32) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)},
		Position: protocol.Position{Line: line, Character: char}}
}

// TestHostileWorkspace puts each hostile file (a FIFO, links to devices,
// out of the workspace and in a loop, a 1 GiB sparse file) in every place
// the server reads a file: the .dockerignore and Dockerfile.dockerignore
// beside an open Dockerfile, a Compose file in the workspace scan and in a
// watched-file event, the Dockerfile a Compose target builds, and the
// build context that completion and inlay hints list. Every answer must
// come within the deadline and the server stay under the memory ceiling.
func TestHostileWorkspace(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "Dockerfile")
	writeFiles(t, filepath.Dir(outside), map[string]string{"Dockerfile": "FROM alpine AS secretstage\n"})
	for _, kind := range testgen.HostileKinds {
		t.Run(kind, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			root := t.TempDir()
			writeFiles(t, root, map[string]string{
				"app/Dockerfile":   "FROM alpine AS build\nCOPY hostile/ src/ /x/\nFROM build\n",
				"svc/compose.yaml": "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.hostile\n      target: b\n",
				"app/compose.yaml": "services:\n  api:\n    build:\n      context: .\n      target: build\n",
			})
			for _, p := range []string{"app/.dockerignore", "app/Dockerfile.dockerignore", "app/hostile", "compose.yaml",
				"svc/Dockerfile.hostile"} {
				testgen.Hostile(t, filepath.Join(root, p), kind, outside)
			}
			c := newTestClient(t)
			timed(t, "initialize and scan", func() error { c.initializeWorkspace(root); return nil })
			// A file the scan found is replaced after it: references read
			// it again to place the target.
			if err := os.Remove(filepath.Join(root, "app/compose.yaml")); err != nil {
				t.Fatal(err)
			}
			testgen.Hostile(t, filepath.Join(root, "app/compose.yaml"), kind, outside)

			df := fileURI(root, "app/Dockerfile")
			timed(t, "diagnostics", func() error {
				c.open(df, "FROM alpine AS build\nCOPY hostile/ src/ /x/\nFROM build\n", 1)
				c.diagnostics(df, 1)
				return nil
			})
			timed(t, "completion of a context path", func() error {
				var list protocol.CompletionList
				return c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(df, 1, 5)}, &list)
			})
			timed(t, "references placing a target in a file now hostile", func() error {
				var locs []protocol.Location
				return c.call(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: docPos(df, 0, 16),
					Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &locs)
			})
			timed(t, "inlay hints", func() error {
				var hints []protocol.InlayHint
				return c.call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{
					TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(df)}, Range: protocol.Range{End: protocol.Position{Line: 3}}}, &hints)
			})

			compose := filepath.Join(root, "svc/compose.yaml")
			cu := fileURI(root, "svc/compose.yaml")
			timed(t, "completion of a target whose Dockerfile is hostile", func() error {
				c.openAs(cu, "dockercompose", "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.hostile\n      target: b\n")
				var list protocol.CompletionList
				return c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(cu, 5, 15)}, &list)
			})
			timed(t, "watched-file events", func() error {
				c.close(cu)
				c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
					{URI: uri.File(filepath.Join(root, "compose.yaml")), Type: protocol.FileChangeTypeChanged},
					{URI: uri.File(compose), Type: protocol.FileChangeTypeCreated},
					{URI: uri.File(filepath.Join(root, "svc/Dockerfile.hostile")), Type: protocol.FileChangeTypeChanged},
				}})
				var hover protocol.Hover
				return c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: docPos(df, 0, 16)}, &hover)
			})
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > hostileAlloc {
				t.Errorf("the server allocated %d MB, the ceiling is %d MB", n>>20, hostileAlloc>>20)
			}
		})
	}
}

// TestReadsStayInWorkspace: a Compose context outside the workspace (as
// `context: /etc` with `dockerfile: passwd`) is not read, and a link out
// of the build context lists nothing.
func TestReadsStayInWorkspace(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"Dockerfile": "FROM alpine AS secretstage\n", "secret.txt": "x"})
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"app/Dockerfile": "FROM alpine\nCOPY etc/ /x/\n"})
	if err := os.Symlink(outside, filepath.Join(root, "app/etc")); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t)
	c.initializeWorkspace(root)

	cu := fileURI(root, "compose.yaml")
	c.openAs(cu, "dockercompose", "services:\n  api:\n    build:\n      context: "+outside+"\n      target: se\n")
	var list protocol.CompletionList
	if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(cu, 4, 16)}, &list); err != nil {
		t.Fatal(err)
	}
	for _, it := range list.Items {
		if strings.Contains(it.Label, "secret") {
			t.Errorf("completion read the Dockerfile outside the workspace: %q", it.Label)
		}
	}

	df := fileURI(root, "app/Dockerfile")
	c.open(df, "FROM alpine\nCOPY etc/ /x/\n", 1)
	list = protocol.CompletionList{}
	if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(df, 1, 9)}, &list); err != nil {
		t.Fatal(err)
	}
	for _, it := range list.Items {
		if strings.Contains(it.Label, "secret") {
			t.Errorf("completion listed a folder outside the build context: %q", it.Label)
		}
	}
}

// TestGlobBounded: with links to "." in the build context, a COPY of
// `*/*/*/*/*/*/*` costs entries^7 folder reads if links are followed.
func TestGlobBounded(t *testing.T) {
	root := t.TempDir()
	text := "FROM alpine\nCOPY */*/*/*/*/*/*/nothing /x\n"
	writeFiles(t, root, map[string]string{"Dockerfile": text, "real/file": "x"})
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		if err := os.Symlink(".", filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	c := newTestClient(t)
	c.initialize()
	df := fileURI(root, "Dockerfile")
	c.open(df, text, 1)
	timed(t, "inlay hints over an exponential glob", func() error {
		var hints []protocol.InlayHint
		return c.call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(df)}, Range: protocol.Range{End: protocol.Position{Line: 2}}}, &hints)
	})
}
