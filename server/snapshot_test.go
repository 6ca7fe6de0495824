package server

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// runCount counts the rules' runs per text, through the server's diagnose
// hook.
type runCount struct {
	mu   sync.Mutex
	runs map[string]int
}

func (r *runCount) option() clientOption {
	r.runs = map[string]int{}
	return withDiagnose(func(ix *analysis.Index, cfg *rules.Config) []rules.Diagnostic {
		r.mu.Lock()
		r.runs[ix.Doc.Text()]++
		r.mu.Unlock()
		return rules.Run(ix, cfg)
	})
}

// quickFixes asks for the quick fixes of the whole of rawURI and returns
// the rules of the diagnostics they fix.
func (c *testClient) quickFixes(rawURI string) []string {
	c.t.Helper()
	params := &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(rawURI)},
		Range:        protocol.Range{End: protocol.Position{Line: 100}},
		Context:      protocol.CodeActionContext{Only: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
	}
	var acts []protocol.CodeAction
	if err := c.call(protocol.MethodTextDocumentCodeAction, params, &acts); err != nil {
		c.t.Fatalf("codeAction: %v", err)
	}
	var out []string
	for _, a := range acts {
		for _, d := range a.Diagnostics {
			code, _ := d.Code.(protocol.String)
			out = append(out, string(code))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestRulesRunOncePerVersion types as an editor does: each keystroke is a
// change followed at once by a request for the code actions at the cursor,
// and the diagnostics are published meanwhile. The rules must run once per
// version, shared by the publication and the code actions, and the code
// actions after an edit must see that version's diagnostics.
func TestRulesRunOncePerVersion(t *testing.T) {
	var runs runCount
	c := newTestClient(t, runs.option())
	c.initialize()
	v1 := "FROM alpine\nCMD [\"x\"]\n"
	c.open(testURI, v1, 1)
	if got := c.quickFixes(testURI); slices.Contains(got, "MaintainerDeprecated") {
		t.Fatalf("quick fixes of version 1: %v", got)
	}
	c.diagnostics(testURI, 1)
	text := v1
	for v, key := range []string{"M", "A", "I", "N", "T", "A", "I", "N", "E", "R", " ", "m", "e", "\n"} {
		version := int32(v + 2)
		c.change(testURI, version, partial(1, uint32(v), 1, uint32(v), key))
		text = text[:len("FROM alpine\n")+v] + key + text[len("FROM alpine\n")+v:]
		c.quickFixes(testURI) // before the publication, most times
		c.quickFixes(testURI)
	}
	c.settle()
	if got := c.quickFixes(testURI); !slices.Contains(got, "MaintainerDeprecated") {
		t.Errorf("quick fixes after the edit: %v, want MaintainerDeprecated's", got)
	}
	if ds := codes(c.diagnostics(testURI, 15)); !slices.Contains(ds, "2:MaintainerDeprecated") {
		t.Errorf("published after the edit: %v", ds)
	}
	if text != "FROM alpine\nMAINTAINER me\nCMD [\"x\"]\n" {
		t.Fatalf("the test typed %q", text)
	}
	runs.mu.Lock()
	defer runs.mu.Unlock()
	total := 0
	for txt, n := range runs.runs {
		total += n
		if n != 1 {
			t.Errorf("the rules ran %d times on %q", n, txt)
		}
	}
	t.Logf("%d rules runs for 15 versions, each with 2 or 3 code action requests", total)
}

// TestBuildContextKept checks that the .dockerignore is read once for the
// diagnostics, completions, inlay hints and code actions of every version,
// and read again when it changes: on the client's report of the change
// when it watches files, else on its save in the editor or when its stat
// changes, compared at most every Contexts.Every (TestBuildContextPolled:
// or by the poller).
func TestBuildContextKept(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".dockerignore": "*.md\n", "README.md": "", "src/a.go": ""})
	df := fileURI(dir, "Dockerfile")
	every := 100 * time.Millisecond
	c := newTestClient(t, func(_ *Config, setup *[]func(*Server)) {
		*setup = append(*setup, func(s *Server) { s.contexts.Every = every })
	})
	c.initialize()
	text := "FROM alpine\nCOPY README.md src /x/\n"
	c.open(df, text, 1)
	if got := c.diagnostics(df, 1); len(got) != 1 || got[0].Range.Start != (protocol.Position{Line: 1, Character: 5}) {
		t.Fatalf("diagnostics = %v, want README.md ignored", got)
	}
	for v := int32(2); v < 6; v++ {
		c.change(df, v, partial(2, 0, 2, 0, "#\n"))
		c.diagnostics(df, v)
		var list protocol.CompletionList
		if err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: docPos(df, 1, 5)}, &list); err != nil {
			t.Fatal(err)
		}
		var hints []protocol.InlayHint
		if err := c.call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(df)}, Range: protocol.Range{End: protocol.Position{Line: 9}}}, &hints); err != nil {
			t.Fatal(err)
		}
		c.quickFixes(df)
	}
	if n := c.srv.contexts.Loads(); n != 1 {
		t.Errorf("the build context was read %d times, want 1", n)
	}
	// A client that does not watch files: a save in the editor is seen at
	// once, without a keystroke.
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("src\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := len(c.publicationsOf(df))
	c.notify(protocol.MethodTextDocumentDidSave, &protocol.DidSaveTextDocumentParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(filepath.Join(dir, ".dockerignore"))}})
	if got := c.nextDiagnostics(df, seen); len(got) != 1 || got[0].Range.Start != (protocol.Position{Line: 1, Character: 15}) {
		t.Fatalf("diagnostics after the save = %v, want src ignored", got)
	}
	// A change made elsewhere is seen by its stat, compared by the first
	// use past Every.
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(every + every/2)
	c.change(df, 6, partial(2, 0, 2, 0, "#\n"))
	if got := c.diagnostics(df, 6); len(got) != 1 || got[0].Range.Start != (protocol.Position{Line: 1, Character: 5}) {
		t.Fatalf("diagnostics after the change = %v, want README.md ignored", got)
	}
	if n := c.srv.contexts.Loads(); n != 3 {
		t.Errorf("the build context was read %d times after two changes, want 3", n)
	}

	// A client that watches: the reported change alone rereads it.
	c.srv.contexts.Watch()
	c.settle()
	seen = len(c.publicationsOf(df))
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: uri.File(filepath.Join(dir, ".dockerignore")), Type: protocol.FileChangeTypeChanged},
	}})
	if got := codes(c.nextDiagnostics(df, seen)); len(got) != 0 {
		t.Errorf("diagnostics after the reported change = %v, want none", got)
	}
}

// TestBuildContextPolled: for a client that cannot watch files, a change
// to the .dockerignore made outside the editor reaches CopyIgnoredFile's
// findings by the server's poll, without a keystroke.
func TestBuildContextPolled(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{".dockerignore": "*.md\n", "README.md": "", "src/a.go": ""})
	c := newTestClient(t, withPolling(20*time.Millisecond))
	c.initializeWorkspace(root)
	df := fileURI(root, "Dockerfile")
	c.open(df, "FROM alpine\nCOPY README.md src /x/\n", 1)
	if got := c.diagnostics(df, 1); len(got) != 1 || got[0].Range.Start != (protocol.Position{Line: 1, Character: 5}) {
		t.Fatalf("diagnostics = %v, want README.md ignored", got)
	}
	c.settle()
	seen := len(c.publicationsOf(df))
	if err := os.WriteFile(filepath.Join(root, ".dockerignore"), []byte("src\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := c.nextDiagnostics(df, seen); len(got) != 1 || got[0].Range.Start != (protocol.Position{Line: 1, Character: 15}) {
		t.Fatalf("diagnostics after the change = %v, want src ignored", got)
	}
}
