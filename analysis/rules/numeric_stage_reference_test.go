package rules

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

// The state-index cases: `COPY --from=N` past the last stage, after
// instructions that make BuildKit add states (COPY --from=<image>, RUN
// mounts whose from= names no stage, with or without a stage named
// scratch). tools/buildkit-parity -cases -sources gives, for each, BuildKit's
// build error or the images its LLB of the last stage reads.
// STAGEHAND_UPDATE_PARITY=1 rewrites cases.json; the golden then comes
// from the tool:
//
//	cd tools/buildkit-parity && go run . -sources -cases ../../testdata/buildkit-parity/stateindex/cases.json
const stateIndexDir = "../../testdata/buildkit-parity/stateindex"

// stateIndexCases generates the cases. Every image an earlier stage names
// has its own tag (busybox:t3), so the LLB shows which one an index reads.
func stateIndexCases() []string {
	tag := 0
	next := func() string { tag++; return fmt.Sprintf("t%d", tag) }
	pieces := []func(last bool) string{
		func(bool) string { return "" },
		func(bool) string { return "COPY --from=busybox:" + next() + " /bin/sh /sh\n" },
		func(bool) string { return "RUN --mount=type=cache,target=/c true\n" },
		func(bool) string { return "RUN --mount=from=debian:" + next() + ",target=/m true\n" },
		func(bool) string {
			return "RUN --mount=type=cache,target=/c --mount=from=debian:" + next() + ",target=/m true\n"
		},
		func(bool) string {
			return "COPY --from=busybox:" + next() + " /a /a\nCOPY --from=busybox:" + next() + " /b /b\n"
		},
		func(bool) string { return "RUN --mount=from=Unused,target=/m true\n" }, // a stage: adds nothing
	}
	var out []string
	for p1 := range pieces[:6] {
		for p2 := range pieces {
			for _, p3 := range []int{0, 2, 1} {
				for _, scratch := range []bool{false, true} {
					n := 3
					if scratch {
						n = 4
					}
					for idx := n; idx < n+4; idx++ {
						for _, before := range []bool{true, false} {
							var b strings.Builder
							b.WriteString("FROM alpine AS unused\n" + pieces[p1](false))
							if scratch {
								b.WriteString("FROM busybox AS scratch\n")
							}
							b.WriteString("FROM alpine AS mid\n" + pieces[p2](false))
							b.WriteString("FROM alpine\n")
							copyN := fmt.Sprintf("COPY --from=%d /x /y\n", idx)
							if before {
								b.WriteString(copyN)
							}
							b.WriteString(pieces[p3](true))
							if !before {
								b.WriteString(copyN)
							}
							out = append(out, b.String())
						}
					}
				}
			}
		}
	}
	return out
}

type stateIndexResult struct {
	Dockerfile string   `json:"dockerfile"`
	Error      string   `json:"error,omitempty"`
	Line       int      `json:"line,omitempty"`
	Images     []string `json:"images,omitempty"`
}

var taggedImage = regexp.MustCompile(`(busybox|debian):t\d+`)

