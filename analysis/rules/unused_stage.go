package rules

import (
	"fmt"

	"github.com/stagehand-ls/stagehand/analysis"
)

var UnusedStage = register(&Rule{
	Name:     "UnusedStage",
	Summary:  "A stage that no build target reaches is never built.",
	Severity: Hint,
	Tags:     []Tag{Unnecessary},
	Doc: `BuildKit builds the target stage (the last one unless ` + "`--target`" + ` names
another) and only the stages it builds on (` + "`FROM <stage>`" + `) or copies from
(` + "`COPY --from`" + `, ` + "`RUN --mount=from=`" + `). A stage that none of the targets reaches is
skipped: its instructions never run, which is often a leftover or a typo in a
reference.

Targets are the last stage and the stages named in the ` + "`stagehand.targets`" + `
setting. A reference built from variables (` + "`FROM runtime-${ENVIRONMENT}`" + `,
` + "`--from=${SRC}`" + `, the conditional-stage pattern) may reach every stage whose name its
pattern can match, whatever the ARG's default, so those stages count as
reached.

The default severity is **hint**, shown as faded text rather than a squiggle:
many Dockerfiles have several deliberate targets (` + "`dev`" + `, ` + "`test`" + `, ` + "`release`" + `)
built with ` + "`--target`" + ` by scripts the editor cannot see, and a warning on each
would nag their authors on every open. Name those stages in
` + "`stagehand.targets`" + ` to make the hint go away, or raise the rule to ` + "`warning`" + ` in
projects that build only the last stage.

The fix removes the stage.`,
	Bad: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM golang:1.23 AS lint
RUN go vet ./...

FROM alpine
COPY --from=build /app /app
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM alpine
COPY --from=build /app /app
`,
	Run: runUnusedStage,
})

func runUnusedStage(p *Pass) {
	ix := p.Index
	n := ix.StageCount()
	if n < 2 {
		return
	}
	var names []string
	if p.Config != nil {
		names = p.Config.Targets
	}
	reached := ix.Model().Reachable(ix.BuildTargets(names))
	stages := ix.Stages()
	for s := 0; s < n; s++ {
		st := stages[s]
		if reached[s] || st.Base == "" {
			continue // a FROM without a base is an instruction error already
		}
		var msg string
		if st.Name != "" {
			msg = fmt.Sprintf("Stage %q is never built: no target reaches it. Build it with `docker build --target %s`, or add it to the stagehand.targets setting if a script does", st.Name, st.Name)
		} else {
			msg = fmt.Sprintf("%s is never built: no target reaches it, and it has no name to be built with --target", ix.StageLabel(s))
		}
		p.Reportf(st.Span, []Fix{{Title: "Remove unused stage " + stageName(ix, s), Edits: []analysis.Edit{deleteStage(p.Doc(), st.Span)}}}, "%s", msg)
	}
}
