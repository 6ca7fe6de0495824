package server

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// workspaceFiles is a project whose Compose, Bake, workflow and Makefile
// build stages of svc/Dockerfile; the Makefile misspells one.
var workspaceFiles = map[string]string{
	"svc/Dockerfile":           "FROM golang AS build\nFROM build AS test\nFROM alpine AS lint\nFROM alpine AS docs\nFROM scratch\nCOPY --from=build /a /a\n",
	"compose.yaml":             "services:\n  api:\n    build:\n      context: svc\n      target: test\n",
	"docker-bake.hcl":          "target \"lint\" {\n  context = \"svc\"\n  target = \"lint\"\n}\n",
	"Makefile":                 "docs:\n\tdocker build -f svc/Dockerfile --target dosc svc\n",
	".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: svc\n          target: build\n",
}

// openWorkspace starts a server on a temporary copy of workspaceFiles and
// waits for its scan.
func openWorkspace(t *testing.T) (*testClient, string) {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, workspaceFiles)
	c := newTestClient(t)
	c.initializeWorkspace(root)
	return c, root
}

// initializeWorkspace initializes with root as the workspace and waits for
// the server's scan of it.
func (c *testClient) initializeWorkspace(root string) {
	c.t.Helper()
	params := &protocol.InitializeParams{ClientInfo: protocol.ClientInfo{Name: "testClient"}}
	params.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(root), Name: "project"}})
	if err := c.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
		c.t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	select {
	case <-c.srv.ws.ready:
	case <-time.After(testTimeout):
		c.t.Fatal("the workspace scan did not finish")
	}
}

func (c *testClient) openAs(rawURI, languageID, text string) {
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: uri.URI(rawURI), LanguageID: protocol.LanguageKind(languageID), Version: 1, Text: text},
	})
}

func fileURI(root, name string) string { return string(uri.File(filepath.Join(root, name))) }

func TestWorkspaceTargets(t *testing.T) {
	c, root := openWorkspace(t)
	df := fileURI(root, "svc/Dockerfile")
	c.open(df, workspaceFiles["svc/Dockerfile"], 1)
	var unused []string
	for _, d := range c.diagnostics(df, 1) {
		if d.Code == protocol.String("UnusedStage") {
			unused = append(unused, workspaceFiles["svc/Dockerfile"][c.srv.docsOffset(t, df, d.Range.Start):][:12])
		}
	}
	// test, lint and build are targets elsewhere; docs is misspelt in the
	// Makefile, so it is the one unused stage.
	if len(unused) != 1 || !strings.HasPrefix(unused[0], "FROM alpine") {
		t.Errorf("unused stages: %q", unused)
	}

	compose := fileURI(root, "compose.yaml")
	c.openAs(compose, "yaml", workspaceFiles["compose.yaml"])
	if d := c.diagnostics(compose, 1); len(d) != 0 {
		t.Errorf("compose.yaml: %v", d)
	}
	at := protocol.Position{Line: 4, Character: 16} // target: te|st
	var list protocol.CompletionList
	if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(compose)}, Position: at}}, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Label != "test" {
		t.Errorf("completion in compose.yaml: %+v", list.Items)
	}
	// Outside a target, nothing: the YAML server answers there.
	if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(compose)}, Position: protocol.Position{Line: 1, Character: 3}}}, &list); err != nil || len(list.Items) != 0 {
		t.Errorf("completion outside a target: %+v %v", list.Items, err)
	}
	var loc protocol.Location
	if err := c.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(compose)}, Position: at}}, &loc); err != nil {
		t.Fatal(err)
	}
	if string(loc.URI) != df || loc.Range.Start.Line != 1 || loc.Range.Start.Character != 14 {
		t.Errorf("definition from compose.yaml: %+v", loc)
	}

	// References of the stage include the Compose target.
	onTest := protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(df)}, Position: protocol.Position{Line: 1, Character: 15}}
	var locs []protocol.Location
	if err := c.call(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: onTest,
		Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &locs); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range locs {
		found = found || (string(l.URI) == compose && l.Range.Start.Line == 4)
	}
	if !found {
		t.Errorf("references of test lack compose.yaml: %+v", locs)
	}

	// Renaming the stage renames the target.
	var edit protocol.WorkspaceEdit
	if err := c.call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: onTest, NewName: "unit"}, &edit); err != nil {
		t.Fatal(err)
	}
	if tes := edit.Changes[uri.URI(compose)]; len(tes) != 1 || tes[0].NewText != "unit" || tes[0].Range.Start.Line != 4 {
		t.Errorf("rename edits for compose.yaml: %+v (all: %+v)", tes, edit.Changes)
	}

	// Applied, the rename leaves every target resolving: the renamed stage is
	// still built by Compose, and compose.yaml names a stage that exists.
	for u, tes := range edit.Changes {
		snap, ok := c.srv.Snapshot(string(u))
		if !ok {
			t.Fatalf("rename edits %s, which is not open", u)
		}
		var changes []protocol.TextDocumentContentChangeEvent
		for i := len(tes) - 1; i >= 0; i-- { // from the end, so earlier ranges hold
			changes = append(changes, &protocol.TextDocumentContentChangePartial{Range: tes[i].Range, Text: tes[i].NewText})
		}
		c.change(string(u), snap.Version+1, changes...)
	}
	c.settle() // both files changed, and their diagnostics run after both
	if d := c.diagnostics(compose, 2); len(d) != 0 {
		t.Errorf("compose.yaml after the rename: %v", d)
	}
	for _, d := range c.diagnostics(df, 2) {
		if d.Code == protocol.String("UnusedStage") && d.Range.Start.Line == 1 {
			t.Errorf("the renamed stage is unused after the rename: %v", d)
		}
	}

	// The misspelt target is reported in the Makefile, with the likely name.
	mk := fileURI(root, "Makefile")
	c.openAs(mk, "make", workspaceFiles["Makefile"])
	d := c.diagnostics(mk, 1)
	if len(d) != 1 || !strings.Contains(string(d[0].Message.(protocol.String)), `did you mean "docs"`) {
		t.Errorf("Makefile diagnostics: %+v", d)
	}

	// Hover on lint says which file builds it.
	var h protocol.Hover
	onLint := protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(df)}, Position: protocol.Position{Line: 2, Character: 16}}
	if err := c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: onLint}, &h); err != nil {
		t.Fatal(err)
	}
	if md, ok := h.Contents.(*protocol.MarkupContent); !ok || !strings.Contains(md.Value, "docker-bake.hcl:3 (target lint)") {
		t.Errorf("hover on lint: %#v", h.Contents)
	}
}

