package codeaction

import (
	"fmt"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/rules"
)

// quickFixes offers the fixes of the diagnostics that touch the request's
// span, the rule's preferred fix marked so.
func quickFixes(r *Request) ([]Action, string) {
	var out []Action
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		if !overlaps(d.Span, r.Span) {
			continue
		}
		for k, f := range d.Fixes {
			out = append(out, Action{
				Title:      f.Title,
				Kind:       QuickFix,
				ID:         fmt.Sprintf("quickfix:%s:%d-%d:%d", d.Rule, d.Span.Start, d.Span.End, k),
				Preferred:  f.Preferred,
				Edits:      append([]analysis.Edit{}, f.Edits...),
				Diagnostic: d,
			})
		}
	}
	if len(out) == 0 {
		return nil, "no diagnostic with a fix here"
	}
	return out, ""
}

// overlaps reports whether a and b share a position, counting touching
// ends, so that a cursor at either end of a diagnostic finds it.
func overlaps(a, b analysis.Span) bool {
	return a.Start <= b.End && b.Start <= a.End
}

// FromRules converts the diagnostics of analysis/rules, keeping those with
// fixes.
func FromRules(ds []rules.Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if len(d.Fixes) == 0 {
			continue
		}
		cd := Diagnostic{Span: d.Span, Rule: d.Rule, Message: d.Message}
		for _, f := range d.Fixes {
			cd.Fixes = append(cd.Fixes, Fix{Title: f.Title, Edits: f.Edits, Preferred: f.Preferred})
		}
		out = append(out, cd)
	}
	return out
}
