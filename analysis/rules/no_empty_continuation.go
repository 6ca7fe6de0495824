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
	Comments: CommentsIgnored,
	Doc: `A blank line inside an instruction continued with ` + "`\\`" + ` is skipped today, so the
instruction goes on after it; BuildKit will make it an error. It usually hides a
missing ` + "`\\`" + ` or a forgotten line. Remove the blank line (a comment line there is
allowed). The fix removes it.

As BuildKit does, the finding is on the instruction's last line, where the parser
notices the blank lines; each blank line is a related place. BuildKit checks it
with the file's ` + "`# check=`" + ` directive only, so a comment above the instruction does
not skip it.`,
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
	var related []Related
	end := line // the instruction's last line, heredoc bodies aside
	cont := continued(lineText(doc, line), esc)
	for l := line + 1; cont && l <= last; l++ {
		t := lineText(doc, l)
		s := strings.TrimSpace(t)
		end = l
		switch {
		case strings.HasPrefix(s, "#"):
		case s == "":
			edits = append(edits, analysis.Edit{Span: analysis.Span{Start: doc.LineStart(l), End: doc.LineStart(l + 1)}})
			related = append(related, Related{Span: analysis.Span{Start: doc.LineStart(l), End: doc.LineStart(l) + len(t)}, Message: "empty continuation line"})
		default:
			cont = continued(t, esc)
		}
	}
	if len(edits) == 0 {
		return
	}
	// BuildKit places the warning on the instruction's last line, where
	// its parser notices it; the blank lines are the related places.
	t := strings.TrimRight(lineText(doc, end), " \t")
	at := doc.LineStart(end)
	p.Report(Diagnostic{
		Span:    analysis.Span{Start: at + len(t) - len(strings.TrimLeft(t, " \t")), End: at + len(t)},
		Message: "Empty continuation line",
		Related: related,
		Fixes:   fix("Remove empty continuation lines", true, edits...),
	})
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
