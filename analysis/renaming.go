package analysis

import (
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// The build-model questions a rename asks.

// BuiltOn reports whether stage t is built on stage s, directly or not.
func (ix *Index) BuiltOn(t, s int) bool {
	for hops := 0; t >= 0 && hops <= len(ix.stages); hops++ {
		t = ix.baseOf(t)
		if t == s {
			return true
		}
	}
	return false
}

// RenamedPattern returns the text a reference built from variables takes
// when stage s is renamed to newName: its literal parts rewritten when the
// text its variable gives for the old name stands in the new one
// (`base-${ARCH}` for base-amd64 renamed build-amd64 becomes
// `build-${ARCH}`). ok is false when, after the rename, the reference would
// not name the same stages, or the defaults would pick another one.
func (ix *Index) RenamedPattern(r StageRef, s int, newName string) (next string, ok bool) {
	m := ix.Model()
	st := ix.Stage(s)
	oldName := st.LowerName()
	newLower := strings.ToLower(newName)
	value := r.Value
	next = value
	// One expansion, whose text for the old name is what the literal
	// parts around it leave: that text stands in the new name too.
	if locs := expansionSpans(value, ix.Escape); len(locs) == 1 {
		pre, suf := value[:locs[0][0]], value[locs[0][1]:]
		old := oldName
		if r.Kind != RefFrom {
			pre, suf = strings.ToLower(pre), strings.ToLower(suf)
		}
		if len(old) > len(pre)+len(suf) && strings.HasPrefix(old, pre) && strings.HasSuffix(old, suf) {
			mid := old[len(pre) : len(old)-len(suf)]
			if i := strings.Index(newLower, mid); i >= 0 {
				lit := newName
				if r.Kind == RefFrom {
					lit = newLower
				}
				next = lit[:i] + value[locs[0][0]:locs[0][1]] + lit[i+len(mid):]
			}
		}
	}
	// The stages it names, and the default, with the new name in place.
	names := make([]string, len(ix.stages))
	byName := map[string][]int{}
	for t := range ix.stages {
		if name := ix.inst(ix.stages[t].first).Name; name != nil {
			names[t] = strings.ToLower(name.Value)
		}
		if t == s {
			names[t] = newLower
		}
		if names[t] != "" {
			byName[names[t]] = append(byName[names[t]], t)
		}
	}
	var before, after []int
	for _, t := range m.patterns[r.Pattern].Stages {
		if t < r.Stage {
			before = append(before, t)
		}
	}
	for _, t := range patternStages(next, r.Kind, names, ix.Escape) {
		if t < r.Stage {
			after = append(after, t)
		}
	}
	// The defaults must pick the same stage on every platform.
	same := true
	for _, platform := range Platforms {
		var env shell.EnvGetter = m.GlobalArgs(platform)
		if r.Kind != RefFrom {
			env = m.State(r.Instruction).env
		}
		def := -1
		if v, _, err := shell.NewLex(rune(ix.Escape)).ProcessWord(next, env); err == nil && v != "" {
			if res, t := resolve(Ref{Kind: r.Kind, Value: Token{Value: v}, Numeric: r.Kind != RefFrom && isNumber(v)}, r.Stage, len(ix.stages), byName); res == ResolvesStage {
				def = t
			}
		}
		if _, old := m.ResolveWith(r, platform); old != def {
			same = false
		}
	}
	return next, slices.Equal(before, after) && same
}
