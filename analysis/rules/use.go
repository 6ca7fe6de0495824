package rules

import (
	"sort"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Use is what another file (a Compose or Bake file, a workflow, a script)
// asks of a Dockerfile: to build one of its stages as a target, or to pass
// it a build argument. A rule with a Use function judges uses against the
// Dockerfile's index; its diagnostics lie in the file that names the use.
type Use struct {
	Kind       UseKind
	Name       string        // the stage or the build argument
	Span       analysis.Span // its bytes in the file naming it, not in the Dockerfile
	Dockerfile string        // the Dockerfile's path, for messages
}

// UseKind says what a Use asks for.
type UseKind int

const (
	UseTarget UseKind = iota + 1 // build the stage Name
	UseArg                       // pass the build argument Name
)

// RunUses returns the diagnostics of the rules that judge uses, for uses
// of the Dockerfile ix, under cfg and the Dockerfile's `# check=`
// directive (the file-wide one: the uses lie in no instruction). A
// Dockerfile that does not parse is not judged: the build tool will say.
func RunUses(ix *analysis.Index, cfg *Config, uses []Use) []Diagnostic {
	if ix == nil || ix.ParseError != nil || len(uses) == 0 {
		return nil
	}
	if cfg == nil {
		cfg = &Config{}
	}
	file := fileCheck(ix)
	var out []Diagnostic
	for _, r := range All() {
		if r.Use == nil {
			continue
		}
		sev, set := cfg.Severity[r.Name]
		if (set && sev == Off) || file.skips(r) {
			continue
		}
		p := &Pass{Index: ix, Config: cfg, Rule: r, facts: &facts{}}
		for _, u := range uses {
			r.Use(p, u)
		}
		for _, d := range p.out {
			if set {
				d.Severity = sev
			}
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}