// docsOffset converts a position in an open document to a byte offset.
func (s *Server) docsOffset(t *testing.T, rawURI string, p protocol.Position) int {
	snap, ok := s.Snapshot(rawURI)
	if !ok {
		t.Fatalf("%s is not open", rawURI)
	}
	off, _ := fromPosition(snap.Doc, p, s.encoding())
	return off
}

// TestWatchedFiles fixes the Makefile on disk: once the client reports the
// change, the stage it builds is no longer unused.
func TestWatchedFiles(t *testing.T) {
	c, root := openWorkspace(t)
	df := fileURI(root, "svc/Dockerfile")
	c.open(df, workspaceFiles["svc/Dockerfile"], 1)
	unusedDocs := func(ds []protocol.Diagnostic) bool {
		for _, d := range ds {
			if d.Code == protocol.String("UnusedStage") && d.Range.Start.Line == 3 {
				return true
			}
		}
		return false
	}
	if !unusedDocs(c.diagnostics(df, 1)) {
		t.Fatal("docs is used before the Makefile is fixed")
	}
	mk := filepath.Join(root, "Makefile")
	if err := os.WriteFile(mk, []byte("docs:\n\tdocker build -f svc/Dockerfile --target docs svc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(c.publications())
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(mk), Type: protocol.FileChangeTypeChanged}},
	})
	c.waitFor("diagnostics after the file change", func() bool {
		for _, p := range c.published[before:] {
			if p.URI == df && !unusedDocs(p.Diagnostics) {
				return true
			}
		}
		return false
	})
}

// TestPolledFiles: a client that cannot watch files (Vim's ALE, Neovim
// 0.7) says nothing when compose.yaml or the Makefile changes on disk, as
// after a rename it applied there and saved; the server looks for itself.
func TestPolledFiles(t *testing.T) {
	c, root := openWorkspace(t) // the client declares no file watching
	df := fileURI(root, "svc/Dockerfile")
	c.open(df, workspaceFiles["svc/Dockerfile"], 1)
	unusedDocs := func(ds []protocol.Diagnostic) bool {
		for _, d := range ds {
			if d.Code == protocol.String("UnusedStage") && d.Range.Start.Line == 3 {
				return true
			}
		}
		return false
	}
	if !unusedDocs(c.diagnostics(df, 1)) {
		t.Fatal("docs is used before the Makefile is fixed")
	}
	before := len(c.publications())
	// Another mtime than the scan saw, even on a coarse clock.
	time.Sleep(10 * time.Millisecond)
	mk := filepath.Join(root, "Makefile")
	if err := os.WriteFile(mk, []byte("docs:\n\tdocker build -f svc/Dockerfile --target docs svc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.waitFor("diagnostics after the file changed, unannounced", func() bool {
		for _, p := range c.published[before:] {
			if p.URI == df && !unusedDocs(p.Diagnostics) {
				return true
			}
		}
		return false
	})
}

// TestBuiltByLens: the code lens on a stage that another file builds says
// where, file and line.
func TestBuiltByLens(t *testing.T) {
	c, root := openWorkspace(t)
	df := fileURI(root, "svc/Dockerfile")
	c.open(df, workspaceFiles["svc/Dockerfile"], 1)
	var lenses []protocol.CodeLens
	if err := c.call(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(df)}}, &lenses); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lenses {
		if strings.HasPrefix(l.Command.Title, "built by") {
			got = append(got, fmt.Sprintf("%d %s", l.Range.Start.Line, l.Command.Title))
		}
	}
	want := []string{
		"0 built by .github/workflows/ci.yml:7 (job b)",
		"1 built by compose.yaml:5 (service api)",
		"2 built by docker-bake.hcl:3 (target lint)",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("lenses (-want +got):\n%s", d)
	}
}

