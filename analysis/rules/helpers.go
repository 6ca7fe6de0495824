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
	first := doc.LineOf(span.Start)
	last := doc.LineOf(span.End)
	end := doc.Len()
	if last+1 < doc.LineCount() {
		end = doc.LineStart(last + 1)
	}
	return analysis.Edit{Span: analysis.Span{Start: analysis.LineStartPastBOM(doc, first), End: end}}
}

// deleteStage removes whole lines as deleteLines does, and the blank lines
// after them, so that the stages around keep one gap between them.
func deleteStage(doc *analysis.Document, span analysis.Span) analysis.Edit {
	e := deleteLines(doc, span)
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
