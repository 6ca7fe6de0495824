package server

// Markers for the navigation features. A location argument is a string or
// re"..." found in the annotated line; results are rendered with the range
// in brackets inside its line, `COPY --from=[build] /a /b`, so that an
// expectation names text, not line numbers.
//
//	@def(loc)                   no definition
//	@def(loc, dst...)           one definition per dst, in order, each inside the first match of dst in its line
//	@refs(loc, [nodecl,] want...) references (with declarations unless nodecl), each rendered
//	                            result containing the matching want, in order
//	@highlight(loc, want...)    the same for highlights, rendered "W:..." or "R:..."
//	@rename(loc, name, golden)  prepareRename then rename; the edited file equals the golden section
//	@rename(loc, name, msg)     prepareRename or rename fails with a message matching msg
//	@hover(loc)                 no hover
//	@hover(loc, golden|msg)     the hover's text equals the golden section, or matches msg
//	@symbols(golden)            the document's outline
//	@folding(golden)            the folding ranges
//	@codelens(want)             a lens on the annotated line whose title matches want
//	@tokens(want)               the annotated line's semantic tokens, rendered, match want
//	@tokens(golden)             the whole file's semantic tokens

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/oracle"
)

func init() {
	markerKinds["def"] = defMarker
	markerKinds["refs"] = refsMarker
	markerKinds["highlight"] = highlightMarker
	markerKinds["rename"] = renameMarker
	markerKinds["hover"] = hoverMarker
	markerKinds["symbols"] = symbolsMarker
	markerKinds["folding"] = foldingMarker
	markerKinds["codelens"] = codelensMarker
	markerKinds["tokens"] = tokensMarker
}

// wireRange is a range as it comes over the wire.
type wireRange struct {
	Start, End struct{ Line, Character int }
}

type wireLocation struct {
	URI   string    `json:"uri"`
	Range wireRange `json:"range"`
}

// call sends a request and decodes its raw result into out; it reports
// failures at the marker.
func (m *marker) call(method string, params any, out any) error {
	var raw jsonrpc2.RawMessage
	if err := m.run.client.call(method, params, &raw); err != nil {
		return err
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			m.errorf("%s: bad result %s: %v", method, raw, err)
		}
	}
	return nil
}

// at locates args[0] on the annotated line and returns the request's
// position parameters.
func (m *marker) at() (protocol.TextDocumentPositionParams, bool) {
	if len(m.args) == 0 {
		m.errorf("want a location as first argument")
		return protocol.TextDocumentPositionParams{}, false
	}
	off, ok := m.locate(m.args[0])
	if !ok {
		return protocol.TextDocumentPositionParams{}, false
	}
	return protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)},
		Position:     m.position(off),
	}, true
}

// offset converts a wire position (UTF-16) to an offset in the file.
func (m *marker) offset(line, char int) int {
	off, _ := m.file.doc.Offset(analysis.Position{Line: line, Col: char}, analysis.UTF16)
	return off
}

// render shows r inside its line: `COPY --from=[build] /a /b`.
func (m *marker) render(r wireRange) string {
	d := m.file.doc
	if r.Start.Line != r.End.Line {
		return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1)
	}
	ls, le := d.LineStart(r.Start.Line), d.LineEnd(r.Start.Line)
	a, b := m.offset(r.Start.Line, r.Start.Character), m.offset(r.End.Line, r.End.Character)
	return d.Slice(analysis.Span{Start: ls, End: a}) + "[" + d.Slice(analysis.Span{Start: a, End: b}) + "]" + d.Slice(analysis.Span{Start: b, End: le})
}

func defMarker(m *marker) {
	pos, ok := m.at()
	if !ok {
		return
	}
	var locs []wireLocation
	var raw json.RawMessage
	if err := m.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: pos}, &raw); err != nil {
		m.errorf("definition: %v", err)
		return
	}
	if len(raw) > 0 && string(raw) != "null" {
		if raw[0] == '[' {
			_ = json.Unmarshal(raw, &locs)
		} else {
			var l wireLocation
			_ = json.Unmarshal(raw, &l)
			locs = append(locs, l)
		}
	}
	if len(m.args) == 1 {
		if len(locs) > 0 {
			m.errorf("want no definition, got %s", m.render(locs[0].Range))
		}
		return
	}
	if len(locs) != len(m.args)-1 {
		m.errorf("want %d definitions, got %d", len(m.args)-1, len(locs))
		return
	}
	for k, l := range locs {
		if l.URI != m.file.uri {
			m.errorf("definition in %s, want %s", l.URI, m.file.uri)
			return
		}
		d := m.file.doc
		line := d.Slice(analysis.Span{Start: d.LineStart(l.Range.Start.Line), End: d.LineEnd(l.Range.Start.Line)})
		var loc []int
		switch dst := m.args[k+1].(type) {
		case string:
			if i := strings.Index(line, dst); i >= 0 {
				loc = []int{i, i + len(dst)}
			}
		case *regexp.Regexp:
			loc = dst.FindStringIndex(line)
		}
		ls := d.LineStart(l.Range.Start.Line)
		a, b := m.offset(l.Range.Start.Line, l.Range.Start.Character)-ls, m.offset(l.Range.End.Line, l.Range.End.Character)-ls
		if loc == nil || a < loc[0] || b > loc[1] || l.Range.Start.Line != l.Range.End.Line {
			m.errorf("definition %d is %s, not inside %v", k+1, m.render(l.Range), m.args[k+1])
		}
	}
}

