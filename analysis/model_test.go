package analysis

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/internal/oracle"
	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// sample returns the corpus, or under the race detector one file in ten.
func sample(t *testing.T) map[string]string { return testgen.Sample(t) }

// ourRes is what the model says BuildKit makes of r for platform.
func ourRes(m *Model, r StageRef, platform string) oracle.Res {
	res, t := r.Resolution, r.Target
	if res == ResolvesVariable {
		if r.Kind != RefFrom {
			return oracle.Res{Kind: "variable"}
		}
		res, t = m.ResolveWith(r, platform)
	}
	switch res {
	case ResolvesStage:
		return oracle.Res{Kind: "stage", Stage: t}
	case ResolvesLaterStage:
		return oracle.Res{Kind: "later", Stage: t}
	case ResolvesOutOfRange:
		return oracle.Res{Kind: "bad-index"}
	case ResolvesEmpty:
		return oracle.Res{Kind: "empty"}
	}
	return oracle.Res{Kind: "image"}
}

type refKey struct {
	Line int
	Kind string
	Rank int
}

// diffModel compares the model of text with BuildKit for every platform
// and returns the references compared and a line per disagreement.
func diffModel(text string) (refs, reaches int, diffs []string, skipped bool) {
	ix := Parse(NewDocument(text))
	for _, platform := range oracle.Platforms {
		bk, ok := oracle.Resolve(text, platform)
		if !ok {
			return 0, 0, nil, true
		}
		if ix.ParseError != nil {
			return 0, 0, []string{"BuildKit parses the file, Stagehand does not: " + ix.ParseError.Message}, false
		}
		m := ix.Model()
		want := map[refKey]oracle.Res{}
		for _, r := range bk.Refs {
			want[refKey{r.Line, r.Kind, r.Rank}] = r.Res
		}
		got := map[refKey]oracle.Res{}
		rank := map[int]int{}
		onbuildRank := map[int]int{}
		for _, r := range m.Refs() {
			if r.Kind == RefEpoch {
				continue
			}
			line := ix.Doc.LineOf(ix.Node(r.Instruction).Start) + 1
			k := refKey{Line: line, Kind: r.Kind.String()}
			switch {
			case r.Onbuild:
				k.Line, k.Rank = -1-r.Stage, onbuildRank[r.Stage]
				onbuildRank[r.Stage]++
			case r.Kind == RefMountFrom:
				k.Rank = rank[r.Instruction]
				rank[r.Instruction]++
			}
			got[k] = ourRes(m, r, platform)
		}
		for k, w := range want {
			refs++
			g, ok := got[k]
			switch {
			case !ok:
				diffs = append(diffs, fmt.Sprintf("%s line %d %s: BuildKit %v, Stagehand has no reference", platform, k.Line, k.Kind, w))
			case g != w:
				diffs = append(diffs, fmt.Sprintf("%s line %d %s: BuildKit %v, Stagehand %v", platform, k.Line, k.Kind, w, g))
			}
		}
		for k, g := range got {
			if _, ok := want[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s line %d %s: Stagehand %v, BuildKit has no reference", platform, k.Line, k.Kind, g))
			}
		}
		// The stage the global SOURCE_DATE_EPOCH names; for a default
		// built from variables, as the default platform expands it.
		if bk.Epoch.Kind != "none" && (!strings.Contains(bk.EpochRaw, "$") || platform == DefaultPlatform) {
			refs++
			want := -1
			if bk.Epoch.Kind == "stage" {
				want = bk.Epoch.Stage
			}
			if got := m.EpochStage(); got != want {
				diffs = append(diffs, fmt.Sprintf("%s SOURCE_DATE_EPOCH=%s: BuildKit %v, Stagehand stage %d", platform, bk.EpochValue, bk.Epoch, got))
			}
		}
		if bk.Fails || ix.StageCount() == 0 {
			continue
		}
		reaches++
		ours := m.DefaultReachable(ix.StageCount()-1, platform)
		if !slices.Equal(ours, bk.Reachable) {
			diffs = append(diffs, fmt.Sprintf("%s reachable from the last stage: BuildKit %v, Stagehand %v", platform, testgen.Trues(bk.Reachable), testgen.Trues(ours)))
		}
	}
	return refs, reaches, diffs, false
}

