package rules

import (
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/analysis"
)

// applyFix applies a fix's edits (in order and disjoint) to text.
func applyFix(t *testing.T, text string, f Fix) string {
	t.Helper()
	out, err := analysis.ApplyEdits(text, f.Edits)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCopyFromVariableFix applies the fix to variants and checks that
// BuildKit parses the result, every COPY --from names an earlier stage, and
// the rule is then silent.
func TestCopyFromVariableFix(t *testing.T) {
	variants := []string{
		"ARG BUILDER=golang:1.23\nFROM alpine\nCOPY --from=${BUILDER} /a /a\n",
		"ARG BUILDER=golang:1.23\nFROM alpine\nCOPY --from=$BUILDER /a /a\n",
		"FROM alpine AS base\nARG V=1\ncopy --from=tool-$V-${TARGETARCH} /a /a\n",
		"FROM alpine AS builder\n# described stage\nFROM alpine AS final\nCOPY --from=${UNDECLARED:-builder} /a /a\n",
		"# syntax=docker/dockerfile:1.18\nARG SRC\nFROM scratch AS src\nFROM alpine\nCOPY --link --from=\"${SRC}\" /a /a\nCOPY --from=${SRC} /b /b\n",
		"ARG HTTP_PROXY\nFROM alpine\nCOPY --from=img-${HTTP_PROXY} /a /a\n",
	}
	for _, text := range variants {
		var fixes []Fix
		for _, d := range Run(analysis.Parse(analysis.NewDocument(text)), nil) {
			if d.Rule == CopyFromVariable.Name {
				fixes = append(fixes, d.Fixes[0])
			}
		}
		if len(fixes) == 0 {
			t.Errorf("not reported:\n%s", text)
			continue
		}
		fixed := text
		for range 4 { // one fix a round, as check --fix does when fixes overlap
			var f *Fix
			for _, d := range Run(analysis.Parse(analysis.NewDocument(fixed)), nil) {
				if d.Rule == CopyFromVariable.Name {
					f = &d.Fixes[0]
					break
				}
			}
			if f == nil {
				break
			}
			fixed = applyFix(t, fixed, *f)
		}
		res, err := parser.Parse(strings.NewReader(fixed))
		if err != nil {
			t.Errorf("BuildKit rejects the fixed file: %v\n%s", err, fixed)
			continue
		}
		stages, _, err := instructions.Parse(res.AST, nil)
		if err != nil {
			t.Errorf("BuildKit rejects the fixed file: %v\n%s", err, fixed)
			continue
		}
		names := map[string]bool{}
		for _, st := range stages {
			for _, c := range st.Commands {
				if cp, ok := c.(*instructions.CopyCommand); ok && cp.From != "" && !names[cp.From] {
					t.Errorf("COPY --from=%s names no earlier stage:\n%s", cp.From, fixed)
				}
			}
			names[st.Name] = true
		}
		for _, d := range Run(analysis.Parse(analysis.NewDocument(fixed)), nil) {
			if d.Rule == CopyFromVariable.Name || d.Severity == Error {
				t.Errorf("after the fix: %s %s\n%s", d.Rule, d.Message, fixed)
			}
		}
	}
}
