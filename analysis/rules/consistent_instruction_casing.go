package rules

import (
	"strings"
)

var ConsistentInstructionCasing = register(&Rule{
	Name:     "ConsistentInstructionCasing",
	Summary:  "All commands within the Dockerfile should use the same casing (either upper or lower).",
	Severity: Warning,
	BuildKit: true,
	Doc: `Instruction keywords are case-insensitive, but a file that mixes ` + "`RUN`" + ` and ` + "`run`" + `
(or writes ` + "`Run`" + `) is harder to read. The majority case of the file wins (upper
case on a tie, as BuildKit decides); the fix rewrites the keyword. Instructions
before the first ` + "`FROM`" + ` are not counted, as in BuildKit.`,
	Bad: `FROM alpine
run echo hello
`,
	Good: `FROM alpine
RUN echo hello
`,
	Run: runConsistentInstructionCasing,
})

func runConsistentInstructionCasing(p *Pass) {
	ix := p.Index
	if ix.StageCount() == 0 {
		return
	}
	first := ix.Stage(0).First
	lower, upper := 0, 0
	for i := first; i < ix.Len(); i++ {
		k := ix.Node(i).Keyword.Value
		switch k {
		case strings.ToLower(k):
			lower++
		case strings.ToUpper(k):
			upper++
		}
	}
	majorityLower := lower > upper
	for i := first; i < ix.Len(); i++ {
		n := ix.Node(i)
		k := n.Keyword.Value
		want, casing := strings.ToUpper(k), "uppercase"
		if majorityLower {
			want, casing = strings.ToLower(k), "lowercase"
		}
		if k == want {
			continue
		}
		span := keywordSpan(n)
		p.Reportf(span, fix("Change to "+want, true, replace(span, want)), "Command '%s' should match the case of the command majority (%s)", k, casing)
	}
}
