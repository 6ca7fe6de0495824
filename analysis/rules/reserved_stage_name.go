package rules

import (
	"fmt"
	"strings"
)

var ReservedStageName = register(&Rule{
	Name:     "ReservedStageName",
	Summary:  "A stage is named `scratch` or `context`, names BuildKit reserves.",
	Severity: Warning,
	BuildKit: true,
	Comments: CommentsIgnored,
	Doc: `` + "`scratch`" + ` is the empty image and ` + "`context`" + ` the build context. BuildKit still
registers a stage of either name, and the stage then shadows the name: a
later ` + "`FROM scratch`" + ` builds on the stage instead of the empty image,
` + "`COPY --from=scratch`" + ` copies from it, and every ` + "`RUN --mount`" + ` without ` + "`from=`" + ` (a
cache, a secret) depends on it, so a cache mount in an earlier stage fails the
build. Choose another name.`,
	Bad: `FROM alpine AS scratch
RUN echo hello
`,
	Good: `FROM alpine AS base
RUN echo hello
`,
	Run:   runReservedStageName,
	Scope: PerStage,
})

func runReservedStageName(p *Pass) {
	for _, st := range p.wantedStages() {
		switch n := strings.ToLower(st.Name); n {
		case "scratch", "context":
			p.Report(Diagnostic{Span: st.NameSpan, Message: fmt.Sprintf("Stage name should not use the same name as reserved stage %q", n)})
		}
	}
}
