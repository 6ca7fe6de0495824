package codeaction

import (
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// eol returns the line terminator the document uses.
func eol(doc *analysis.Document) string {
	if strings.Contains(doc.Slice(analysis.Span{Start: 0, End: min(doc.Len(), 4096)}), "\r\n") {
		return "\r\n"
	}
	return "\n"
}

// lineAfter returns the start of the line after the one holding off, or
// the end of the document.
func lineAfter(doc *analysis.Document, off int) int {
	line := doc.LineOf(off)
	if line+1 >= doc.LineCount() {
		return doc.Len()
	}
	return doc.LineStart(line + 1)
}

// chunk returns the span of instruction i with the comment and blank
// lines before it, up to and including its last line's terminator.
// Consecutive chunks are contiguous.
func chunk(ix *analysis.Index, i int) analysis.Span {
	doc := ix.Doc
	n := ix.Node(i)
	start := doc.LineStart(doc.LineOf(n.Start))
	if i > 0 {
		p := ix.Node(i - 1)
		start = lineAfter(doc, p.Start+p.Len)
	}
	return analysis.Span{Start: start, End: lineAfter(doc, n.Start+n.Len)}
}

// chunkText returns the text of chunk i, ending with a terminator.
func chunkText(ix *analysis.Index, i int, nl string) string {
	t := ix.Doc.Slice(chunk(ix, i))
	if !strings.HasSuffix(t, "\n") && !strings.HasSuffix(t, "\r") {
		t += nl
	}
	return t
}

// keyword returns word in the case the instruction's keyword is written.
func keyword(n analysis.Node, word string) string {
	if n.Keyword.Value == strings.ToLower(n.Keyword.Value) {
		return strings.ToLower(word)
	}
	return strings.ToUpper(word)
}

// taken reports whether a stage name would collide: with a stage, or with
// a reference that now names an image and would start naming the stage.
func taken(ix *analysis.Index, name string) bool {
	if ix.StageByName(name) >= 0 {
		return true
	}
	for _, r := range ix.Refs() {
		if strings.EqualFold(r.Value, name) {
			return true
		}
	}
	return false
}

// freshName returns base, or base-2, base-3, ..., whichever is free.
// It returns "" when base is no valid stage name.
func freshName(ix *analysis.Index, base string, also ...string) string {
	if analysis.CheckStageName(base) != nil {
		return ""
	}
	name := base
	for k := 2; ; k++ {
		clash := taken(ix, name)
		for _, a := range also {
			clash = clash || strings.EqualFold(a, name)
		}
		if !clash && analysis.CheckStageName(name) == nil {
			return name
		}
		name = base + "-" + strconv.Itoa(k)
	}
}
