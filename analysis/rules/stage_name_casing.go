package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var StageNameCasing = register(&Rule{
	Name:     "StageNameCasing",
	Summary:  "Stage names should be lowercase.",
	Severity: Warning,
	BuildKit: true,
	Doc: `BuildKit lowers stage names, so ` + "`AS Build`" + ` is the stage ` + "`build`" + `, and references
in any case reach it. Writing names in lower case keeps the file and the
` + "`--target`" + ` on the command line in agreement. The fix lowers the name and every
reference to it.`,
	Bad: `FROM golang:1.23 AS Build
RUN go build -o /app .

FROM alpine
COPY --from=Build /app /app
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM alpine
COPY --from=build /app /app
`,
	Run: runStageNameCasing,
})

func runStageNameCasing(p *Pass) {
	ix := p.Index
	stages := ix.Stages()
	for _, s := range p.oddNames() {
		st := stages.At(s)
		lower := strings.ToLower(st.Name)
		if st.Name == lower {
			continue
		}
		edits := []analysis.Edit{replace(st.NameSpan, lower)}
		for _, r := range ix.StageUses(st.Index) {
			// BuildKit looks names up in lower case, so a reference built
			// from variables (`FROM ${BASE}`) reaches the renamed stage as
			// it did; written out it would lose its ARGs.
			if !r.Numeric && r.Value != lower && r.Pattern < 0 && r.Resolution != analysis.ResolvesVariable {
				edits = append(edits, replace(r.Span, lower))
			}
		}
		p.Reportf(st.NameSpan, fix(fmt.Sprintf("Rename to %q, with every reference", lower), true, edits...),
			"Stage name '%s' should be lowercase", st.Name)
	}
}
