package workspace

import (
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
	var out []Target
	for _, b := range order {
		name := b.Labels[0]
		a, ok := b.Body.Attributes["target"]
		if !ok {
			continue
		}
		value, span, ok := literalString(a.Expr)
		if !ok {
			continue // built from variables or functions: not ours to follow
		}
		out = append(out, Target{
			Name:       value,
			Span:       span,
			Dockerfile: dockerfileFor(file, inherited(name, "context", read), inherited(name, "dockerfile", read)),
			Owner:      "target " + name,
		})
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
