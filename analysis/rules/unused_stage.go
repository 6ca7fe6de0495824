package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
	reached := make([]bool, n)
	var work []int
	reach := func(s int) {
		if s >= 0 && s < n && !reached[s] {
			reached[s] = true
			work = append(work, s)
		}
	}
	reach(n - 1)
	for _, t := range p.Config.Targets {
		reach(ix.StageByName(t))
	}
	stages := ix.Stages()
	byStage := refsByStage(ix)
	patterns := map[string]*regexp.Regexp{}
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		for _, r := range byStage[s] {
			switch r.Resolution {
			case analysis.ResolvesStage:
				reach(r.Target)
			case analysis.ResolvesVariable:
				if onlyVariables(r.Value) {
					for t := 0; t < s; t++ {
						reach(t)
					}
					continue
				}
				re, ok := patterns[r.Value]
				if !ok {
					re = variablePattern(r.Value)
					patterns[r.Value] = re
				}
				for t := 0; t < s; t++ {
					if !reached[t] && (re.MatchString(strings.ToLower(stages[t].Name)) || re.MatchString(strconv.Itoa(t))) {
						reach(t)
					}
				}
			}
		}
	}
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

// refsByStage groups the index's references by the stage holding them:
// references come in document order, so each stage's are a sub-slice.
func refsByStage(ix *analysis.Index) [][]analysis.StageRef {
	out := make([][]analysis.StageRef, ix.StageCount())
	refs := ix.Refs()
	for i := 0; i < len(refs); {
		j := i
		for j < len(refs) && refs[j].Stage == refs[i].Stage {
			j++
		}
		if s := refs[i].Stage; s >= 0 {
			out[s] = refs[i:j:j]
		}
		i = j
	}
	return out
}

var varInRef = regexp.MustCompile(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// variablePattern turns a reference built from variables into a pattern
// that matches whatever the variables could expand to.
func variablePattern(v string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, m := range varInRef.FindAllStringIndex(v, -1) {
		b.WriteString(regexp.QuoteMeta(strings.ToLower(v[last:m[0]])))
		b.WriteString(".*")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(strings.ToLower(v[last:])))
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// onlyVariables reports whether a reference is made of variables alone,
// so it may name any stage.
func onlyVariables(v string) bool {
	return varInRef.ReplaceAllString(v, "") == ""
}
