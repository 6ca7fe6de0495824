package analysis

// Occurrence is one place a stage or variable is named.
type Occurrence struct {
	Span Span
	// Decl marks a declaration: a stage's `AS` name (its FROM line when it
	// has none), an ARG or ENV name.
	Decl bool
	// Numeric marks a reference to a stage by its index.
	Numeric bool
}

// Occurrences returns every place t is named, in document order: for a
// stage its name and every reference that names it, whatever the casing,
// numeric ones included; for a variable its declarations (with a stage's
// bare `ARG NAME` that brings a global ARG in) and the uses that resolve to
// them.
func (ix *Index) Occurrences(t Target) []Occurrence {
	if t.Kind == TargetStage {
		return ix.stageOccurrences(t.Stage)
	}
	return ix.varOccurrences(t.Var)
}

func (ix *Index) stageOccurrences(s int) []Occurrence {
	decl := Occurrence{Span: ix.StageDefSpan(s), Decl: true}
	uses := ix.StageUses(s)
	out := make([]Occurrence, 0, len(uses)+1)
	placed := false
	for _, r := range uses {
		if !placed && r.Span.Start > decl.Span.Start {
			out = append(out, decl)
			placed = true
		}
		out = append(out, Occurrence{Span: r.Span, Numeric: r.Numeric})
	}
	if !placed {
		out = append(out, decl)
	}
	return out
}

func (ix *Index) varOccurrences(root VarSite) []Occurrence {
	name := root.Decl.Name.Value
	same := func(a VarSite) bool { return a.Instruction == root.Instruction && a.NameSpan == root.NameSpan }
	var out []Occurrence
	ix.each(func(n Node) {
		for _, d := range n.Decls {
			if d.Name.Value == name && same(ix.rootVar(ix.site(n.Index, d))) {
				out = append(out, Occurrence{Span: n.Abs(d.Name.Span), Decl: true})
			}
		}
		for _, u := range n.Uses {
			if u.Name.Value != name {
				continue
			}
			if r, ok := ix.ResolveVar(n.Index, name); ok && same(ix.rootVar(r)) {
				out = append(out, Occurrence{Span: n.Abs(u.Name.Span)})
			}
		}
	})
	return out
}

// each calls f with every instruction in order.
func (ix *Index) each(f func(Node)) {
	for k, b := range ix.blocks {
		for j, in := range b.insts {
			f(Node{in, ix.bfirst[k] + j, ix.bbase[k] + b.starts[j]})
		}
	}
}

// References returns the occurrences of the name at off, without the
// declarations unless includeDecl is set.
func (ix *Index) References(off int, includeDecl bool) []Occurrence {
	t, ok := ix.TargetAt(off)
	if !ok {
		return nil
	}
	occ := ix.Occurrences(t)
	if includeDecl {
		return occ
	}
	out := occ[:0:0]
	for _, o := range occ {
		if !o.Decl {
			out = append(out, o)
		}
	}
	return out
}
