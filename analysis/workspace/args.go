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

// BuildArgs finds the build arguments the file at p (content is its text)
// passes: read from it, or through it by the files that read it (a
// Compose file including it).
func (ix *Index) BuildArgs(p, content string) []BuildArg {
	var out []BuildArg
	for _, a := range walkFile(ix.source(p), p, content).args {
		if a.File == p {
			out = append(out, a)
		}
	}
	for _, f := range ix.Dependents(p) {
		for _, a := range ix.through[f] {
			if a.File == p {
				out = append(out, a)
			}
		}
	}
	return dedupe(out)
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
