package server

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
)

// completeMarker checks @complete: completion at a place in the annotated
// line (or in line N, 1-based, when the first argument is the integer N,
// for lines no marker may precede, such as parser directives).
//
//	@complete("--from=bu|")                 nothing is offered
//	@complete("--from=bu|", "build", "0")   exactly these labels, in sort order
//	@complete("--from=|", name)             the items, in full, equal golden "@name"
//	@complete(4, 30, "build")                line 4, column 30 (1-based, UTF-16),
//	                                          which may lie past the line's end
//
// The location is a string whose `|` marks the offset (without one, the end
// of the match) or a regexp, whose match's end is the offset. Every item's
// edit must lie on the offset's line and hold the offset.
func completeMarker(m *marker) {
	args := m.args
	target := m.target
	if n, ok := firstInt(args); ok {
		target, args = n-1, args[1:]
	}
	if len(args) == 0 {
		m.errorf("want (location, labels...) or (location, golden-name)")
		return
	}
	var pos, clamped protocol.Position
	if col, ok := firstInt(args); ok {
		pos = protocol.Position{Line: uint32(target), Character: uint32(col - 1)}
		off, _ := m.file.doc.Offset(analysis.Position{Line: target, Col: col - 1}, analysis.UTF16)
		clamped = m.position(off)
	} else {
		off, ok := m.locateCursor(target, args[0])
		if !ok {
			return
		}
		pos = m.position(off)
		clamped = pos
	}
	args = args[1:]
	var res protocol.CompletionList
	params := &protocol.CompletionParams{
		TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI(m.file.uri)},
			Position:     pos,
		},
	}
	if err := m.run.client.call(protocol.MethodTextDocumentCompletion, params, &res); err != nil {
		m.errorf("completion: %v", err)
		return
	}
	items := res.Items
	sort.SliceStable(items, func(i, j int) bool {
		a, _ := items[i].SortText.Get()
		b, _ := items[j].SortText.Get()
		if a != b {
			return a < b
		}
		return items[i].Label < items[j].Label
	})
	for _, it := range items {
		te, ok := it.TextEdit.(*protocol.TextEdit)
		if !ok {
			m.errorf("%s: no text edit", it.Label)
			continue
		}
		r := te.Range
		if pos := clamped; r.Start.Line != pos.Line || r.End.Line != pos.Line || r.Start.Character > pos.Character || r.End.Character < pos.Character {
			m.errorf("%s: edit %d:%d-%d:%d does not hold the offset %d:%d", it.Label,
				r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1, pos.Line+1, pos.Character+1)
		}
		if it.InsertTextFormat == protocol.InsertTextFormatSnippet {
			m.errorf("%s: a snippet for a client without snippet support", it.Label)
		}
	}
	if len(args) == 1 {
		if name, ok := args[0].(ident); ok {
			var b strings.Builder
			for _, it := range items {
				b.WriteString(formatCompletionItem(it))
			}
			m.golden(string(name), b.String())
			return
		}
	}
	var want, got []string
	for _, a := range args {
		s, ok := a.(string)
		if !ok {
			m.errorf("labels must be strings")
			return
		}
		want = append(want, s)
	}
	for _, it := range items {
		got = append(got, it.Label)
	}
	if strings.Join(want, "\x00") != strings.Join(got, "\x00") {
		m.errorf("at %d:%d: want %q, got %q", pos.Line+1, pos.Character+1, want, got)
	}
}

func firstInt(args []any) (int, bool) {
	if len(args) > 0 {
		if n, ok := args[0].(int); ok {
			return n, true
		}
	}
	return 0, false
}

// locateCursor finds the offset a completion location names in line.
func (m *marker) locateCursor(line int, loc any) (int, bool) {
	d := m.file.doc
	if line < 0 || line >= d.LineCount() {
		m.errorf("no line %d", line+1)
		return 0, false
	}
	start := d.LineStart(line)
	text := strings.TrimRight(d.Slice(analysis.Span{Start: start, End: d.LineEnd(line)}), "\r\n")
	switch l := loc.(type) {
	case string:
		bar := strings.IndexByte(l, '|')
		pat := strings.Replace(l, "|", "", 1)
		i := strings.Index(text, pat)
		if bar < 0 {
			bar = len(pat)
		}
		if i < 0 {
			m.errorf("%q not found in %q", pat, text)
			return 0, false
		}
		return start + i + bar, true
	case *regexp.Regexp:
		loc := l.FindStringIndex(text)
		if loc == nil {
			m.errorf("%v not found in %q", l, text)
			return 0, false
		}
		return start + loc[1], true
	}
	m.errorf("a location must be a string or re\"...\", not %T", loc)
	return 0, false
}

func formatCompletionItem(it protocol.CompletionItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s]", it.Label, completionKindName(it.Kind))
	if d, ok := it.Detail.Get(); ok {
		fmt.Fprintf(&b, " detail=%q", d)
	}
	if te, ok := it.TextEdit.(*protocol.TextEdit); ok {
		r := te.Range
		fmt.Fprintf(&b, " edit=%d:%d-%d:%d %q", r.Start.Line+1, r.Start.Character+1, r.End.Line+1, r.End.Character+1, te.NewText)
	}
	st, _ := it.SortText.Get()
	fmt.Fprintf(&b, " sort=%s\n", st)
	if mc, ok := it.Documentation.(*protocol.MarkupContent); ok {
		for _, l := range strings.Split(mc.Value, "\n") {
			b.WriteString("    | " + l + "\n")
		}
	}
	return b.String()
}

func completionKindName(k protocol.CompletionItemKind) string {
	switch k {
	case protocol.CompletionItemKindKeyword:
		return "keyword"
	case protocol.CompletionItemKindModule:
		return "stage"
	case protocol.CompletionItemKindField:
		return "flag"
	case protocol.CompletionItemKindProperty:
		return "key"
	case protocol.CompletionItemKindEnumMember:
		return "enum"
	case protocol.CompletionItemKindVariable:
		return "variable"
	case protocol.CompletionItemKindConstant:
		return "rule"
	case protocol.CompletionItemKindValue:
		return "value"
	}
	return fmt.Sprint(int(k))
}
