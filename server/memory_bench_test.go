package server_test

import (
	"runtime/metrics"
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
	k := openForTyping(b, text)
	c := k.c
	td := map[string]any{"uri": k.uri}
	forced := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(forced)
	before := forced[0].Value.Uint64()
	cpu := testgen.CPUTime()
	for b.Loop() {
		k.keystroke(b)
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
