package server

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"
)

// A workspace archive may describe the client that opens it, in sections
// whose names begin with "@client/" (never Dockerfiles, never golden):
//
//	@client/folders         the workspace folders, one a line, relative to
//	                        the archive ("." for its root); the root alone
//	                        when absent
//	@client/configuration   a JSON object from a folder ("" for the window)
//	                        to the "stagehand" section the client answers
//	                        workspace/configuration with; when present the
//	                        client declares workspace.configuration
//	@client/initializationOptions
//	                        sent at initialize
//	@client/unopened        archive files the client does not open
//
// and what it does once every document's first diagnostics are in; the
// markers are then checked against the diagnostics published last:
//
//	@client/push            the settings sent in didChangeConfiguration
//	@client/configuration-after
//	                        the answers from then on, announced by a
//	                        didChangeConfiguration without settings
//	@client/added, @client/removed
//	                        folders added and removed, in one
//	                        didChangeWorkspaceFolders
type workspaceClient struct {
	t        *testing.T
	root     string
	sections map[string]string
	folders  []string
	unopened map[string]bool
	config   atomic.Pointer[map[string]json.RawMessage]
}

func newWorkspaceClient(t *testing.T, archive *txtar.Archive, root string) *workspaceClient {
	wc := &workspaceClient{t: t, root: root, sections: map[string]string{}, unopened: map[string]bool{}}
	for _, f := range archive.Files {
		if name, ok := strings.CutPrefix(f.Name, "@client/"); ok {
			wc.sections[name] = string(f.Data)
		}
	}
	wc.folders = wc.lines("folders")
	if len(wc.folders) == 0 {
		wc.folders = []string{"."}
	}
	for _, name := range wc.lines("unopened") {
		wc.unopened[name] = true
	}
	return wc
}

// lines returns the non-blank lines of a section.
func (wc *workspaceClient) lines(section string) []string {
	var out []string
	for _, l := range strings.Split(wc.sections[section], "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (wc *workspaceClient) folderURI(name string) uri.URI {
	return uri.File(filepath.Join(wc.root, name))
}

func (wc *workspaceClient) workspaceFolders(names []string) []protocol.WorkspaceFolder {
	var out []protocol.WorkspaceFolder
	for _, n := range names {
		out = append(out, protocol.WorkspaceFolder{URI: wc.folderURI(n), Name: n})
	}
	return out
}

// setConfiguration makes the section's JSON the client's answers.
func (wc *workspaceClient) setConfiguration(section string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(wc.sections[section]), &m); err != nil {
		wc.t.Fatalf("@client/%s: %v", section, err)
	}
	wc.config.Store(&m)
}

// answer serves workspace/configuration: each item's scopeUri names a
// folder of the archive, or the window without one.
func (wc *workspaceClient) answer(params []byte) (any, error) {
	var p struct {
		Items []struct {
			ScopeURI string `json:"scopeUri"`
			Section  string `json:"section"`
		} `json:"items"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, err
	}
	config := *wc.config.Load()
	out := []json.RawMessage{}
	for _, it := range p.Items {
		key := ""
		if it.ScopeURI != "" {
			rel, err := filepath.Rel(wc.root, uri.URI(it.ScopeURI).FsPath())
			if err != nil {
				return nil, err
			}
			key = filepath.ToSlash(rel)
		}
		v, ok := config[key]
		if !ok || it.Section != configSection {
			v = json.RawMessage("null")
		}
		out = append(out, v)
	}
	return out, nil
}

// initialize runs the handshake and waits for the first scan, and for the
// first pull of the configuration when the client answers it.
func (wc *workspaceClient) initialize(c *testClient) {
	c.t.Helper()
	params := &protocol.InitializeParams{ClientInfo: protocol.ClientInfo{Name: "testClient"}}
	params.WorkspaceFolders = protocol.NewNullable(wc.workspaceFolders(wc.folders))
	_, pulls := wc.sections["configuration"]
	if pulls {
		wc.setConfiguration("configuration")
		c.answers = map[string]func([]byte) (any, error){protocol.MethodWorkspaceConfiguration: wc.answer}
		yes := true
		params.Capabilities.Workspace = &protocol.WorkspaceClientCapabilities{Configuration: &yes, WorkspaceFolders: &yes}
	}
	if opts, ok := wc.sections["initializationOptions"]; ok {
		params.InitializationOptions = protocol.LSPAny(opts)
	}
	if err := c.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
		c.t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	c.waitScanned()
	if pulls {
		waitCount(c, "the first pull of the configuration", &c.srv.ws.pulls, 1)
	}
}

// after does what the client does once the documents are open; it reports
// whether it did anything.
func (wc *workspaceClient) after(c *testClient) bool {
	c.t.Helper()
	did := false
	if push, ok := wc.sections["push"]; ok {
		pulls := c.srv.ws.pulls.Load()
		c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]json.RawMessage{"settings": json.RawMessage(push)})
		if c.srv.options().pullConfiguration {
			waitCount(c, "the pull after a push", &c.srv.ws.pulls, pulls+1)
		}
		did = true
	}
	if _, ok := wc.sections["configuration-after"]; ok {
		wc.setConfiguration("configuration-after")
		pulls := c.srv.ws.pulls.Load()
		c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil})
		waitCount(c, "the pull after didChangeConfiguration", &c.srv.ws.pulls, pulls+1)
		did = true
	}
	added, removed := wc.lines("added"), wc.lines("removed")
	if len(added)+len(removed) > 0 {
		n := c.srv.ws.folderChanges.Load()
		c.notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, &protocol.DidChangeWorkspaceFoldersParams{Event: protocol.WorkspaceFoldersChangeEvent{
			Added: wc.workspaceFolders(added), Removed: wc.workspaceFolders(removed),
		}})
		waitCount(c, "the workspace folders' change", &c.srv.ws.folderChanges, n+1)
		did = true
	}
	if did {
		c.settle()
	}
	return did
}

// waitCount waits until n reaches want.
func waitCount(c *testClient, what string, n *atomic.Int64, want int64) {
	c.t.Helper()
	deadline := time.Now().Add(testTimeout)
	for n.Load() < want {
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
