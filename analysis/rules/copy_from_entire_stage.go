package rules

import (
	"path"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var CopyFromEntireStage = register(&Rule{
	Name:     "CopyFromEntireStage",
	Summary:  "`COPY --from=<stage> / ...` copies the stage's whole file system.",
	Severity: Warning,
	Doc: `Copying ` + "`/`" + ` from a stage brings its entire root file system: the base image,
package caches, compilers and sources, which defeats the point of a multi-stage
build and often overwrites the destination's own ` + "`/etc`" + `, ` + "`/usr`" + ` and so on. Copy the
artifacts you need, or build on the stage with ` + "`FROM <stage>`" + ` if you want all of
it. Copying ` + "`/`" + ` from a ` + "`scratch`" + `-based export stage is the one common exception;
skip the rule there with ` + "`# check=skip=CopyFromEntireStage`" + `.`,
	Bad: `FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM alpine
COPY --from=build / /
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM alpine
COPY --from=build /out/app /usr/local/bin/app
`,
	Run: runCopyFromEntireStage,
})

func runCopyFromEntireStage(p *Pass) {
	ix := p.Index
	stages := ix.Stages()
	for _, r := range ix.Refs() {
		if r.Kind != analysis.RefCopyFrom || r.Target < 0 || r.Target >= len(stages) {
			continue
		}
		n := ix.Node(r.Instruction)
		if n.JSON || len(n.Args) < 2 || len(n.Heredocs) > 0 {
			continue
		}
		if strings.EqualFold(stages[r.Target].Base, "scratch") {
			continue // an export stage: its whole file system is the artifact
		}
		for _, a := range n.Args[:len(n.Args)-1] {
			if v := a.Value; v != "" && path.Clean(v) == "/" {
				p.Reportf(n.Abs(a.Span), nil, "COPY --from=%s / copies the whole file system of stage %s; copy only what you need", r.Value, stageName(ix, r.Target))
			}
		}
	}
}
