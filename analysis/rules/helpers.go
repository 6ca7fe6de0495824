package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// lineSpan returns the span of the instruction's first line, without its
// terminator: where BuildKit-style findings about the whole instruction go.
func firstLine(p *Pass, n analysis.Node) analysis.Span {
	doc := p.Doc()
	end := doc.LineEnd(doc.LineOf(n.Start))
	return analysis.Span{Start: n.Start, End: min(end, n.Start+n.Len)}
}

// keywordSpan returns the document span of the instruction's keyword.
func keywordSpan(n analysis.Node) analysis.Span { return n.Abs(n.Keyword.Span) }

// argsSpan returns the document span from the first to the last argument,
// or the keyword when there is none.
func argsSpan(n analysis.Node) analysis.Span {
	if len(n.Args) == 0 {
		return keywordSpan(n)
	}
	return analysis.Span{Start: n.Abs(n.Args[0].Span).Start, End: n.Abs(n.Args[len(n.Args)-1].Span).End}
}

// deleteLines returns an edit that removes the lines span covers, with the
// line break that ends them.
func deleteLines(doc *analysis.Document, span analysis.Span) analysis.Edit {
	return keepDirectives(doc, wholeLines(doc, span))
}

// wholeLines is deleteLines without keepDirectives.
func wholeLines(doc *analysis.Document, span analysis.Span) analysis.Edit {
	first := doc.LineOf(span.Start)
	last := doc.LineOf(span.End)
	end := doc.Len()
	if last+1 < doc.LineCount() {
		end = doc.LineStart(last + 1)
	}
	return analysis.Edit{Span: analysis.Span{Start: analysis.LineStartPastBOM(doc, first), End: end}}
}

// directiveLike matches a comment BuildKit may read as a parser directive
// when it stands in the file's first lines (`# escape=`+"`"+`, `# check=...`).
func directiveLike(line string) bool {
	space := func(i int) int {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\f' || line[i] == '\r') {
			i++
		}
		return i
	}
	letter := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	i := space(0)
	if i >= len(line) || line[i] != '#' {
		return false
	}
	if i = space(i + 1); i >= len(line) || !letter(line[i]) {
		return false
	}
	for i < len(line) && (letter(line[i]) || line[i] >= '0' && line[i] <= '9') {
		i++
	}
	i = space(i)
	return i < len(line) && line[i] == '='
}

// keepDirectives keeps a deletion e of whole lines from turning comments
// into parser directives: when only directives stand above the deleted
// lines and a `# key=value` comment follows them, that comment would join
// the file's first lines, where BuildKit reads it as a directive (an
// `# escape=` there changes how every line parses). A blank line left in
// their place ends the directives before it.
func keepDirectives(doc *analysis.Document, e analysis.Edit) analysis.Edit {
	if e.Text != "" || e.Span.End >= doc.Len() {
		return e
	}
	text := func(line int) string {
		t := doc.Slice(analysis.Span{Start: doc.LineStart(line), End: doc.LineEnd(line)})
		return strings.TrimPrefix(t, "\uFEFF")
	}
	for line := 0; line < doc.LineOf(e.Span.Start); line++ {
		if !directiveLike(text(line)) {
			return e
		}
	}
	if directiveLike(text(doc.LineOf(e.Span.End))) {
		e.Text = analysis.Newline(doc)
	}
	return e
}

// deleteStage removes whole lines as wholeLines does, and the blank lines
// after them, so that the stages around keep one gap between them. The
// caller applies keepDirectives once it has the edit's final start.
func deleteStage(doc *analysis.Document, span analysis.Span) analysis.Edit {
	e := wholeLines(doc, span)
	for line := doc.LineOf(e.Span.End); e.Span.End < doc.Len() && line < doc.LineCount()-1; line++ {
		if strings.TrimSpace(doc.Slice(analysis.Span{Start: doc.LineStart(line), End: doc.LineEnd(line)})) != "" {
			break
		}
		e.Span.End = doc.LineStart(line + 1)
	}
	return e
}

// withFlagSpace extends a flag's span over the blanks that follow it, so
// that removing it leaves one blank between its neighbours.
func withFlagSpace(doc *analysis.Document, s analysis.Span) analysis.Span {
	end := s.End
	for end < doc.Len() {
		c := doc.Slice(analysis.Span{Start: end, End: end + 1})
		if c != " " && c != "\t" {
			break
		}
		end++
	}
	return analysis.Span{Start: s.Start, End: end}
}

// stageName returns how a message names stage s.
func stageName(ix *analysis.Index, s int) string {
	st := ix.Stage(s)
	if st.Name != "" {
		return `"` + st.Name + `"`
	}
	return ix.StageLabel(s)
}

// matchCase returns word in the case of like: upper when like is all upper
// case, else lower.
func matchCase(word, like string) string {
	if like == strings.ToUpper(like) {
		return strings.ToUpper(word)
	}
	return strings.ToLower(word)
}

// lineNumber returns the 1-based line of off.
func lineNumber(doc *analysis.Document, off int) int { return doc.LineOf(off) + 1 }
