package diag

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

func TestComputeRules(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // rule of each diagnostic
	}{
		{"clean", "FROM alpine\n", nil},
		{"instruction", "FROM alpine\nRUNN x\n", []string{InstructionError}},
		{"parse", "FROM alpine\nRUN <<EOF\necho\n", []string{ParseError}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range Compute(analysis.Parse(analysis.NewDocument(tc.text))) {
				got = append(got, d.Rule)
				if d.Severity != Error {
					t.Errorf("%s has severity %v, want error", d.Rule, d.Severity)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		})
	}
}