// TestSettingsFileChange writes .stagehand.yaml: once the client reports
// it, its severities and targets apply to the open Dockerfile.
func TestSettingsFileChange(t *testing.T) {
	c, root := openWorkspace(t)
	df := fileURI(root, "svc/Dockerfile")
	c.open(df, workspaceFiles["svc/Dockerfile"], 1)
	unused := func(ds []protocol.Diagnostic) (n int, sev protocol.DiagnosticSeverity) {
		for _, d := range ds {
			if d.Code == protocol.String("UnusedStage") {
				n, sev = n+1, d.Severity
			}
		}
		return n, sev
	}
	if n, _ := unused(c.diagnostics(df, 1)); n != 1 {
		t.Fatalf("%d UnusedStage before the settings file, want 1 (docs)", n)
	}
	settings := filepath.Join(root, ".stagehand.yaml")
	// A second unused stage is made used by the file; the rule is raised.
	if err := os.WriteFile(settings, []byte("rules: {UnusedStage: error}\ntargets: [docs]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(c.publications())
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(settings), Type: protocol.FileChangeTypeCreated}},
	})
	c.waitFor("diagnostics after the settings file", func() bool {
		for _, p := range c.published[before:] {
			if n, _ := unused(p.Diagnostics); p.URI == df && n == 0 {
				return true
			}
		}
		return false
	})
	if err := os.WriteFile(settings, []byte("rules: {UnusedStage: error}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before = len(c.publications())
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(settings), Type: protocol.FileChangeTypeChanged}},
	})
	c.waitFor("an error after the settings file changed", func() bool {
		for _, p := range c.published[before:] {
			if n, sev := unused(p.Diagnostics); p.URI == df && n == 1 && sev == protocol.DiagnosticSeverityError {
				return true
			}
		}
		return false
	})
	settingLogged := func(value string) bool {
		for _, e := range c.logs.All() {
			if e.Message == "setting" && e.ContextMap()["value"] == value {
				return true
			}
		}
		return false
	}
	if want := "rule UnusedStage = error (from " + settings + ")"; !settingLogged(want) {
		t.Errorf("no log of %q", want)
	}

	// The editor's settings win over the file.
	before = len(c.publications())
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{
		Settings: []byte(`{"stagehand": {"rules": {"UnusedStage": "warning"}}}`),
	})
	c.waitFor("a warning after the editor's settings", func() bool {
		for _, p := range c.published[before:] {
			if n, sev := unused(p.Diagnostics); p.URI == df && n == 1 && sev == protocol.DiagnosticSeverityWarning {
				return true
			}
		}
		return false
	})
	if want := "rule UnusedStage = warning (from editor settings)"; !settingLogged(want) {
		t.Errorf("no log of %q", want)
	}
}

// TestOtherFilesLeftAlone opens YAML that names no targets: the server
// publishes nothing against it and answers nothing in it.
func TestOtherFilesLeftAlone(t *testing.T) {
	c, root := openWorkspace(t)
	values := fileURI(root, "chart/values.yaml")
	c.openAs(values, "yaml", "image:\n  repository: FROM\nRUNN: x\n")
	if d := c.diagnostics(values, 1); len(d) != 0 {
		t.Errorf("diagnostics on values.yaml: %v", d)
	}
	// Nor after an edit (it used to be parsed as a Dockerfile then).
	c.change(values, 2, partial(2, 0, 2, 0, "FROM a\nFROM a AS x\n"))
	c.settle()
	for _, p := range c.publicationsOf(values) {
		if len(p.Diagnostics) != 0 {
			t.Errorf("diagnostics on values.yaml after an edit: %v", codes(p.Diagnostics))
		}
	}
	if snap, _ := c.srv.Snapshot(values); snap == nil || snap.Index != nil || !strings.HasPrefix(snap.Doc.Text(), "image:\n  repository: FROM\nFROM a\n") {
		t.Errorf("values.yaml after an edit: %+v", snap)
	}
	var list protocol.CompletionList
	if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(values)}, Position: protocol.Position{Line: 2, Character: 0}}}, &list); err != nil || len(list.Items) != 0 {
		t.Errorf("completion in values.yaml: %v %v", list.Items, err)
	}
}

// TestWorkspaceRoots reads the folders, or an older client's rootUri.
func TestWorkspaceRoots(t *testing.T) {
	// Folders of the test's own, outside any repository: a file or a .git
	// that happens to exist on the machine (a /a) must not decide it.
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	withFolders := &protocol.InitializeParams{}
	withFolders.WorkspaceFolders = protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(a)}, {URI: uri.File(b)}})
	if got := workspaceRoots(withFolders); len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("from folders: %v", got)
	}
	root := uri.File(c)
	//lint:ignore SA1019 what older clients send
	withRoot := &protocol.InitializeParams{RootURI: &root}
	if got := workspaceRoots(withRoot); len(got) != 1 || got[0] != c {
		t.Errorf("from rootUri: %v", got)
	}
	if got := workspaceRoots(&protocol.InitializeParams{}); len(got) != 0 {
		t.Errorf("from nothing: %v", got)
	}
}

