package rules

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stagehand-ls/stagehand/analysis"
)

// The epoch cases: a global `ARG SOURCE_DATE_EPOCH` naming a stage (or
// not), and stages of every kind BuildKit's sourceDateEpochStageSource
// judges. tools/buildkit-parity -cases gives BuildKit's verdict on each.
// STAGEHAND_UPDATE_PARITY=1 rewrites cases.json; the golden then comes
// from the tool:
//
//	cd tools/buildkit-parity && go run . -cases ../../testdata/buildkit-parity/epoch/cases.json
const epochDir = "../../testdata/buildkit-parity/epoch"

func epochCases() []string {
	values := []string{"stamp", "Stamp", "12345", "context", "nosuch", "${S:-stamp}", "${S}"}
	bases := []string{"scratch", "alpine", "${B}", "${B:-scratch}", "${NOPE:-scratch}", "Scratch"}
	bodies := []string{
		"ADD https://example.com/a.tar.gz /\n",
		"ADD https://github.com/moby/buildkit.git#v0.34.2 /\n",
		"ADD git@github.com:moby/buildkit.git /\n",
		"ADD github.com/moby/buildkit /\n",
		"ADD ./local /\n",
		"ADD https://example.com/a https://example.com/b /\n",
		"ADD <<EOT /x\nhi\nEOT\n",
		"ADD https://example.com/a /\nADD https://example.com/b /\n",
		"",
		"ARG U=https://example.com/a.tar.gz\nADD $U /\n",
		"ARG V\nADD ${V} /\n",
		"ADD ${B} /\n",
		"RUN true\nADD https://example.com/a /\n",
		"ADD https://example.com/a /\nCOPY x /\n",
		"ADD --checksum=sha256:bad https://example.com/a /\n",
		"ADD --checksum=sha256:" + strings.Repeat("ab", 32) + " https://example.com/a /\n",
		"LABEL a=b\nADD https://example.com/a /\n",
		"ENV X=1\nADD https://example.com/a /\n",
		"ONBUILD RUN x\n",
		"ARG W=${B}x\nADD https://example.com/$W /\n",
	}
	var out []string
	for _, v := range values {
		for _, globalB := range []bool{false, true} {
			for _, base := range bases {
				for _, body := range bodies {
					var b strings.Builder
					if globalB {
						b.WriteString("ARG B=scratch\n")
					}
					fmt.Fprintf(&b, "ARG SOURCE_DATE_EPOCH=%s\nFROM %s AS stamp\n%sFROM alpine\nRUN echo built\n", v, base, body)
					out = append(out, b.String())
				}
			}
		}
	}
	return out
}

// TestSourceDateEpochStageMatchesBuildKit holds SourceDateEpochStage to
// BuildKit on every epoch case: BuildKit fails exactly when we report an
// error of a rule that fails the build; where BuildKit's failure is the
// epoch stage's, we report it with BuildKit's message on its line.
func TestSourceDateEpochStageMatchesBuildKit(t *testing.T) {
	golden := readParityCases(t, filepath.Join(epochDir, "cases.json"), func() []string { return epochCases() }, "tools/buildkit-parity -cases",
		func(r dispatchResult) string { return r.Dockerfile })
	epochFails, otherMissed, bad := 0, 0, 0
	for _, want := range golden {
		ix := analysis.Parse(analysis.NewDocument(want.Dockerfile))
		var ours, fails *Diagnostic
		for _, d := range Run(ix, nil) {
			if d.Rule == SourceDateEpochStage.Name {
				ours = &d
			}
			if d.Severity == Error && failsBuild(d.Rule) && fails == nil {
				fails = &d
			}
		}
		epochErr := strings.Contains(want.Error, "SOURCE_DATE_EPOCH")
		if epochErr {
			epochFails++
		}
		var problem string
		switch {
		case want.Error == "" && fails != nil:
			problem = fmt.Sprintf("BuildKit builds it; we report %s: %s", fails.Rule, fails.Message)
		case epochErr && fails == nil:
			problem = "BuildKit fails (" + want.Error + "); we report nothing"
		case want.Error != "" && fails == nil:
			// Another failure, before the epoch stage is read (a blank or
			// upper-case base name): not this rule's; counted.
			otherMissed++
		case epochErr && ours == nil:
			problem = "BuildKit fails (" + want.Error + "); we report " + fails.Rule + ": " + fails.Message
		case ours != nil && ours.Message != want.Error:
			problem = fmt.Sprintf("message %q, BuildKit's %q", ours.Message, want.Error)
		case ours != nil && want.Line != 0 && ix.Doc.LineOf(ours.Span.Start)+1 != want.Line:
			problem = fmt.Sprintf("BuildKit fails on line %d; we report line %d", want.Line, ix.Doc.LineOf(ours.Span.Start)+1)
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
	t.Logf("%d cases, %d failing in BuildKit on the epoch stage; %d failing otherwise, unreported", len(golden), epochFails, otherMissed)
	if len(golden) < 1000 || epochFails < 300 {
		t.Errorf("too few cases compared: %d cases, %d failing on the epoch stage", len(golden), epochFails)
	}
}
