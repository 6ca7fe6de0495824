package server

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/safety"
)

// wireAction is a code action as it comes over the wire.
type wireAction struct {
	Title       string          `json:"title"`
	Kind        string          `json:"kind"`
	IsPreferred bool            `json:"isPreferred"`
	Diagnostics []wireDiag      `json:"diagnostics"`
	Edit        *wireEdit       `json:"edit"`
	Data        json.RawMessage `json:"data"`
}

type wireDiag struct {
	Code string `json:"code"`
}

type wireEdit struct {
	Changes         map[string][]wireTextEdit `json:"changes"`
	DocumentChanges []struct {
		TextDocument struct {
			URI     string `json:"uri"`
			Version *int32 `json:"version"`
		} `json:"textDocument"`
		Edits []wireTextEdit `json:"edits"`
	} `json:"documentChanges"`
}

type wireTextEdit struct {
	Range   protocol.Range `json:"range"`
	NewText string         `json:"newText"`
}

// edits returns the text edits of e for docURI.
func (e *wireEdit) edits(docURI string) []wireTextEdit {
	if e == nil {
		return nil
	}
	out := e.Changes[docURI]
	for _, dc := range e.DocumentChanges {
		if dc.TextDocument.URI == docURI {
			out = append(out, dc.Edits...)
		}
	}
	return out
}

// codeActions asks for the code actions at rng.
func codeActions(c *testClient, docURI string, rng protocol.Range, only []protocol.CodeActionKind, trigger protocol.CodeActionTriggerKind) ([]wireAction, error) {
	params := &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(docURI)},
		Range:        rng,
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, Only: only, TriggerKind: trigger},
	}
	var raw jsonrpc2.RawMessage
	if err := c.call(protocol.MethodTextDocumentCodeAction, params, &raw); err != nil {
		return nil, err
	}
	var acts []wireAction
	err := json.Unmarshal(raw, &acts)
	return acts, err
}

// applyWire applies protocol edits, counted in UTF-16, to doc.
func applyWire(doc *analysis.Document, edits []wireTextEdit) (string, error) {
	return applyWireIn(doc, edits, analysis.UTF16)
}

// applyWireIn applies protocol edits, counted in enc, to doc.
func applyWireIn(doc *analysis.Document, edits []wireTextEdit, enc analysis.Encoding) (string, error) {
	var es []analysis.Edit
	for _, e := range edits {
		start, c1 := doc.Offset(analysis.Position{Line: int(e.Range.Start.Line), Col: int(e.Range.Start.Character)}, enc)
		end, c2 := doc.Offset(analysis.Position{Line: int(e.Range.End.Line), Col: int(e.Range.End.Character)}, enc)
		if (c1 && start != doc.Len()) || (c2 && end != doc.Len()) {
			return "", fmt.Errorf("edit range %v lies outside the document", e.Range)
		}
		es = append(es, analysis.Edit{Span: analysis.Span{Start: start, End: end}, Text: e.NewText})
	}
	return analysis.ApplyEdits(doc.Text(), analysis.SortEdits(es))
}

