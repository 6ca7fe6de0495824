package server

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestCompletionResolvesStageDocs checks that a client that resolves
// documentation gets stage items without it, and then gets it for one item
// through completionItem/resolve.
func TestCompletionResolvesStageDocs(t *testing.T) {
	const text = "FROM golang AS build\nFROM alpine AS test\nCOPY --from=build /a /a\nFROM scratch\nCOPY --from="
	for _, lazy := range []bool{false, true} {
		c := newTestClient(t)
		params := &protocol.InitializeParams{ClientInfo: protocol.ClientInfo{Name: "testClient"}}
		opts := &protocol.ClientCompletionItemOptions{}
		if lazy {
			opts.ResolveSupport.Properties = []string{"documentation", "detail"}
		}
		params.Capabilities.TextDocument = &protocol.TextDocumentClientCapabilities{
			Completion: &protocol.CompletionClientCapabilities{CompletionItem: opts},
		}
		if err := c.call(protocol.MethodInitialize, params, &protocol.InitializeResult{}); err != nil {
			t.Fatal(err)
		}
		c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
		c.open("file:///r/Dockerfile", text, 1)
		var list protocol.CompletionList
		err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{
			TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI("file:///r/Dockerfile")},
				Position:     protocol.Position{Line: 4, Character: 12},
			},
		}, &list)
		if err != nil || len(list.Items) != 2 {
			t.Fatalf("lazy %v: %v items, %v", lazy, len(list.Items), err)
		}
		build := list.Items[0]
		if build.Label != "build" {
			t.Fatalf("first item %q", build.Label)
		}
		if got := build.Documentation != nil; got == lazy {
			t.Errorf("lazy %v: documentation present %v", lazy, got)
		}
		if !lazy {
			continue
		}
		var resolved protocol.CompletionItem
		if err := c.call(protocol.MethodCompletionItemResolve, &build, &resolved); err != nil {
			t.Fatal(err)
		}
		md, ok := resolved.Documentation.(*protocol.MarkupContent)
		if !ok || !strings.Contains(md.Value, "`test`, --from on line 3") {
			t.Errorf("resolved documentation: %#v", resolved.Documentation)
		}
	}
}
