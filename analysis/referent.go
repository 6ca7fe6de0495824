package analysis

// Navigation answers "what is this name?": a stage (named by `AS`, by a
// reference or by its index) or a variable (declared by ARG or ENV, used as
// `$name` or `${name}`).

// ReferentKind tells what a Referent is.
type ReferentKind int

const (
	ReferentStage ReferentKind = iota
	ReferentVar
)

// Referent is the stage or variable a position names.
type Referent struct {
	Kind  ReferentKind
	Stage int     // for ReferentStage
	Var   VarSite // for ReferentVar: the declaration the name resolves to
	// At is the span of the name at the position asked about: a stage
	// name, a reference's value, a variable's name.
	At Span
	// Numeric is set when the position is a numeric stage reference.
	Numeric bool
	// Candidates are, for a reference built from variables, every stage it
	// can name, the one the defaults pick first (Stage is the first).
	Candidates []int
}

// ReferentAt returns what the name at off stands for: a stage reference
// that resolves (or names a later stage) or is built from variables that
// can name stages (outside its variables), a stage's `AS` name, a variable
// use that resolves to a declaration, or a declaration.
func (ix *Index) ReferentAt(off int) (Referent, bool) {
	return ix.referentAt(off, ix.ResolveVar)
}

// referentAt is ReferentAt resolving variable uses with resolve (a build
// state's ResolveVar).
func (ix *Index) referentAt(off int, resolve func(i int, name string) (VarSite, bool)) (Referent, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return Referent{}, false
	}
	if n.Cmd == "from" && n.Name() != nil {
		if sp := n.Abs(n.Name().Span); sp.Contains(off) {
			return Referent{Kind: ReferentStage, Stage: ix.StageOf(n.Index), At: sp}, true
		}
	}
	inUse := false
	for _, u := range ix.UsesOf(n) {
		inUse = inUse || n.Abs(u.Span).Contains(off)
	}
	if r, ok := ix.RefAt(off); ok {
		switch {
		case r.Pattern >= 0 && !inUse:
			if c := ix.Model().Candidates(r); len(c) > 0 {
				return Referent{Kind: ReferentStage, Stage: c[0], At: r.Span, Candidates: c}, true
			}
		case r.Resolution == ResolvesStage || r.Resolution == ResolvesLaterStage:
			return Referent{Kind: ReferentStage, Stage: r.Target, At: r.Span, Numeric: r.Numeric}, true
		}
	}
	if u, ok := UseAt(ix.UsesOf(n), off-n.Start); ok {
		if site, ok := resolve(n.Index, u.Name.Value); ok {
			return Referent{Kind: ReferentVar, Var: ix.rootVar(site), At: n.Abs(u.Name.Span)}, true
		}
		return Referent{}, false
	}
	for _, d := range n.Decls {
		if sp := n.Abs(d.Name.Span); sp.Contains(off) {
			return Referent{Kind: ReferentVar, Var: ix.rootVar(ix.site(n.Index, d)), At: sp}, true
		}
	}
	return Referent{}, false
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

// StageDefSpan returns where stage s is defined: its `AS` name, or for an
// unnamed stage its FROM line from the keyword to the base.
func (ix *Index) StageDefSpan(s int) Span {
	st := ix.Stages().At(s)
	if st.Name != "" {
		return st.NameSpan
	}
	from := ix.Node(st.First)
	end := from.Abs(from.Keyword.Span).End
	if from.Base() != nil {
		end = st.BaseSpan.End
	}
	return Span{from.Abs(from.Keyword.Span).Start, end}
}