// codeactionMarker checks @codeaction(location, title, golden): among the
// code actions for the cursor at the first match of location on the
// annotated line, the one whose title contains title (a string or re"...")
// applied to the file gives the golden section "@golden", a Dockerfile
// BuildKit parses. With the bare name `none` instead of a golden section,
// no such action may be offered.
func codeactionMarker(m *marker) {
	if len(m.args) != 3 {
		m.errorf("want (location, title, golden)")
		return
	}
	name, ok := m.args[2].(ident)
	if !ok {
		m.errorf("the golden section must be a bare name")
		return
	}
	off, ok := m.locate(m.args[0])
	if !ok {
		return
	}
	p := m.position(off)
	acts, err := codeActions(m.run.client, m.file.uri, protocol.Range{Start: p, End: p}, nil, protocol.CodeActionTriggerKindInvoked)
	if err != nil {
		m.errorf("textDocument/codeAction: %v", err)
		return
	}
	var titles []string
	var found *wireAction
	for i := range acts {
		titles = append(titles, acts[i].Title)
		if found == nil && matches(m.args[1], acts[i].Title) {
			found = &acts[i]
		}
	}
	if name == "none" {
		if found != nil {
			m.errorf("unexpected action %q", found.Title)
		}
		return
	}
	if found == nil {
		m.errorf("no action matching %v among %q", m.args[1], titles)
		return
	}
	got, err := applyWire(m.file.doc, found.Edit.edits(m.file.uri))
	if err != nil {
		m.errorf("%s: %v", found.Title, err)
		return
	}
	after := analysis.Parse(analysis.NewDocument(got))
	if after.ParseError != nil {
		m.errorf("%s: the result does not parse: %s", found.Title, after.ParseError.Message)
	} else if errs := after.Errors(); len(errs) > len(analysis.Parse(m.file.doc).Errors()) {
		m.errorf("%s: the result has an instruction error: %s", found.Title, errs[0].Message)
	}
	if found.Kind == "refactor.rewrite.cacheMount" {
		// Only cache mounts are added: without them the text is the same.
		mounts := regexp.MustCompile(` --mount=type=cache,target=[^\s]+`)
		if mounts.ReplaceAllString(got, "") != mounts.ReplaceAllString(m.file.doc.Text(), "") {
			m.errorf("%s: more than cache mounts changed", found.Title)
		}
	}
	kind := found.Kind
	if kind == "quickfix" && slices.ContainsFunc(found.Diagnostics, func(d wireDiag) bool { return d.Code == "SourceCopiedTooEarly" }) {
		kind = "refactor.rewrite.reorderLayers" // its fix is the reorder refactoring's edit
	}
	if want, ok := intended[kind]; ok {
		if file, ok := docPath(m.file.uri); ok {
			// The context the workspace names for it (Compose, Bake), else
			// its folder, with its .dockerignore, as the server reads it.
			want.Context = m.run.client.srv.buildContext(file)
		}
		switch kind {
		case "refactor.rewrite.reorderLayers", "refactor.rewrite.buildRuntime":
			want.Added = addedSteps(m.file.doc, got)
		}
		// The venv split changes the builder's PATH on purpose, and says so.
		want.SkipRunEnv = want.SkipRunEnv || strings.Contains(found.Title, "virtual environment")
		if err := safety.Check(m.file.doc, analysis.NewDocument(got), want); err != nil {
			m.errorf("%s: the safety checker rejects the result: %v", found.Title, err)
		}
	}
	m.golden(string(name), got)
}

// intended is what each refactoring means to change, for the safety
// checker: split stage adds one reference, the build/runtime split one a
// copied artifact and a stage; the reorder adds a COPY of the manifests.
var intended = map[string]safety.Intended{
	"refactor.rewrite.splitStage":    {NewRefs: 1},
	"refactor.rewrite.reorderLayers": {SkipClosure: true},
	"refactor.rewrite.buildRuntime":  {NewRefs: -1, SkipClosure: true},
}

// addedSteps lists the instructions of after that before lacks and that a
// reorder or a runtime split may add: COPYs of the build context and
// dependency steps (--no-install-project, go-offline, dependencies, go mod
// download, dotnet restore, cargo fetch, prune, venv) and the RUN that writes nginx's configuration
// where the frontend has no heredocs.
func addedSteps(before *analysis.Document, after string) []string {
	count := func(ix *analysis.Index) map[string]int {
		m := map[string]int{}
		for i := 0; i < ix.Len(); i++ {
			m[safety.NormalizeInstruction(ix, i)]++
		}
		return m
	}
	bix, aix := analysis.Parse(before), analysis.Parse(analysis.NewDocument(after))
	have := count(bix)
	var out []string
	for i := 0; i < aix.Len(); i++ {
		n, s := aix.Node(i), safety.NormalizeInstruction(aix, i)
		if have[s] > 0 {
			have[s]--
			continue
		}
		step := strings.Contains(s, "--no-install-") || strings.Contains(s, " prune ") || strings.Contains(s, "--production") || strings.Contains(s, "-m venv") ||
			strings.HasSuffix(s, "dependency:go-offline") || strings.Contains(s, " dependencies") || strings.HasSuffix(s, "go mod download") ||
			strings.HasPrefix(s, "run dotnet restore ") || strings.Contains(s, "cargo fetch") ||
			strings.HasSuffix(s, "> /etc/nginx/conf.d/default.conf") // nginx's configuration without a heredoc
		if n.Cmd == "copy" && n.Flag("from") == nil || n.Cmd == "run" && step {
			out = append(out, s)
		}
	}
	return out
}

// resolvingClient starts a server for a client that resolves code action
// edits and takes versioned document changes.
func resolvingClient(t *testing.T, versioned bool) *testClient {
	c := newTestClient(t)
	yes := true
	params := &protocol.InitializeParams{ClientInfo: protocol.ClientInfo{Name: "resolver"}}
	params.Capabilities.TextDocument = &protocol.TextDocumentClientCapabilities{CodeAction: &protocol.CodeActionClientCapabilities{
		ResolveSupport: protocol.ClientCodeActionResolveOptions{Properties: []string{"edit"}},
		DataSupport:    &yes,
	}}
	if versioned {
		params.Capabilities.Workspace = &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{DocumentChanges: &yes}}
	}
	var res protocol.InitializeResult
	if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	opts, ok := res.Capabilities.CodeActionProvider.(*protocol.CodeActionOptions)
	if !ok || opts.ResolveProvider == nil || !*opts.ResolveProvider {
		t.Fatalf("codeActionProvider = %#v, want resolve support", res.Capabilities.CodeActionProvider)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return c
}