// matchList checks rendered results against the wanted ones, in order.
func (m *marker) matchList(got []string, want []any) {
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = matches(want[i], got[i])
	}
	if !ok {
		m.errorf("got %d results:\n\t%s\nwant %d matching %v", len(got), strings.Join(got, "\n\t"), len(want), want)
	}
}

// references asks for the references at the marker's location, with the
// declarations unless the first expectation is nodecl; it returns the
// locations and the expectations that follow.
func (m *marker) references() ([]wireLocation, []any, bool) {
	pos, ok := m.at()
	if !ok {
		return nil, nil, false
	}
	want := m.args[1:]
	include := true
	if len(want) > 0 && want[0] == ident("nodecl") {
		include, want = false, want[1:]
	}
	var locs []wireLocation
	params := &protocol.ReferenceParams{TextDocumentPositionParams: pos, Context: protocol.ReferenceContext{IncludeDeclaration: include}}
	if err := m.call(protocol.MethodTextDocumentReferences, params, &locs); err != nil {
		m.errorf("references: %v", err)
		return nil, nil, false
	}
	return locs, want, true
}

func refsMarker(m *marker) {
	locs, want, ok := m.references()
	if !ok {
		return
	}
	var got []string
	for _, l := range locs {
		got = append(got, m.render(l.Range))
	}
	m.matchList(got, want)
}

func highlightMarker(m *marker) {
	pos, ok := m.at()
	if !ok {
		return
	}
	var hs []struct {
		Range wireRange `json:"range"`
		Kind  int       `json:"kind"`
	}
	if err := m.call(protocol.MethodTextDocumentDocumentHighlight, &protocol.DocumentHighlightParams{TextDocumentPositionParams: pos}, &hs); err != nil {
		m.errorf("documentHighlight: %v", err)
		return
	}
	var got []string
	for _, h := range hs {
		kind := map[int]string{1: "T", 2: "R", 3: "W"}[h.Kind]
		got = append(got, kind+":"+m.render(h.Range))
	}
	m.matchList(got, m.args[1:])
}

func renameMarker(m *marker) {
	pos, ok := m.at()
	if !ok {
		return
	}
	if len(m.args) != 3 {
		m.errorf("want (location, new name, golden or message)")
		return
	}
	newName, _ := m.args[1].(string)
	golden, isGolden := m.args[2].(ident)
	fail := func(err error) {
		if isGolden {
			m.errorf("rename failed: %v", err)
		} else if !matches(m.args[2], err.Error()) {
			m.errorf("rename failed with %q, want a message matching %v", err.Error(), m.args[2])
		}
	}
	var prep struct {
		Range       wireRange `json:"range"`
		Placeholder string    `json:"placeholder"`
	}
	if err := m.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: pos}, &prep); err != nil {
		fail(err)
		return
	}
	var edit struct {
		Changes map[string][]struct {
			Range   wireRange
			NewText string
		} `json:"changes"`
		DocumentChanges []struct {
			TextDocument struct {
				URI     string `json:"uri"`
				Version *int   `json:"version"`
			} `json:"textDocument"`
			Edits []struct {
				Range   wireRange `json:"range"`
				NewText string    `json:"newText"`
			} `json:"edits"`
		} `json:"documentChanges"`
	}
	params := &protocol.RenameParams{TextDocumentPositionParams: pos, NewName: newName}
	if err := m.call(protocol.MethodTextDocumentRename, params, &edit); err != nil {
		fail(err)
		return
	}
	if !isGolden {
		m.errorf("rename succeeded, want a failure matching %v", m.args[2])
		return
	}
	type textEdit struct {
		span analysis.Span
		text string
	}
	var edits []textEdit
	for u, es := range edit.Changes {
		if u != m.file.uri {
			m.errorf("edit of %s", u)
		}
		for _, e := range es {
			edits = append(edits, textEdit{analysis.Span{Start: m.offset(e.Range.Start.Line, e.Range.Start.Character), End: m.offset(e.Range.End.Line, e.Range.End.Character)}, e.NewText})
		}
	}
	for _, dc := range edit.DocumentChanges {
		for _, e := range dc.Edits {
			edits = append(edits, textEdit{analysis.Span{Start: m.offset(e.Range.Start.Line, e.Range.Start.Character), End: m.offset(e.Range.End.Line, e.Range.End.Character)}, e.NewText})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].span.Start > edits[j].span.Start })
	text := m.file.doc.Text()
	for _, e := range edits {
		text = text[:e.span.Start] + e.text + text[e.span.End:]
	}
	m.sameBuild(m.file.doc.Text(), text, "the rename")
	m.golden(string(golden), text)
}

