package rules

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/oracle"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

var fromIndex = regexp.MustCompile(`--from=\d+`)

// resolvedRefs lists, for the references BuildKit resolves in text, the
// referring instruction (numbers in --from blanked) and the FROM line of
// the stage it resolves to, or what else it resolves to.
func resolvedRefs(text string) ([]string, bool) {
	b, ok := oracle.Resolve(text, oracle.Platforms[0])
	if !ok {
		return nil, false
	}
	ix := analysis.Parse(analysis.NewDocument(text))
	lines := strings.Split(text, "\n")
	var out []string
	for _, r := range b.Refs {
		what := r.Res.Kind
		if r.Res.Kind == "stage" || r.Res.Kind == "later" {
			from := ix.Node(ix.Stage(r.Res.Stage).First)
			what += " " + ix.Doc.Slice(from.Span())
		}
		if r.Line < 0 { // an ONBUILD trigger's, run by stage -1-Line
			from := ix.Node(ix.Stage(-1 - r.Line).First)
			out = append(out, fmt.Sprintf("trigger %d run by %s -> %s", r.Rank, ix.Doc.Slice(from.Span()), what))
			continue
		}
		out = append(out, fromIndex.ReplaceAllString(strings.TrimSpace(lines[r.Line-1]), "--from=N")+" -> "+what)
	}
	slices.Sort(out)
	return out, true
}

// TestRemoveUnusedStageOverCorpus applies every "Remove unused stage" fix
// over the corpus: the result parses (BuildKit and Stagehand), and every
// reference left resolves, for BuildKit, to the stage it resolved to.
func TestRemoveUnusedStageOverCorpus(t *testing.T) {
	fixes, checked := 0, 0
	var diffs []string
	files := map[string]string{}
	corpus := testgen.Corpus(t)
	names := slices.Sorted(maps.Keys(corpus))
	for i, name := range names {
		text := corpus[name]
		if raceEnabled && i%10 != 0 {
			continue // one file in ten under the race detector
		}
		files[name] = text
		// A variant with a chain of unused stages and an index past them.
		ix := analysis.Parse(analysis.NewDocument(text))
		if ix.ParseError == nil && ix.StageCount() > 0 {
			if !strings.HasSuffix(text, "\n") {
				text += "\n"
			}
			files[name+"+chain"] = text + fmt.Sprintf("FROM alpine AS zz-a\nFROM zz-a AS zz-b\nCOPY --from=zz-a / /\nFROM alpine AS zz-kept\nFROM alpine\nCOPY --from=%d / /\n", ix.StageCount()+2)
			// An unused stage before one an ONBUILD trigger names by index,
			// the trigger run by the final stage.
			files[name+"+onbuild"] = text + fmt.Sprintf("FROM alpine AS zz-unused\nFROM alpine AS zz-src\nFROM alpine AS zz-base\nONBUILD COPY --from=%d / /\nFROM zz-base\n", ix.StageCount()+1)
			// A stage the final one's `${V:+word}` base can never name,
			// and a stage named scratch that RUN mounts without from= use.
			at := ix.Node(ix.Stage(0).First).Start
			files[name+"+plus"] = text[:at] + "ARG ZZ_V=x\n" + text[at:] + "FROM alpine AS zz-full-rt\nFROM alpine AS zz-slim-rt\nFROM ${ZZ_V:+zz-full}-rt\nRUN --mount=type=secret,id=s true\n"
			last := ix.Node(ix.Stage(ix.StageCount() - 1).First).Start
			files[name+"+scratch"] = text[:last] + "FROM busybox AS scratch\n" + text[last:] + "FROM alpine\nRUN --mount=type=secret,id=s true\n"
		}
	}
	for name, text := range files {
		before, ok := resolvedRefs(text)
		if !ok {
			continue
		}
		ix := analysis.Parse(analysis.NewDocument(text))
		bk, _ := oracle.Resolve(text, oracle.Platforms[0])
		for _, d := range Run(ix, nil) {
			if d.Rule != "UnusedStage" || len(d.Fixes) == 0 || !strings.HasPrefix(d.Fixes[0].Title, "Remove unused stage") {
				continue
			}
			fixes++
			// BuildKit must not build the stage removed (for no target).
			if n, ok := ix.NodeAt(d.Span.Start); ok && !bk.Fails {
				if s := ix.StageOf(n.Index); s >= 0 && s < len(bk.Reachable) && bk.Reachable[s] && s != ix.StageCount()-1 {
					diffs = append(diffs, fmt.Sprintf("%s: %s: BuildKit builds that stage", name, d.Fixes[0].Title))
				}
			}
			out, err := analysis.ApplyEdits(text, d.Fixes[0].Edits)
			if err != nil {
				diffs = append(diffs, fmt.Sprintf("%s: %s: %v", name, d.Fixes[0].Title, err))
				continue
			}
			if after := analysis.Parse(analysis.NewDocument(out)); after.ParseError != nil {
				diffs = append(diffs, fmt.Sprintf("%s: %s: Stagehand cannot parse the result: %s", name, d.Fixes[0].Title, after.ParseError.Message))
				continue
			}
			got, ok := resolvedRefs(out)
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: %s: BuildKit rejects the result", name, d.Fixes[0].Title))
				continue
			}
			// What is left must resolve as before: each reference of the
			// result is one of the references before, resolving alike.
			rest := slices.Clone(before)
			for _, g := range got {
				checked++
				i := slices.Index(rest, g)
				if i < 0 {
					diffs = append(diffs, fmt.Sprintf("%s: %s: after the removal %q", name, d.Fixes[0].Title, g))
					continue
				}
				rest = slices.Delete(rest, i, i+1)
			}
		}
	}
	t.Logf("removals %d, references left checked %d; disagreements %d", fixes, checked, len(diffs))
	if fixes < len(files)/4 {
		t.Errorf("only %d removals", fixes)
	}
	for _, d := range diffs[:min(len(diffs), 20)] {
		t.Error(d)
	}
}