// variants derives Dockerfiles from a real one that stress resolution:
// references to every stage by name (in upper case) and by index, a FROM
// through a global ARG naming a stage, a duplicate name, a stage named
// like its base, an ONBUILD trigger, a --from by variable, a stage that
// uses a later one and a stage named scratch.
func variants(text string) map[string]string {
	ix := Parse(NewDocument(text))
	if ix.ParseError != nil || ix.StageCount() == 0 {
		return nil
	}
	var names []string
	for _, st := range ix.Stages().All() {
		if st.Name != "" {
			names = append(names, st.LowerName())
		}
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	out := map[string]string{}
	var b strings.Builder
	b.WriteString(text + "FROM scratch AS zz-all\n")
	for k, n := range names {
		fmt.Fprintf(&b, "COPY --from=%s / /n%d\n", strings.ToUpper(n), k)
	}
	for k := range ix.StageCount() {
		fmt.Fprintf(&b, "RUN --mount=from=%d,target=/i%d true\n", k, k)
	}
	out["all"] = b.String()
	if len(names) > 0 {
		first := ix.Stage(0).First
		at := ix.Node(first).Start
		pick := names[len(names)/2]
		out["arg-pattern"] = testgen.ArgPattern(text, at, pick)
		out["duplicate"] = text + "FROM alpine AS " + names[0] + "\nFROM " + names[0] + "\nCOPY --from=" + names[0] + " / /\n"
		out["onbuild"] = text + "FROM alpine AS zz-parent\nONBUILD COPY --from=" + names[0] + " / /\nFROM zz-parent\n"
		// SOURCE_DATE_EPOCH naming a stage (frontend 1.24), in another
		// case, overridden by a later default, or naming no stage.
		upper := strings.ToUpper(names[len(names)-1])
		out["epoch"] = text[:at] + "ARG SOURCE_DATE_EPOCH=" + upper + "\n" + text[at:]
		out["epoch-last"] = text[:at] + "ARG SOURCE_DATE_EPOCH=" + names[0] + "\nARG SOURCE_DATE_EPOCH=" + pick + "\n" + text[at:]
		out["epoch-time"] = text[:at] + "ARG SOURCE_DATE_EPOCH=" + names[0] + "\nARG SOURCE_DATE_EPOCH=1700000000\n" + text[at:]
		// A FROM through a nested default and a `:+` alternative.
		out["nested-pattern"] = text[:at] + "ARG ZZ_PICK=" + pick + "\n" + text[at:] + "FROM ${ZZ_UNSET:-${ZZ_PICK}} AS zz-nested\nFROM ${ZZ_PICK:+" + pick + "}\nCOPY --from=zz-nested / /\n"
		out["epoch-var"] = text[:at] + "ARG STAMP\nARG SOURCE_DATE_EPOCH=${STAMP:-" + pick + "}\n" + text[at:]
		out["epoch-none"] = text[:at] + "ARG SOURCE_DATE_EPOCH=zz-" + names[0] + "\nARG SOURCE_DATE_EPOCH\n" + text[at:]
		// A stage named scratch: BuildKit builds every later `FROM
		// scratch` on it, and a RUN mount without from= depends on it.
		out["scratch-stage"] = text[:at] + "FROM busybox AS scratch\n" + text[at:]
		out["later"] = text[:at] + text[at:] + "FROM alpine AS zz-early\nCOPY --from=zz-late / /\nFROM alpine AS zz-late\nFROM zz-early\n"
	}
	out["same-name"] = text + "FROM alpine AS alpine\nFROM scratch AS scratch\nFROM alpine\nCOPY --from=scratch / /\n"
	out["variable-from"] = text + "FROM alpine\nARG N=0\nCOPY --from=${N} / /\n"
	last := ix.Node(ix.Stage(ix.StageCount() - 1).First).Start
	out["scratch-late"] = text[:last] + "FROM busybox AS scratch\n" + text[last:]
	return out
}

// TestModelAgreesWithBuildKit compares, over the corpus and variants of
// each file, every stage reference the model resolves and the stages a
// build of the last stage reaches with what BuildKit's resolution gives,
// for each platform the platform ARGs can name.
func TestModelAgreesWithBuildKit(t *testing.T) {
	corpus := sample(t)
	files, variantsN, skipped, refs, reaches := 0, 0, 0, 0, 0
	var diffs []string
	for name, text := range corpus {
		all := map[string]string{name: text}
		for v, vt := range variants(text) {
			all[name+"+"+v] = vt
		}
		for fname, ftext := range all {
			n, r, d, skip := diffModel(ftext)
			if skip {
				skipped++
				continue
			}
			if fname == name {
				files++
			} else {
				variantsN++
			}
			refs += n
			reaches += r
			for _, line := range d {
				diffs = append(diffs, fname+": "+line)
			}
		}
	}
	slices.Sort(diffs)
	t.Logf("corpus files %d, variants %d, rejected by BuildKit %d; references checked %d, reachable sets checked %d (over %d platforms); disagreements %d",
		files, variantsN, skipped, refs, reaches, len(oracle.Platforms), len(diffs))
	if files < len(corpus)*9/10 {
		t.Errorf("only %d corpus files compared", files)
	}
	kinds := map[string]int{}
	re := regexp.MustCompile(`^[^:]*: [^ ]+ (line \d+ )?`)
	for _, d := range diffs {
		kinds[re.ReplaceAllString(d, "")]++
	}
	for k, n := range kinds {
		if n > 20 {
			t.Logf("%5d × %s", n, k)
		}
	}
	for _, d := range diffs[:min(len(diffs), 40)] {
		t.Error(d)
	}
}

// TestOracleSeesDefects checks the oracle itself on the cases the issue
// names, so that agreement means something.
func TestOracleSeesDefects(t *testing.T) {
	bk, ok := oracle.Resolve("FROM alpine AS alpine\nFROM alpine\nCOPY --from=alpine / /\n", "linux/amd64")
	if !ok {
		t.Fatal("not resolved")
	}
	want := []string{"1:image", "2:stage 0", "3:stage 0"}
	var got []string
	for _, r := range bk.Refs {
		got = append(got, fmt.Sprintf("%d:%v", r.Line, r.Res))
	}
	if !slices.Equal(got, want) {
		t.Errorf("oracle: %v, want %v", got, want)
	}
	bk, _ = oracle.Resolve("ARG TARGETARCH\nFROM alpine AS b-amd64\nFROM alpine AS b-arm64\nFROM b-${TARGETARCH}\n", "linux/arm64")
	if got := testgen.Trues(bk.Reachable); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("arm64 reaches %v, want [1 2]", got)
	}
}