// TestProjectRoots: a folder opened inside a repository is widened to the
// repository, as `stagehand check` finds it; one outside any stays.
func TestProjectRoots(t *testing.T) {
	repo, lone := t.TempDir(), t.TempDir()
	for _, d := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, "services", "api")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got := projectRoots([]string{filepath.Join(repo, "services", "api"), repo, lone})
	if d := cmp.Diff([]string{repo, lone}, got); d != "" {
		t.Errorf("roots (-want +got):\n%s", d)
	}
}

// TestDependentsReread: a workflow calling another with an input, and a
// Compose file extending another; when the called or extended file
// changes on disk, the targets read through it follow.
func TestDependentsReread(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"Dockerfile":                    "FROM alpine AS one\nFROM alpine AS two\nFROM alpine AS three\nFROM alpine\n",
		".github/workflows/build.yml":   "on:\n  workflow_call:\n    inputs:\n      stage: {type: string}\njobs:\n  b:\n    steps:\n      - run: docker build --target ${{ inputs.stage }} .\n",
		".github/workflows/release.yml": "jobs:\n  r:\n    uses: ./.github/workflows/build.yml\n    with:\n      stage: one\n",
		"compose.yaml":                  "services:\n  web:\n    extends:\n      file: base.yml\n      service: base\n",
		"base.yml":                      "services:\n  base:\n    build:\n      context: .\n      target: two\n",
	}
	writeFiles(t, root, files)
	c := newTestClient(t)
	c.initializeWorkspace(root)
	names := func() []string {
		var out []string
		for _, tg := range c.srv.ws.index().TargetsFor(filepath.Join(root, "Dockerfile")) {
			out = append(out, tg.Name)
		}
		sort.Strings(out)
		return out
	}
	if d := cmp.Diff([]string{"one", "two"}, names()); d != "" {
		t.Fatalf("targets before (-want +got):\n%s", d)
	}
	// The called workflow no longer builds with its input; the extended
	// service builds three.
	for name, text := range map[string]string{
		".github/workflows/build.yml": "on: workflow_call\njobs:\n  b:\n    steps:\n      - run: echo\n",
		"base.yml":                    "services:\n  base:\n    build:\n      context: .\n      target: three\n",
	} {
		c.changeOnDisk(root, name, text)
	}
	pollUntil(t, func() bool { return slices.Equal(names(), []string{"three"}) },
		func() string { return fmt.Sprintf("targets after the changes: %v, want [three]", names()) })
}

// TestDotenvReread: the server watches the .env file a Compose file
// interpolates from, and a change to it re-reads the Compose file.
func TestDotenvReread(t *testing.T) {
	if !slices.Contains(workspaceGlobs, "**/.env") {
		t.Errorf("the watched globs lack .env: %v", workspaceGlobs)
	}
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"Dockerfile":   "FROM alpine AS one\nFROM alpine AS two\n",
		"compose.yaml": "services:\n  api:\n    build:\n      context: .\n      target: ${T:?}\n",
		".env":         "T=one\n",
	})
	c := newTestClient(t)
	c.initializeWorkspace(root)
	names := func() []string {
		var out []string
		for _, tg := range c.srv.ws.index().TargetsFor(filepath.Join(root, "Dockerfile")) {
			out = append(out, tg.Name)
		}
		return out
	}
	if d := cmp.Diff([]string{"one"}, names()); d != "" {
		t.Fatalf("targets before (-want +got):\n%s", d)
	}
	c.changeOnDisk(root, ".env", "T=two\n")
	pollUntil(t, func() bool { return slices.Equal(names(), []string{"two"}) },
		func() string { return fmt.Sprintf("targets after the change: %v, want [two]", names()) })
}

// TestOverrideReread: an override service that only gives named contexts
// is re-read when the Compose file it is merged onto changes on disk, so
// its contexts go to the Dockerfile the base now builds.
func TestOverrideReread(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a/Dockerfile":          "FROM alpine\n",
		"b/Dockerfile":          "FROM alpine\n",
		"compose.yaml":          "services:\n  api:\n    build: a\n",
		"compose.override.yaml": "services:\n  api:\n    build:\n      additional_contexts:\n        tools: ./tools\n",
	})
	c := newTestClient(t)
	c.initializeWorkspace(root)
	contexts := func(dir string) int { return len(c.srv.ws.index().ContextsFor(filepath.Join(root, dir, "Dockerfile"))) }
	if contexts("a") != 1 {
		t.Fatalf("a/Dockerfile has %d named contexts, want 1", contexts("a"))
	}
	c.changeOnDisk(root, "compose.yaml", "services:\n  api:\n    build: b\n")
	pollUntil(t, func() bool { return contexts("b") == 1 && contexts("a") == 0 }, func() string {
		return fmt.Sprintf("after the change: a/Dockerfile has %d named contexts, b/Dockerfile %d; want 0 and 1", contexts("a"), contexts("b"))
	})
}

// changeOnDisk writes the file name under root and tells the server, as
// a client's file watcher does.
func (c *testClient) changeOnDisk(root, name, text string) {
	c.t.Helper()
	p := filepath.Join(root, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(p), Type: protocol.FileChangeTypeChanged}},
	})
}

