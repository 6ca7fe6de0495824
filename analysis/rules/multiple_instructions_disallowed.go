package rules

import (
	"fmt"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var MultipleInstructionsDisallowed = register(&Rule{
	Name:     "MultipleInstructionsDisallowed",
	Summary:  "Multiple instructions of the same type should not be used in the same stage.",
	Severity: Warning,
	BuildKit: true,
	Comments: CommentsOfRelated,
	Doc: `Only the last ` + "`CMD`" + `, ` + "`ENTRYPOINT`" + ` or ` + "`HEALTHCHECK`" + ` of a stage takes effect; the
earlier ones are dead text that readers take for real. The rule reports the
instructions that are overridden, with a fix that removes them.`,
	Bad: `FROM alpine
CMD ["echo", "one"]
CMD ["echo", "two"]
`,
	Good: `FROM alpine
CMD ["echo", "two"]
`,
	Run:   runMultipleInstructionsDisallowed,
	Scope: PerStage,
})

func runMultipleInstructionsDisallowed(p *Pass) {
	ix := p.Index
	for _, cmd := range []string{"cmd", "entrypoint", "healthcheck"} {
		last, lastStage := analysis.Node{}, -1
		for _, n := range p.NodesOf(cmd) {
			s := ix.StageOf(n.Index)
			if prev := last; s >= 0 && s == lastStage {
				name := strings.ToUpper(n.Cmd)
				p.Report(Diagnostic{
					Span: keywordSpan(prev),
					// BuildKit names the overriding instruction as written.
					Message: fmt.Sprintf("Multiple %s instructions should not be used in the same stage because only the last one will be used", n.Keyword.Value),
					Tags:    []Tag{Unnecessary},
					Related: []Related{{Span: keywordSpan(n), Message: "overridden by this " + name}},
					Fixes:   fix("Remove the overridden "+name, false, deleteLines(p.Doc(), prev.Span())),
				})
			}
			last, lastStage = n, s
		}
	}
}
