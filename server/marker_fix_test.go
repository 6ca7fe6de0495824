package server

import (
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
)

// fixMarker checks @fix(rule, golden) and @fix(rule, title, golden): a
// diagnostic of the rule starts on the annotated line, and applying its
// fix (the preferred one, or the one whose title contains title) to the
// file gives the golden section "@golden". The fix is read from the
// diagnostic's data, as a code action would read it. It claims the
// diagnostic.
func fixMarker(m *marker) {
	var rule, title string
	var name ident
	ok := false
	switch len(m.args) {
	case 2:
		rule, _ = m.args[0].(string)
		name, ok = m.args[1].(ident)
	case 3:
		rule, _ = m.args[0].(string)
		title, _ = m.args[1].(string)
		name, ok = m.args[2].(ident)
	}
	if !ok || rule == "" {
		m.errorf("want (rule, golden) or (rule, title, golden)")
		return
	}
	if _, ok := m.targetSpan(); !ok {
		return
	}
	for i, d := range m.file.diags {
		code, _ := d.Code.(protocol.String)
		if int(d.Range.Start.Line) != m.target || string(code) != rule || m.file.claimed[i] {
			continue
		}
		m.file.claimed[i] = true
		var data DiagnosticData
		if err := json.Unmarshal(d.Data, &data); err != nil {
			m.errorf("diagnostic data: %v", err)
			return
		}
		var chosen *FixData
		for k := range data.Fixes {
			f := &data.Fixes[k]
			if (title == "" && f.Preferred) || (title != "" && strings.Contains(f.Title, title)) {
				chosen = f
				break
			}
		}
		if chosen == nil {
			m.errorf("no fix matching %q among %v", title, fixTitles(data))
			return
		}
		text, err := applyFix(m.file.doc, chosen.Edits)
		if err != nil {
			m.errorf("%v", err)
			return
		}
		m.golden(string(name), text)
		sameAsQuickFix(m, d, chosen.Title, text)
		return
	}
	m.errorf("no unclaimed %s diagnostic on line %d", rule, m.target+1)
}

// sameAsQuickFix checks that the quick fix offered for d, the published
// diagnostic, is the fix its data carries: the code actions read the same
// diagnostics as were published.
func sameAsQuickFix(m *marker, d protocol.Diagnostic, title, want string) {
	acts, err := codeActions(m.run.client, m.file.uri, d.Range, []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}, protocol.CodeActionTriggerKindInvoked)
	if err != nil {
		m.errorf("textDocument/codeAction: %v", err)
		return
	}
	code, _ := d.Code.(protocol.String)
	var titles []string
	for _, a := range acts {
		titles = append(titles, a.Title)
		if a.Title != title || len(a.Diagnostics) != 1 || a.Diagnostics[0].Code != string(code) {
			continue
		}
		got, err := applyWire(m.file.doc, a.Edit.edits(m.file.uri))
		if err != nil || got != want {
			m.errorf("the quick fix %q gives %q (%v), the published fix %q", title, got, err, want)
		}
		return
	}
	m.errorf("no quick fix %q for the published %s among %q", title, code, titles)
}

func fixTitles(d DiagnosticData) []string {
	var out []string
	for _, f := range d.Fixes {
		out = append(out, f.Title)
	}
	return out
}

// applyFix applies edits, given in UTF-16 positions, to doc's text.
func applyFix(doc *analysis.Document, edits []TextEditData) (string, error) {
	var es []analysis.Edit
	for _, e := range edits {
		s, c1 := doc.Offset(analysis.Position{Line: int(e.Range.Start.Line), Col: int(e.Range.Start.Character)}, analysis.UTF16)
		t, c2 := doc.Offset(analysis.Position{Line: int(e.Range.End.Line), Col: int(e.Range.End.Character)}, analysis.UTF16)
		if c1 || c2 || t < s {
			return "", fmt.Errorf("edit range %v outside the document", e.Range)
		}
		es = append(es, analysis.Edit{Span: analysis.Span{Start: s, End: t}, Text: e.NewText})
	}
	return analysis.ApplyEdits(doc.Text(), analysis.SortEdits(es))
}
