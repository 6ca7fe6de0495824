package rules

import (
	"strings"
)

var WorkdirRelativePath = register(&Rule{
	Name:     "WorkdirRelativePath",
	Summary:  "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes.",
	Severity: Warning,
	BuildKit: true,
	Doc: `A relative ` + "`WORKDIR`" + ` is resolved against the working directory of the base
image, which the Dockerfile does not control: a new base image version can move
it. Set an absolute ` + "`WORKDIR`" + ` first (the rule looks at the stage and the stages
it is built FROM).`,
	Bad: `FROM node:22
WORKDIR app
`,
	Good: `FROM node:22
WORKDIR /app
`,
	Run:   runWorkdirRelativePath,
	Scope: PerStage,
})

func runWorkdirRelativePath(p *Pass) {
	ix := p.Index
	m := build(p)
	done := make([]bool, ix.StageCount())
	for _, n := range p.NodesOf("workdir") {
		s := ix.StageOf(n.Index)
		if s < 0 || done[s] || len(n.Args) == 0 {
			continue
		}
		done[s] = true
		set := false
		for _, b := range stageChain(p, s)[1:] {
			set = set || stageHas(p, b, "workdir")
		}
		if set {
			continue
		}
		path := n.Args[0].Value
		if strings.Contains(path, "$") {
			// Expanded as BuildKit does, with the ARG and ENV values in
			// scope (an ENV built from an ARG included).
			v, ok := m.Expand(n.Index, p.Text(argsSpan(n)))
			if !ok {
				continue
			}
			path = v
		}
		if strings.HasPrefix(path, "/") {
			continue
		}
		p.Reportf(argsSpan(n), nil, "Relative workdir %q can have unexpected results if the base image changes", path)
	}
}
