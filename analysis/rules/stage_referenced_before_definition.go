package rules

import (
	"fmt"

	"github.com/stagehand-ls/stagehand/analysis"
)

var StageReferencedBeforeDefinition = register(&Rule{
	Name:     "StageReferencedBeforeDefinition",
	Summary:  "A stage is used before the FROM that defines it.",
	Severity: Error,
	Fails:    true,
	Doc: `A stage can only build on or copy from stages defined above it. BuildKit
fails a ` + "`COPY --from`" + ` of a later stage with "cannot copy from stage, it needs to be
defined before current stage". Move the referenced stage above, or reference an
earlier one. A ` + "`RUN --mount=type=cache`" + ` without ` + "`from=`" + ` is taken from the stage
named ` + "`scratch`" + ` when the file has one, and fails the same way before it.`,
	Bad: `FROM alpine AS app
COPY --from=build /out /app

FROM golang:1.23 AS build
RUN go build -o /out .
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /out .

FROM alpine AS app
COPY --from=build /out /app
`,
	Run: runStageReferencedBeforeDefinition,
})

func runStageReferencedBeforeDefinition(p *Pass) {
	ix := p.Index
	for r := range ix.Model().RefsResolving(analysis.ResolvesLaterStage) {
		if r.Resolution != analysis.ResolvesLaterStage || r.Target == r.Stage || r.Target < 0 {
			continue
		}
		st := ix.Stage(r.Target)
		at := st.NameSpan
		if st.Name == "" || r.Numeric {
			at = st.BaseSpan
		}
		line := lineNumber(p.Doc(), st.Span.Start)
		p.Report(Diagnostic{
			Span:    r.Span,
			Message: fmt.Sprintf("Stage %s is defined later, at line %d: a stage can only use stages defined before it, and BuildKit fails here", stageName(ix, r.Target), line),
			Related: []Related{{Span: at, Message: fmt.Sprintf("stage %s is defined here", stageName(ix, r.Target))}},
		})
	}
	// A RUN mount without from= is taken from the stage named scratch
	// when there is one (dockerfile2llb's detectRunMount looks "scratch"
	// up as a stage name): a cache mount, which BuildKit builds on it,
	// fails before that stage ("cannot mount from stage \"scratch\" to
	// ..., stage needs to be defined before current command").
	sc := ix.Model().ScratchStage()
	if sc < 0 {
		return
	}
	st := ix.Stage(sc)
	line := lineNumber(p.Doc(), st.Span.Start)
	for _, n := range p.NodesOf("run") {
		if s := ix.StageOf(n.Index); s < 0 || s >= sc {
			continue
		}
		for _, f := range n.Flags {
			if f.Name.Value != "mount" || !f.HasValue {
				continue
			}
			v := analysis.Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
			mt := analysis.ReadMount(v, ix.Doc.Slice(v.Span), ix.Escape)
			if from, ok := mt.Value("from"); (ok && from != "") || mt.Type() != "cache" {
				continue
			}
			p.Report(Diagnostic{
				Span:    v.Span,
				Message: fmt.Sprintf("This cache mount has no from=, so BuildKit takes it from the stage named \"scratch\", defined later, at line %d, and fails here: rename that stage", line),
				Related: []Related{{Span: st.NameSpan, Message: "the stage named scratch is defined here"}},
			})
		}
	}
}
