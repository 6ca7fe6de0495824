package workspace

import (
	"path"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/stagehand-ls/stagehand/analysis"
)

// bakeTargets reads the `target "name" { target = "stage" }` blocks of a
// Bake HCL file, with context and dockerfile looked up through inherits.
// A file with syntax errors still gives what its parser recovered, so a
// half-typed `target = "bu` can be completed.
func bakeTargets(file, text string) []Target {
	f, _ := hclsyntax.ParseConfig([]byte(text), file, hcl.InitialPos)
	if f == nil {
		return nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	blocks := map[string]*hclsyntax.Body{}
	var order []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == "target" && len(b.Labels) == 1 {
			blocks[b.Labels[0]] = b.Body
			order = append(order, b)
		}
	}
	read := func(t, attr string) (string, []string) {
		b := blocks[t]
		if b == nil {
			return "", nil
		}
		v, _ := stringAttr(b, attr)
		var parents []string
		if a, ok := b.Attributes["inherits"]; ok {
			if tuple, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
				for _, e := range tuple.Exprs {
					if s, _, ok := literalString(e); ok {
						parents = append(parents, s)
					}
				}
			}
		}
		return v, parents
	}
	variables := bakeVariables(body)
	var out []Target
	for _, b := range order {
		name := b.Labels[0]
		a, ok := b.Body.Attributes["target"]
		if !ok {
			continue
		}
		c := inherited(name, "context", read)
		df, ctx := dockerfileFor(file, c, inherited(name, "dockerfile", read)), contextFor(file, c)
		if value, span, ok := literalString(a.Expr); ok {
			out = append(out, Target{Name: value, Span: span, Dockerfile: df, Context: ctx, Owner: "target " + name})
			continue
		}
		// A matrix variable or a variable's default: each value counts.
		for _, v := range bakeValues(a.Expr, b.Body, variables) {
			out = append(out, Target{Name: v.text, Span: v.span, Dockerfile: df, Context: ctx, Owner: "target " + name})
		}
	}
	return out
}

// bakeVariables returns the literal defaults of a Bake file's
// `variable "NAME" { default = "..." }` blocks.
func bakeVariables(body *hclsyntax.Body) map[string][]value {
	vars := map[string][]value{}
	for _, b := range body.Blocks {
		if b.Type != "variable" || len(b.Labels) != 1 {
			continue
		}
		if a, ok := b.Body.Attributes["default"]; ok {
			if s, sp, ok := literalString(a.Expr); ok {
				vars[b.Labels[0]] = append(vars[b.Labels[0]], value{text: s, span: sp})
			}
		}
	}
	return vars
}

// bakeValues evaluates a target's `target` built from one variable, bare
// or as "${name}": the values of the block's matrix entry of that name, or
// the variable's default.
func bakeValues(e hclsyntax.Expression, block *hclsyntax.Body, vars map[string][]value) []value {
	if t, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = t.Wrapped
	}
	if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		e = t.Parts[0]
	}
	trav, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(trav.Traversal) != 1 {
		return nil
	}
	name := trav.Traversal.RootName()
	if m, ok := block.Attributes["matrix"]; ok {
		if obj, ok := m.Expr.(*hclsyntax.ObjectConsExpr); ok {
			for _, item := range obj.Items {
				key, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
				if !ok || hcl.ExprAsKeyword(key.Wrapped) != name {
					continue
				}
				tuple, ok := item.ValueExpr.(*hclsyntax.TupleConsExpr)
				if !ok {
					return nil
				}
				var out []value
				for _, el := range tuple.Exprs {
					if s, sp, ok := literalString(el); ok {
						out = append(out, value{text: s, span: sp})
					}
				}
				return out
			}
		}
	}
	return vars[name]
}

// bakeFile is what a Bake file defines, for `docker buildx bake --set`:
// each target's Dockerfile and each group's targets.
type bakeFile struct {
	targets  map[string]string // each target's Dockerfile
	contexts map[string]string // each target's context folder ("" when remote)
	groups   map[string][]string
}

