package server

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
)

// The editing-comfort markers register themselves here, so this file adds
// them without touching the runner while others edit it.
func init() {
	markerKinds["format"] = formatMarker
	markerKinds["signature"] = signatureMarker
	markerKinds["inlay"] = inlayMarker
	markerKinds["links"] = linksMarker
}

// formatMarker checks @format(name): formatting the whole file gives the
// golden section "@name"; @format(name, "line") formats the annotated line
// alone (range formatting); @format(name, "ontype", "loc|") sends a newline
// typed at the cursor. The result must parse, and formatting it again
// (whole-file) must change nothing.
func formatMarker(m *marker) {
	if len(m.args) == 0 {
		m.errorf("want (golden-name [, \"line\" | \"ontype\", location])")
		return
	}
	name, ok := m.args[0].(ident)
	if !ok {
		m.errorf("the first argument must be a bare name")
		return
	}
	doc := m.file.doc
	td := protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}
	opts := protocol.FormattingOptions{TabSize: 4, InsertSpaces: true}
	var edits []protocol.TextEdit
	var err error
	mode := ""
	if len(m.args) > 1 {
		mode, _ = m.args[1].(string)
	}
	switch mode {
	case "":
		err = m.run.client.call(protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{TextDocument: td, Options: opts}, &edits)
	case "line":
		span, ok := m.targetSpan()
		if !ok {
			return
		}
		r := protocol.Range{Start: m.position(span.Start), End: m.position(span.End)}
		err = m.run.client.call(protocol.MethodTextDocumentRangeFormatting, &protocol.DocumentRangeFormattingParams{TextDocument: td, Range: r, Options: opts}, &edits)
	case "ontype":
		if len(m.args) < 3 {
			m.errorf("ontype wants a location")
			return
		}
		off, ok := m.cursorIn(m.args[2])
		if !ok {
			return
		}
		err = m.run.client.call(protocol.MethodTextDocumentOnTypeFormatting, &protocol.DocumentOnTypeFormattingParams{TextDocument: td, Position: m.position(off), Ch: "\n", Options: opts}, &edits)
	default:
		m.errorf("unknown mode %q", mode)
		return
	}
	if err != nil {
		m.errorf("formatting: %v", err)
		return
	}
	got, ok := m.applyEdits(edits)
	if !ok {
		return
	}
	if _, err := parser.Parse(strings.NewReader(got)); err != nil {
		m.errorf("the formatted file does not parse: %v", err)
	}
	m.sameBuild(doc.Text(), got, "formatting")
	if mode == "" && got != doc.Text() {
		again := features.Format(analysis.Parse(analysis.NewDocument(got)), features.FormatOptions{NewIndent: 4})
		if len(again) != 0 {
			m.errorf("formatting is not idempotent: a second pass has %d edits", len(again))
		}
	}
	m.golden(string(name), got)
}

// applyEdits applies protocol edits to the file's text, checking that
// they are sorted, disjoint and inside the document.
func (m *marker) applyEdits(edits []protocol.TextEdit) (string, bool) {
	doc := m.file.doc
	var es []analysis.Edit
	for _, e := range edits {
		start, c1 := doc.Offset(analysis.Position{Line: int(e.Range.Start.Line), Col: int(e.Range.Start.Character)}, analysis.UTF16)
		end, c2 := doc.Offset(analysis.Position{Line: int(e.Range.End.Line), Col: int(e.Range.End.Character)}, analysis.UTF16)
		if c1 || c2 || end < start {
			m.errorf("edit %v lies outside the document", e.Range)
			return "", false
		}
		es = append(es, analysis.Edit{Span: analysis.Span{Start: start, End: end}, Text: e.NewText})
	}
	out, err := analysis.ApplyEdits(doc.Text(), analysis.SortEdits(es))
	if err != nil {
		m.errorf("%v", err)
		return "", false
	}
	return out, true
}

// cursorIn returns the offset a location names in the annotated line: a
// string whose `|` marks the offset (without one, the end of the match),
// or a regexp, whose match ends at the offset.
func (m *marker) cursorIn(loc any) (int, bool) {
	if s, ok := loc.(string); ok {
		if i := strings.IndexByte(s, '|'); i >= 0 {
			off, ok := m.locate(s[:i] + s[i+1:])
			return off + i, ok
		}
		off, ok := m.locate(s)
		return off + len(s), ok
	}
	re, ok := loc.(*regexp.Regexp)
	if !ok {
		m.errorf("a location must be a string or re\"...\", not %T", loc)
		return 0, false
	}
	span, ok := m.targetSpan()
	if !ok {
		return 0, false
	}
	line := m.file.doc.Slice(span)
	l := re.FindStringIndex(line)
	if l == nil {
		m.errorf("%v not found in %q", re, line)
		return 0, false
	}
	return span.Start + l[1], true
}

