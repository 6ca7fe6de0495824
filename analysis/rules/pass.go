package rules

import (
	"fmt"

	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Pass is one rule's run over one index.
type Pass struct {
	Index  *analysis.Index
	Config *Config
	Rule   *Rule
	out    []Diagnostic
}

// Doc returns the document the index was built from.
func (p *Pass) Doc() *analysis.Document { return p.Index.Doc }

// Text returns the text of span.
func (p *Pass) Text(s analysis.Span) string { return p.Index.Doc.Slice(s) }

// Report records d; an unset severity is the rule's default.
func (p *Pass) Report(d Diagnostic) {
	d.Rule = p.Rule.Name
	if d.Severity == Off {
		d.Severity = p.Rule.Severity
	}
	if d.Tags == nil {
		d.Tags = p.Rule.Tags
	}
	p.out = append(p.out, d)
}

// Reportf records a diagnostic at span with a formatted message and fixes.
func (p *Pass) Reportf(span analysis.Span, fixes []Fix, format string, args ...any) {
	p.Report(Diagnostic{Span: span, Message: fmt.Sprintf(format, args...), Fixes: fixes})
}

// Ignore returns the matcher of the .dockerignore beside the Dockerfile,
// or nil when there is none.
func (p *Pass) Ignore() *patternmatcher.PatternMatcher {
	if p.Config == nil {
		return nil
	}
	return p.Config.Ignore
}

// replace returns an edit that replaces span with text.
func replace(span analysis.Span, text string) analysis.Edit {
	return analysis.Edit{Span: span, Text: text}
}

// fix returns a one-edit fix.
func fix(title string, preferred bool, edits ...analysis.Edit) []Fix {
	return []Fix{{Title: title, Edits: edits, Preferred: preferred}}
}
