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
	nodes := p.Nodes()[ix.Stage(0).First:]
	class := make([]byte, len(nodes))
	lower, upper := 0, 0
	for i, n := range nodes {
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
		if (majorityLower && class[i] == 'l') || (!majorityLower && class[i] == 'u') {
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
