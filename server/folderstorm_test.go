package server

import (
	"path/filepath"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestFolderStormEndsWithLastFolders: a folder added and removed many times
// in a row leaves the workspace as the last change says. Each change's
// rescan ran with the folders of its own change, in whatever order the
// rescans took their lock, so the last to run, not the last sent, won: the
// folder's Dockerfile stayed in the index after its removal, or was
// missing after it was added back.
func TestFolderStormEndsWithLastFolders(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	writeFiles(t, a, map[string]string{"Dockerfile": "FROM alpine AS a\n"})
	writeFiles(t, b, map[string]string{"Dockerfile": "FROM alpine AS dev\nFROM alpine\n",
		"compose.yaml": "services:\n  api:\n    build:\n      context: .\n      target: dev\n"})
	c := newTestClient(t)
	params := &protocol.InitializeParams{}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(a), Name: "a"}})
	if err := c.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	c.waitScanned()
	folderB := []protocol.WorkspaceFolder{{URI: uri.File(b), Name: "b"}}
	change := func(added, removed []protocol.WorkspaceFolder) {
		c.notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, &protocol.DidChangeWorkspaceFoldersParams{
			Event: protocol.WorkspaceFoldersChangeEvent{Added: added, Removed: removed}})
	}
	for storm := range 6 {
		n := c.srv.ws.folderChanges.Load()
		sent := int64(0)
		for range 100 {
			change(folderB, nil)
			change(nil, folderB)
			sent += 2
		}
		endAdded := storm%2 == 0
		if endAdded {
			change(folderB, nil)
			sent++
		}
		waitCount(c, "the folder changes", &c.srv.ws.folderChanges, n+sent)
		got := slices.Contains(c.srv.ws.index().Dockerfiles, filepath.Join(b, "Dockerfile"))
		if got != endAdded {
			t.Fatalf("storm %d ends with the folder added %v; its Dockerfile is in the index: %v", storm, endAdded, got)
		}
	}
}
