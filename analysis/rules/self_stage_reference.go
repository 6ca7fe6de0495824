package rules

import (
	"github.com/stagehand-ls/stagehand/analysis"
)

var SelfStageReference = register(&Rule{
	Name:     "SelfStageReference",
	Summary:  "A stage builds on or copies from itself.",
	Severity: Error,
	Fails:    true,
	Doc: `A stage cannot use its own result while it is being built: ` + "`COPY --from=`" + ` its
own name fails the build. Use an earlier stage, or copy within the stage with a
plain ` + "`COPY`" + ` or ` + "`RUN cp`" + `.

` + "`FROM alpine AS alpine`" + ` is not reported: BuildKit resolves a FROM's base before
it registers the new stage's name, so the base is the image.`,
	Bad: `FROM alpine AS app
COPY --from=app /etc/hosts /tmp/hosts
`,
	Good: `FROM alpine AS app
RUN cp /etc/hosts /tmp/hosts
`,
	Run:   runSelfStageReference,
	Scope: PerStage,
})

func runSelfStageReference(p *Pass) {
	ix := p.Index
	for _, r := range p.refs() {
		if r.Resolution != analysis.ResolvesLaterStage || r.Target != r.Stage || r.Stage < 0 {
			continue
		}
		msg := "Stage " + stageName(ix, r.Stage) + " refers to itself: a stage can only use stages defined before it"
		p.Report(Diagnostic{Span: r.Span, Message: msg})
	}
}
