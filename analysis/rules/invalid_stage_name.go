package rules

import (
	"regexp"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var InvalidStageName = register(&Rule{
	Name:     "InvalidStageName",
	Summary:  "A stage name BuildKit rejects: it must start with a letter and hold only letters, digits, `-`, `_` and `.`.",
	Severity: Error,
	Fails:    true,
	Doc: `BuildKit refuses the whole Dockerfile when a stage name does not match
` + "`^[a-z][a-z0-9-_.]*$`" + ` (after lowering its case). This rule replaces BuildKit's
instruction error on the name with an explanation and a fix that renames the
stage, and every reference to it, to the nearest valid name.`,
	Bad: `FROM alpine AS 1st-stage
RUN echo hello
`,
	Good: `FROM alpine AS first-stage
RUN echo hello
`,
	Run: runInvalidStageName,
})

var invalidNameByte = regexp.MustCompile(`[^a-z0-9\-_.]+`)

func runInvalidStageName(p *Pass) {
	ix := p.Index
	for _, st := range ix.Stages() {
		if st.Name == "" || plainStageName(st.Name) || analysis.CheckStageName(st.Name) == nil || isReserved(st.Name) {
			continue
		}
		valid := invalidNameByte.ReplaceAllString(strings.ToLower(st.Name), "-")
		valid = strings.Trim(valid, "-_.")
		if valid == "" || valid[0] < 'a' || valid[0] > 'z' {
			valid = "stage-" + valid
		}
		valid = strings.TrimSuffix(valid, "-")
		var fixes []Fix
		if analysis.CheckStageName(valid) == nil && ix.StageByName(valid) < 0 {
			edits := []analysis.Edit{replace(st.NameSpan, valid)}
			for _, r := range ix.StageUses(st.Index) {
				if !r.Numeric {
					edits = append(edits, replace(r.Span, valid))
				}
			}
			fixes = fix(`Rename the stage to "`+valid+`"`, true, edits...)
		}
		p.Reportf(st.NameSpan, fixes, "Invalid stage name %q: a stage name must start with a letter and contain only letters, digits, '-', '_' and '.'", st.Name)
	}
}

func isReserved(name string) bool {
	n := strings.ToLower(name)
	return n == "scratch" || n == "context"
}

// plainStageName reports, without a regular expression, whether name
// matches ^[a-zA-Z][a-zA-Z0-9-_.]*$, which every common name does.
func plainStageName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i] | 0x20
		letter := 'a' <= c && c <= 'z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !('0' <= name[i] && name[i] <= '9') && name[i] != '-' && name[i] != '_' && name[i] != '.' {
			return false
		}
	}
	return name != ""
}
