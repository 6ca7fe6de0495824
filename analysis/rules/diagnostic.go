package rules

import "github.com/stagehand-ls/stagehand/analysis"

// Names of the diagnostics for BuildKit's own errors, which are not rules:
// they cannot be configured or skipped.
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
	Related  []Related
	Tags     []Tag
	Fixes    []Fix
}

// Related is another place that explains a diagnostic.
type Related struct {
	Span    analysis.Span
	Message string
}

// Fix is a suggested change: edits of the document, all relative to the
// text the diagnostic was computed on, in document order and disjoint.
type Fix struct {
	Title     string
	Edits     []analysis.Edit
	Preferred bool // the fix to apply when the user asks for "the" fix
}

// URL returns the documentation page of the diagnostic's rule, or "" for
// parse and instruction errors.
func (d *Diagnostic) URL() string {
	if r := Lookup(d.Rule); r != nil {
		return r.URL()
	}
	return ""
}
