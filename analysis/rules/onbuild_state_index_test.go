package rules

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// The ONBUILD state-index cases: an ONBUILD trigger `COPY --from=N /x
// /picked` past the last stage, among triggers that add states when the
// stage built on them runs them (COPY --from=<image>, RUN mounts whose
// from= names no stage), with states the file's own instructions add
// before and after. tools/buildkit-parity -cases -copyfrom /picked gives,
// for each, BuildKit's build error or what the LLB's copy to /picked
// reads. STAGEHAND_UPDATE_PARITY=1 rewrites cases.json; the golden then
// comes from the tool:
//
//	cd tools/buildkit-parity && go run . -copyfrom /picked -cases ../../testdata/buildkit-parity/onbuildindex/cases.json
const onbuildIndexDir = "../../testdata/buildkit-parity/onbuildindex"

// onbuildIndexCases generates the cases; every image has its own tag.
func onbuildIndexCases() []string {
	tag := 0
	next := func() string { tag++; return fmt.Sprintf("t%d", tag) }
	// n is the stage count: --from=n names the first unnamed state, and
	// appends it again.
	triggers := []func(n int) string{
		func(int) string { return "" },
		func(int) string { return "ONBUILD COPY --from=busybox:" + next() + " /a /a\n" },
		func(int) string { return "ONBUILD RUN --mount=type=cache,target=/c true\n" },
		func(int) string { return "ONBUILD RUN --mount=from=debian:" + next() + ",target=/m true\n" },
		func(int) string { return "ONBUILD RUN --mount=from=mid,target=/m true\n" }, // a stage: adds nothing
		func(int) string {
			return "ONBUILD COPY --from=busybox:" + next() + " /a /a\nONBUILD RUN --mount=type=cache,target=/c --mount=from=debian:" + next() + ",target=/m true\n"
		},
		func(n int) string { return fmt.Sprintf("ONBUILD COPY --from=%d /a /a\n", n) },
	}
	own := []func(n int) string{
		func(int) string { return "" },
		func(int) string { return "COPY --from=busybox:" + next() + " /b /b\n" },
		func(int) string { return "RUN --mount=type=cache,target=/c true\n" },
		func(n int) string {
			return "COPY --from=busybox:" + next() + " /b /b\n" + fmt.Sprintf("COPY --from=%d /c /c\n", n)
		},
	}
	var out []string
	for before := range triggers {
		for _, after := range []int{0, 1, 2} {
			for midPiece := range own {
				for _, lastPiece := range []int{0, 1, 3} {
					for _, scratch := range []bool{false, true} {
						n := 3
						if scratch {
							n = 4
						}
						for idx := n; idx < n+5; idx++ {
							var b strings.Builder
							if scratch {
								b.WriteString("FROM busybox AS scratch\n")
							}
							b.WriteString("FROM alpine AS base\n" + triggers[before](n))
							fmt.Fprintf(&b, "ONBUILD COPY --from=%d /x /picked\n", idx)
							b.WriteString(triggers[after](n))
							b.WriteString("FROM alpine AS mid\n" + own[midPiece](n))
							b.WriteString("FROM base\n" + own[lastPiece](n))
							out = append(out, b.String())
						}
					}
				}
			}
		}
	}
	return out
}

type onbuildIndexResult struct {
	Dockerfile string   `json:"dockerfile"`
	Error      string   `json:"error,omitempty"`
	Line       int      `json:"line,omitempty"`
	CopyFrom   []string `json:"copyFrom,omitempty"`
}

var llbImage = regexp.MustCompile(`^docker-image://docker\.io/library/((?:busybox|debian):t\d+)(@.*)?$`)

// TestOnbuildIndexMatchesBuildKit holds NumericStageReference and
// Model.IndexedState to BuildKit on an ONBUILD trigger's numeric index:
// an error exactly when BuildKit fails with "invalid stage index", on the
// trigger, related to the line BuildKit gives (the FROM of the stage
// running the trigger, TriggerRun);
// otherwise a warning naming the state whose image (or scratch) BuildKit's
// copy reads. The states the earlier triggers add count, after every
// state the file's own instructions add.
func TestOnbuildIndexMatchesBuildKit(t *testing.T) {
	golden := readParityCases(t, filepath.Join(onbuildIndexDir, "cases.json"), onbuildIndexCases, "tools/buildkit-parity -copyfrom /picked -cases",
		func(r onbuildIndexResult) string { return r.Dockerfile })
	failing, named, byTrigger, bad := 0, 0, 0, 0
	for _, want := range golden {
		ix := analysis.Parse(analysis.NewDocument(want.Dockerfile))
		var got *Diagnostic
		for _, d := range Run(ix, nil) {
			if d.Rule != NumericStageReference.Name {
				continue
			}
			if strings.HasSuffix(lineOf(ix, d.Span.Start), " /picked") {
				got = &d
			}
		}
		var problem string
		switch {
		case got == nil:
			problem = "no NumericStageReference finding"
		case want.Error != "":
			failing++
			if !strings.HasPrefix(want.Error, "invalid stage index") {
				problem = "BuildKit fails otherwise: " + want.Error
			} else if got.Severity != Error {
				problem = fmt.Sprintf("BuildKit fails (%s); we say %q", want.Error, got.Message)
			} else if i := slices.IndexFunc(got.Related, TriggerRun); i < 0 || ix.Doc.LineOf(got.Related[i].Span.Start)+1 != want.Line {
				problem = fmt.Sprintf("BuildKit fails (%s) on line %d, the FROM running the trigger; our error relates %v", want.Error, want.Line, got.Related)
			}
		default:
			named++
			var ref analysis.StageRef
			for _, r := range ix.Model().Refs() {
				if r.Numeric && r.Span == got.Span {
					ref = r
				}
			}
			st, ok := ix.Model().IndexedState(ref)
			read := ""
			if len(want.CopyFrom) == 1 {
				read = want.CopyFrom[0]
				if m := llbImage.FindStringSubmatch(read); m != nil {
					read = m[1]
				}
			}
			if ok && ix.Node(st.Instruction).Cmd == "onbuild" {
				byTrigger++
			}
			switch {
			case !ok:
				problem = "a warning without a state: " + got.Message
			case st.Image != read:
				problem = fmt.Sprintf("we say it names %q (%s); BuildKit's copy reads %q", st.Image, got.Message, want.CopyFrom)
			case got.Severity != Warning || !strings.Contains(got.Message, st.Image):
				problem = "the warning does not name " + st.Image + ": " + got.Message
			}
		}
		if problem != "" {
			bad++
			if bad <= 30 {
				t.Errorf("%q: %s", want.Dockerfile, problem)
			}
		}
	}
	if bad > 30 {
		t.Errorf("... %d disagreements in all", bad)
	}
	t.Logf("%d cases: %d failing in BuildKit, %d naming a state (%d one an earlier trigger adds)", len(golden), failing, named, byTrigger)
	if len(golden) < 1000 || failing < 100 || named < 300 || byTrigger < 100 {
		t.Errorf("too few cases compared: %d cases, %d failing, %d naming a state, %d by a trigger", len(golden), failing, named, byTrigger)
	}
}

// lineOf returns the text of the line holding off.
func lineOf(ix *analysis.Index, off int) string {
	text := ix.Doc.Text()
	start := strings.LastIndexByte(text[:off], '\n') + 1
	end := strings.IndexByte(text[off:], '\n')
	if end < 0 {
		return text[start:]
	}
	return text[start : off+end]
}
