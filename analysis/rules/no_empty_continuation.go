package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var NoEmptyContinuation = register(&Rule{
	Name:     "NoEmptyContinuation",
	Summary:  "Empty continuation lines will become errors in a future release.",
	Severity: Warning,
	BuildKit: true,
	Doc: `A blank line inside an instruction continued with ` + "`\\`" + ` is skipped today, so the
instruction goes on after it; BuildKit will make it an error. It usually hides a
missing ` + "`\\`" + ` or a forgotten line. Remove the blank line (a comment line there is
allowed). The fix removes it.`,
	Bad: `FROM alpine
RUN apk add \

    curl
`,
	Good: `FROM alpine
RUN apk add \
    curl
`,
	Local: noEmptyContinuation, // every instruction
})

func noEmptyContinuation(p *Pass, n analysis.Node) {
	doc := p.Doc()
	esc := p.Index.Escape
	if n.Lines < 3 || !hasBlankLine(doc.Slice(n.Span())) {
		return
	}
	line := doc.LineOf(n.Start)
	last := doc.LineOf(n.Start + n.Len)
	var edits []analysis.Edit
	var first analysis.Span
	cont := continued(lineText(doc, line), esc)
	for l := line + 1; cont && l <= last; l++ {
		t := lineText(doc, l)
		s := strings.TrimSpace(t)
		switch {
		case strings.HasPrefix(s, "#"):
		case s == "":
			sp := analysis.Span{Start: doc.LineStart(l), End: doc.LineStart(l + 1)}
			if len(edits) == 0 {
				first = analysis.Span{Start: doc.LineStart(l), End: doc.LineEnd(l)}
			}
			edits = append(edits, analysis.Edit{Span: sp})
		default:
			cont = continued(t, esc)
		}
	}
	if len(edits) > 0 {
		p.Reportf(first, fix("Remove empty continuation lines", true, edits...), "Empty continuation line")
	}
}

func lineText(doc *analysis.Document, l int) string {
	return strings.TrimRight(doc.Slice(analysis.Span{Start: doc.LineStart(l), End: doc.LineEnd(l)}), "\r")
}

// continued reports whether a line ends with the escape token, itself not
// escaped.
func continued(line string, esc byte) bool {
	t := strings.TrimRight(line, " \t")
	n := len(t)
	return n > 0 && t[n-1] == esc && !(n >= 2 && t[n-2] == esc)
}

// hasBlankLine reports whether text has a line of blanks alone after its
// first line.
func hasBlankLine(text string) bool {
	for i := strings.IndexByte(text, '\n'); i >= 0 && i < len(text); {
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j == len(text) || text[j] == '\n' {
			return true // a blank line, perhaps the instruction's last
		}
		k := strings.IndexByte(text[j:], '\n')
		if k < 0 {
			return false
		}
		i = j + k
	}
	return false
}
