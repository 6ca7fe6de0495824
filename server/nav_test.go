package server

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
)

// initializeWith runs the handshake declaring caps.
func (c *testClient) initializeWith(caps protocol.ClientCapabilities) *protocol.InitializeResult {
	c.t.Helper()
	return c.initializeParams(&protocol.InitializeParams{Capabilities: caps})
}

// rawCall sends a request and decodes the raw result into out.
func (c *testClient) rawCall(method string, params, out any) error {
	c.t.Helper()
	var raw jsonrpc2.RawMessage
	if err := c.call(method, params, &raw); err != nil {
		return err
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

const navText = "ARG V=1\nFROM alpine AS build\nARG V\nRUN echo $V\nFROM build AS test\nCOPY --from=build /a /a\n"

func posOf(t *testing.T, text, needle string) protocol.Position {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not found", needle)
	}
	p := analysis.NewDocument(text).Position(i, analysis.UTF16)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Col)}
}

func TestNavigationCapabilities(t *testing.T) {
	c := newTestClient(t)
	res := c.initialize()
	caps := res.Capabilities
	if caps.DefinitionProvider == nil || caps.ReferencesProvider == nil || caps.DocumentHighlightProvider == nil ||
		caps.DocumentSymbolProvider == nil || caps.WorkspaceSymbolProvider == nil || caps.HoverProvider == nil ||
		caps.FoldingRangeProvider == nil || caps.CodeLensProvider == nil {
		t.Errorf("a navigation provider is not advertised: %+v", caps)
	}
	if r, ok := caps.RenameProvider.(*protocol.RenameOptions); !ok || r.PrepareProvider == nil || !*r.PrepareProvider {
		t.Errorf("renameProvider = %#v, want prepareProvider", caps.RenameProvider)
	}
	st, ok := caps.SemanticTokensProvider.(*protocol.SemanticTokensOptions)
	if !ok {
		t.Fatalf("semanticTokensProvider = %#v", caps.SemanticTokensProvider)
	}
	want := []string{"keyword", "class", "parameter", "variable", "string", "comment"}
	if d := cmp.Diff(want, st.Legend.TokenTypes); d != "" {
		t.Errorf("legend types (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"declaration", "reference", "defaultLibrary"}, st.Legend.TokenModifiers); d != "" {
		t.Errorf("legend modifiers (-want +got):\n%s", d)
	}
}

// TestRenameEditShape checks that rename answers with versioned
// documentChanges when the client takes them, else with changes.
func TestRenameEditShape(t *testing.T) {
	yes := true
	for _, versioned := range []bool{false, true} {
		t.Run(fmt.Sprint("versioned=", versioned), func(t *testing.T) {
			c := newTestClient(t)
			var caps protocol.ClientCapabilities
			if versioned {
				caps.Workspace = &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{DocumentChanges: &yes}}
			}
			c.initializeWith(caps)
			const u = "file:///w/Dockerfile"
			c.open(u, navText, 7)
			var edit struct {
				Changes         map[string][]json.RawMessage `json:"changes"`
				DocumentChanges []struct {
					TextDocument struct {
						URI     string `json:"uri"`
						Version *int   `json:"version"`
					} `json:"textDocument"`
					Edits []json.RawMessage `json:"edits"`
				} `json:"documentChanges"`
			}
			params := &protocol.RenameParams{
				TextDocumentPositionParams: protocol.TextDocumentPositionParams{
					TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)},
					Position:     posOf(t, navText, "build"),
				},
				NewName: "compile",
			}
			if err := c.rawCall(protocol.MethodTextDocumentRename, params, &edit); err != nil {
				t.Fatal(err)
			}
			if versioned {
				if len(edit.Changes) != 0 || len(edit.DocumentChanges) != 1 || edit.DocumentChanges[0].TextDocument.Version == nil ||
					*edit.DocumentChanges[0].TextDocument.Version != 7 || len(edit.DocumentChanges[0].Edits) != 3 || edit.DocumentChanges[0].TextDocument.URI != u {
					t.Errorf("edit = %+v, want one versioned document change of 3 edits", edit)
				}
			} else if len(edit.DocumentChanges) != 0 || len(edit.Changes[u]) != 3 {
				t.Errorf("edit = %+v, want 3 changes", edit)
			}
			// A refused name is an error the editor shows.
			params.NewName = "Test"
			err := c.rawCall(protocol.MethodTextDocumentRename, params, nil)
			if code(err) != codeRequestFailed || !strings.Contains(err.Error(), "already has the name") {
				t.Errorf("rename to Test: %v (code %d), want RequestFailed saying the name is taken", err, code(err))
			}
		})
	}
}

