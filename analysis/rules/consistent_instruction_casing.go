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
before the first ` + "`FROM`" + ` are not counted, as in BuildKit.`,
	Bad: `FROM alpine
run echo hello
`,
	Good: `FROM alpine
RUN echo hello
`,
	Run:   runConsistentInstructionCasing,
	Scope: PerStage, // the majority is a file fact (see casingMajority)
})

func runConsistentInstructionCasing(p *Pass) {
	ix := p.Index
	if ix.StageCount() == 0 {
		return
	}
	majorityLower := casingMajority(p)
	for _, st := range p.wantedStages() {
		for _, n := range p.nodesIn(st.First, st.End) {
			reportCasing(p, n, majorityLower)
		}
	}
}

// casingMajority reports whether most instructions after the first FROM
// are in lower case, adding up a summary per stage.
func casingMajority(p *Pass) bool {
	lower, upper := 0, 0
	for s := range p.Index.StageCount() {
		c := p.stageSummary("casing", s, func(nodes []analysis.Node) any {
			var c [2]int
			for _, n := range nodes {
				switch casing(n.Keyword.Value) {
				case 'l':
					c[0]++
				case 'u':
					c[1]++
				}
			}
			return c
		}).([2]int)
		lower += c[0]
		upper += c[1]
	}
	return lower > upper
}

func reportCasing(p *Pass, n analysis.Node, majorityLower bool) {
	{
		k := n.Keyword.Value
		class := casing(k)
		if (majorityLower && class == 'l') || (!majorityLower && class == 'u') {
			return
		}
		want, casing := strings.ToUpper(k), "uppercase"
		if majorityLower {
			want, casing = strings.ToLower(k), "lowercase"
		}
		span := keywordSpan(n)
		p.Reportf(span, fix("Change to "+want, true, replace(span, want)), "Command '%s' should match the case of the command majority (%s)", k, casing)
	}
}

// casing classifies a keyword: 'l' all lower case, 'u' all upper case, 'm'
// mixed.
func casing(s string) byte {
	up, low := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		up = up || ('A' <= c && c <= 'Z')
		low = low || ('a' <= c && c <= 'z')
	}
	switch {
	case !up:
		return 'l'
	case !low:
		return 'u'
	}
	return 'm'
}