// pollUntil waits for done: changed files are read off the read loop, and
// with no document open no publication wakes a waiter.
func pollUntil(t *testing.T, done func() bool, failure func() string) {
	t.Helper()
	for deadline := time.Now().Add(testTimeout); !done(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(failure())
		}
	}
}

// withPolling makes a server whose client cannot watch files look at
// them often: every interval, and walk the workspace as often.
func withPolling(interval time.Duration) clientOption {
	return func(_ *Config, setup *[]func(*Server)) {
		*setup = append(*setup, func(s *Server) { s.ws.poll, s.ws.rewalk = interval, interval })
	}
}

// TestPolledNewFiles: for a client that cannot watch files, a compose.yaml
// created after the scan is found by the server's slower walk and makes
// its stage used; once deleted, the stage is unused again. A Dockerfile
// created meanwhile joins the index.
func TestPolledNewFiles(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"Dockerfile": "FROM alpine AS one\nFROM alpine\n"})
	c := newTestClient(t, withPolling(20*time.Millisecond))
	c.initializeWorkspace(root)
	df := fileURI(root, "Dockerfile")
	c.open(df, "FROM alpine AS one\nFROM alpine\n", 1)
	unused := func(ds []protocol.Diagnostic) bool {
		return slices.ContainsFunc(ds, func(d protocol.Diagnostic) bool { return d.Code == protocol.String("UnusedStage") })
	}
	if !unused(c.diagnostics(df, 1)) {
		t.Fatal("one is used before compose.yaml exists")
	}
	waitUnused := func(what string, want bool, before int) {
		t.Helper()
		c.waitFor(what, func() bool {
			return slices.ContainsFunc(c.published[before:], func(p published) bool { return p.URI == df && unused(p.Diagnostics) == want })
		})
	}
	compose := filepath.Join(root, "compose.yaml")
	before := len(c.publications())
	if err := os.WriteFile(compose, []byte("services:\n  a:\n    build:\n      context: .\n      target: one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, root, map[string]string{"sub/Dockerfile": "FROM alpine\n"})
	waitUnused("one used once compose.yaml is created", false, before)
	if !slices.Contains(c.srv.ws.index().Dockerfiles, filepath.Join(root, "sub", "Dockerfile")) {
		t.Errorf("the created sub/Dockerfile is not in the index: %v", c.srv.ws.index().Dockerfiles)
	}
	before = len(c.publications())
	if err := os.Remove(compose); err != nil {
		t.Fatal(err)
	}
	waitUnused("one unused once compose.yaml is deleted", true, before)
}

// TestReadThroughWatched: a client that watches files is asked to report
// changes to the files a Compose `extends` chain reads that no Compose
// glob covers (common-services.yml, base/svc.yaml), and a change to the
// file two steps away moves the build.
func TestReadThroughWatched(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a/Dockerfile":        "FROM alpine AS one\n",
		"b/Dockerfile":        "FROM alpine AS one\n",
		"compose.yaml":        "services:\n  web:\n    extends: {file: common-services.yml, service: mid}\n",
		"common-services.yml": "services:\n  mid:\n    extends: {file: base/svc.yaml, service: base}\n    build:\n      target: one\n",
		"base/svc.yaml":       "services:\n  base:\n    build:\n      context: ../a\n",
	})
	c := newTestClient(t)
	var mu sync.Mutex
	var globs []string
	c.answers = map[string]func([]byte) (any, error){
		protocol.MethodClientRegisterCapability: func(params []byte) (any, error) {
			var p protocol.RegistrationParams
			if err := protocol.Unmarshal(params, &p); err != nil {
				return nil, err
			}
			for _, r := range p.Registrations {
				if r.ID != readThroughWatcher {
					continue
				}
				var opts struct {
					Watchers []struct{ GlobPattern string }
				}
				raw, _ := json.Marshal(r.RegisterOptions)
				if err := json.Unmarshal(raw, &opts); err != nil {
					return nil, err
				}
				mu.Lock()
				globs = nil
				for _, w := range opts.Watchers {
					globs = append(globs, w.GlobPattern)
				}
				mu.Unlock()
			}
			return nil, nil
		},
	}
	var params protocol.InitializeParams
	if err := protocol.Unmarshal([]byte(`{"capabilities":{"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}},"workspaceFolders":[{"uri":"`+string(uri.File(root))+`","name":"p"}]}`), &params); err != nil {
		t.Fatal(err)
	}
	if err := c.call(protocol.MethodInitialize, &params, &protocol.InitializeResult{}); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	want := []string{"**/common-services.yml", "**/svc.yaml"}
	pollUntil(t, func() bool { mu.Lock(); defer mu.Unlock(); return slices.Equal(globs, want) },
		func() string {
			mu.Lock()
			defer mu.Unlock()
			return fmt.Sprintf("read-through globs registered: %v, want %v", globs, want)
		})
	built := func() string {
		return fmt.Sprint(len(c.srv.ws.index().TargetsFor(filepath.Join(root, "b", "Dockerfile"))))
	}
	c.changeOnDisk(root, "base/svc.yaml", "services:\n  base:\n    build:\n      context: ../b\n")
	pollUntil(t, func() bool { return built() == "1" }, func() string { return "targets on b/Dockerfile after the change: " + built() + ", want 1" })
}

