package server

import (
	"context"
	"fmt"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkCodeActionManyRuns asks for every code action on the first RUN
// of a stage of n `go build` RUNs (cacheMountRuns), at 10,000 and 40,000
// RUNs, each time on a new version of the file, so that the rules' run the
// action waits for is in the time as well as the producers. Four times the
// RUNs should take about four times as long: ns/op at 40k over 10k is the
// scaling. Run it with -benchtime=3x: an op takes tens of milliseconds.
func BenchmarkCodeActionManyRuns(b *testing.B) {
	for _, n := range []int{10000, 40000} {
		b.Run(fmt.Sprintf("runs=%d", n), func(b *testing.B) {
			var srv *Server
			grab := func(_ *Config, setup *[]func(*Server)) { *setup = append(*setup, func(s *Server) { srv = s }) }
			c := newRawClient(&testing.T{}, grab)
			c.initialize()
			const uri = "file:///bench/actions/Dockerfile"
			text := cacheMountRuns(n)
			c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
			c.call("test/none", nil)
			srv.diagRuns.wait()
			onRun := protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3}}
			version, col := 1, uint32(len("RUN go build ./cmd/x0"))
			cpu := testgen.CPUTime()
			for b.Loop() {
				// A keystroke at the end of the first RUN: a new version.
				version++
				pos := protocol.Position{Line: 3, Character: col}
				col++
				c.notify("textDocument/didChange", map[string]any{
					"textDocument":   map[string]any{"uri": uri, "version": version},
					"contentChanges": []any{map[string]any{"range": protocol.Range{Start: pos, End: pos}, "text": "x"}},
				})
				c.call("test/none", nil)
				res, err := srv.CodeAction(context.Background(), &protocol.CodeActionParams{
					TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Range: onRun,
				})
				if err != nil || len(res) == 0 {
					b.Fatalf("codeAction: %d actions, error %v", len(res), err)
				}
			}
			testgen.ReportCPU(b, cpu)
			c.shutdownAndExit()
		})
	}
}
