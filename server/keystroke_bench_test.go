package server_test

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkCommentKeystroke types as peerbench's CPU rows do, through the
// real server over the pipe: one character at the end of the comment
// nearest the middle of the generated 21,000-line file, then deleted, and
// so on, each keystroke waiting for its version's diagnostics. It is the
// keystroke path whole (text sync, index update, model, rules, conversion,
// publication), for instruction counts under callgrind.
func BenchmarkCommentKeystroke(b *testing.B) {
	text := testgen.Large(1000)
	k := openForTyping(b, text)
	lines := strings.Split(text, "\n")
	k.line = len(lines) / 2
	for !strings.HasPrefix(lines[k.line], "# stage ") {
		k.line++
	}
	k.col = len(lines[k.line])
	typed := false
	cpu := testgen.CPUTime()
	for b.Loop() {
		k.version++
		at := map[string]any{"line": k.line, "character": k.col}
		change := map[string]any{"range": map[string]any{"start": at, "end": at}, "text": "x"}
		if typed {
			end := map[string]any{"line": k.line, "character": k.col + 1}
			change = map[string]any{"range": map[string]any{"start": at, "end": end}, "text": ""}
		}
		typed = !typed
		k.c.notify(b, "textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": k.uri, "version": k.version},
			"contentChanges": []any{change},
		})
		k.c.waitDiagnostics(b, k.version)
	}
	testgen.ReportCPU(b, cpu)
}
