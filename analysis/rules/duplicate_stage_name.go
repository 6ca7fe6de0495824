package rules

import (
	"fmt"
	"strings"
)

var DuplicateStageName = register(&Rule{
	Name:     "DuplicateStageName",
	Summary:  "Two stages have the same name.",
	Severity: Warning,
	BuildKit: true,
	Doc: `Stage names compare case-insensitively and should be unique. With two stages
of one name, references and ` + "`--target`" + ` pick one of them, and which one differs
between BuildKit's resolution of ` + "`--from`" + ` and of ` + "`--target`" + `. Rename one of them.

Both stages are reported, each pointing to the other.`,
	Bad: `FROM alpine AS base
RUN echo one

FROM debian AS base
RUN echo two
`,
	Good: `FROM alpine AS base-alpine
RUN echo one

FROM debian AS base-debian
COPY --from=base-alpine /etc/alpine-release /
`,
	Run: runDuplicateStageName,
})

func runDuplicateStageName(p *Pass) {
	ix := p.Index
	stages := ix.Stages()
	byName := map[string][]int{}
	var order []string
	for _, st := range stages {
		if st.Name == "" {
			continue
		}
		k := strings.ToLower(st.Name)
		if byName[k] == nil {
			order = append(order, k)
		}
		byName[k] = append(byName[k], st.Index)
	}
	for _, k := range order {
		ss := byName[k]
		if len(ss) < 2 {
			continue
		}
		for _, s := range ss {
			var rel []Related
			for _, o := range ss {
				if o != s {
					rel = append(rel, Related{Span: stages[o].NameSpan, Message: fmt.Sprintf("stage %q is also defined here", stages[o].Name)})
				}
			}
			p.Report(Diagnostic{
				Span:    stages[s].NameSpan,
				Message: fmt.Sprintf("Duplicate stage name %q, stage names should be unique", k),
				Related: rel,
			})
		}
	}
}
