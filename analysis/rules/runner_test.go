package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/patternmatcher"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// summary renders diagnostics as "line severity rule", one a line.
func summary(text string, cfg *Config) string {
	doc := analysis.NewDocument(text)
	var b strings.Builder
	for _, d := range Run(analysis.Parse(doc), cfg) {
		fmt.Fprintf(&b, "%02d %s %s\n", doc.LineOf(d.Span.Start)+1, d.Severity, d.Rule)
	}
	return b.String()
}

func TestCheckDirectives(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"none", "FROM alpine\nCMD echo hi\n", "02 warning JSONArgsRecommended\n"},
		{"skip", "# check=skip=JSONArgsRecommended\nFROM alpine\nCMD echo hi\n", ""},
		{"skip list", "# check=skip=FromAsCasing,JSONArgsRecommended\nFROM alpine as a\nCMD echo hi\n", ""},
		// BuildKit reads the value up to the first blank.
		{"skip list with a blank", "# check=skip=FromAsCasing, JSONArgsRecommended\nFROM alpine as a\nCMD echo hi\n", "03 warning JSONArgsRecommended\n"},
		{"skip all keeps failures", "# check=skip=all\nFROM alpine AS a\nCMD echo hi\nCOPY --from=a /a /a\n", "04 error SelfStageReference\n"},
		{"skip names a failing rule", "# check=skip=SelfStageReference\nFROM alpine AS a\nCOPY --from=a /a /a\n", ""},
		{"error raises BuildKit rules only", "# check=error=true\nFROM alpine\nCMD echo hi\nCOPY --from=nginx /a /a\n",
			"03 error JSONArgsRecommended\n04 warning UnknownStageReference\n"},
		{"error and skip", "# check=skip=JSONArgsRecommended;error=true\nFROM alpine\nCMD echo hi\nMAINTAINER me\n", "04 error MaintainerDeprecated\n"},
		// BuildKit fails the build; we say why and ignore the directive.
		{"invalid directive is an error", "# check=bogus\nFROM alpine\nCMD echo hi\n", "01 error ParseError\n03 warning JSONArgsRecommended\n"},
		{"invalid error value is an error", "# check=skip=JSONArgsRecommended;error=maybe\nFROM alpine\nCMD echo hi\n", "01 error ParseError\n03 warning JSONArgsRecommended\n"},
		// The directive is read after a shebang line, as BuildKit reads it.
		{"directive after a shebang", "#!/usr/bin/env docker-build\n# check=skip=all\nFROM alpine as a\nCMD echo hi\n", ""},
		{"empty continuation at the end", "FROM alpine\nRUN apk add \\\n# c\n\n", "04 warning NoEmptyContinuation\n"},
		{"instruction comment", "FROM alpine\n# check=skip=JSONArgsRecommended\nCMD echo hi\nENTRYPOINT echo two\n", "04 warning JSONArgsRecommended\n"},
		{"instruction comment with blank line", "FROM alpine\n# check=skip=JSONArgsRecommended\n\nCMD echo hi\n", ""},
		{"instruction comment cut by empty comment", "FROM alpine\n# check=skip=JSONArgsRecommended\n#\nCMD echo hi\n", "04 warning JSONArgsRecommended\n"},
		// BuildKit v0.34.2 merges a FROM's comments into the checks of the
		// FROM line only, not into those of its stage's instructions.
		{"stage comment covers the FROM line", "FROM alpine AS a\nCMD echo a\n# check=skip=JSONArgsRecommended,FromAsCasing\nFROM a as b\nCMD echo b\nENTRYPOINT echo c\n",
			"02 warning JSONArgsRecommended\n05 warning JSONArgsRecommended\n06 warning JSONArgsRecommended\n"},
		// Stagehand's own rules take it for the whole stage (issue 15).
		{"stage comment covers the stage for Stagehand rules", "FROM alpine AS a\nRUN true\n# check=skip=UnusedStageArg\nFROM a AS b\nARG X\nCOPY x /x\nFROM b\nARG Y\nCOPY y /y\n",
			"08 information UnusedStageArg\n"},
		// BuildKit never merges a comment's error=true.
		{"comment error=true changes nothing", "FROM alpine\n# check=error=true\nCMD echo hi\n", "03 warning JSONArgsRecommended\n"},
		// BuildKit runs these with the file's configuration alone.
		{"comment does not skip file-checked rules", "FROM alpine\nRUN true\n# check=skip=ConsistentInstructionCasing,NoEmptyContinuation\nrun a \\\n\n  b\n",
			"04 warning ConsistentInstructionCasing\n06 warning NoEmptyContinuation\n"},
		{"comment does not skip stage-name rules", "FROM alpine AS a\n# check=skip=DuplicateStageName,ReservedStageName\nFROM alpine AS a\n# check=skip=ReservedStageName\nFROM alpine AS context\n",
			"01 hint UnusedStage\n03 hint UnusedStage\n03 warning DuplicateStageName\n05 warning ReservedStageName\n"},
		// The overridden CMD is reported with the overriding one's comments.
		{"overridden CMD takes the next one's comment", "FROM alpine\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"a\"]\nCMD [\"b\"]\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"c\"]\n",
			"03 warning MultipleInstructionsDisallowed\n"},
		{"first check comment wins", "FROM alpine\n# check=skip=FromAsCasing\n# check=skip=JSONArgsRecommended\nCMD echo hi\n", "04 warning JSONArgsRecommended\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, summary(tc.text, nil)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	text := "FROM alpine AS dev\nRUN true\nFROM alpine\nUSER 1\nCMD echo hi\n"
	for _, tc := range []struct {
		name string
		cfg  *Config
		want string
	}{
		{"default", nil, "01 hint UnusedStage\n05 warning JSONArgsRecommended\n"},
		{"targets", &Config{Targets: []string{"DEV"}}, "05 warning JSONArgsRecommended\n"},
		{"off", &Config{Severity: map[string]Severity{"JSONArgsRecommended": Off}}, "01 hint UnusedStage\n"},
		{"raise", &Config{Severity: map[string]Severity{"UnusedStage": Error}}, "01 error UnusedStage\n05 warning JSONArgsRecommended\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, summary(text, tc.cfg)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrorStopsRules(t *testing.T) {
	got := summary("FROM alpine\nCMD echo hi\nRUN <<EOF\nunterminated\n", nil)
	if !strings.Contains(got, "ParseError") || strings.Contains(got, "JSONArgsRecommended") {
		t.Errorf("got %q, want the parse error alone", got)
	}
}

func TestCopyIgnoredFile(t *testing.T) {
	// Sources with variables are checked as BuildKit expands them.
	text := "FROM alpine\nCOPY README.md docs/ /x/\nADD --chown=1 secret.key /k\nCOPY --from=alpine:3 README.md /r\nCOPY src /src\nCOPY . /all\nARG K=secret.key\nCOPY $K \"${K}\" /k2/\n"
	for _, tc := range []struct {
		name     string
		patterns []string
		want     string
	}{
		{"no dockerignore", nil, ""},
		{"match", []string{"*.md", "docs", "*.key"}, "02 warning CopyIgnoredFile\n02 warning CopyIgnoredFile\n03 warning CopyIgnoredFile\n08 warning CopyIgnoredFile\n08 warning CopyIgnoredFile\n"},
		{"exclusions silence it", []string{"*.md", "!README.md"}, ""},
		{"root", []string{"*"}, "02 warning CopyIgnoredFile\n02 warning CopyIgnoredFile\n03 warning CopyIgnoredFile\n05 warning CopyIgnoredFile\n06 warning CopyIgnoredFile\n08 warning CopyIgnoredFile\n08 warning CopyIgnoredFile\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{}
			if tc.patterns != nil {
				m, err := patternmatcher.New(tc.patterns)
				if err != nil {
					t.Fatal(err)
				}
				cfg.Ignore = m
			}
			if diff := cmp.Diff(tc.want, summary(text, cfg)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSkipFix(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"FROM alpine\nCMD echo hi\n", "# check=skip=JSONArgsRecommended\nFROM alpine\nCMD echo hi\n"},
		{"# syntax=docker/dockerfile:1\nFROM alpine\nCMD echo hi\n", "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\nFROM alpine\nCMD echo hi\n"},
		{"# check=error=true\nFROM alpine\nCMD echo hi\n", "# check=error=true;skip=JSONArgsRecommended\nFROM alpine\nCMD echo hi\n"},
		{"# check=skip=A\nFROM alpine\nCMD echo hi\n", "# check=skip=A,JSONArgsRecommended\nFROM alpine\nCMD echo hi\n"},
	} {
		ix := analysis.Parse(analysis.NewDocument(tc.text))
		var got string
		for _, d := range Run(ix, nil) {
			if d.Rule != "JSONArgsRecommended" {
				continue
			}
			f := d.Fixes[len(d.Fixes)-1]
			got = applyEdits(tc.text, f.Edits)
		}
		if got != tc.want {
			t.Errorf("skip fix on %q:\ngot  %q\nwant %q", tc.text, got, tc.want)
		}
	}
}

// applyEdits applies disjoint edits to text, or says why it cannot.
func applyEdits(text string, edits []analysis.Edit) string {
	out, err := analysis.ApplyEdits(text, edits)
	if err != nil {
		return err.Error()
	}
	return out
}

// TestNodesInShared holds nodesIn, which serves a stage's instructions
// (with or without its FROM) from one read a run, to Node over every
// stage's ranges and others, and checks that the stage ranges share it.
func TestNodesInShared(t *testing.T) {
	ix := analysis.Parse(analysis.NewDocument("ARG A=1\n" + testgen.Large(6)))
	p := &Pass{Index: ix, run: &runCtx{ix: ix}}
	stages := ix.Stages()
	for s := range stages.Len() {
		st := stages.At(s)
		for _, r := range [][2]int{{st.First, st.End}, {st.First + 1, st.End}, {st.First + 2, st.End}, {st.First, st.End - 1}, {0, st.End}} {
			var want []analysis.Node
			for i := r[0]; i < r[1]; i++ {
				want = append(want, ix.Node(i))
			}
			if got := p.nodesIn(r[0], r[1]); !slices.Equal(want, got) {
				t.Fatalf("stage %d, [%d, %d): nodesIn gave %d nodes, not Node's %d (or other ones)", s, r[0], r[1], len(got), len(want))
			}
		}
		a, b := p.nodesIn(st.First, st.End), p.nodesIn(st.First+1, st.End)
		if &a[1] != &b[0] {
			t.Errorf("stage %d: its instructions were read again for the range without its FROM", s)
		}
	}
}
