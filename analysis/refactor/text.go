package refactor

import (
	"strconv"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// eol returns the line terminator the document uses.
func eol(doc *analysis.Document) string { return analysis.Newline(doc) }

// lineAfter returns the start of the line after the one holding off, or
// the end of the document.
func lineAfter(doc *analysis.Document, off int) int {
	line := doc.LineOf(off)
	if line+1 >= doc.LineCount() {
		return doc.Len()
	}
	return doc.LineStart(line + 1)
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

// metadataOnly reports whether the instruction table says cmd only sets
// image metadata.
func metadataOnly(cmd string) bool {
	in := analysis.LookupInstruction(cmd)
	return in != nil && in.Metadata
}

// setsState reports whether the instruction table says cmd changes the
// state later instructions run with (ARG, ENV, WORKDIR, USER, SHELL).
func setsState(cmd string) bool {
	in := analysis.LookupInstruction(cmd)
	return in != nil && in.State
}

// carriedComments returns, as written, the comments above FROM i that go
// with the stage's name when a refactoring gives the name to a new FROM:
// its description (the first comment starting with the name, which
// `docker build --call=targets` reads) and its `# check=` settings (the
// linter merges them into the stage's).
func carriedComments(ix *analysis.Index, i int, name string) []string {
	var out []string
	described := false
	for _, c := range ix.Comments(i) {
		key, _, _ := strings.Cut(c.Text, "=")
		isDesc := !described && strings.HasPrefix(c.Text, strings.ToLower(name)+" ")
		if isDesc || strings.EqualFold(strings.TrimSpace(key), "check") {
			described = described || isDesc
			out = append(out, strings.TrimPrefix(ix.Doc.Slice(c.Span), "\ufeff"))
		}
	}
	return out
}