// TestRemoveUnusedStageRefusesQuotedIndex shows the removal lowers an
// index inside its quotes, in an ONBUILD trigger too (BuildKit's flag
// parser takes the quotes off: `--from="1"` is index 1), and is not offered
// when the index cannot be placed (written over a continuation line).
func TestRemoveUnusedStageRefusesQuotedIndex(t *testing.T) {
	for text, want := range map[string]string{
		"FROM alpine AS tools\nFROM alpine AS kept\nFROM alpine AS base\nONBUILD COPY --from=1 /y /y\nFROM base\n":         "--from=0 ",
		"FROM alpine AS tools\nFROM alpine AS kept\nFROM alpine AS base\nONBUILD COPY --from=\"1\" /y /y\nFROM base\n":     "--from=\"0\" ",
		"FROM alpine AS tools\nFROM alpine AS kept\nFROM alpine AS base\nONBUILD COPY \"--from=1\" /y /y\nFROM base\n":     "\"--from=0\" ",
		"FROM alpine AS tools\nFROM alpine AS kept\nFROM alpine\nCOPY --from=\"1\" /y /y\n":                                "--from=\"0\" ", // the flag's quotes are outside the number
		"FROM alpine AS tools\nFROM alpine AS kept\nFROM alpine AS base\nONBUILD COPY --from=\"\\\n1\" /y /y\nFROM base\n": "",
	} {
		ix := analysis.Parse(analysis.NewDocument(text))
		got := ""
		for _, d := range Run(ix, nil) {
			if d.Rule == "UnusedStage" && len(d.Fixes) > 0 && strings.HasPrefix(d.Fixes[0].Title, "Remove unused stage") {
				got = applyEdits(text, d.Fixes[0].Edits)
			}
		}
		switch {
		case want == "" && got != "":
			t.Errorf("%q: removal offered, giving %q", text, got)
		case want != "" && !strings.Contains(got, want):
			t.Errorf("%q: removal gives %q, want one holding %q", text, got, want)
		}
	}
}
