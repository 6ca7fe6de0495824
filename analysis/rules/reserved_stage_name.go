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
	Doc: `` + "`scratch`" + ` is the empty image and ` + "`context`" + ` the build context; a stage of either
name cannot be referenced as a stage (` + "`FROM scratch`" + ` still means the empty image).
Choose another name.`,
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
