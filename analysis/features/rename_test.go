package features

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/oracle"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// TestRenameRoundTripWithBuildKit renames every stage of every corpus file
// (and of its variants with ARG patterns, with a stage named scratch, with
// a stage named in an expansion's default word and with one named by a
// quoted ONBUILD trigger: pickVariants)
// to a fresh name: either the rename is refused, or BuildKit resolves the
// result to the same graph, with the new name in place.
func TestRenameRoundTripWithBuildKit(t *testing.T) {
	corpus := testgen.Sample(t)
	renamed, refused, compared, picksRenamed := 0, 0, 0, 0
	reasons := map[string]int{}
	var diffs []string
	for name, text := range corpus {
		all := map[string]string{name: text}
		if v, ok := argPatternVariant(text); ok {
			all[name+"+arg-pattern"] = v
		}
		picks, picked := pickVariants(text)
		for k, v := range picks {
			all[name+"+"+k] = v
		}
		if ix := analysis.Parse(analysis.NewDocument(text)); ix.ParseError == nil && ix.StageCount() > 0 {
			// A stage named scratch, which every later `FROM scratch`
			// and RUN mount without from= uses.
			at := ix.Node(ix.Stage(0).First).Start
			all[name+"+scratch-stage"] = text[:at] + "FROM busybox AS scratch\n" + text[at:]
		}
		for fname, ftext := range all {
			if _, ok := oracle.Resolve(ftext, oracle.Platforms[0]); !ok {
				continue
			}
			ix := analysis.Parse(analysis.NewDocument(ftext))
			// Three platforms where the platform ARGs can matter (the
			// differential test covers all), else one.
			platforms := oracle.Platforms[:1]
			if strings.Contains(ftext, "TARGET") || strings.Contains(ftext, "BUILD") {
				platforms = oracle.Platforms[:3]
			}
			before := map[string]oracle.Build{}
			for _, platform := range platforms {
				before[platform], _ = oracle.Resolve(ftext, platform)
			}
			for _, st := range ix.Stages().All() {
				if st.Name == "" {
					continue
				}
				newName := fmt.Sprintf("zz-renamed-%d", st.Index)
				edits, err := Rename(context.Background(), ix, st.NameSpan.Start, newName)
				if err != nil {
					if _, ok := err.(*RenameError); !ok {
						diffs = append(diffs, fmt.Sprintf("%s: rename %s: %v", fname, st.Name, err))
					}
					// The shapes pickVariants writes are rewritten, not refused.
					trigger := strings.LastIndex(ftext, "ONBUILD COPY --from=\""+picked)
					if fname != name && picks[strings.TrimPrefix(fname, name+"+")] != "" && st.LowerName() == picked &&
						(strings.Contains(err.Error(), "${PICK") ||
							trigger >= 0 && strings.Contains(err.Error(), fmt.Sprintf("on line %d;", strings.Count(ftext[:trigger], "\n")+1))) {
						diffs = append(diffs, fmt.Sprintf("%s: rename %s refused: %v", fname, st.Name, err))
					}
					reasons[regexp.MustCompile(`"[^"]*"|\d+`).ReplaceAllString(err.Error(), "_")]++
					refused++
					continue
				}
				renamed++
				if fname != name && picks[strings.TrimPrefix(fname, name+"+")] != "" && st.LowerName() == picked {
					picksRenamed++
				}
				out := applied(ftext, edits)
				for _, platform := range platforms {
					b1, ok1 := before[platform], true
					b2, ok2 := oracle.Resolve(out, platform)
					compared++
					switch {
					case ok1 != ok2:
						diffs = append(diffs, fmt.Sprintf("%s: rename %s: BuildKit accepts the file before: %v, after: %v", fname, st.Name, ok1, ok2))
					case ok1 && fmt.Sprint(b1.Refs) != fmt.Sprint(b2.Refs):
						diffs = append(diffs, fmt.Sprintf("%s: rename %s (%s): references resolve differently:\n%v\n%v", fname, st.Name, platform, b1.Refs, b2.Refs))
					case ok1 && !slices.Equal(b1.Reachable, b2.Reachable):
						diffs = append(diffs, fmt.Sprintf("%s: rename %s (%s): reachable %v, then %v", fname, st.Name, platform, testgen.Trues(b1.Reachable), testgen.Trues(b2.Reachable)))
					}
				}
				if got := analysis.Parse(analysis.NewDocument(out)).Stage(st.Index); got.LowerName() != newName {
					diffs = append(diffs, fmt.Sprintf("%s: rename %s: the stage is called %q after", fname, st.Name, got.Name))
				}
			}
		}
	}
	t.Logf("stages renamed %d (%d of them named in an expansion's word or a quoted ONBUILD trigger), renames refused %d, BuildKit resolutions compared %d; disagreements %d",
		renamed, picksRenamed, refused, compared, len(diffs))
	for r, n := range reasons {
		t.Logf("refused %d times: %s", n, r)
	}
	if renamed < len(corpus) {
		t.Errorf("only %d renames", renamed)
	}
	for _, d := range diffs[:min(len(diffs), 20)] {
		t.Error(d)
	}
}

// argPatternVariant is the model tests' "arg-pattern" variant of text
// (see testgen.ArgPattern), when text has a named stage.
func argPatternVariant(text string) (string, bool) {
	ix := analysis.Parse(analysis.NewDocument(text))
	if ix.ParseError != nil || ix.StageCount() == 0 {
		return "", false
	}
	var names []string
	for _, st := range ix.Stages().All() {
		if st.Name != "" {
			names = append(names, st.LowerName())
		}
	}
	if len(names) == 0 {
		return "", false
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	at := ix.Node(ix.Stage(0).First).Start
	return testgen.ArgPattern(text, at, names[len(names)/2]), true
}

// pickVariants are variants of text that name one of its stages in the
// shapes a rename once refused: the word of an expansion
// (`FROM ${PICK:-name}`, `FROM ${PICK:-${PICK2:-name}}`), and an ONBUILD
// trigger's quoted `--from="name"` in a stage something builds on.
func pickVariants(text string) (map[string]string, string) {
	ix := analysis.Parse(analysis.NewDocument(text))
	if ix.ParseError != nil || ix.StageCount() == 0 {
		return nil, ""
	}
	var names []string
	for _, st := range ix.Stages().All() {
		if st.Name != "" {
			names = append(names, st.LowerName())
		}
	}
	if len(names) == 0 {
		return nil, ""
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	name := names[len(names)/2]
	at := ix.Node(ix.Stage(0).First).Start
	pre, post := text[:at]+"ARG PICK\nARG PICK2\n", text[at:]
	return map[string]string{
		"default-word":   pre + post + "FROM ${PICK:-" + name + "}\nRUN true\n",
		"nested-default": pre + post + "FROM ${PICK:-${PICK2:-" + name + "}}\nRUN true\n",
		"onbuild-quoted": text + "FROM " + name + " AS zz-onbuild-base\nONBUILD COPY --from=\"" + name + "\" / /zz\nFROM zz-onbuild-base\n",
	}, name
}
