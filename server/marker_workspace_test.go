package server

import (
	"encoding/json"
	"sort"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Markers for workspace archives, where a result may lie in another file
// of the archive. Each location renders as `file: line with [range]`.

func init() {
	markerKinds["xdef"] = xdefMarker
	markerKinds["xrefs"] = xrefsMarker
	markerKinds["xrename"] = xrenameMarker
}

// renderIn renders a location in whichever archive file it falls in.
func (m *marker) renderIn(l wireLocation) string {
	for _, f := range m.run.files {
		if f.uri == l.URI {
			other := *m
			other.file = f
			return f.name + ": " + other.render(l.Range)
		}
	}
	return l.URI + ": outside the archive"
}

// @xdef(at, "file: line with [range]", ...): the definitions, in order
func xdefMarker(m *marker) {
	pos, ok := m.at()
	if !ok || len(m.args) < 2 {
		m.errorf("want (location, rendered definition, ...)")
		return
	}
	var raw json.RawMessage
	if err := m.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: pos}, &raw); err != nil {
		m.errorf("definition: %v", err)
		return
	}
	var locs []wireLocation
	if len(raw) > 0 && raw[0] == '[' {
		_ = json.Unmarshal(raw, &locs)
	} else {
		var l wireLocation
		if string(raw) != "null" && json.Unmarshal(raw, &l) == nil {
			locs = append(locs, l)
		}
	}
	if len(locs) == 0 {
		m.errorf("no definition")
		return
	}
	var got []string
	for _, l := range locs {
		got = append(got, m.renderIn(l))
	}
	m.matchList(got, m.args[1:])
}

// @xrefs(at, [nodecl,] "file: line with [range]", ...), in file and line
// order; with nodecl, without the declarations.
func xrefsMarker(m *marker) {
	locs, want, ok := m.references()
	if !ok {
		return
	}
	var got []string
	for _, l := range locs {
		got = append(got, m.renderIn(l))
	}
	sort.Strings(got)
	m.matchList(got, want)
}

// @xrename(at, newName, "file: line with [range]", ...): the places the
// rename edits, rendered in the text before the edit, in file and line order.
func xrenameMarker(m *marker) {
	pos, ok := m.at()
	if !ok || len(m.args) < 2 {
		m.errorf("want (location, new name, edited places...)")
		return
	}
	newName, _ := m.args[1].(string)
	var edit struct {
		Changes map[string][]struct {
			Range   wireRange `json:"range"`
			NewText string    `json:"newText"`
		} `json:"changes"`
	}
	if err := m.call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: pos, NewName: newName}, &edit); err != nil {
		m.errorf("rename: %v", err)
		return
	}
	var got []string
	for u, tes := range edit.Changes {
		for _, te := range tes {
			if te.NewText != newName {
				m.errorf("an edit writes %q, not %q", te.NewText, newName)
			}
			got = append(got, m.renderIn(wireLocation{URI: string(uri.URI(u)), Range: te.Range}))
		}
	}
	sort.Strings(got)
	m.matchList(got, m.args[2:])
}