// TestDotenvBuffer: an unsaved .env buffer open in the editor is what
// Compose interpolation reads, as an open Compose file's own text is;
// the open Dockerfile's UnusedStage follows it, and closing the buffer
// goes back to the disk's .env.
func TestDotenvBuffer(t *testing.T) {
	root := t.TempDir()
	dockerfile := "FROM alpine AS one\nFROM alpine AS two\nFROM alpine\n"
	writeFiles(t, root, map[string]string{
		"Dockerfile":   dockerfile,
		"compose.yaml": "services:\n  api:\n    build:\n      context: .\n      target: ${T:?}\n",
		".env":         "T=one\n",
	})
	c := newTestClient(t)
	c.initializeWorkspace(root)
	df, env := fileURI(root, "Dockerfile"), fileURI(root, ".env")
	c.open(df, dockerfile, 1)
	unused := func(ds []protocol.Diagnostic) []uint32 {
		var lines []uint32
		for _, d := range ds {
			if d.Code == protocol.String("UnusedStage") {
				lines = append(lines, d.Range.Start.Line)
			}
		}
		return lines
	}
	if d := cmp.Diff([]uint32{1}, unused(c.diagnostics(df, 1))); d != "" {
		t.Fatalf("unused stages before (-want +got):\n%s", d)
	}
	waitUnused := func(what string, want []uint32, before int) {
		t.Helper()
		c.waitFor(what, func() bool {
			return slices.ContainsFunc(c.published[before:], func(p published) bool { return p.URI == df && slices.Equal(unused(p.Diagnostics), want) })
		})
		if ds := c.srv.ws.index().TargetsFor(filepath.Join(root, "Dockerfile")); len(ds) != 1 {
			t.Errorf("%d targets, want 1", len(ds))
		}
	}
	before := len(c.publications())
	c.openAs(env, "dotenv", "T=one\n")
	c.change(env, 2, &protocol.TextDocumentContentChangeWholeDocument{Text: "T=two\n"})
	waitUnused("two used while the unsaved .env buffer says so", []uint32{0}, before)
	before = len(c.publications())
	c.close(env)
	waitUnused("one used again once the buffer is closed unsaved", []uint32{1}, before)
	// Deleted on disk while open: the buffer still says two.
	c.openAs(env, "dotenv", "T=two\n")
	before = len(c.publications())
	if err := os.Remove(filepath.Join(root, ".env")); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.URI(env), Type: protocol.FileChangeTypeDeleted}},
	})
	c.settle()
	waitUnused("two used while the buffer is open, its file deleted", []uint32{0}, before)
	pollUntil(t, func() bool {
		ts := c.srv.ws.index().TargetsFor(filepath.Join(root, "Dockerfile"))
		return len(ts) == 1 && ts[0].Name == "two"
	}, func() string { return "the open .env's value was lost when its file was deleted" })
}

// TestPolledReadThrough: for a client that cannot watch files, the server
// also looks at the files read through: a change to base/svc.yaml, two
// steps along an `extends` chain and no Compose name, moves the build,
// and so does a .env created after the scan (its value joins the
// default's).
func TestPolledReadThrough(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a/Dockerfile":        "FROM alpine AS one\nFROM alpine AS two\n",
		"b/Dockerfile":        "FROM alpine AS one\nFROM alpine AS two\n",
		"compose.yaml":        "services:\n  web:\n    extends: {file: common-services.yml, service: mid}\n",
		"common-services.yml": "services:\n  mid:\n    extends: {file: base/svc.yaml, service: base}\n    build:\n      target: ${T:-one}\n",
		"base/svc.yaml":       "services:\n  base:\n    build:\n      context: ../a\n",
	})
	c := newTestClient(t, withPolling(20*time.Millisecond))
	c.initializeWorkspace(root)
	built := func() string {
		var out []string
		for _, dir := range []string{"a", "b"} {
			for _, tg := range c.srv.ws.index().TargetsFor(filepath.Join(root, dir, "Dockerfile")) {
				out = append(out, dir+":"+tg.Name)
			}
		}
		return strings.Join(out, " ")
	}
	if got := built(); got != "a:one" {
		t.Fatalf("built before: %q, want a:one", got)
	}
	time.Sleep(10 * time.Millisecond) // another mtime than the scan saw
	writeFiles(t, root, map[string]string{"base/svc.yaml": "services:\n  base:\n    build:\n      context: ../b\n"})
	pollUntil(t, func() bool { return built() == "b:one" }, func() string { return "built after base/svc.yaml changed: " + built() + ", want b:one" })
	writeFiles(t, root, map[string]string{".env": "T=two\n"})
	// The .env value, and the default, which keeps its own span.
	pollUntil(t, func() bool { return built() == "b:two b:one" }, func() string { return "built after .env was created: " + built() + ", want b:two b:one" })
}

