package analysis

// Navigation answers "what is this name?": a stage (named by `AS`, by a
// reference or by its index) or a variable (declared by ARG or ENV, used as
// `$name` or `${name}`).

// TargetKind tells what a Target is.
type TargetKind int

const (
	TargetStage TargetKind = iota
	TargetVar
)

// Target is the stage or variable a position names.
type Target struct {
	Kind  TargetKind
	Stage int     // for TargetStage
	Var   VarSite // for TargetVar: the declaration the name resolves to
	// At is the span of the name at the position asked about: a stage
	// name, a reference's value, a variable's name.
	At Span
	// Numeric is set when the position is a numeric stage reference.
	Numeric bool
}

// TargetAt returns what the name at off stands for: a stage reference that
// resolves (or names a later stage), a stage's `AS` name, a variable use
// that resolves to a declaration, or a declaration.
func (ix *Index) TargetAt(off int) (Target, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return Target{}, false
	}
	if n.Cmd == "from" && n.Name != nil {
		if sp := n.Abs(n.Name.Span); sp.Contains(off) {
			return Target{Kind: TargetStage, Stage: ix.StageOf(n.Index), At: sp}, true
		}
	}
	for _, r := range n.Refs {
		sp := n.Abs(r.Value.Span)
		if !sp.Contains(off) {
			continue
		}
		if r.Resolution == ResolvesStage || r.Resolution == ResolvesLaterStage {
			return Target{Kind: TargetStage, Stage: r.Target, At: sp, Numeric: r.Numeric}, true
		}
	}
	for _, u := range n.Uses {
		sp := n.Abs(u.Name.Span)
		if !n.Abs(u.Span).Contains(off) {
			continue
		}
		if site, ok := ix.ResolveVar(n.Index, u.Name.Value); ok {
			return Target{Kind: TargetVar, Var: ix.rootVar(site), At: sp}, true
		}
		return Target{}, false
	}
	for _, d := range n.Decls {
		if sp := n.Abs(d.Name.Span); sp.Contains(off) {
			return Target{Kind: TargetVar, Var: ix.rootVar(ix.site(n.Index, d)), At: sp}, true
		}
	}
	return Target{}, false
}

// rootVar returns the declaration a variable's occurrences are grouped
// under: a stage's bare `ARG NAME` that re-declares a global ARG brings the
// global into the stage, so it is grouped with the global.
func (ix *Index) rootVar(site VarSite) VarSite {
	d := site.Decl
	if d.IsEnv || d.HasDefault || ix.StageOf(site.Instruction) < 0 {
		return site
	}
	if g, ok := ix.globalArg(d.Name.Value, site.Instruction); ok {
		return g
	}
	return site
}

// Definition returns the span a name at off is defined at: a stage's name
// (its FROM line for an unnamed stage), or a variable's declaration.
func (ix *Index) Definition(off int) (Span, bool) {
	t, ok := ix.TargetAt(off)
	if !ok {
		return Span{}, false
	}
	if t.Kind == TargetStage {
		return ix.StageDefSpan(t.Stage), true
	}
	// The declaration in scope, not the group's root: a use after a stage's
	// `ARG NAME` goes to that ARG.
	n, _ := ix.NodeAt(off)
	for _, u := range n.Uses {
		if n.Abs(u.Span).Contains(off) {
			if site, ok := ix.ResolveVar(n.Index, u.Name.Value); ok {
				return site.NameSpan, true
			}
		}
	}
	return t.Var.NameSpan, true
}

// StageDefSpan returns where stage s is defined: its `AS` name, or for an
// unnamed stage its FROM line from the keyword to the base.
func (ix *Index) StageDefSpan(s int) Span {
	st := ix.Stage(s)
	if st.Name != "" {
		return st.NameSpan
	}
	from := ix.Node(st.First)
	end := from.Abs(from.Keyword.Span).End
	if from.Base != nil {
		end = st.BaseSpan.End
	}
	return Span{from.Abs(from.Keyword.Span).Start, end}
}