// sameBuild checks, with BuildKit as the oracle, that after (the file
// edited by what) builds the same stage graph as before: every reference
// resolves as it did, the same stages are reachable. A file BuildKit
// rejects before is not compared.
func (m *marker) sameBuild(before, after, what string) {
	for _, platform := range oracle.Platforms[:1] {
		b1, ok := oracle.Resolve(before, platform)
		if !ok {
			return
		}
		b2, ok := oracle.Resolve(after, platform)
		switch {
		case !ok:
			m.errorf("BuildKit rejects the file after %s", what)
		case fmt.Sprint(b1.Refs) != fmt.Sprint(b2.Refs):
			m.errorf("after %s BuildKit resolves the references differently:\n%v\n%v", what, b1.Refs, b2.Refs)
		case fmt.Sprint(b1.Reachable) != fmt.Sprint(b2.Reachable):
			m.errorf("after %s BuildKit reaches other stages: %v, then %v", what, b1.Reachable, b2.Reachable)
		}
	}
}

func hoverMarker(m *marker) {
	pos, ok := m.at()
	if !ok {
		return
	}
	var h *struct {
		Contents struct {
			Kind  string `json:"kind"`
			Value string `json:"value"`
		} `json:"contents"`
		Range *wireRange `json:"range"`
	}
	if err := m.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: pos}, &h); err != nil {
		m.errorf("hover: %v", err)
		return
	}
	if len(m.args) == 1 {
		if h != nil {
			m.errorf("want no hover, got %q", h.Contents.Value)
		}
		return
	}
	if h == nil {
		m.errorf("no hover")
		return
	}
	got := h.Contents.Value
	if h.Range != nil {
		got = "range: " + m.render(*h.Range) + "\n\n" + got + "\n"
	}
	if name, ok := m.args[1].(ident); ok {
		m.golden(string(name), got)
	} else if !matches(m.args[1], got) {
		m.errorf("hover %q does not match %v", got, m.args[1])
	}
}

func symbolsMarker(m *marker) {
	name, ok := m.goldenArg()
	if !ok {
		return
	}
	// The tree, or the flat list for clients without hierarchy.
	type sym struct {
		Name           string       `json:"name"`
		Detail         string       `json:"detail"`
		Kind           int          `json:"kind"`
		Range          wireRange    `json:"range"`
		SelectionRange wireRange    `json:"selectionRange"`
		Children       []sym        `json:"children"`
		Location       wireLocation `json:"location"`
		ContainerName  string       `json:"containerName"`
	}
	var syms []sym
	params := &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}}
	if err := m.call(protocol.MethodTextDocumentDocumentSymbol, params, &syms); err != nil {
		m.errorf("documentSymbol: %v", err)
		return
	}
	var b strings.Builder
	var walk func([]sym, string)
	walk = func(ss []sym, indent string) {
		for _, s := range ss {
			if s.Location.URI != "" {
				fmt.Fprintf(&b, "%s %q in %q %d-%d\n", symbolKindNames[s.Kind], s.Name, s.ContainerName, s.Location.Range.Start.Line+1, s.Location.Range.End.Line+1)
				continue
			}
			fmt.Fprintf(&b, "%s%s %q %q %d-%d\n", indent, symbolKindNames[s.Kind], s.Name, s.Detail, s.Range.Start.Line+1, s.Range.End.Line+1)
			walk(s.Children, indent+"  ")
		}
	}
	walk(syms, "")
	m.golden(name, b.String())
}

var symbolKindNames = map[int]string{
	int(protocol.SymbolKindClass): "class", int(protocol.SymbolKindFunction): "function",
	int(protocol.SymbolKindVariable): "variable", int(protocol.SymbolKindProperty): "property",
}

