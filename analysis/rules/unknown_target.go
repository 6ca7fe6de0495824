package rules

import (
	"fmt"
	"path/filepath"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UnknownTarget = register(&Rule{
	Name:     "UnknownTarget",
	Summary:  "A Compose, Bake, workflow or script file builds a target that its Dockerfile has no stage for.",
	Severity: Error,
	Fails:    true,
	Doc: `Compose (` + "`build.target`" + `), Bake (` + "`target`" + `, ` + "`--set *.target=`" + `), GitHub
workflows, GitLab CI, dev containers, Skaffold, Tiltfiles, package.json scripts,
shell scripts, Makefiles and justfiles can build one stage of a Dockerfile by
name. When the Dockerfile has no stage of that name, the build fails ("target
stage could not be found") only when that file runs, often in CI, long after
the stage was renamed.

The rule reports the name where the other file writes it, with the closest
stage name when one is near. It judges the Dockerfile the target builds as the
tool would find it (the context and ` + "`dockerfile`" + ` Compose or Bake name), and says
nothing about a Dockerfile it cannot read or that does not parse. A
` + "`# check=skip=UnknownTarget`" + ` directive in that Dockerfile silences it; as the build
fails, ` + "`# check=skip=all`" + ` does not.`,
	Bad: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM alpine AS release
COPY --from=build /app /app
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM alpine AS prod
COPY --from=build /app /app
`,
	UsedBy: `services:
  api:
    build:
      context: .
      target: prod
`,
	Use: useUnknownTarget,
})

func useUnknownTarget(p *Pass, u Use) {
	if u.Kind != UseTarget || u.Name == "" || p.Index.StageByName(u.Name) >= 0 {
		return
	}
	var names []string
	for _, st := range p.Index.Stages().All() {
		if st.Name != "" {
			names = append(names, st.Name)
		}
	}
	msg := fmt.Sprintf("%s has no stage named %q", filepath.Base(u.Dockerfile), u.Name)
	if m := analysis.Suggest(u.Name, names, false); m != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", m)
	}
	p.Report(Diagnostic{Span: u.Span, Message: msg})
}