// TestIncludedFileBuffer: a Compose-included file is a workspace file of
// its own: open in the editor, its unsaved text is what compose.yaml
// includes (the Dockerfile's UnusedStage follows it), a target it names
// that the Dockerfile lacks is reported in it, and closing it unsaved goes
// back to the disk's text; a client that cannot watch files has it polled.
func TestIncludedFileBuffer(t *testing.T) {
	root := t.TempDir()
	dockerfile := "FROM alpine AS one\nFROM alpine AS two\nFROM alpine\n"
	tools := "services:\n  t:\n    build:\n      context: ..\n      target: one\n"
	writeFiles(t, root, map[string]string{
		"Dockerfile":        dockerfile,
		"compose.yaml":      "include:\n  - deploy/tools.yaml\n",
		"deploy/tools.yaml": tools,
	})
	c := newTestClient(t, withPolling(20*time.Millisecond))
	c.initializeWorkspace(root)
	df, inc := fileURI(root, "Dockerfile"), fileURI(root, "deploy/tools.yaml")
	c.open(df, dockerfile, 1)
	unused := func(ds []protocol.Diagnostic) []uint32 {
		var lines []uint32
		for _, d := range ds {
			if d.Code == protocol.String("UnusedStage") {
				lines = append(lines, d.Range.Start.Line)
			}
		}
		return lines
	}
	if d := cmp.Diff([]uint32{1}, unused(c.diagnostics(df, 1))); d != "" {
		t.Fatalf("unused stages before (-want +got):\n%s", d)
	}
	waitUnused := func(what string, want []uint32, before int) {
		t.Helper()
		c.waitFor(what, func() bool {
			return slices.ContainsFunc(c.published[before:], func(p published) bool { return p.URI == df && slices.Equal(unused(p.Diagnostics), want) })
		})
	}
	before := len(c.publications())
	c.openAs(inc, "yaml", tools)
	c.change(inc, 2, &protocol.TextDocumentContentChangeWholeDocument{Text: strings.Replace(tools, "one", "two", 1)})
	waitUnused("two used while the unsaved included file says so", []uint32{0}, before)
	c.change(inc, 3, &protocol.TextDocumentContentChangeWholeDocument{Text: strings.Replace(tools, "one", "tow", 1)})
	c.waitFor("UnknownTarget in the included file", func() bool {
		return slices.ContainsFunc(c.published, func(p published) bool {
			return p.URI == inc && slices.ContainsFunc(p.Diagnostics, func(d protocol.Diagnostic) bool {
				return d.Code == protocol.String("UnknownTarget") && d.Range.Start.Line == 4
			})
		})
	})
	before = len(c.publications())
	c.close(inc)
	waitUnused("one used again once the buffer is closed unsaved", []uint32{1}, before)
	if got := c.srv.ws.polled(); !slices.Contains(got, filepath.Join(root, "deploy", "tools.yaml")) {
		t.Errorf("polled files %v lack deploy/tools.yaml", got)
	}
	before = len(c.publications())
	time.Sleep(10 * time.Millisecond) // another mtime than the scan saw
	writeFiles(t, root, map[string]string{"deploy/tools.yaml": strings.Replace(tools, "one", "two", 1)})
	waitUnused("two used once the included file changed on disk (polled)", []uint32{0}, before)
}

