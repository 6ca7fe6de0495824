package server

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
	"github.com/stagehand-ls/stagehand/codeaction"
	"github.com/stagehand-ls/stagehand/internal/safety"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestStyleActionsThroughServer asks the server for the code actions at
// the start of every line of the style files and on every published
// diagnostic, and applies each edit as the client would, in UTF-16: the
// text must be the one the codeaction package gives for the same action
// (the ranges are exact after astral text, a BOM and CRLF), and BuildKit
// must read it.
func TestStyleActionsThroughServer(t *testing.T) {
	plain := newTestClient(t)
	plain.initialize()
	styleActionsThrough(t, plain, analysis.UTF16)
	styleActionsThrough(t, resolvingClient(t, true), analysis.UTF16)
	// Clients that negotiate another position encoding get their ranges in it.
	for enc, kind := range map[analysis.Encoding]protocol.PositionEncodingKind{analysis.UTF8: "utf-8", analysis.UTF32: "utf-32"} {
		c := newTestClient(t)
		if res := c.initialize(kind); res.Capabilities.PositionEncoding != kind {
			t.Fatalf("asked for %s, the server chose %q", kind, res.Capabilities.PositionEncoding)
		}
		styleActionsThrough(t, c, enc)
	}
}

// styleActionsThrough is TestStyleActionsThroughServer for one client,
// whose positions count in enc; a client that resolves gets the expensive
// actions' edits from codeAction/resolve, as versioned document changes.
func styleActionsThrough(t *testing.T, c *testClient, enc analysis.Encoding) {
	applied, resolved := 0, 0
	for _, f := range testgen.StyleFiles(t) {
		name, text := f.Name, f.Text
		u := "file:///styles/" + name + "/Dockerfile"
		c.open(u, text, 1)
		sent := c.diagnostics(u, 1)
		doc := analysis.NewDocument(text)
		ix := analysis.Parse(doc)
		diags := codeaction.FromRules(rules.Run(ix, nil))
		var ranges []protocol.Range
		for line := 0; line < doc.LineCount(); line++ {
			p := protocol.Position{Line: uint32(line)}
			ranges = append(ranges, protocol.Range{Start: p, End: p})
		}
		for _, d := range sent {
			ranges = append(ranges, d.Range)
		}
		for _, rng := range ranges {
			acts, err := codeActions(c, u, rng, nil, protocol.CodeActionTriggerKindInvoked)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			// The package's actions at the same place, by title.
			start, _ := doc.Offset(analysis.Position{Line: int(rng.Start.Line), Col: int(rng.Start.Character)}, enc)
			end, _ := doc.Offset(analysis.Position{Line: int(rng.End.Line), Col: int(rng.End.Character)}, enc)
			want := map[string]string{}
			local, _ := codeaction.Actions(context.Background(), &codeaction.Request{Index: ix, Span: analysis.Span{Start: start, End: end}, Diagnostics: diags})
			for k := range local {
				edits, err := local[k].Resolve()
				if err != nil {
					continue
				}
				if out, err := codeaction.Apply(doc, edits); err == nil {
					want[local[k].Title] = out
				}
			}
			for _, a := range acts {
				if a.Edit == nil && len(a.Data) > 0 {
					var raw jsonrpc2.RawMessage
					kind := protocol.CodeActionKind(a.Kind)
					if err := c.call(protocol.MethodCodeActionResolve, &protocol.CodeAction{Title: a.Title, Kind: &kind, Data: protocol.LSPAny(a.Data)}, &raw); err != nil {
						t.Errorf("%s: resolve %q: %v", name, a.Title, err)
						continue
					}
					if err := json.Unmarshal(raw, &a); err != nil {
						t.Fatal(err)
					}
					resolved++
				}
				got, err := applyWireIn(doc, a.Edit.edits(u), enc)
				if err != nil {
					t.Errorf("%s: %q: %v", name, a.Title, err)
					continue
				}
				applied++
				if w, ok := want[a.Title]; !ok {
					t.Errorf("%s line %d: the server offers %q, the codeaction package does not", name, rng.Start.Line+1, a.Title)
				} else if got != w {
					t.Errorf("%s line %d: %q through the server gives\n%s\nwant\n%s", name, rng.Start.Line+1, a.Title, got, w)
				}
				if !safety.BuildKitReads(got) {
					t.Errorf("%s: %q: BuildKit rejects the result:\n%s", name, a.Title, got)
				}
			}
		}
		c.close(u)
	}
	if applied == 0 {
		t.Fatal("the server offered no action on the style files")
	}
	if c.srv.options().resolveEdits && resolved == 0 {
		t.Error("the resolving client resolved no action")
	}
	t.Logf("actions applied through the server: %d, of which resolved: %d", applied, resolved)
}

// TestFixAllThroughServer checks, over the style files, that taking the
// server's source.fixAll action until it offers none gives the same text
// as taking the preferred quick fix of the first fixable diagnostic, one
// at a time, each on the text the previous one left; and that the
// fix-all action is not offered on the fixed text (fixing twice is a
// no-op).
func TestFixAllThroughServer(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	for _, f := range testgen.StyleFiles(t) {
		name := f.Name
		// step applies one edit to the document at u and returns its text.
		run := func(u string, pick func(u string, doc *analysis.Document, version int32) []wireTextEdit) (string, int) {
			text := f.Text
			c.open(u, text, 1)
			defer c.close(u)
			steps := 0
			for v := int32(1); v < 60; v++ {
				doc := analysis.NewDocument(text)
				edits := pick(u, doc, v)
				if edits == nil {
					return text, steps
				}
				out, err := applyWire(doc, edits)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				steps++
				text = out
				c.change(u, v+1, &protocol.TextDocumentContentChangeWholeDocument{Text: text})
			}
			t.Fatalf("%s: no fixed point after 60 edits", name)
			return "", 0
		}
		fixAll := func(u string, doc *analysis.Document, v int32) []wireTextEdit {
			c.diagnostics(u, v)
			acts, err := codeActions(c, u, protocol.Range{}, []protocol.CodeActionKind{protocol.CodeActionKindSourceFixAll}, protocol.CodeActionTriggerKindInvoked)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(acts) == 0 {
				return nil
			}
			return acts[0].Edit.edits(u)
		}
		oneByOne := func(u string, doc *analysis.Document, v int32) []wireTextEdit {
			for _, d := range c.diagnostics(u, v) {
				acts, err := codeActions(c, u, d.Range, []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}, protocol.CodeActionTriggerKindInvoked)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				code, _ := d.Code.(protocol.String)
				for _, a := range acts {
					if a.IsPreferred && slices.ContainsFunc(a.Diagnostics, func(w wireDiag) bool { return w.Code == string(code) }) {
						return a.Edit.edits(u)
					}
				}
			}
			return nil
		}
		all, rounds := run("file:///fixall/"+name+"/Dockerfile", fixAll)
		one, steps := run("file:///onebyone/"+name+"/Dockerfile", oneByOne)
		if all != one {
			t.Errorf("%s: fix-all (%d rounds) and the quick fixes one by one (%d) disagree:\n%s\n---\n%s", name, rounds, steps, all, one)
		}
		t.Logf("%s: %d fix-all rounds, %d quick fixes", name, rounds, steps)
		if steps > 0 && rounds == 0 {
			t.Errorf("%s: %d quick fixes taken, but no fix-all action offered", name, steps)
		}
	}
}
