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
	Comments: CommentsIgnored,
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

var casingSummary = newSummaryKind("casing")

// casingMajority reports whether most instructions after the first FROM
// are in lower case, adding up a summary per stage, once per run.
func casingMajority(p *Pass) bool {
	if p.run != nil && p.run.majority != nil {
		return *p.run.majority
	}
	count := func(s int) [2]int {
		return p.stageSummary(casingSummary, s, func(nodes []analysis.Node) any {
			var c [2]int
			for _, n := range nodes {
				if analysis.LookupInstruction(n.Cmd) == nil {
					continue // unknown: not counted
				}
				switch casing(n.Keyword.Value) {
				case 'l':
					c[0]++
				case 'u':
					c[1]++
				}
			}
			return c
		}).([2]int)
	}
	n := p.Index.StageCount()
	var per [][2]int
	var total [2]int
	rc := p.run
	if rc != nil && rc.cache != nil && rc.own != nil && rc.casingCarry && len(rc.cache.casing) == n && len(rc.sums.prevOwn) == n {
		// The last run's counts, but for the stages whose text changed.
		per, total = rc.cache.casing, rc.cache.casingTotal
		for s := range n {
			if rc.own[s] != rc.sums.prevOwn[s] {
				was, now := per[s], count(s)
				total[0] += now[0] - was[0]
				total[1] += now[1] - was[1]
				per[s] = now
			}
		}
	} else {
		per = make([][2]int, n)
		for s := range n {
			per[s] = count(s)
			total[0] += per[s][0]
			total[1] += per[s][1]
		}
	}
	if rc != nil && rc.cache != nil && rc.own != nil {
		rc.cache.casing, rc.cache.casingTotal, rc.cache.casingKept = per, total, true
	}
	lower, upper := total[0], total[1]
	majority := lower > upper
	if p.run != nil {
		p.run.majority = &majority
	}
	return majority
}

func reportCasing(p *Pass, n analysis.Node, majorityLower bool) {
	{
		k := n.Keyword.Value
		class := casing(k)
		if analysis.LookupInstruction(n.Cmd) == nil || (majorityLower && class == 'l') || (!majorityLower && class == 'u') {
			return // unknown instructions are not judged; the majority is kept
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
	if c, ok := asciiCasing(s); ok {
		return c
	}
	switch s {
	case strings.ToLower(s):
		return 'l'
	case strings.ToUpper(s):
		return 'u'
	}
	return 'm'
}

// asciiCasing is casing for an ASCII keyword, read without building its
// lower- and upper-case copies (every keyword is classified on every run
// that counts its stage); ok is false for any other.
func asciiCasing(s string) (c byte, ok bool) {
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 0x80:
			return 0, false
		case 'a' <= b && b <= 'z':
			lower = true
		case 'A' <= b && b <= 'Z':
			upper = true
		}
	}
	switch {
	case !upper:
		return 'l', true // strings.ToLower(s) == s
	case !lower:
		return 'u', true
	}
	return 'm', true
}
