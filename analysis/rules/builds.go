package rules

import (
	"slices"

	"github.com/stagehand-ls/stagehand/analysis"
)

// runBuilds judges each build when the project's builds of the Dockerfile
// (cfg.Builds) replace different stages by named contexts: the rules run
// once per build state (Model.Views, one per distinct set of replaced
// stages) with that state's contexts, and each finding is reported once.
// A finding counts for the builds that reach its stage (all of them for
// one before the first FROM, or in a stage no build reaches); it is given
// as it is when it holds in all of those, named with the builds it holds
// in when only in some ("... (in target release)"), and dropped when in
// none. BuildKit's linter, run for one target, reports what holds in that
// build: a finding hidden because another build lacks it would be missed
// by `docker buildx bake release`, and one without its build named would
// send the user looking in the wrong build. judged is false when there is
// one build state: the caller runs the rules once.
func runBuilds(ix *analysis.Index, cfg *Config) (out []Diagnostic, judged bool) {
	if len(cfg.Builds) < 2 || ix.StageCount() == 0 {
		return nil, false
	}
	m := ix.Model()
	views := m.Views(cfg.Builds)
	if len(views) < 2 {
		return nil, false
	}
	viewOf := make([]int, len(cfg.Builds))
	for v, vw := range views {
		for _, b := range vw.Builds {
			viewOf[b] = v
		}
	}
	type key struct {
		rule, message string
		span          analysis.Span
		severity      Severity
	}
	type found struct {
		d     Diagnostic
		views []bool
	}
	var order []key
	byKey := map[key]*found{}
	for v, vw := range views {
		c := *cfg
		c.Contexts = vw.Contexts
		if v > 0 {
			c.Cache = nil // the cache keeps the first state's run
		}
		for _, d := range runOnce(ix, &c) {
			k := key{d.Rule, d.Message, d.Span, d.Severity}
			f := byKey[k]
			if f == nil {
				f = &found{d: d, views: make([]bool, len(views))}
				byKey[k] = f
				order = append(order, k)
			}
			f.views[v] = true
		}
	}
	reaching := map[int][]int{} // by stage
	for _, k := range order {
		f := byKey[k]
		s := ix.StageAt(k.span.Start)
		relevant, ok := reaching[s]
		if !ok {
			relevant = m.Reaching(s, cfg.Builds)
			reaching[s] = relevant
		}
		holding := slices.DeleteFunc(slices.Clone(relevant), func(b int) bool { return !f.views[viewOf[b]] })
		if len(holding) == 0 {
			continue
		}
		d := f.d
		if len(holding) < len(relevant) {
			d.Message += " (in " + analysis.Labels(cfg.Builds, holding) + ")"
		}
		out = append(out, d)
	}
	sortDiagnostics(out)
	return out, true
}