// bakeDefinitions reads a Bake HCL file's targets and groups.
func bakeDefinitions(file, text string) *bakeFile {
	f, _ := hclsyntax.ParseConfig([]byte(text), file, hcl.InitialPos)
	if f == nil {
		return nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	bf := &bakeFile{targets: map[string]string{}, contexts: map[string]string{}, groups: map[string][]string{}}
	blocks := map[string]*hclsyntax.Body{}
	for _, b := range body.Blocks {
		if b.Type == "target" && len(b.Labels) == 1 {
			blocks[b.Labels[0]] = b.Body
		}
	}
	read := func(t, attr string) (string, []string) {
		b := blocks[t]
		if b == nil {
			return "", nil
		}
		v, _ := stringAttr(b, attr)
		return v, stringList(b, "inherits")
	}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "target" && len(b.Labels) == 1:
			name := b.Labels[0]
			c := inherited(name, "context", read)
			bf.targets[name] = dockerfileFor(file, c, inherited(name, "dockerfile", read))
			bf.contexts[name] = contextFor(file, c)
		case b.Type == "group" && len(b.Labels) == 1:
			bf.groups[b.Labels[0]] = stringList(b.Body, "targets")
		}
	}
	return bf
}

// stringList reads an attribute holding a list of literal strings.
func stringList(b *hclsyntax.Body, name string) []string {
	a, ok := b.Attributes[name]
	if !ok {
		return nil
	}
	tuple, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range tuple.Exprs {
		if s, _, ok := literalString(e); ok {
			out = append(out, s)
		}
	}
	return out
}

// dockerfiles returns the Dockerfiles of the Bake targets a --set
// applies to: those the command names, through groups (the default group
// when it names none; every target when there is none), that match the
// pattern.
func (bf *bakeFile) dockerfiles(ref *BakeRef) []string {
	var names []string
	seen := map[string]bool{}
	var expand func(n string, depth int)
	expand = func(n string, depth int) {
		if seen[n] || depth > 8 {
			return
		}
		seen[n] = true
		if g, ok := bf.groups[n]; ok {
			for _, m := range g {
				expand(m, depth+1)
			}
			return
		}
		if _, ok := bf.targets[n]; ok {
			names = append(names, n)
		}
	}
	named := ref.Named
	if len(named) == 0 {
		named = []string{"default"}
		if _, ok := bf.groups["default"]; !ok {
			if _, ok := bf.targets["default"]; !ok {
				named = nil
				for n := range bf.targets {
					named = append(named, n)
				}
			}
		}
	}
	for _, n := range named {
		expand(n, 0)
	}
	var out []string
	for _, n := range names {
		if ok, _ := path.Match(ref.Pattern, n); ok {
			out = append(out, bf.targets[n])
		}
	}
	return out
}

func stringAttr(b *hclsyntax.Body, name string) (string, bool) {
	a, ok := b.Attributes[name]
	if !ok {
		return "", false
	}
	s, _, ok := literalString(a.Expr)
	return s, ok
}

// literalString returns a quoted string without interpolation, and the span
// of its characters inside the quotes.
func literalString(e hclsyntax.Expression) (string, analysis.Span, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return "", analysis.Span{}, false
	}
	r := t.SrcRange
	if len(t.Parts) == 0 {
		// "" : an empty span between the quotes.
		return "", analysis.Span{Start: r.Start.Byte + 1, End: r.Start.Byte + 1}, true
	}
	if len(t.Parts) != 1 {
		return "", analysis.Span{}, false
	}
	lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.Type() != cty.String || !lit.Val.IsKnown() {
		return "", analysis.Span{}, false
	}
	pr := lit.SrcRange
	if lit.Val.AsString() == "" {
		// HCL places the empty literal of "" after the closing quote.
		return "", analysis.Span{Start: r.Start.Byte + 1, End: r.Start.Byte + 1}, true
	}
	return lit.Val.AsString(), analysis.Span{Start: pr.Start.Byte, End: pr.End.Byte}, true
}
