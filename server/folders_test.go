package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestWorkspaceFoldersCapability: the initialize result says the server
// takes workspace folders and wants their changes, or VS Code never sends
// didChangeWorkspaceFolders.
func TestWorkspaceFoldersCapability(t *testing.T) {
	c := newTestClient(t)
	var res struct {
		Capabilities struct {
			Workspace struct {
				WorkspaceFolders struct {
					Supported           bool            `json:"supported"`
					ChangeNotifications json.RawMessage `json:"changeNotifications"`
				} `json:"workspaceFolders"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	if err := c.call(protocol.MethodInitialize, &protocol.InitializeParams{}, &res); err != nil {
		t.Fatal(err)
	}
	wf := res.Capabilities.Workspace.WorkspaceFolders
	if !wf.Supported || string(wf.ChangeNotifications) != "true" {
		t.Errorf("workspace.workspaceFolders = supported %v, changeNotifications %s; want true, true", wf.Supported, wf.ChangeNotifications)
	}
}

// TestFolderAddedPolled: a client that cannot watch files starts with no
// folder (an editor opened on nothing) and adds one; the server scans it
// and then looks at it for changes as it does for the first folders: a
// compose.yaml created there afterwards makes its stage used.
func TestFolderAddedPolled(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"Dockerfile": "FROM alpine AS one\nFROM alpine\n"})
	c := newTestClient(t, withPolling(20*time.Millisecond))
	params := &protocol.InitializeParams{ClientInfo: protocol.ClientInfo{Name: "testClient"}}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{})
	if err := c.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	c.waitScanned()
	n := c.srv.ws.folderChanges.Load()
	c.notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, &protocol.DidChangeWorkspaceFoldersParams{Event: protocol.WorkspaceFoldersChangeEvent{
		Added: []protocol.WorkspaceFolder{{URI: uri.File(root), Name: "project"}},
	}})
	waitCount(c, "the folder added", &c.srv.ws.folderChanges, n+1)
	if got := c.srv.ws.index().Dockerfiles; !slices.Contains(got, filepath.Join(root, "Dockerfile")) {
		t.Fatalf("the added folder's Dockerfile is not in the index: %v", got)
	}
	df := fileURI(root, "Dockerfile")
	c.open(df, "FROM alpine AS one\nFROM alpine\n", 1)
	unused := func(ds []protocol.Diagnostic) bool {
		return slices.ContainsFunc(ds, func(d protocol.Diagnostic) bool { return d.Code == protocol.String("UnusedStage") })
	}
	if !unused(c.diagnostics(df, 1)) {
		t.Fatal("one is used before compose.yaml exists")
	}
	before := len(c.publications())
	if err := os.WriteFile(filepath.Join(root, "compose.yaml"), []byte("services:\n  a:\n    build:\n      context: .\n      target: one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.waitFor("one used once compose.yaml is created in the added folder", func() bool {
		return slices.ContainsFunc(c.published[before:], func(p published) bool { return p.URI == df && !unused(p.Diagnostics) })
	})
}