// signatureMarker checks @signature(location, active): signature help at
// the location shows the instruction and the parameter whose label is
// active ("" when none is); @signature(location, active, re"label")
// also matches the whole signature label.
func signatureMarker(m *marker) {
	if len(m.args) < 2 {
		m.errorf("want (location, active-parameter [, label])")
		return
	}
	off, ok := m.cursorIn(m.args[0])
	if !ok {
		return
	}
	want, _ := m.args[1].(string)
	var res *protocol.SignatureHelp
	params := &protocol.SignatureHelpParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}, Position: m.position(off),
	}}
	if err := m.run.client.call(protocol.MethodTextDocumentSignatureHelp, params, &res); err != nil {
		m.errorf("signatureHelp: %v", err)
		return
	}
	if res == nil || len(res.Signatures) == 0 {
		if want != "-" {
			m.errorf("no signature; want active %q", want)
		}
		return
	}
	if want == "-" {
		m.errorf("signature %q; want none", res.Signatures[0].Label)
		return
	}
	sig := res.Signatures[0]
	if len(m.args) > 2 && !matches(m.args[2], sig.Label) {
		m.errorf("label %q does not match %v", sig.Label, m.args[2])
	}
	got := ""
	if a, ok := sig.ActiveParameter.Get(); ok {
		if int(a) >= len(sig.Parameters) {
			m.errorf("active parameter %d of %d", a, len(sig.Parameters))
			return
		}
		l, ok := sig.Parameters[a].Label.(protocol.ParameterInformationLabelTuple)
		if !ok || l[0] > l[1] || int(l[1]) > len(sig.Label) {
			m.errorf("bad parameter label %v", sig.Parameters[a].Label)
			return
		}
		got = sig.Label[l[0]:l[1]]
	}
	if got != want {
		m.errorf("active parameter %q, want %q (label %q)", got, want, sig.Label)
	}
}

// inlayMarker checks @inlay(location, label, ...): inlay hints requested
// for the annotated line alone are exactly these, each at the end of its
// location's first match; @inlay() wants none.
func inlayMarker(m *marker) {
	span, ok := m.targetSpan()
	if !ok {
		return
	}
	if len(m.args)%2 != 0 {
		m.errorf("want (location, label) pairs")
		return
	}
	var want []string
	for i := 0; i < len(m.args); i += 2 {
		off, ok := m.cursorIn(m.args[i])
		if !ok {
			return
		}
		p := m.position(off)
		want = append(want, fmt.Sprintf("%d:%d %v", p.Line+1, p.Character+1, m.args[i+1]))
	}
	var res []protocol.InlayHint
	params := &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)},
		Range:        protocol.Range{Start: m.position(span.Start), End: m.position(span.End)},
	}
	if err := m.run.client.call(protocol.MethodTextDocumentInlayHint, params, &res); err != nil {
		m.errorf("inlayHint: %v", err)
		return
	}
	var got []string
	for _, h := range res {
		label, _ := h.Label.(protocol.String)
		got = append(got, fmt.Sprintf("%d:%d %s", h.Position.Line+1, h.Position.Character+1, label))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		m.errorf("hints:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// linksMarker checks @links(name): the file's document links, one a line
// as `line:col-line:col target (text)`, equal the golden section "@name".
func linksMarker(m *marker) {
	name, ok := m.args[0].(ident)
	if len(m.args) != 1 || !ok {
		m.errorf("want (golden-name)")
		return
	}
	var res []protocol.DocumentLink
	params := &protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)}}
	if err := m.run.client.call(protocol.MethodTextDocumentDocumentLink, params, &res); err != nil {
		m.errorf("documentLink: %v", err)
		return
	}
	var b strings.Builder
	doc := m.file.doc
	for _, l := range res {
		r := l.Range
		start, _ := doc.Offset(analysis.Position{Line: int(r.Start.Line), Col: int(r.Start.Character)}, analysis.UTF16)
		end, _ := doc.Offset(analysis.Position{Line: int(r.End.Line), Col: int(r.End.Character)}, analysis.UTF16)
		target := ""
		if l.Target != nil {
			target = string(*l.Target)
		}
		fmt.Fprintf(&b, "%d:%d-%d:%d %s (%s)\n", r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1, target, doc.Slice(analysis.Span{Start: start, End: end}))
	}
	m.golden(string(name), b.String())
}
