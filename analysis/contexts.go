package analysis

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// NamedContext is a named build context the project gives a Dockerfile
// (Compose additional_contexts, Bake contexts, `--build-context`): BuildKit
// resolves a reference that names no stage to it before it looks for an
// image of that name (dockerfile2llb: the stage lookup first, then the
// named context, then the registry).
type NamedContext struct {
	Name   string
	Value  string // what it names: a folder, docker-image://..., target:...
	Source string // where it is given, for people: "compose.yaml, service app"
	File   string // the file giving it, for navigation
	Span   Span   // the name's bytes in File
}

// ResolveIn returns what reference r resolves to when the build is given
// the named contexts: ResolvesContext, with the context, for a reference
// the model resolves to an image whose name is one of them, or to a stage
// whose name is one (BuildKit replaces such a stage by the context);
// otherwise the model's resolution. Names compare exactly, ":latest" aside, as
// dockerui's NamedContext looks them up (an upper-case name is no valid
// context name: BuildKit fails on it).
func (m *Model) ResolveIn(r StageRef, contexts []NamedContext) (Resolution, NamedContext) {
	name := ""
	switch {
	case r.Resolution == ResolvesImage:
		name = strings.TrimSuffix(r.Value, ":latest")
	case r.Resolution == ResolvesStage && r.Target >= 0:
		st := m.ix.Stage(r.Target)
		name = st.LowerName()
	}
	for _, c := range contexts {
		if name != "" && c.Name == name {
			return ResolvesContext, c
		}
	}
	return r.Resolution, NamedContext{}
}

// ReplacedBy returns the named context that replaces stage s: BuildKit
// looks each stage's name up among the named contexts and, when one
// matches, uses the context as the stage and builds none of the stage's
// own instructions (dockerfile2llb's stage loop).
func (m *Model) ReplacedBy(s int, contexts []NamedContext) (NamedContext, bool) {
	if s < 0 || s >= m.ix.StageCount() {
		return NamedContext{}, false
	}
	st := m.ix.Stage(s)
	name := st.LowerName()
	if name == "" {
		return NamedContext{}, false
	}
	for _, c := range contexts {
		if c.Name == name {
			return c, true
		}
	}
	return NamedContext{}, false
}

// replaced marks the stages a named context replaces; nil when none is.
func (m *Model) replaced(contexts []NamedContext) []bool {
	var out []bool
	if len(contexts) == 0 {
		return nil
	}
	n := m.ix.StageCount()
	for s := 0; s < n; s++ {
		if _, ok := m.ReplacedBy(s, contexts); ok {
			if out == nil {
				out = make([]bool, n)
			}
			out[s] = true
		}
	}
	return out
}

// ReachableIn is Reachable for a build given the named contexts: a
// reference a context takes over reaches no stage, and a stage a context
// replaces counts as built only as a target, reaching nothing itself.
func (m *Model) ReachableIn(targets []int, contexts []NamedContext) []bool {
	return m.reachIn(targets, "", contexts)
}

// ContextAt returns the stage reference at off when it resolves to a named
// context, with every context given under that name (a Compose file and a
// Bake file may both give it), in the order of contexts.
func (ix *Index) ContextAt(off int, contexts []NamedContext) (StageRef, []NamedContext, bool) {
	if len(contexts) == 0 {
		return StageRef{}, nil, false
	}
	r, ok := ix.RefAt(off)
	if !ok {
		return StageRef{}, nil, false
	}
	res, c := ix.Model().ResolveIn(r, contexts)
	if res != ResolvesContext {
		return StageRef{}, nil, false
	}
	var out []NamedContext
	for _, d := range contexts {
		if d.Name == c.Name {
			out = append(out, d)
		}
	}
	return r, out, true
}

// ContextUses returns the spans in the file that name the context called
// name: the references resolving to it and, as declarations, the names of
// the stages it replaces; in file order, each span once (an ONBUILD
// trigger's reference is listed once per stage running it).
func (ix *Index) ContextUses(name string, contexts []NamedContext) (uses, decls []Span) {
	m := ix.Model()
	seen := map[Span]bool{}
	for _, r := range m.Refs() {
		if res, c := m.ResolveIn(r, contexts); res == ResolvesContext && c.Name == name && !seen[r.Span] {
			seen[r.Span] = true
			uses = append(uses, r.Span)
		}
	}
	for s := 0; s < ix.StageCount(); s++ {
		if c, ok := m.ReplacedBy(s, contexts); ok && c.Name == name {
			decls = append(decls, ix.Stage(s).NameSpan)
		}
	}
	slices.SortFunc(uses, func(a, b Span) int { return a.Start - b.Start })
	return uses, decls
}

