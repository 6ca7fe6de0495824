package features

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// BuildsHover explains a name whose meaning differs between the builds
// of the file (a stage one build replaces by a named context and another
// builds): a stage reference at off, or a stage's name, with each meaning
// labelled by the builds it holds in ("in target release: named build
// context `deps` ... · in target ci: stage `deps` (line 6)"). ok is false
// when every build gives the name one meaning: Hover explains it then.
func BuildsHover(ix *analysis.Index, off int, builds []analysis.BuildSpec) (HoverInfo, bool) {
	if len(builds) < 2 {
		return HoverInfo{}, false
	}
	m := ix.Model()
	r, ok := ix.RefAt(off)
	if !ok {
		for st := range ix.StageCount() {
			if ns := ix.Stage(st).NameSpan; ns.Start <= off && off <= ns.End && ns.End > ns.Start {
				if note := StageReplacedIn(ix, st, builds); note != "" {
					return HoverInfo{Span: ns, Markdown: fmt.Sprintf("**stage `%s`**, replaced in some builds\n\n%s", ix.Stage(st).Name, note)}, true
				}
			}
		}
		return HoverInfo{}, false
	}
	ms := m.Meanings(r, builds)
	if len(ms) < 2 {
		return HoverInfo{}, false
	}
	parts := make([]string, 0, len(ms))
	for _, mn := range ms {
		parts = append(parts, "in "+analysis.Labels(builds, mn.Builds)+": "+meaningText(ix, r, mn))
	}
	md := fmt.Sprintf("**`%s` differs between builds**\n\n%s", r.Value, strings.Join(parts, " · "))
	return HoverInfo{Span: r.Span, Markdown: md}, true
}

// meaningText says what a reference means in some builds.
func meaningText(ix *analysis.Index, r analysis.StageRef, mn analysis.Meaning) string {
	switch mn.Resolution {
	case analysis.ResolvesContext:
		return fmt.Sprintf("named build context `%s` (%s) · `%s`", mn.Context.Name, mn.Context.Source, mn.Context.Value)
	case analysis.ResolvesStage:
		if mn.Target >= 0 {
			name := stageShort(ix, mn.Target)
			if ix.Stage(mn.Target).Name != "" {
				name = "stage `" + name + "`"
			}
			return fmt.Sprintf("%s (line %d)", name, ix.Doc.LineOf(ix.Stage(mn.Target).Span.Start)+1)
		}
	case analysis.ResolvesImage:
		return fmt.Sprintf("image `%s`", r.Value)
	}
	return fmt.Sprintf("`%s`", r.Value)
}

// StageReplacedIn says, when a named context replaces stage s in some of
// the builds but not in others, in which builds and by what: "in target
// release: replaced by the named build context `deps` (docker-bake.hcl,
// target release)"; "" when the builds agree.
func StageReplacedIn(ix *analysis.Index, s int, builds []analysis.BuildSpec) string {
	m := ix.Model()
	var by []int
	var c analysis.NamedContext
	for b, spec := range builds {
		if rc, ok := m.ReplacedBy(s, spec.Contexts); ok {
			if len(by) == 0 {
				c = rc
			}
			by = append(by, b)
		}
	}
	if len(by) == 0 || len(by) == len(builds) {
		return ""
	}
	return fmt.Sprintf("in %s: replaced by the named build context `%s` (%s)", analysis.Labels(builds, by), c.Name, c.Source)
}

// LensesIn is Lenses for a file the builds build: a stage that a named
// context replaces in some of them says so (StageReplacedIn).
func LensesIn(ix *analysis.Index, contexts []analysis.NamedContext, builds []analysis.BuildSpec) []Lens {
	out := Lenses(ix, contexts)
	if len(builds) < 2 {
		return out
	}
	for i := range out {
		if note := StageReplacedIn(ix, out[i].Stage, builds); note != "" {
			out[i].Title += " · " + note
		}
	}
	return out
}