// TestAddFromIsNoReference checks that only COPY's --from names a stage:
// BuildKit's ADD has no --from ("unknown flag: from"), in a stage or in an
// ONBUILD trigger.
func TestAddFromIsNoReference(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		uses int
	}{{"COPY", 2}, {"ADD", 0}, {"add", 0}} {
		text := "FROM alpine AS a\nFROM alpine AS b\n" + tc.cmd + " --from=a / /\nONBUILD " + tc.cmd + " --from=a /x /x\nFROM b\n"
		ix := Parse(NewDocument(text))
		if got := len(ix.StageUses(0)); got != tc.uses {
			t.Errorf("%s --from: stage a has %d uses, want %d: %v", tc.cmd, got, tc.uses, ix.StageUses(0))
		}
	}
}

// TestPatternCache checks that references spelt alike compile once: the
// same value twice, and two values with the same pattern, give one
// Regexp, which matches as a fresh one does.
func TestPatternCache(t *testing.T) {
	a, err := patternRegexp("build-${TARGETARCH}", RefFrom, '\\')
	if err != nil {
		t.Fatal(err)
	}
	b, _ := patternRegexp("build-${TARGETARCH}", RefFrom, '\\')
	c, _ := patternRegexp("build-$OTHER", RefFrom, '\\')
	d, _ := patternRegexp("build-$OTHER", RefCopyFrom, '\\')
	if a != b || a != c {
		t.Errorf("one pattern compiled more than once: %p %p %p", a, b, c)
	}
	if d == a || !d.MatchString("BUILD-x") || a.MatchString("BUILD-x") || !a.MatchString("build-amd64") {
		t.Errorf("the case-insensitive pattern %v is shared with, or matches as, the exact one %v", d, a)
	}
}
