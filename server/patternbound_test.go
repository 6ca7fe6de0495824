package server

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// patternAlloc is what the server may allocate to read and check a
// Dockerfile whose stage reference is 300 KB built from variables.
const patternAlloc = 96 << 20

// TestLongPatternReference: a FROM whose base is built from variables
// and continued over many lines (BuildKit bounds a line, not an
// instruction) has its pattern read within a bound, on open and on every
// change: each way of setting its variables ran the lexer over the whole
// text, and the expression held it once per way (1 MB took 850 MB and
// 5 s a keystroke).
func TestLongPatternReference(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	long := "${A}${B}${C}${D}" + strings.Repeat(strings.Repeat("x", 1000)+"\\\n", 300)
	text := "ARG A B C D\nFROM alpine AS x\nRUN true\nFROM " + long + " AS y\nRUN true\n"
	df := "file:///w/Dockerfile"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c.open(df, text, 1)
	c.diagnostics(df, 1)
	c.change(df, 2, partial(0, 0, 0, 0, "# edited\n"))
	c.diagnostics(df, 2)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > patternAlloc {
		t.Errorf("the server allocated %d MB, the ceiling is %d MB", n>>20, patternAlloc>>20)
	}
	// The server still answers.
	var hover any
	if err := c.call("textDocument/hover", docPos(df, 1, 16), &hover); err != nil {
		t.Error(err)
	}
}

// patternRetained is what the server may keep after a Dockerfile of
// 1,100 (300 under the race detector) distinct 1 KB references built from variables is closed.
const patternRetained = 48 << 20

// TestPatternsNotPinned: the expressions of references built from
// variables are kept for the process's life (the first 1,024 seen), so
// only short ones may be: 1,024 distinct 1 KB references pinned 239 MB.
func TestPatternsNotPinned(t *testing.T) {
	c := newTestClient(t)
	c.initialize()
	var b strings.Builder
	b.WriteString("ARG A B C D\n")
	// Under the race detector the diagnostics of 1,100 such stages take
	// longer than a test client waits; 300 would still pin about 70 MB.
	stages := 1100
	if testgen.Race {
		stages = 300
	}
	for i := range stages {
		fmt.Fprintf(&b, "FROM ${A}${B}${C}${D}%05d%s AS s%d\n", i, strings.Repeat("x", 990), i)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	df := "file:///w/Dockerfile"
	c.open(df, b.String(), 1)
	c.diagnostics(df, 1)
	c.close(df)
	c.settle()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if n := int64(after.HeapAlloc) - int64(before.HeapAlloc); n > patternRetained {
		t.Errorf("the server keeps %d MB after the document is closed, the ceiling is %d MB", n>>20, patternRetained>>20)
	}
}