// Build is the build state of one build of the file given its named
// contexts: as Model's, except that a stage built FROM a stage a context
// replaces starts from the context, as dockerfile2llb builds it (the
// stage's base is the context's state and image config, so none of the
// replaced stage's ENV, ARG, WORKDIR, USER or SHELL): to the model, an
// image it does not know. Given no context that replaces a stage, it is
// the model's own build state.
type Build struct{ m *Model }

// buildView is what a Build's model holds besides its own memo of the
// build state: the model it views and the stages the contexts replace.
type buildView struct {
	parent   *Model
	replaced []bool
}

// In returns the build state of a build given the named contexts.
func (m *Model) In(contexts []NamedContext) Build {
	if m.view != nil {
		m = m.view.parent
	}
	replaced := m.replaced(contexts)
	if replaced == nil {
		return Build{m}
	}
	var key strings.Builder
	for s, r := range replaced {
		if r {
			key.WriteString(strconv.Itoa(s))
			key.WriteByte(',')
		}
	}
	m.vars.mu.Lock()
	defer m.vars.mu.Unlock()
	if v, ok := m.vars.views[key.String()]; ok {
		return Build{v}
	}
	v := &Model{ix: m.ix, vars: &varCache{}, view: &buildView{parent: m, replaced: replaced}}
	if m.vars.views == nil {
		m.vars.views = map[string]*Model{}
	}
	m.vars.views[key.String()] = v
	return Build{v}
}

// buildBase is the stage that stage s is built FROM in the model's build:
// baseOf, or -1 (an image) for a stage a context replaces.
func (m *Model) buildBase(s int) int {
	if m.view == nil {
		return m.baseOf(s)
	}
	b := m.view.parent.baseOf(s)
	if b >= 0 && m.view.replaced[b] {
		return -1
	}
	return b
}

// State is Model.State in the build.
func (b Build) State(i int) State { return b.m.State(i) }

// EndState is Model.EndState in the build.
func (b Build) EndState(s int) State { return b.m.EndState(s) }

// Expand is Model.Expand in the build.
func (b Build) Expand(i int, word string) (string, bool) { return b.m.Expand(i, word) }

// BaseOf is Model.BaseOf in the build: -1 for a stage built FROM a stage
// a context replaces.
func (b Build) BaseOf(s int) int { return b.m.buildBase(s) }

// ResolveVar is Index.ResolveVar in the build: a stage built FROM a stage
// a context replaces inherits none of its variables.
func (b Build) ResolveVar(i int, name string) (VarSite, bool) {
	ix := b.m.ix
	if s := ix.StageOf(i); s >= 0 && ix.inst(i).Cmd != "from" {
		return b.m.resolveVar(s, i, name)
	}
	return ix.ResolveVar(i, name)
}

// VisibleVars is Index.VisibleVars in the build.
func (b Build) VisibleVars(i int) []VarSite {
	ix := b.m.ix
	if s := ix.StageOf(i); s >= 0 && ix.inst(i).Cmd != "from" {
		return b.m.visibleVars(s, i)
	}
	return ix.VisibleVars(i)
}

// BuildSpec is one build of the file the project knows (a Compose
// service, a Bake target, a command): who runs it, the stages it names and
// the named contexts it gives. Contexts are per build, as buildx passes
// them: a stage one build replaces by a context another builds.
type BuildSpec struct {
	Label    string         // for people: "target release", "service api"
	Targets  []string       // the stages it names; none: the last stage
	Contexts []NamedContext // the named contexts it gives
}

// Stages returns the stages b builds: those it names, or the last.
func (b BuildSpec) Stages(ix *Index) []int {
	var out []int
	for _, name := range b.Targets {
		if s := ix.StageByName(name); s >= 0 {
			out = append(out, s)
		}
	}
	if len(b.Targets) == 0 && ix.StageCount() > 0 {
		out = append(out, ix.StageCount()-1)
	}
	return out
}

// BuildView is the build state the builds share whose named contexts
// replace the same stages: one Model.In per distinct set, memoised there.
type BuildView struct {
	Build Build
	// Contexts are the view's builds' contexts that replace a stage,
	// and every build's contexts that replace none (a name no stage
	// takes is no mistake in any build).
	Contexts []NamedContext
	Builds   []int // the builds (indexes into the list given) it holds
}

