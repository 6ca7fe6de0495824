package server_test

import (
	"runtime/metrics"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkTypingWithOutline types into the generated 20,000-line file
// over the pipe as VS Code does: after each keystroke it waits for the
// diagnostics and asks for the outline and the full semantic tokens. It
// reports the process's CPU per keystroke and the full collections forced
// (returns of memory) per keystroke.
func BenchmarkTypingWithOutline(b *testing.B) {
	text := testgen.Large(1000)
	c := startRaw(b)
	c.initialize(b)
	const uri = "file:///bench/Dockerfile"
	c.notify(b, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
	c.waitDiagnostics(b, 1)
	lines := strings.Split(text, "\n")
	line := len(lines) / 2
	for !strings.HasPrefix(lines[line], "RUN ") {
		line++
	}
	col := len(lines[line])
	td := map[string]any{"uri": uri}
	version := 1
	forced := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(forced)
	before := forced[0].Value.Uint64()
	cpu := testgen.CPUTime()
	for b.Loop() {
		version++
		pos := map[string]any{"line": line, "character": col}
		c.notify(b, "textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{map[string]any{"range": map[string]any{"start": pos, "end": pos}, "text": "x"}},
		})
		col++
		c.waitDiagnostics(b, version)
		if res := c.call(b, "textDocument/documentSymbol", map[string]any{"textDocument": td}); len(res) < 1000 {
			b.Fatal("no symbols")
		}
		if res := c.call(b, "textDocument/semanticTokens/full", map[string]any{"textDocument": td}); len(res) < 1000 {
			b.Fatal("no tokens")
		}
	}
	testgen.ReportCPU(b, cpu)
	metrics.Read(forced)
	b.ReportMetric(float64(forced[0].Value.Uint64()-before)/float64(b.N), "forced-gc/op")
}