const goSingleStage = "FROM golang:1.22\nWORKDIR /src\nENV CGO_ENABLED=0\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /out/app ./cmd/app\nCMD [\"/out/app\"]\n"

// TestCodeActionResolve checks that the build/runtime split comes without
// its edit to a client that resolves, that resolve gives a versioned edit,
// and that an action of an older version is refused.
func TestCodeActionResolve(t *testing.T) {
	c := resolvingClient(t, true)
	const u = "file:///resolve/Dockerfile"
	c.open(u, goSingleStage, 1)
	at := protocol.Position{Line: 6, Character: 4}
	acts, err := codeActions(c, u, protocol.Range{Start: at, End: at}, []protocol.CodeActionKind{"refactor.rewrite.buildRuntime"}, protocol.CodeActionTriggerKindInvoked)
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 3 {
		t.Fatalf("got %d actions, want 3 (distroless, scratch, alpine): %+v", len(acts), acts)
	}
	for _, a := range acts {
		if a.Edit != nil || len(a.Data) == 0 || a.Kind != "refactor.rewrite.buildRuntime" {
			t.Errorf("action %q: edit %v, data %s, kind %s; want a lazy buildRuntime action", a.Title, a.Edit, a.Data, a.Kind)
		}
	}
	if !acts[0].IsPreferred || acts[1].IsPreferred {
		t.Errorf("want only the first action preferred: %+v", acts)
	}
	resolve := func(a wireAction) (wireAction, error) {
		var raw jsonrpc2.RawMessage
		kind := protocol.CodeActionKind(a.Kind)
		err := c.call(protocol.MethodCodeActionResolve, &protocol.CodeAction{Title: a.Title, Kind: &kind, Data: protocol.LSPAny(a.Data)}, &raw)
		var got wireAction
		if err == nil {
			err = json.Unmarshal(raw, &got)
		}
		return got, err
	}
	got, err := resolve(acts[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.Edit == nil || len(got.Edit.DocumentChanges) != 1 || got.Edit.DocumentChanges[0].TextDocument.Version == nil || *got.Edit.DocumentChanges[0].TextDocument.Version != 1 {
		t.Fatalf("resolved edit %+v, want documentChanges for version 1", got.Edit)
	}
	text, err := applyWire(analysis.NewDocument(goSingleStage), got.Edit.edits(u))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "FROM gcr.io/distroless/static-debian12\n") || !strings.Contains(text, "COPY --from=build /out/app /out/app\n") {
		t.Errorf("resolved text:\n%s", text)
	}
	if err := safety.Check(analysis.NewDocument(goSingleStage), analysis.NewDocument(text), safety.Intended{NewRefs: 1, SkipClosure: true}); err != nil {
		t.Error(err)
	}

	c.change(u, 2, partial(0, 0, 0, 0, "# edited\n"))
	if _, err := resolve(acts[0]); code(err) != protocol.CodeContentModified {
		t.Errorf("resolve after an edit: %v, want ContentModified", err)
	}
}

// TestCodeActionOnly checks that context.only and the trigger kind select
// the producers.
func TestCodeActionOnly(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	const u = "file:///only/Dockerfile"
	const text = "FROM node:20 as build\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y curl\nRUN npm run build\n\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n"
	c.open(u, text, 1)
	at := protocol.Position{Line: 2, Character: 1}
	kinds := func(only []protocol.CodeActionKind, trigger protocol.CodeActionTriggerKind) []string {
		acts, err := codeActions(c, u, protocol.Range{Start: at, End: at}, only, trigger)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range acts {
			out = append(out, a.Kind)
		}
		sort.Strings(out)
		return slices.Compact(out)
	}
	for _, tc := range []struct {
		only    []protocol.CodeActionKind
		trigger protocol.CodeActionTriggerKind
		want    string
	}{
		{nil, protocol.CodeActionTriggerKindInvoked, "quickfix refactor.rewrite.reorderLayers refactor.rewrite.splitStage"},
		{nil, protocol.CodeActionTriggerKindAutomatic, "quickfix"},
		{[]protocol.CodeActionKind{"refactor"}, protocol.CodeActionTriggerKindAutomatic, "refactor.rewrite.reorderLayers refactor.rewrite.splitStage"},
		{[]protocol.CodeActionKind{"refactor.rewrite.splitStage"}, protocol.CodeActionTriggerKindInvoked, "refactor.rewrite.splitStage"},
		{[]protocol.CodeActionKind{"quickfix"}, protocol.CodeActionTriggerKindInvoked, "quickfix"},
		{[]protocol.CodeActionKind{"source"}, protocol.CodeActionTriggerKindInvoked, "source.fixAll"},
		{[]protocol.CodeActionKind{"source.organizeImports"}, protocol.CodeActionTriggerKindInvoked, ""},
	} {
		if got := strings.Join(kinds(tc.only, tc.trigger), " "); got != tc.want {
			t.Errorf("only %v, trigger %d: kinds %q, want %q", tc.only, tc.trigger, got, tc.want)
		}
	}
}

// TestCodeActionCapabilities checks the provider a client that cannot
// resolve edits is offered: the kinds, and no resolveProvider.
func TestCodeActionCapabilities(t *testing.T) {
	c := newTestClient(t)
	res := c.initialize()
	opts, ok := res.Capabilities.CodeActionProvider.(*protocol.CodeActionOptions)
	if !ok {
		t.Fatalf("codeActionProvider = %#v, want options", res.Capabilities.CodeActionProvider)
	}
	want := []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindRefactorRewrite, protocol.CodeActionKindSourceFixAll}
	if !slices.Equal(opts.CodeActionKinds, want) || opts.ResolveProvider != nil {
		t.Errorf("codeActionProvider = %+v, want kinds %v and no resolveProvider", opts, want)
	}
}

