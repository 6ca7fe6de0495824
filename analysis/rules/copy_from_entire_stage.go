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
it.

Two patterns copy ` + "`/`" + ` on purpose and are not reported: a stage built on ` + "`scratch`" + `
(an export stage holding only artifacts), and a stage that only names an image
(` + "`FROM tonistiigi/xx AS xx`" + `, ` + "`FROM binaries-$TARGETOS AS binaries`" + `), whose image is
made to be copied whole. Nor is a copy from a stage a named build context
replaces (Compose ` + "`additional_contexts`" + `, Bake ` + "`contexts`" + `): BuildKit copies from the
context instead.`,
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
	Run:   runCopyFromEntireStage,
	Scope: PerStage,
})

func runCopyFromEntireStage(p *Pass) {
	ix := p.Index
	stages := ix.Stages()
	var contexts []analysis.NamedContext
	if p.Config != nil {
		contexts = p.Config.Contexts
	}
	for _, r := range p.refs() {
		if r.Kind != analysis.RefCopyFrom || r.Target < 0 || r.Target >= stages.Len() {
			continue
		}
		if _, replaced := ix.Model().ReplacedBy(r.Target, contexts); replaced {
			continue // the copy is of the named context that replaces the stage
		}
		n := ix.Node(r.Instruction)
		if n.JSON || len(n.Args) < 2 || len(n.Heredocs()) > 0 {
			continue
		}
		if wholeIsArtifact(p, r.Target) {
			continue
		}
		for _, a := range n.Args[:len(n.Args)-1] {
			if v := a.Value; v != "" && path.Clean(v) == "/" {
				p.Reportf(n.Abs(a.Span), nil, "COPY --from=%s / copies the whole file system of stage %s; copy only what you need", r.Value, stageName(ix, r.Target))
			}
		}
	}
}

// wholeIsArtifact reports whether copying all of stage s is deliberate: it
// is built on scratch (directly or through other stages), or it only names
// an image, holding no instruction of its own but ARG.
func wholeIsArtifact(p *Pass, s int) bool {
	ix := p.Index
	stages := ix.Stages()
	chain := stageChain(p, s)
	if strings.EqualFold(stages.At(chain[len(chain)-1]).Base, "scratch") {
		return true
	}
	for _, n := range p.nodesIn(stages.At(s).First+1, stages.At(s).End) {
		if n.Cmd != "arg" {
			return false
		}
	}
	return true
}
