package rules

import (
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UndeclaredBuildArg = register(&Rule{
	Name:     "UndeclaredBuildArg",
	Summary:  "A Compose, Bake or script file passes a build argument that its Dockerfile declares no ARG for.",
	Severity: Warning,
	Doc: `A build argument (Compose ` + "`build.args`" + `, Bake ` + "`args`" + `, ` + "`--build-arg`" + ` in a script,
Makefile or justfile) reaches the build only through an ` + "`ARG`" + ` of the same name.
One the Dockerfile does not declare has no effect, and BuildKit says nothing
about it (the classic builder warned that it was not consumed; BuildKit does
not, moby/buildkit#2128), so a misspelt or renamed argument goes unnoticed
while the image is built with the default.

The rule reports the argument's name where the other file passes it. ARGs
BuildKit predefines or reads itself (the proxy variables, the platform ARGs,
` + "`BUILDKIT_*`" + `, ` + "`SOURCE_DATE_EPOCH`" + `) count as declared. A ` + "`# check=skip=UndeclaredBuildArg`" + `
directive in the Dockerfile silences it.`,
	Bad: `FROM golang:1.23
RUN go build -o /app .
`,
	Good: `FROM golang:1.23
ARG VERSION
RUN go build -ldflags "-X main.version=${VERSION}" -o /app .
`,
	UsedBy: `services:
  api:
    build:
      context: .
      args:
        VERSION: "1.0"
`,
	Use: useUndeclaredBuildArg,
})

func useUndeclaredBuildArg(p *Pass, u Use) {
	if u.Kind != UseArg || Declares(p.Index, u.Name) {
		return
	}
	p.Reportf(u.Span, nil, "%s declares no ARG %s: the build argument has no effect (BuildKit ignores it without a warning)", filepath.Base(u.Dockerfile), u.Name)
}

// Declares reports whether a Dockerfile takes build argument name: an ARG
// of that name anywhere in it, or one BuildKit predefines or reads itself.
func Declares(ix *analysis.Index, name string) bool {
	if analysis.IsBuiltinArg(name) || strings.HasPrefix(name, "BUILDKIT_") || name == "SOURCE_DATE_EPOCH" {
		return true
	}
	for i := range ix.Len() {
		n := ix.Node(i)
		if n.Cmd != "arg" {
			continue
		}
		for _, d := range n.Decls {
			if d.Name.Value == name {
				return true
			}
		}
	}
	return false
}
