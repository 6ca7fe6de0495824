package workspace

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
)

// BuildArg is a build argument a Compose file (`build.args`), a Bake file
// (`args`) or a script (`--build-arg`) passes to a Dockerfile.
type BuildArg struct {
	File       string
	Name       string
	Span       analysis.Span // the name's bytes in File
	Dockerfile string        // the Dockerfile it is passed to, as Target.Dockerfile
	Owner      string        // the Compose service, Bake target or command, for messages
}

// BuildArgs finds the build arguments the file at p passes.
func BuildArgs(p, content string) []BuildArg {
	var out []BuildArg
	switch Classify(p) {
	case Compose:
		out = composeArgs(p, content)
	case Bake:
		out = bakeArgs(p, content)
	case BakeJSON:
		out = bakeJSONArgs(p, content)
	case Script:
		out = scriptArgs(p, content)
	}
	for i := range out {
		out[i].File = p
	}
	return out
}

// keySpan is the span of a mapping key's text, inside its quotes.
func (d *yamlDoc) keySpan(k *yaml.Node, n int) analysis.Span {
	start := d.offset(k.Line, k.Column)
	if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start++
	}
	return analysis.Span{Start: start, End: min(start+n, len(d.text))}
}

// yamlArgs reads an `args` node: a mapping of names to values, or a list
// of `NAME=value` (or `NAME`) strings.
func (d *yamlDoc) yamlArgs(args *yaml.Node, dockerfile, owner string) []BuildArg {
	var out []BuildArg
	add := func(name string, n *yaml.Node) {
		if name == "" || strings.ContainsAny(name, "$ ") {
			return
		}
		out = append(out, BuildArg{Name: name, Span: d.keySpan(n, len(name)), Dockerfile: dockerfile, Owner: owner})
	}
	switch args.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(args.Content); i += 2 {
			add(args.Content[i].Value, args.Content[i])
		}
	case yaml.SequenceNode:
		for _, item := range args.Content {
			name, _, _ := strings.Cut(item.Value, "=")
			add(name, item)
		}
	}
	return out
}

// bakeJSONArgs reads target.<name>.args of a Bake JSON file.
func bakeJSONArgs(file, text string) []BuildArg {
	d, ok := parseYAML(text)
	if !ok {
		return nil
	}
	_, targets := get(d.root, "target")
	if targets == nil || targets.Kind != yaml.MappingNode {
		return nil
	}
	var out []BuildArg
	for i := 0; i+1 < len(targets.Content); i += 2 {
		name, block := targets.Content[i].Value, targets.Content[i+1]
		_, args := get(block, "args")
		if args == nil {
			continue
		}
		_, context := get(block, "context")
		_, dockerfile := get(block, "dockerfile")
		out = append(out, d.yamlArgs(args, dockerfileFor(file, scalar(context), scalar(dockerfile)), "target "+name)...)
	}
	return out
}

// bakeArgs reads the `args = { NAME = "value" }` of each `target` block of
// a Bake HCL file. Targets that inherit their context or Dockerfile are
// skipped: the arguments may go to another file.
func bakeArgs(file, text string) []BuildArg {
	f, _ := hclsyntax.ParseConfig([]byte(text), file, hcl.InitialPos)
	if f == nil {
		return nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var out []BuildArg
	for _, b := range body.Blocks {
		if b.Type != "target" || len(b.Labels) != 1 {
			continue
		}
		a, ok := b.Body.Attributes["args"]
		if _, inherits := b.Body.Attributes["inherits"]; !ok || inherits {
			continue
		}
		obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
		if !ok {
			continue
		}
		context, _ := stringAttr(b.Body, "context")
		dockerfile, _ := stringAttr(b.Body, "dockerfile")
		df := dockerfileFor(file, context, dockerfile)
		for _, item := range obj.Items {
			name, span, ok := hclKey(item.KeyExpr)
			if !ok {
				continue
			}
			out = append(out, BuildArg{Name: name, Span: span, Dockerfile: df, Owner: "target " + b.Labels[0]})
		}
	}
	return out
}

// hclKey returns an object key written as a bare name or a plain string.
func hclKey(e hclsyntax.Expression) (string, analysis.Span, bool) {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
			r := k.Wrapped.Range()
			return name, analysis.Span{Start: r.Start.Byte, End: r.End.Byte}, true
		}
		e = k.Wrapped
	}
	return literalString(e)
}

// scriptArgs finds `--build-arg NAME[=value]` in the build commands of a
// script, Makefile or justfile, read as scriptTargets reads them.
func scriptArgs(file, text string) []BuildArg {
	_, args := evalShell(scriptShell(file, text))
	return args
}
