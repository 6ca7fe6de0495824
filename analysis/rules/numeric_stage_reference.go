package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var NumericStageReference = register(&Rule{
	Name:     "NumericStageReference",
	Summary:  "A stage is referenced by its index rather than its name; an index out of range fails.",
	Severity: Information,
	Fails:    true,
	Doc: `` + "`COPY --from=0`" + ` names the first stage by position. Inserting a stage above it
silently changes what is copied; a name does not move. The fix replaces the
index with the stage's name when it has one, in lower case as BuildKit stores
it (the name StageNameCasing's fix gives the stage).

An index that names no stage (` + "`--from=7`" + ` in a file of three stages) is an **error**:
BuildKit fails with "invalid stage index" (for an ` + "`ONBUILD`" + ` trigger's index, at the
FROM of each stage that runs the trigger: the error is on the trigger, related to
those FROMs). Unless earlier instructions gave
BuildKit more states to count: after the stages, it numbers a state for
every ` + "`COPY --from=<image>`" + ` and every RUN mount whose ` + "`from=`" + ` (` + "`scratch`" + ` when there
is none) names no stage, in document order. ` + "`--from=3`" + ` in a file of three stages
then copies from the first of them: the build goes on, and the warning says
which image (or empty file system) that is. It is nearly always a typo.`,
	Bad: `FROM golang:1.23
RUN go build -o /app .

FROM alpine
COPY --from=0 /app /app
`,
	Good: `FROM golang:1.23 AS build
RUN go build -o /app .

FROM alpine
COPY --from=build /app /app
`,
	Run:   runNumericStageReference,
	Scope: PerStage,
})

func runNumericStageReference(p *Pass) {
	ix := p.Index
	for _, r := range p.refs() {
		if !r.Numeric || r.Kind == analysis.RefFrom {
			continue
		}
		switch r.Resolution {
		case analysis.ResolvesOutOfRange:
			if st, ok := ix.Model().IndexedState(r); ok {
				p.Report(indexedStateDiagnostic(p, r, st))
				continue
			}
			if r.Onbuild && r.Stage >= 0 {
				p.Report(onbuildOutOfRange(p, r))
				continue
			}
			p.Report(Diagnostic{
				Span:     r.Span,
				Severity: Error,
				Message:  fmt.Sprintf("Stage index %s is out of range: the file has %d stages, numbered from 0", r.Value, ix.StageCount()),
			})
		case analysis.ResolvesStage:
			st := ix.Stage(r.Target)
			if st.Name == "" {
				p.Reportf(r.Span, nil, "Stage %s is referenced by index: name it (FROM %s AS <name>) and use the name", r.Value, st.Base)
				continue
			}
			// The name as BuildKit stores it, in lower case: StageNameCasing's
			// fix lowers the name and its references, so fixing both, in
			// either order or at once, writes the same reference.
			name := strings.ToLower(st.Name)
			p.Report(Diagnostic{
				Span:    r.Span,
				Message: fmt.Sprintf("Stage %s is referenced by index: use its name %q, which does not change when stages move", r.Value, name),
				Fixes:   fix(fmt.Sprintf("Use the stage name %q", name), true, replace(r.Span, name)),
				Related: []Related{{Span: st.NameSpan, Message: fmt.Sprintf("stage %s is %q", r.Value, st.Name)}},
			})
		}
	}
}

// indexedStateDiagnostic is the warning on a numeric reference past the
// last stage that names a state an earlier instruction added.
func indexedStateDiagnostic(p *Pass, r analysis.StageRef, st analysis.UnnamedState) Diagnostic {
	ix := p.Index
	line := ix.Doc.LineOf(ix.Node(st.Instruction).Start) + 1
	what := fmt.Sprintf("the image %q that `COPY --from=%s` on line %d adds", st.Image, st.Image, line)
	switch {
	case st.Mount && st.Image == "scratch":
		what = fmt.Sprintf("the empty file system (scratch) that the RUN mount without from= on line %d adds, from which nothing can be copied", line)
	case st.Mount:
		what = fmt.Sprintf("the image %q that the RUN mount from=%s on line %d adds", st.Image, st.Image, line)
	}
	if ix.Node(st.Instruction).Cmd == "onbuild" {
		what += ", as an ONBUILD trigger run in the stage built on it"
	}
	return Diagnostic{
		Span:     r.Span,
		Severity: Warning,
		Message:  fmt.Sprintf("Stage index %s names no stage (the file has %d, numbered from 0): BuildKit takes it as %s", r.Value, ix.StageCount(), what),
		Related:  []Related{{Span: ix.Node(st.Instruction).Span(), Message: "adds the state index " + r.Value + " names"}},
	}
}

// onbuildOutOfRange is the error for an ONBUILD trigger's index that
// names no state. BuildKit reads the trigger in each stage built on the
// trigger's stage and reports "invalid stage index" at that stage's FROM
// (dockerfile2llb's resolveStages sets the error's location to the
// running stage's); as for the other findings on triggers
// (withTriggers), it is reported on the trigger, where the fix goes,
// related to the FROM of the stage running it, where BuildKit reports it.
func onbuildOutOfRange(p *Pass, r analysis.StageRef) Diagnostic {
	ix := p.Index
	name := ix.Stage(r.Stage).Name
	if name == "" {
		name = fmt.Sprint(r.Stage)
	}
	return Diagnostic{
		Span:     r.Span,
		Severity: Error,
		Message:  fmt.Sprintf("Stage index %s is out of range: the file has %d stages, numbered from 0; BuildKit fails with \"invalid stage index %s\" in each stage running the trigger", r.Value, ix.StageCount(), r.Value),
		Related:  []Related{{Span: keywordSpan(ix.Node(ix.Stage(r.Stage).First)), Message: "stage " + name + " " + triggerRunNote}},
	}
}
