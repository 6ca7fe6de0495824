package rules

import (
	"fmt"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UndefinedArgInFrom = register(&Rule{
	Name:     "UndefinedArgInFrom",
	Summary:  "FROM command must use declared ARGs.",
	Severity: Warning,
	BuildKit: true,
	Doc: `A ` + "`FROM`" + ` line sees only the ARGs declared before the first ` + "`FROM`" + ` (the global
ARGs) and BuildKit's predefined platform ARGs. Any other name expands to the
empty string, which usually breaks the image reference. Declare the ARG at the
top of the file.`,
	Bad: `FROM node:${NODE_VERSION}-alpine
`,
	Good: `ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-alpine
`,
	Run:   runUndefinedArgInFrom,
	Scope: PerStage,
})

func runUndefinedArgInFrom(p *Pass) {
	ix := p.Index
	var names []string
	for _, st := range p.wantedStages() {
		n := ix.Node(st.First)
		seen := map[string]bool{}
		for _, u := range n.Uses {
			name := u.Name.Value
			if seen[name] || isGlobalArg(ix, name) {
				continue
			}
			seen[name] = true
			if names == nil {
				names = globalArgNames(ix)
			}
			msg := fmt.Sprintf("FROM argument '%s' is not declared", name)
			var fixes []Fix
			if m := analysis.Suggest(name, names, true); m != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", m)
				fixes = fix("Change to $"+m, true, replace(n.Abs(u.Name.Span), m))
			}
			p.Reportf(n.Abs(u.Span), fixes, "%s", msg)
		}
	}
}