// TestUntrackedBufferNotCopied types in a large JSON file that nothing
// in the workspace reads (a package-lock.json): its text is never put
// together, so a keystroke costs no copy of the file. Before, each one
// copied all 4 MB.
func TestUntrackedBufferNotCopied(t *testing.T) {
	root := t.TempDir()
	var lock strings.Builder
	lock.WriteString("{\n  \"packages\": {\n")
	for i := 0; lock.Len() < 4<<20; i++ {
		fmt.Fprintf(&lock, "    \"node_modules/p%d\": {\"version\": \"1.0.%d\", \"integrity\": \"sha512-%s\"},\n", i, i, strings.Repeat("x", 80))
	}
	lock.WriteString("    \"end\": {}\n  }\n}\n")
	writeFiles(t, root, map[string]string{"Dockerfile": "FROM alpine\n", "package-lock.json": lock.String()})
	c := newTestClient(t, withTextMethod(nil, nil))
	c.initializeWorkspace(root)
	df, js := fileURI(root, "Dockerfile"), fileURI(root, "package-lock.json")
	c.open(df, "FROM alpine\n", 1)
	c.openAs(js, "json", lock.String())
	if _, err := c.text(df); err != nil { // the open is done
		t.Fatal(err)
	}
	const keys = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for v := range keys {
		text := "x"
		if v%2 == 1 {
			text = ""
		}
		c.change(js, int32(v+2), &protocol.TextDocumentContentChangePartial{
			Range: protocol.Range{Start: protocol.Position{Line: 3, Character: 4}, End: protocol.Position{Line: 3, Character: uint32(4 + v%2)}},
			Text:  text,
		})
	}
	if _, err := c.text(df); err != nil { // every change is applied
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(keys*lock.Len()/4) {
		t.Errorf("%d keystrokes in a %d-byte file nothing reads allocated %d bytes: the text is copied", keys, lock.Len(), got)
	}
}

// TestIncludedMakefileBuffer: a Makefile's included file open in the
// editor (make/config.mk, itself a Makefile the scan reads) is read by
// the Makefile from its buffer: an unsaved value changes the stage the
// Makefile's recipe builds, and closing the buffer unsaved goes back to
// the disk's.
func TestIncludedMakefileBuffer(t *testing.T) {
	root := t.TempDir()
	dockerfile := "FROM alpine AS one\nFROM alpine AS two\nFROM alpine\n"
	config := "STAGE ?= one\n"
	writeFiles(t, root, map[string]string{
		"Dockerfile":     dockerfile,
		"Makefile":       "include make/config.mk\nimage:\n\tdocker build --target $(STAGE) .\n",
		"make/config.mk": config,
	})
	c := newTestClient(t)
	c.initializeWorkspace(root)
	df, inc := fileURI(root, "Dockerfile"), fileURI(root, "make/config.mk")
	c.open(df, dockerfile, 1)
	unused := func(ds []protocol.Diagnostic) []uint32 {
		var lines []uint32
		for _, d := range ds {
			if d.Code == protocol.String("UnusedStage") {
				lines = append(lines, d.Range.Start.Line)
			}
		}
		return lines
	}
	if d := cmp.Diff([]uint32{1}, unused(c.diagnostics(df, 1))); d != "" {
		t.Fatalf("unused stages before (-want +got):\n%s", d)
	}
	waitUnused := func(what string, want []uint32, before int) {
		t.Helper()
		c.waitFor(what, func() bool {
			return slices.ContainsFunc(c.published[before:], func(p published) bool { return p.URI == df && slices.Equal(unused(p.Diagnostics), want) })
		})
	}
	before := len(c.publications())
	c.openAs(inc, "makefile", config)
	c.change(inc, 2, &protocol.TextDocumentContentChangeWholeDocument{Text: "STAGE ?= two\n"})
	waitUnused("two built while the unsaved included file says so", []uint32{0}, before)
	before = len(c.publications())
	c.close(inc)
	waitUnused("one built again once the buffer is closed unsaved", []uint32{1}, before)
}

// TestWildcardIncludeCreated: a Makefile's `include make/*.make` follows
// the files created there after the scan: for a client that watches
// files, which is asked to watch their names and reports the creation,
// and for one that cannot, whose server polls the pattern. The stage the
// new file builds becomes used.
func TestWildcardIncludeCreated(t *testing.T) {
	for _, polled := range []bool{false, true} {
		t.Run(fmt.Sprint("polled=", polled), func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, map[string]string{
				"Dockerfile":    "FROM alpine AS one\nFROM alpine AS two\nFROM alpine\n",
				"Makefile":      "include make/*.make\n",
				"make/one.make": "one:\n\tdocker build --target one .\n",
			})
			var c *testClient
			var mu sync.Mutex
			var globs []string
			if polled {
				c = newTestClient(t, withPolling(20*time.Millisecond))
				c.initializeWorkspace(root)
			} else {
				c = newTestClient(t)
				c.answers = map[string]func([]byte) (any, error){
					protocol.MethodClientRegisterCapability: func(params []byte) (any, error) {
						var p protocol.RegistrationParams
						if err := protocol.Unmarshal(params, &p); err != nil {
							return nil, err
						}
						for _, r := range p.Registrations {
							if r.ID != readThroughWatcher {
								continue
							}
							var opts struct {
								Watchers []struct{ GlobPattern string }
							}
							raw, _ := json.Marshal(r.RegisterOptions)
							if err := json.Unmarshal(raw, &opts); err != nil {
								return nil, err
							}
							mu.Lock()
							globs = nil
							for _, w := range opts.Watchers {
								globs = append(globs, w.GlobPattern)
							}
							mu.Unlock()
						}
						return nil, nil
					},
				}
				var params protocol.InitializeParams
				if err := protocol.Unmarshal([]byte(`{"capabilities":{"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}},"workspaceFolders":[{"uri":"`+string(uri.File(root))+`","name":"p"}]}`), &params); err != nil {
					t.Fatal(err)
				}
				if err := c.call(protocol.MethodInitialize, &params, &protocol.InitializeResult{}); err != nil {
					t.Fatal(err)
				}
				c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
				want := []string{"**/*.make", "**/one.make"}
				pollUntil(t, func() bool { mu.Lock(); defer mu.Unlock(); return slices.Equal(globs, want) },
					func() string {
						mu.Lock()
						defer mu.Unlock()
						return fmt.Sprintf("read-through globs registered: %v, want %v", globs, want)
					})
			}
			built := func() string {
				var out []string
				for _, tg := range c.srv.ws.index().TargetsFor(filepath.Join(root, "Dockerfile")) {
					out = append(out, tg.Name)
				}
				return strings.Join(out, " ")
			}
			if got := built(); got != "one" {
				t.Fatalf("built before: %q, want one", got)
			}
			if polled {
				writeFiles(t, root, map[string]string{"make/two.make": "two:\n\tdocker build --target two .\n"})
			} else {
				c.changeOnDisk(root, "make/two.make", "two:\n\tdocker build --target two .\n")
			}
			pollUntil(t, func() bool { return built() == "one two" }, func() string { return "built after make/two.make was created: " + built() + ", want one two" })
		})
	}
}
