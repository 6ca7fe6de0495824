package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var ConsistentInstructionCasing = register(&Rule{
	Name:     "ConsistentInstructionCasing",
	Summary:  "All commands within the Dockerfile should use the same casing (either upper or lower).",
	Severity: Warning,
	BuildKit: true,
	Doc: `Instruction keywords are case-insensitive, but a file that mixes ` + "`RUN`" + ` and ` + "`run`" + `
(or writes ` + "`Run`" + `) is harder to read. The majority case of the file wins (upper
case on a tie, as BuildKit decides); the fix rewrites the keyword. Instructions
before the first ` + "`FROM`" + ` are not counted, as in BuildKit, nor are words BuildKit
does not know as instructions (` + "`RUNN`" + `, ` + "`ſhell`" + `): it stops at them with an error.`,
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
	nodes := p.Nodes()[ix.Stage(0).First:]
	class := make([]byte, len(nodes))
	lower, upper := 0, 0
	for i, n := range nodes {
		if analysis.LookupInstruction(n.Cmd) == nil {
			continue // an unknown instruction: BuildKit lints nothing past it
		}
		class[i] = casing(n.Keyword.Value)
		switch class[i] {
		case 'l':
			lower++
		case 'u':
			upper++
		}
	}
	majorityLower := lower > upper
	for i, n := range nodes {
		k := n.Keyword.Value
		if class[i] == 0 || (majorityLower && class[i] == 'l') || (!majorityLower && class[i] == 'u') {
			continue
		}
		want, casing := strings.ToUpper(k), "uppercase"
		if majorityLower {
			want, casing = strings.ToLower(k), "lowercase"
		}
		span := keywordSpan(n)
		p.Reportf(span, fix("Change to "+want, true, replace(span, want)), "Command '%s' should match the case of the command majority (%s)", k, casing)
	}
}

// casing classifies a keyword as BuildKit does, by Unicode case mapping
// ('K', the Kelvin sign, is an upper-case k to it): 'l' lower case, 'u'
// upper case, 'm' mixed.
func casing(s string) byte {
	switch s {
	case strings.ToLower(s):
		return 'l'
	case strings.ToUpper(s):
		return 'u'
	}
	return 'm'
}
