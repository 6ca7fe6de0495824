package rules

import (
	"fmt"
	"strings"
)

var DuplicateStageName = register(&Rule{
	Name:     "DuplicateStageName",
	Summary:  "Two stages have the same name.",
	Severity: Warning,
	BuildKit: true,
	Comments: CommentsIgnored,
	Doc: `Stage names compare case-insensitively and should be unique. With two stages
of one name, references and ` + "`--target`" + ` pick one of them, and which one differs
between BuildKit's resolution of ` + "`--from`" + ` and of ` + "`--target`" + `. Rename one of them.

As BuildKit does, the later declaration is reported, pointing to the first.
BuildKit resolves a reference to the name (` + "`--from`" + `, ` + "`--target`" + `) to the last
stage of that name, and a ` + "`FROM`" + ` to the last one before it.`,
	Bad: `FROM alpine AS base
RUN echo one

FROM debian AS base
RUN echo two
`,
	Good: `FROM alpine AS base-alpine
RUN echo one

FROM debian AS base-debian
COPY --from=base-alpine /etc/alpine-release /
`,
	Run:   runDuplicateStageName,
	Scope: PerStage,
})

func runDuplicateStageName(p *Pass) {
	stages := p.Index.Stages()
	for _, st := range p.wantedStages() {
		if st.Name == "" {
			continue
		}
		k := strings.ToLower(st.Name)
		f := p.Index.StagesNamed(k)[0]
		if f == st.Index {
			continue
		}
		p.Report(Diagnostic{
			Span:    st.NameSpan,
			Message: fmt.Sprintf("Duplicate stage name %q, stage names should be unique", k),
			Related: []Related{{Span: stages.At(f).NameSpan, Message: fmt.Sprintf("stage %q is first defined here", stages.At(f).Name)}},
		})
	}
}
