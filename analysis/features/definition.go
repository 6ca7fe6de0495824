package features

import (
	"slices"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Definitions returns where the name at off is defined: for a reference
// built from variables, every stage it can name, the one the defaults pick
// first; otherwise the one span Definition gives.
// On a variable in such a reference, the stages come first and the
// variable's declaration last, unless the defaults pick no stage (an
// image): then the declaration, whose default that is, comes first.
func Definitions(ix *analysis.Index, off int) []analysis.Span {
	return DefinitionsIn(ix, off, nil)
}

// DefinitionsIn is Definitions for a file the builds build: a variable
// is defined where some build that reaches its stage declares it (a stage
// built FROM a stage a context replaces inherits none of its ARG or ENV).
func DefinitionsIn(ix *analysis.Index, off int, builds []analysis.BuildSpec) []analysis.Span {
	var out []analysis.Span
	declFirst := false
	if r, ok := ix.RefAt(off); ok && r.Pattern >= 0 {
		for _, s := range ix.Model().Candidates(r) {
			out = append(out, ix.StageDefSpan(s))
		}
		declFirst = r.Target < 0 || r.Target >= r.Stage
	}
	for _, b := range statesAt(ix, off, builds) {
		if sp, ok := definition(b, ix, off); ok && !slices.Contains(out, sp) {
			if declFirst {
				out = append([]analysis.Span{sp}, out...)
				continue
			}
			out = append(out, sp)
		}
	}
	return out
}

// statesAt returns the build states a name at off is read in: those of
// the builds reaching its stage (Model.StatesAt).
func statesAt(ix *analysis.Index, off int, builds []analysis.BuildSpec) []analysis.Build {
	return ix.Model().StatesAt(ix.StageAt(off), builds)
}

// Definition returns the span a name at off is defined at: a stage's name
// (its FROM line for an unnamed stage), or a variable's declaration.
func Definition(ix *analysis.Index, off int) (analysis.Span, bool) {
	return definition(ix.Model().In(nil), ix, off)
}

// definition is Definition in build state b.
func definition(b analysis.Build, ix *analysis.Index, off int) (analysis.Span, bool) {
	t, ok := b.ReferentAt(off)
	if !ok {
		return analysis.Span{}, false
	}
	if t.Kind == analysis.ReferentStage {
		return ix.StageDefSpan(t.Stage), true
	}
	// The declaration in scope, not the group's root: a use after a stage's
	// `ARG NAME` goes to that ARG.
	n, _ := ix.NodeAt(off)
	if u, ok := analysis.UseAt(ix.UsesOf(n), off-n.Start); ok {
		if site, ok := b.ResolveVar(n.Index, u.Name.Value); ok {
			return site.NameSpan, true
		}
	}
	return t.Var.NameSpan, true
}
