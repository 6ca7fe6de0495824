package analysis

import (
	"context"
	"slices"
)

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
// them. It stops early with ctx's error when ctx is cancelled.
func (ix *Index) Occurrences(ctx context.Context, t Referent) ([]Occurrence, error) {
	if t.Kind == ReferentStage {
		return ix.stageOccurrences(t.Stage), nil
	}
	return ix.varOccurrences(ctx, t.Var, ix.baseOf)
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

// varOccurrences walks the document once, keeping what name is bound to
// at each point as ResolveVar would find it: the last global ARG before
// the first FROM, in FROM lines and before them; in a stage, its last ARG
// or ENV so far, else the binding its base stage (baseOf) ends with. It stops early
// with ctx's error when ctx is cancelled.
func (ix *Index) varOccurrences(ctx context.Context, root VarSite, baseOf func(int) int) ([]Occurrence, error) {
	name := root.Decl.Name.Value
	same := func(a VarSite) bool { return a.Instruction == root.Instruction && a.NameSpan == root.NameSpan }
	// A binding is whether name, at a point, resolves into root's group.
	type binding struct{ set, ours bool }
	bind := func(site VarSite) binding { return binding{true, same(ix.rootVar(site))} }
	var global, local, inh binding
	final := make([]binding, len(ix.stages)) // the binding each stage passes on
	inherited := func(s int) binding {
		if b := baseOf(s); b >= 0 {
			return final[b]
		}
		return binding{}
	}
	stage := -1
	endStage := func() {
		if stage >= 0 {
			final[stage] = local
			if !local.set {
				final[stage] = inh
			}
		}
	}
	var out []Occurrence
	err := ix.Each(ctx, func(n Node) {
		if stage+1 < len(ix.stages) && ix.stages[stage+1].first == n.Index {
			endStage()
			stage++
			local, inh = binding{}, inherited(stage)
		}
		uses := ix.usesNamed(n, name)
		if len(uses) == 0 && len(n.Decls) == 0 {
			return
		}
		cur := inh
		switch {
		case stage < 0 || n.Cmd == "from":
			cur = global
		case local.set:
			cur = local
		}
		start := len(out)
		for _, u := range uses {
			if cur.ours && u.Name.Value == name {
				out = append(out, Occurrence{Span: n.Abs(u.Name.Span)})
			}
		}
		for _, d := range n.Decls {
			if d.Name.Value != name {
				continue
			}
			b := bind(ix.site(n.Index, d))
			if b.ours {
				out = append(out, Occurrence{Span: n.Abs(d.Name.Span), Decl: true})
			}
			switch {
			case stage < 0:
				if n.Cmd == "arg" {
					global = b
				}
			case n.Cmd != "from":
				local = b
			}
		}
		if len(out)-start > 1 {
			slices.SortFunc(out[start:], func(a, b Occurrence) int { return a.Span.Start - b.Span.Start })
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// each calls f with every instruction in order.
func (ix *Index) each(f func(Node)) { _ = ix.Each(context.Background(), f) }

// Each calls f with every instruction in order, and stops with ctx's
// error when ctx is cancelled.
func (ix *Index) Each(ctx context.Context, f func(Node)) error {
	i := 0
	for k, b := range ix.blocks {
		for j, in := range b.insts {
			if err := Cancelled(ctx, i); err != nil {
				return err
			}
			i++
			f(Node{in, ix.bfirst[k] + j, ix.bbase[k] + b.starts[j]})
		}
	}
	return nil
}
