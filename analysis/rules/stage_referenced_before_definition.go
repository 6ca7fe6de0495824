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
earlier one.`,
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
}
