package server_test

import (
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// BenchmarkCommentKeystroke types as peerbench's CPU rows do, through the
// real server over the pipe: one character at the end of the comment
// nearest the middle of the file, then deleted, and so on, each keystroke
// waiting for its version's diagnostics. It is the keystroke path whole
// (text sync, index update, model, rules, conversion, publication), for
// instruction counts under callgrind: on the generated 21,000-line file
// (large) and on moby/buildkit's Dockerfile (moby), whose few large
// stages make a keystroke cost more than on the large file.
func BenchmarkCommentKeystroke(b *testing.B) {
	files := map[string]string{"large": testgen.Large(1000)}
	if text, ok := testgen.CorpusText(b, "moby__buildkit__Dockerfile"); ok {
		files["moby"] = text
	}
	for _, name := range []string{"large", "moby"} {
		text, ok := files[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) { typeInComment(b, text) })
	}
}

// typeInComment types at the end of the comment line nearest the middle
// of text, as peerbench picks it.
func typeInComment(b *testing.B, text string) {
	k := openForTyping(b, text)
	lines := strings.Split(text, "\n")
	k.line = -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "#") && (k.line < 0 || abs(i-len(lines)/2) < abs(k.line-len(lines)/2)) {
			k.line = i
		}
	}
	if k.line < 0 {
		b.Fatal("no comment line to type in")
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

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
