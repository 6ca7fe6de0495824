package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/stagehand-ls/stagehand/analysis"
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
	Run: runWorkdirRelativePath,
})

func runWorkdirRelativePath(p *Pass) {
	ix := p.Index
	lex := shell.NewLex(rune(ix.Escape))
	hasWorkdir := stagesWith(p, "workdir")
	done := make([]bool, ix.StageCount())
	for _, n := range p.NodesOf("workdir") {
		s := ix.StageOf(n.Index)
		if s < 0 || done[s] || len(n.Args) == 0 {
			continue
		}
		done[s] = true
		set := false
		for _, b := range stageChain(ix, s)[1:] {
			set = set || hasWorkdir[b]
		}
		i := n.Index
		{
			if set {
				continue
			}
			path := n.Args[0].Value
			if strings.Contains(path, "$") {
				var err error
				path, _, err = lex.ProcessWord(p.Text(argsSpan(n)), visibleEnv(ix, i, p.GlobalEnv()))
				if err != nil {
					continue
				}
			}
			if strings.HasPrefix(path, "/") {
				continue
			}
			p.Reportf(argsSpan(n), nil, "Relative workdir %q can have unexpected results if the base image changes", path)
		}
	}
}

// visibleEnv returns the variables visible to instruction i with their
// defaults as written (not expanded further).
func visibleEnv(ix *analysis.Index, i int, global mapEnv) mapEnv {
	env := mapEnv{}
	for _, v := range ix.VisibleVars(i) {
		if v.Decl.HasDefault {
			env[v.Decl.Name.Value] = v.Decl.Value.Value
		} else if g, ok := global[v.Decl.Name.Value]; ok {
			env[v.Decl.Name.Value] = g
		} else {
			env[v.Decl.Name.Value] = ""
		}
	}
	return env
}
