package workspace

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Definition goes from the target at byte off of file p to the stage it
// names: the Dockerfile's path, its index as load gives it, and the
// stage's name there.
func (ix *Index) Definition(p string, off int, load Loader) (dockerfile string, dix *analysis.Index, name analysis.Span, ok bool) {
	t, ok := ix.TargetAt(p, off)
	if !ok {
		return "", nil, analysis.Span{}, false
	}
	dix, ok = load(t.Dockerfile)
	if !ok {
		return "", nil, analysis.Span{}, false
	}
	st := dix.StageByName(t.Name)
	if st < 0 {
		return "", nil, analysis.Span{}, false
	}
	return t.Dockerfile, dix, dix.Stage(st).NameSpan, true
}

// Naming returns the targets in the workspace that name stage name (in
// any case) of the Dockerfile at p, for references, rename and lenses.
func (ix *Index) Naming(p, name string) []Target {
	if name == "" {
		return nil
	}
	var out []Target
	for _, t := range ix.TargetsFor(p) {
		if strings.EqualFold(t.Name, name) {
			out = append(out, t)
		}
	}
	return out
}

// Names returns the stage names that files in the workspace build from
// the Dockerfile at p: those stages are used.
func (ix *Index) Names(p string) []string {
	var names []string
	for _, t := range ix.TargetsFor(p) {
		if t.Name != "" {
			names = append(names, t.Name)
		}
	}
	return names
}

// BuiltBy describes, for people, the files that build a stage as a
// target: `compose.yaml:6 (service api), Makefile:3 (...)`, paths
// relative to the first of roots holding them.
func BuiltBy(ts []Target, roots []string) string {
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		parts = append(parts, t.Site(roots))
	}
	return strings.Join(parts, ", ")
}
