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
	stages := ix.Stages()
	for _, s := range p.oddNames() {
		st := stages.At(s)
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

// plainLowerName reports whether name matches ^[a-z][a-z0-9-_.]*$: a
// valid name in lower case, on which the stage-name rules report nothing.
func plainLowerName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// oddNames returns, in order, the stages named otherwise than by a plain
// lower-case name (plainLowerName), the only ones the stage-name rules
// look at. An incremental run keeps the list while every stage's name is
// the one of the last run.
func (p *Pass) oddNames() []int {
	rc := p.run
	if rc != nil && rc.cache != nil && rc.namesSame {
		return rc.cache.odd
	}
	var out []int
	for s, st := range p.Index.Stages().All() {
		if st.Name != "" && !plainLowerName(st.Name) {
			out = append(out, s)
		}
	}
	if rc != nil && rc.cache != nil {
		rc.cache.odd, rc.cache.oddKept, rc.namesSame = out, true, true
	}
	return out
}
