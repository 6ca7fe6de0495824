package server

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.lsp.dev/protocol"
)

func TestReadClientOptions(t *testing.T) {
	for name, tc := range map[string]struct {
		caps string
		want clientOptions
	}{
		"none": {`{}`, clientOptions{completionMarkdown: true, hoverMarkdown: true}},
		"plain completion docs": {`{"textDocument":{"completion":{"completionItem":{"documentationFormat":["plaintext"],"snippetSupport":true}}}}`,
			clientOptions{snippets: true, hoverMarkdown: true}},
		"plain hovers": {`{"textDocument":{"hover":{"contentFormat":["plaintext"]}}}`,
			clientOptions{completionMarkdown: true}},
		"all": {`{"textDocument":{"codeAction":{"resolveSupport":{"properties":["edit"]}},"completion":{"completionItem":{"resolveSupport":{"properties":["documentation"]}}},` +
			`"foldingRange":{"rangeLimit":7},"diagnostic":{},"documentSymbol":{"hierarchicalDocumentSymbolSupport":true}},` +
			`"workspace":{"workspaceEdit":{"documentChanges":true},"configuration":true,"diagnostics":{"refreshSupport":true},"didChangeWatchedFiles":{"dynamicRegistration":true}}}`,
			clientOptions{resolveEdits: true, documentChanges: true, resolveDocs: true, completionMarkdown: true, hoverMarkdown: true, pullConfiguration: true, foldingLimit: 7,
				pullDiagnostics: true, refreshDiagnostics: true, hierarchicalSymbols: true, dynamicWatch: true}},
	} {
		var caps protocol.ClientCapabilities
		if err := json.Unmarshal([]byte(tc.caps), &caps); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(tc.want, *readClientOptions(caps), cmp.AllowUnexported(clientOptions{})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}
