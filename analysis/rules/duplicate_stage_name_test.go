package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TestDuplicateStageNameOnLater checks that, as BuildKit does, only the
// later declarations are reported, each pointing to the first.
func TestDuplicateStageNameOnLater(t *testing.T) {
	text := "FROM alpine AS base\nFROM debian AS Base\nFROM busybox AS base\nFROM base\n"
	ix := analysis.Parse(analysis.NewDocument(text))
	var got []string
	for _, d := range Run(ix, nil) {
		if d.Rule != "DuplicateStageName" {
			continue
		}
		line := ix.Doc.LineOf(d.Span.Start) + 1
		for _, r := range d.Related {
			got = append(got, ix.Doc.Slice(d.Span)+"@"+string(rune('0'+line))+" -> "+ix.Doc.Slice(r.Span)+"@"+string(rune('0'+ix.Doc.LineOf(r.Span.Start)+1)))
		}
	}
	want := []string{"Base@2 -> base@1", "base@3 -> base@1"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
