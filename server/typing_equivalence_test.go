package server_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestTypingDiagnosticsEqualFresh types random edits (testgen.Editor:
// characters, lines, stage names, global ARGs, ONBUILD, variable FROMs)
// into open documents over the wire; after each edit the diagnostics the
// server publishes for that version, which it computes from what it kept
// of the earlier versions (the model's stage readings, the rules' keys,
// summaries and findings), must equal those it publishes for the same
// text opened afresh in another document.
func TestTypingDiagnosticsEqualFresh(t *testing.T) {
	corpus := testgen.Sample(t)
	names := slices.Sorted(maps.Keys(corpus))
	edits := 12
	if testing.Short() {
		edits = 3
	}
	var ruleNames []string
	for _, r := range rules.All() {
		ruleNames = append(ruleNames, r.Name)
	}
	c := startRaw(t)
	c.initialize(t)
	compared := 0
	check := func(name, text string, seed uint64, n int) {
		const uri = "file:///typing/Dockerfile"
		c.notify(t, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
		published(t, c, uri, 1)
		ed := testgen.NewEditor(seed, ruleNames)
		doc := analysis.NewDocument(text)
		for i := range n {
			start, end, insert := ed.Edit(doc.Text())
			from, to := doc.Position(start, analysis.UTF16), doc.Position(end, analysis.UTF16)
			next, err := doc.Apply(analysis.Edit{Span: analysis.Span{Start: start, End: end}, Text: insert})
			if err != nil {
				t.Fatal(err)
			}
			doc = next
			version := i + 2
			c.notify(t, "textDocument/didChange", map[string]any{
				"textDocument": map[string]any{"uri": uri, "version": version},
				"contentChanges": []any{map[string]any{
					"range": map[string]any{"start": map[string]any{"line": from.Line, "character": from.Col}, "end": map[string]any{"line": to.Line, "character": to.Col}},
					"text":  insert}},
			})
			got := published(t, c, uri, version)
			fresh := "file:///fresh/Dockerfile"
			c.notify(t, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": fresh, "languageId": "dockerfile", "version": 1, "text": doc.Text()}})
			want := strings.ReplaceAll(published(t, c, fresh, 1), fresh, uri)
			c.notify(t, "textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": fresh}})
			published(t, c, fresh, 0) // the pipe is synchronous: read what closing publishes
			if got != want {
				t.Fatalf("%s, edit %d (%d-%d %q): the published diagnostics differ from a fresh document's:\ntyped: %s\nfresh: %s\ntext:\n%s", name, i, start, end, insert, got, want, doc.Text())
			}
			compared++
		}
		c.notify(t, "textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
		published(t, c, uri, 0)
	}
	for i, name := range names {
		check(name, corpus[name], uint64(i), edits)
	}
	check("generated", testgen.Large(30), 7, 60)
	// Every edit of every file is compared: a check that stopped early
	// would compare fewer. The sample under the race detector is a tenth
	// of the corpus (about 44 files), else all of it.
	if want := len(names)*edits + 60; compared != want {
		t.Fatalf("compared %d versions, want %d (%d files, %d edits each, 60 generated)", compared, want, len(names), edits)
	}
	minFiles := 400
	if testgen.Race {
		minFiles = 40
	}
	if len(names) < minFiles {
		t.Fatalf("typed into %d corpus files, want at least %d", len(names), minFiles)
	}
}

// published reads until the server publishes diagnostics for version of
// uri (0: with no version, as when it is closed), and returns them as
// sent.
func published(t *testing.T, c *rawClient, uri string, version int) string {
	t.Helper()
	for {
		msg := c.read(t)
		if string(msg["method"]) != `"textDocument/publishDiagnostics"` {
			continue
		}
		var p struct {
			URI         string
			Version     *int
			Diagnostics json.RawMessage
		}
		if err := json.Unmarshal(msg["params"], &p); err != nil {
			t.Fatal(err)
		}
		if p.URI == uri && (p.Version == nil && version == 0 || p.Version != nil && *p.Version == version) {
			return string(p.Diagnostics)
		}
	}
}