// goldenArg returns the marker's only argument, a golden section's name.
func (m *marker) goldenArg() (string, bool) {
	if len(m.args) != 1 {
		m.errorf("want (golden-section-name)")
		return "", false
	}
	name, ok := m.args[0].(ident)
	if !ok {
		m.errorf("the argument must be a bare name")
	}
	return string(name), ok
}

func foldingMarker(m *marker) {
	name, ok := m.goldenArg()
	if !ok {
		return
	}
	var folds []struct {
		StartLine int    `json:"startLine"`
		EndLine   int    `json:"endLine"`
		Kind      string `json:"kind"`
	}
	params := &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}}
	if err := m.call(protocol.MethodTextDocumentFoldingRange, params, &folds); err != nil {
		m.errorf("foldingRange: %v", err)
		return
	}
	var b strings.Builder
	d := m.file.doc
	for _, f := range folds {
		first := d.Slice(analysis.Span{Start: d.LineStart(f.StartLine), End: d.LineEnd(f.StartLine)})
		fmt.Fprintf(&b, "%d-%d %s: %s\n", f.StartLine+1, f.EndLine+1, f.Kind, first)
	}
	m.golden(name, b.String())
}

func codelensMarker(m *marker) {
	if len(m.args) != 1 {
		m.errorf("want (title)")
		return
	}
	if _, ok := m.targetSpan(); !ok {
		return
	}
	var lenses []struct {
		Range   wireRange `json:"range"`
		Command struct {
			Title string `json:"title"`
		} `json:"command"`
	}
	params := &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}}
	if err := m.call(protocol.MethodTextDocumentCodeLens, params, &lenses); err != nil {
		m.errorf("codeLens: %v", err)
		return
	}
	var onLine []string
	for _, l := range lenses {
		if l.Range.Start.Line == m.target {
			onLine = append(onLine, l.Command.Title)
			if matches(m.args[0], l.Command.Title) {
				return
			}
		}
	}
	m.errorf("no lens on line %d matching %v; the line has %q", m.target+1, m.args[0], onLine)
}

// renderedToken is a semantic token decoded with the legend.
type renderedToken struct {
	line, col int    // one-based
	kind      string // type[.modifier...]
	text      string
}

// semanticTokens asks for the tokens of the file, or of a range of it,
// and decodes them with the legend the server advertises.
func (m *marker) semanticTokens(r *protocol.Range) ([]renderedToken, bool) {
	caps := m.run.client.srv.capabilities(protocol.PositionEncodingKindUTF16)
	legend := caps.SemanticTokensProvider.(*protocol.SemanticTokensOptions).Legend

	var toks struct {
		Data []int `json:"data"`
	}
	doc := protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}
	var err error
	if r == nil {
		err = m.call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: doc}, &toks)
	} else {
		err = m.call(protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{TextDocument: doc, Range: *r}, &toks)
	}
	if err != nil {
		m.errorf("semantic tokens: %v", err)
		return nil, false
	}
	var out []renderedToken
	line, col := 0, 0
	for i := 0; i+5 <= len(toks.Data); i += 5 {
		dl, dc, n, typ, mods := toks.Data[i], toks.Data[i+1], toks.Data[i+2], toks.Data[i+3], toks.Data[i+4]
		if dl > 0 {
			col = 0
		}
		line, col = line+dl, col+dc
		kind := legend.TokenTypes[typ]
		for k, mod := range legend.TokenModifiers {
			if mods&(1<<k) != 0 {
				kind += "." + mod
			}
		}
		a, b := m.offset(line, col), m.offset(line, col+n)
		out = append(out, renderedToken{line + 1, col + 1, kind, m.file.doc.Slice(analysis.Span{Start: a, End: b})})
	}
	return out, true
}

func tokensMarker(m *marker) {
	if len(m.args) != 1 {
		m.errorf("want (rendered tokens) or (golden-section-name)")
		return
	}
	if name, ok := m.args[0].(ident); ok {
		toks, ok := m.semanticTokens(nil)
		if !ok {
			return
		}
		var b strings.Builder
		for _, t := range toks {
			fmt.Fprintf(&b, "%d:%d %s %q\n", t.line, t.col, t.kind, t.text)
		}
		m.golden(string(name), b.String())
		return
	}
	span, ok := m.targetSpan()
	if !ok {
		return
	}
	r := protocol.Range{Start: m.position(span.Start), End: m.position(span.End)}
	toks, ok := m.semanticTokens(&r)
	if !ok {
		return
	}
	// Show the line's tokens compactly: `type[.mod]:text`.
	var parts []string
	for _, t := range toks {
		parts = append(parts, t.kind+":"+t.text)
	}
	got := strings.Join(parts, " ")
	if !matches(m.args[0], got) {
		m.errorf("tokens are\n\t%s\nwant a match of %v", got, m.args[0])
	}
}