func TestDocumentSymbolShapes(t *testing.T) {
	yes := true
	c := newTestClient(t)
	c.initializeWith(protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		DocumentSymbol: &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &yes},
	}})
	const u = "file:///w/Dockerfile"
	c.open(u, navText, 1)
	type sym struct {
		Name     string `json:"name"`
		Detail   string `json:"detail"`
		Children []sym  `json:"children"`
	}
	var syms []sym
	params := &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)}}
	if err := c.rawCall(protocol.MethodTextDocumentDocumentSymbol, params, &syms); err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func([]sym, string)
	walk = func(ss []sym, indent string) {
		for _, s := range ss {
			got = append(got, indent+s.Name+" "+s.Detail)
			walk(s.Children, indent+"  ")
		}
	}
	walk(syms, "")
	want := []string{
		"ARG V=1", "  V 1",
		"build alpine", "  FROM alpine AS build", "  ARG V", "    V ", "  RUN echo $V",
		"test build", "  FROM build AS test", "  COPY --from=build /a /a",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("symbol tree (-want +got):\n%s", d)
	}
}

func TestWorkspaceSymbols(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	c.open("file:///w/a/Dockerfile", navText, 1)
	c.open("file:///w/b/Dockerfile", "ARG BUILDER_IMAGE=golang\nFROM $BUILDER_IMAGE AS builder\n", 1)
	c.diagnostics("file:///w/b/Dockerfile", 1)
	query := func(q string) []string {
		var infos []struct {
			Name     string       `json:"name"`
			Location wireLocation `json:"location"`
		}
		if err := c.rawCall(protocol.MethodWorkspaceSymbol, &protocol.WorkspaceSymbolParams{Query: q}, &infos); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range infos {
			out = append(out, fmt.Sprintf("%s %s:%d", i.Name, filepath.Base(filepath.Dir(i.Location.URI)), i.Location.Range.Start.Line+1))
		}
		return out
	}
	if d := cmp.Diff([]string{"build a:2", "BUILDER_IMAGE b:1", "builder b:2"}, query("bui")); d != "" {
		t.Errorf("query bui (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"test a:5"}, query("TST")); d != "" {
		t.Errorf("query TST (-want +got):\n%s", d)
	}
	if got := query(""); len(got) != 6 {
		t.Errorf("empty query = %v, want all 6 names", got)
	}
}

// TestSemanticTokensEncodings checks that columns follow the negotiated
// encoding.
func TestSemanticTokensEncodings(t *testing.T) {
	const text = "FROM alpine AS b\nRUN echo \"😀\" $X\n"
	for _, tc := range []struct {
		enc protocol.PositionEncodingKind
		col uint32 // of $X
	}{{protocol.PositionEncodingKindUTF8, 16}, {protocol.PositionEncodingKindUTF16, 14}, {protocol.PositionEncodingKindUTF32, 13}} {
		c := newTestClient(t)
		c.initialize(tc.enc)
		c.open("file:///w/Dockerfile", text, 1)
		var toks struct{ Data []uint32 }
		params := &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///w/Dockerfile"}}
		if err := c.rawCall(protocol.MethodTextDocumentSemanticTokensFull, params, &toks); err != nil {
			t.Fatal(err)
		}
		// Tokens: FROM AS b | RUN "😀" $X; the last is $X, after the string.
		d := toks.Data
		if len(d) != 30 {
			t.Fatalf("%s: %d tokens, want 6: %v", tc.enc, len(d)/5, d)
		}
		strCol := d[21] + d[26]
		if strCol != tc.col || d[27] != 2 {
			t.Errorf("%s: $X at column %d length %d, want %d length 2", tc.enc, strCol, d[27], tc.col)
		}
	}
}

// TestCorpusThroughServer opens a sample of the corpus and sends every
// navigation request at every position of each file (every character of
// the smaller ones, every fourth of the rest), checking that each answers
// without error and with ranges inside the document.
func TestCorpusThroughServer(t *testing.T) {
	dir := testgen.RequireCorpus(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if testing.Short() {
		names = names[:5]
	}
	c := newTestClient(t)
	c.initialize()
	sampled := 0
	for i, name := range names {
		if i%20 != 0 && !strings.Contains(name, "buildkit__Dockerfile") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		u := "file:///corpus/" + name
		c.open(u, text, 1)
		checkServerEverywhere(t, c, u, text)
		c.close(u)
		sampled++
	}
	t.Logf("sampled %d files", sampled)
}

func checkServerEverywhere(t *testing.T, c *testClient, u, text string) {
	doc := analysis.NewDocument(text)
	td := protocol.TextDocumentIdentifier{URI: uri.URI(u)}
	lines := doc.LineCount()
	inDoc := func(what string, r wireRange) {
		if r.Start.Line >= lines || r.End.Line >= lines || r.End.Line < r.Start.Line {
			t.Errorf("%s: %s range %+v outside %d lines", u, what, r, lines)
		}
	}
	whole := []struct {
		method string
		params any
	}{
		{protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: td}},
		{protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{TextDocument: td}},
		{protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: td}},
		{protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: td}},
	}
	for _, w := range whole {
		if err := c.rawCall(w.method, w.params, nil); err != nil {
			t.Errorf("%s: %s: %v", u, w.method, err)
		}
	}
	step := 1
	if len(text) > 4000 {
		step = 4
	}
	for off := 0; off <= len(text); off += step {
		p := doc.Position(off, analysis.UTF16)
		pos := protocol.TextDocumentPositionParams{TextDocument: td, Position: protocol.Position{Line: uint32(p.Line), Character: uint32(p.Col)}}
		var raw json.RawMessage
		if err := c.rawCall(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: pos}, &raw); err != nil {
			t.Fatalf("%s: definition at %v: %v", u, pos.Position, err)
		}
		// One location, or several for a reference built from variables.
		var defs []wireLocation
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &defs); err != nil {
				t.Fatalf("%s: definition at %v: %v", u, pos.Position, err)
			}
		} else if string(raw) != "null" && len(raw) > 0 {
			var loc wireLocation
			if err := json.Unmarshal(raw, &loc); err != nil {
				t.Fatalf("%s: definition at %v: %v", u, pos.Position, err)
			}
			defs = append(defs, loc)
		}
		for _, loc := range defs {
			inDoc("definition", loc.Range)
		}
		var locs []wireLocation
		if err := c.rawCall(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: pos, Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &locs); err != nil {
			t.Fatalf("%s: references at %v: %v", u, pos.Position, err)
		}
		for _, l := range locs {
			inDoc("reference", l.Range)
		}
		for _, m := range []string{protocol.MethodTextDocumentDocumentHighlight, protocol.MethodTextDocumentHover, protocol.MethodTextDocumentSignatureHelp} {
			if err := c.rawCall(m, &protocol.HoverParams{TextDocumentPositionParams: pos}, nil); err != nil {
				t.Fatalf("%s: %s at %v: %v", u, m, pos.Position, err)
			}
		}
		var list struct {
			Items []struct {
				TextEdit struct{ Range wireRange } `json:"textEdit"`
			} `json:"items"`
		}
		if err := c.rawCall(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: pos}, &list); err != nil {
			t.Fatalf("%s: completion at %v: %v", u, pos.Position, err)
		}
		for _, it := range list.Items {
			inDoc("completion edit", it.TextEdit.Range)
		}
		// prepareRename refuses most positions; only an error other than
		// RequestFailed is wrong.
		err := c.rawCall(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: pos}, nil)
		if err != nil && code(err) != codeRequestFailed {
			t.Fatalf("%s: prepareRename at %v: %v", u, pos.Position, err)
		}
		if err == nil {
			err = c.rawCall(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: pos, NewName: "renamed_x"}, nil)
			if err != nil && code(err) != codeRequestFailed {
				t.Fatalf("%s: rename at %v: %v", u, pos.Position, err)
			}
		}
	}
	for l := 0; l < lines; l += 10 {
		r := protocol.Range{Start: protocol.Position{Line: uint32(l)}, End: protocol.Position{Line: uint32(l + 10)}}
		if err := c.rawCall(protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: td, Range: r}, nil); err != nil {
			t.Errorf("%s: semantic tokens in %v: %v", u, r, err)
		}
	}
	if c.logged("panicked") {
		t.Errorf("%s: a handler panicked", u)
	}
}