// TestNumericIndexMatchesBuildKit holds NumericStageReference to BuildKit
// on every state-index case: it reports an error exactly when BuildKit
// fails, on BuildKit's line; otherwise a warning naming the state
// (Model.IndexedState) whose image is the one of the earlier stages' that
// BuildKit's LLB reads (none for scratch), and BuildKit reads no other.
func TestNumericIndexMatchesBuildKit(t *testing.T) {
	golden := readParityCases(t, filepath.Join(stateIndexDir, "cases.json"), func() []string { return stateIndexCases() }, "tools/buildkit-parity -sources -cases",
		func(r stateIndexResult) string { return r.Dockerfile })
	failing, named, inLLB, bad := 0, 0, 0, 0
	for _, want := range golden {
		ix := analysis.Parse(analysis.NewDocument(want.Dockerfile))
		var got, fails *Diagnostic
		for _, d := range Run(ix, nil) {
			if d.Rule == NumericStageReference.Name {
				got = &d
			}
			if d.Severity == Error && failsBuild(d.Rule) && fails == nil {
				fails = &d
			}
		}
		var problem string
		switch {
		case got == nil:
			problem = "no NumericStageReference finding"
		case want.Error != "" && !strings.HasPrefix(want.Error, "invalid stage index"):
			failing++ // another failure (a mount before a stage named scratch)
			if fails == nil {
				problem = "BuildKit fails (" + want.Error + "); we report no error"
			}
		case want.Error != "":
			failing++
			if got.Severity != Error {
				problem = fmt.Sprintf("BuildKit fails (%s); we say %q", want.Error, got.Message)
			} else if line := ix.Doc.LineOf(got.Span.Start) + 1; want.Line != 0 && line != want.Line {
				problem = fmt.Sprintf("BuildKit fails on line %d; we report line %d", want.Line, line)
			}
		case fails != nil:
			problem = "BuildKit builds it; we report " + fails.Rule + ": " + fails.Message
		default:
			named++
			var ref analysis.StageRef
			for _, r := range ix.Model().Refs() {
				if r.Numeric && r.Span == got.Span {
					ref = r
				}
			}
			st, ok := ix.Model().IndexedState(ref)
			wantImage := ""
			if ok && st.Image != "scratch" {
				wantImage = st.Image
			}
			// The images the last stage names itself are in its LLB
			// anyway: the check is on the earlier stages' only.
			last := ix.Stage(ix.StageCount() - 1)
			ownImages := taggedImage.FindAllString(ix.Doc.Slice(last.Span), -1)
			if contains(ownImages, wantImage) {
				wantImage = ""
			}
			if wantImage != "" {
				inLLB++
			}
			var read []string
			for _, id := range want.Images {
				if m := taggedImage.FindString(id); m != "" && !contains(ownImages, m) {
					read = append(read, m)
				}
			}
			switch {
			case !ok:
				problem = "a warning without a state"
			case wantImage == "" && len(read) > 0 || wantImage != "" && (len(read) != 1 || read[0] != wantImage):
				problem = fmt.Sprintf("we say it names %q (%s); BuildKit's LLB reads %q", st.Image, got.Message, read)
			case !strings.Contains(got.Message, st.Image):
				problem = "the message does not name " + st.Image
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
	t.Logf("%d cases: %d failing in BuildKit, %d naming a state (%d an earlier stage's image, found in BuildKit's LLB)", len(golden), failing, named, inLLB)
	if len(golden) < 1000 || failing < 100 || named < 300 || inLLB < 200 {
		t.Errorf("too few cases compared: %d cases, %d failing, %d naming a state", len(golden), failing, named)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestIncrementalIndexedState edits the first stage of a file whose last
// stage copies from an index past the stages: removing the COPY that adds
// the state it names makes it an error, and adding it back a warning
// again, in an incremental run as in a full one (the last stage's text
// is unchanged).
func TestIncrementalIndexedState(t *testing.T) {
	text := "FROM alpine AS a\nCOPY --from=busybox /bin/sh /sh\nFROM alpine AS b\nRUN true\nFROM alpine\nCOPY --from=3 /sh /sh\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	cache := &Cache{}
	severity := func(ds []Diagnostic) Severity {
		for _, d := range ds {
			if d.Rule == NumericStageReference.Name {
				return d.Severity
			}
		}
		return -1
	}
	if got := severity(Run(ix, &Config{Cache: cache})); got != Warning {
		t.Fatalf("before the edit: severity %v, want a warning", got)
	}
	line := "COPY --from=busybox /bin/sh /sh"
	for k, e := range []analysis.Edit{
		{Span: analysis.Span{Start: strings.Index(text, line), End: strings.Index(text, line) + len(line)}, Text: "RUN true"},
		{Span: analysis.Span{Start: strings.Index(text, line), End: strings.Index(text, line) + len("RUN true")}, Text: line},
	} {
		doc, err := ix.Doc.Apply(e)
		if err != nil {
			t.Fatal(err)
		}
		ix = ix.Update(doc, e)
		full, incremental := Run(analysis.Parse(doc), &Config{}), Run(ix, &Config{Cache: cache})
		want := []Severity{Error, Warning}[k]
		if got := severity(full); got != want {
			t.Fatalf("edit %d: a full run gives severity %v, want %v", k, got, want)
		}
		if d := cmp.Diff(full, incremental); d != "" {
			t.Fatalf("edit %d (-full +incremental):\n%s", k, d)
		}
	}
}