// TestQuickFixes checks that quick fixes name the client's diagnostic they
// fix and that only the obvious fix is preferred.
func TestQuickFixes(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	const u = "file:///quickfix/Dockerfile"
	c.open(u, "FROM alpine:3 as base\nCMD [\"true\"]\n", 1)
	sent := c.diagnostics(u, 1)
	if len(sent) != 1 {
		t.Fatalf("published %d diagnostics, want the FromAsCasing one", len(sent))
	}
	at := protocol.Position{Line: 0, Character: 15}
	params := &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(u)},
		Range:        protocol.Range{Start: at, End: at},
		Context:      protocol.CodeActionContext{Diagnostics: sent, Only: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
	}
	var raw jsonrpc2.RawMessage
	if err := c.call(protocol.MethodTextDocumentCodeAction, params, &raw); err != nil {
		t.Fatal(err)
	}
	var acts []wireAction
	if err := json.Unmarshal(raw, &acts); err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Preferred bool
		Codes     []string
	}
	got := map[string]summary{}
	for _, a := range acts {
		s := summary{Preferred: a.IsPreferred}
		for _, d := range a.Diagnostics {
			s.Codes = append(s.Codes, d.Code)
		}
		got[a.Title] = s
	}
	var preferred, skip int
	for title, s := range got {
		if !slices.Equal(s.Codes, []string{"FromAsCasing"}) {
			t.Errorf("%q fixes %v, want [FromAsCasing]", title, s.Codes)
		}
		if s.Preferred {
			preferred++
		}
		if strings.Contains(title, "check=skip=FromAsCasing") {
			skip++
			if s.Preferred {
				t.Errorf("the skip fix %q is preferred", title)
			}
		}
	}
	if preferred != 1 || skip != 1 || len(acts) != 2 {
		t.Errorf("actions %v: want two, one preferred and one skip", got)
	}

	all, err := codeActions(c, u, protocol.Range{}, []protocol.CodeActionKind{protocol.CodeActionKindSourceFixAll}, protocol.CodeActionTriggerKindAutomatic)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("fix-all: %d actions, want 1", len(all))
	}
	text, err := applyWire(analysis.NewDocument("FROM alpine:3 as base\nCMD [\"true\"]\n"), all[0].Edit.edits(u))
	if err != nil || text != "FROM alpine:3 AS base\nCMD [\"true\"]\n" {
		t.Errorf("fix-all gave %q, %v", text, err)
	}
}

// TestSplitRefusalLogged checks that a refactoring not offered says why in
// the log.
func TestSplitRefusalLogged(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	const u = "file:///onbuild/Dockerfile"
	c.open(u, "FROM alpine:3 AS base\nRUN echo first\nONBUILD RUN echo trigger\nRUN echo second\n", 1)
	at := protocol.Position{Line: 3, Character: 1}
	acts, err := codeActions(c, u, protocol.Range{Start: at, End: at}, []protocol.CodeActionKind{"refactor.rewrite.splitStage"}, protocol.CodeActionTriggerKindInvoked)
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 0 {
		t.Errorf("split stage offered across an ONBUILD: %+v", acts)
	}
	found := false
	for _, e := range c.logs.All() {
		if e.Message == "code action not offered" && strings.Contains(e.ContextMap()["reason"].(string), "ONBUILD") {
			found = true
		}
	}
	if !found {
		t.Error("no log entry says why split stage was not offered")
	}
}