// Views groups builds by the stages their named contexts replace, in the
// order of their first build; none for no builds.
func (m *Model) Views(builds []BuildSpec) []BuildView {
	if m.view != nil {
		m = m.view.parent
	}
	var loose []NamedContext // the contexts replacing no stage
	for _, b := range builds {
		for _, c := range b.Contexts {
			if _, ok := m.ReplacedBy(m.ix.StageByName(c.Name), []NamedContext{c}); !ok && !slices.Contains(loose, c) {
				loose = append(loose, c)
			}
		}
	}
	var out []BuildView
	keys := map[string]int{}
	for i, b := range builds {
		var key strings.Builder
		for s, r := range m.replaced(b.Contexts) {
			if r {
				key.WriteString(strconv.Itoa(s))
				key.WriteByte(',')
			}
		}
		v, ok := keys[key.String()]
		if !ok {
			v = len(out)
			keys[key.String()] = v
			out = append(out, BuildView{Build: m.In(b.Contexts)})
		}
		out[v].Builds = append(out[v].Builds, i)
		for _, c := range b.Contexts {
			if !slices.Contains(loose, c) && !slices.Contains(out[v].Contexts, c) {
				out[v].Contexts = append(out[v].Contexts, c)
			}
		}
	}
	for v := range out {
		out[v].Contexts = append(out[v].Contexts, loose...)
	}
	return out
}

// Meaning is what a stage reference means in some of the builds: the
// stage (or image) the file resolves it to, or a named context.
type Meaning struct {
	Resolution Resolution
	Target     int          // the stage, for ResolvesStage
	Context    NamedContext // for ResolvesContext
	Builds     []int        // the builds (indexes) where it means this
}

// Meanings returns what reference r means in each of the builds that
// read it (those reaching its stage, Reaching), one entry per distinct
// meaning, in the order of their first build. With no builds it is the
// file's own resolution.
func (m *Model) Meanings(r StageRef, builds []BuildSpec) []Meaning {
	if len(builds) == 0 {
		return []Meaning{{Resolution: r.Resolution, Target: r.Target}}
	}
	var out []Meaning
	for _, i := range m.Reaching(r.Stage, builds) {
		res, c := m.ResolveIn(r, builds[i].Contexts)
		mn := Meaning{Resolution: res, Target: r.Target, Context: c}
		j := slices.IndexFunc(out, func(o Meaning) bool {
			return o.Resolution == res && o.Context.Name == c.Name && o.Context.Value == c.Value
		})
		if j < 0 {
			out = append(out, mn)
			j = len(out) - 1
		}
		out[j].Builds = append(out[j].Builds, i)
	}
	return out
}

// Labels joins the labels of builds idx of builds: "target a, service b".
func Labels(builds []BuildSpec, idx []int) string {
	var parts []string
	for _, i := range idx {
		if l := builds[i].Label; l != "" && !slices.Contains(parts, l) {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, ", ")
}

// ReferentAt is Index.ReferentAt in the build: a use in a stage built
// FROM a stage a context replaces does not name the replaced stage's
// ARG or ENV.
func (b Build) ReferentAt(off int) (Referent, bool) {
	return b.m.ix.referentAt(off, b.ResolveVar)
}

// Occurrences is Index.Occurrences in the build: a variable's uses in a
// stage built FROM a stage a context replaces are not the replaced
// stage's.
func (b Build) Occurrences(ctx context.Context, t Referent) ([]Occurrence, error) {
	if t.Kind == ReferentStage {
		return b.m.ix.stageOccurrences(t.Stage), nil
	}
	return b.m.ix.varOccurrences(ctx, t.Var, b.m.buildBase)
}

// Reaching returns the builds (indexes) that reach stage s with the
// contexts they give; all of them when none does, or s is -1 (before the
// first FROM): what is there is judged in every build then.
func (m *Model) Reaching(s int, builds []BuildSpec) []int {
	var out []int
	if s >= 0 {
		for b, spec := range builds {
			if m.ReachableIn(spec.Stages(m.ix), spec.Contexts)[s] {
				out = append(out, b)
			}
		}
	}
	if len(out) == 0 {
		for b := range builds {
			out = append(out, b)
		}
	}
	return out
}

// StatesAt returns the build states a place in stage s is read in: one
// per distinct set of replaced stages among the builds that reach s
// (Reaching); the model's own with no builds.
func (m *Model) StatesAt(s int, builds []BuildSpec) []Build {
	if len(builds) == 0 {
		return []Build{m.In(nil)}
	}
	var out []Build
	for _, v := range m.ViewsAt(s, builds) {
		out = append(out, v.Build)
	}
	return out
}

// ViewsAt returns the views (Views) of the builds that reach stage s
// (Reaching), each view's Builds indexing builds: what tells the build
// states a place in s is read in apart, and which builds read it so.
func (m *Model) ViewsAt(s int, builds []BuildSpec) []BuildView {
	reach := m.Reaching(s, builds)
	specs := make([]BuildSpec, len(reach))
	for i, b := range reach {
		specs[i] = builds[b]
	}
	vs := m.Views(specs)
	for v := range vs {
		for j, b := range vs[v].Builds {
			vs[v].Builds[j] = reach[b]
		}
	}
	return vs
}
