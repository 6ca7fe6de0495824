package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var FromAsCasing = register(&Rule{
	Name:     "FromAsCasing",
	Summary:  "The `AS` keyword should match the case of `FROM`.",
	Severity: Warning,
	BuildKit: true,
	Doc: `` + "`FROM alpine as build`" + ` mixes cases within one instruction. BuildKit accepts it but
reports it; write ` + "`AS`" + ` in the case of ` + "`FROM`" + `. A ` + "`FROM`" + ` in mixed case (` + "`From`" + `) is left to
ConsistentInstructionCasing.`,
	Bad: `FROM alpine as build
`,
	Good: `FROM alpine AS build
`,
	Local: fromAsCasing,
	Cmds:  []string{"from"},
})

func fromAsCasing(p *Pass, n analysis.Node) {
	if n.As() == nil || n.Name() == nil || len(n.Args) != 3 {
		return
	}
	from, as := n.Keyword.Value, n.As().Value
	var want string
	switch from {
	case strings.ToLower(from):
		want = strings.ToLower(as)
	case strings.ToUpper(from):
		want = strings.ToUpper(as)
	default:
		return
	}
	if as == want {
		return
	}
	span := n.Abs(n.As().Span)
	p.Reportf(span, fix("Change '"+as+"' to '"+want+"'", true, replace(span, want)), "'%s' and '%s' keywords' casing do not match", as, from)
}
