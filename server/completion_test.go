package server

import (
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestCompletionAdvertised(t *testing.T) {
	c := newTestClient(t)
	res := c.initialize()
	cp := res.Capabilities.CompletionProvider
	if cp == nil {
		t.Fatal("no completionProvider")
	}
	for _, ch := range []string{"=", " ", "$", "{", "-", ","} {
		if !slices.Contains(cp.TriggerCharacters, ch) {
			t.Errorf("trigger character %q missing", ch)
		}
	}
}

// TestCompletionSnippets checks that snippets go only to a client that
// declares snippet support.
func TestCompletionSnippets(t *testing.T) {
	const text = "FROM alpine\nRUN --net"
	at := protocol.Position{Line: 1, Character: 9}
	for _, snip := range []bool{false, true} {
		c := newTestClient(t)
		params := &protocol.InitializeParams{ClientInfo: protocol.ClientInfo{Name: "testClient"}}
		params.Capabilities.TextDocument = &protocol.TextDocumentClientCapabilities{
			Completion: &protocol.CompletionClientCapabilities{
				CompletionItem: &protocol.ClientCompletionItemOptions{SnippetSupport: &snip},
			},
		}
		var res protocol.InitializeResult
		if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
			t.Fatal(err)
		}
		c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
		c.open("file:///s/Dockerfile", text, 1)
		var list protocol.CompletionList
		err := c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{
			TextDocumentPositionParams: protocol.TextDocumentPositionParams{
				TextDocument: protocol.TextDocumentIdentifier{URI: uri.URI("file:///s/Dockerfile")}, Position: at,
			},
		}, &list)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 {
			t.Fatalf("snippets %v: items %+v", snip, list.Items)
		}
		it := list.Items[0]
		te := it.TextEdit.(*protocol.TextEdit)
		want, format := "--network=", protocol.InsertTextFormatPlainText
		if snip {
			want, format = "--network=${1|default,none,host|}", protocol.InsertTextFormatSnippet
		}
		if te.NewText != want || it.InsertTextFormat != format {
			t.Errorf("snippets %v: got %q (format %v), want %q (format %v)", snip, te.NewText, it.InsertTextFormat, want, format)
		}
	}
}
