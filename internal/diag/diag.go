// Package diag turns an index's findings into diagnostics: a span, a
// severity, the name of the rule that produced it and a message. The command
// line and the language server both report these, so they agree.
package diag

import "github.com/stagehand-ls/stagehand/analysis"

// Severity is how serious a diagnostic is.
type Severity int

const (
	Error Severity = iota
	Warning
	Info
	Hint
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	case Hint:
		return "hint"
	}
	return "error"
}

// Rule names for the errors BuildKit itself reports.
const (
	ParseError       = "ParseError"       // BuildKit rejects the text as a whole
	InstructionError = "InstructionError" // BuildKit rejects one instruction
)

// Diagnostic is one problem in a document.
type Diagnostic struct {
	Span     analysis.Span
	Severity Severity
	Rule     string
	Message  string
}

// Compute returns the diagnostics of ix in document order.
func Compute(ix *analysis.Index) []Diagnostic {
	errs := ix.Errors()
	diags := make([]Diagnostic, 0, len(errs))
	parseErr := ix.ParseError != nil
	for _, e := range errs {
		rule := InstructionError
		if parseErr && e == *ix.ParseError {
			rule = ParseError
			parseErr = false // only the first match is the parse error itself
		}
		diags = append(diags, Diagnostic{Span: e.Span, Severity: Error, Rule: rule, Message: e.Message})
	}
	return diags
}
