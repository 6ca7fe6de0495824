package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// outlineCases are comment shapes around FROM that the corpus may lack.
var outlineCases = []string{
	"# build compiles the binary\nFROM golang AS build\nRUN true\n",
	"# syntax=docker/dockerfile:1\n# build is described\n\n# and more text\nFROM golang AS build\n",
	"# check=skip=all\n# base first line\n#\n# base after an empty comment\nFROM alpine AS base\n",
	"FROM alpine AS a\n# b belongs to b\n\n\n# @diag(\"x\", \"y\")\nFROM a AS b\n",
	"FROM alpine AS a\n  # b indented\nFROM a AS b\n",
	"\uFEFF# a with a BOM\nFROM alpine AS a\n",
	"# A upper case\n# a lower case\nFROM alpine AS A\n",
	"# a\nFROM alpine AS a\n",
	"# description of nothing\nFROM alpine\n",
	"RUN true\n# x not a stage\nFROM alpine AS x\n",
	"# x one\r\nFROM alpine AS x\r\n",
}

// TestOutlineAgreement compares the comments BuildKit attaches to every
// instruction, and the stage descriptions its outline reads, with ours,
// over the corpus and the cases above.
func TestOutlineAgreement(t *testing.T) {
	files := testgen.Corpus(t)
	for i, c := range outlineCases {
		files[string(rune('A'+i))+"-case"] = c
	}
	compared, described := 0, 0
	for name, text := range files {
		res, err := parser.Parse(strings.NewReader(text))
		if err != nil {
			continue
		}
		ix := Parse(NewDocument(text))
		if ix.Len() != len(res.AST.Children) {
			continue // the index's own agreement test covers this
		}
		for i, node := range res.AST.Children {
			var got []string
			for _, c := range ix.Comments(i) {
				got = append(got, c.Text)
			}
			if d := cmp.Diff(node.PrevComment, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("%s: comments above instruction %d (line %d) (-buildkit +ours):\n%s", name, i, node.StartLine, d)
			}
		}
		stages, _, err := instructions.Parse(res.AST, nil)
		if err != nil || len(stages) != ix.StageCount() {
			continue
		}
		compared++
		for s, st := range stages {
			if got := ix.StageDescription(s); got != st.DocComment {
				t.Errorf("%s: stage %d (%s) description %q, BuildKit %q", name, s, st.Name, got, st.DocComment)
			}
			if st.DocComment != "" {
				described++
			}
		}
	}
	if compared < len(outlineCases) {
		t.Fatalf("compared %d files, want at least %d", compared, len(outlineCases))
	}
	t.Logf("%d files, %d described stages", compared, described)
}
