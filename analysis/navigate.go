package analysis

import (
	"fmt"
	"regexp"
	"strings"
)

// RefAt returns the stage reference whose value contains off.
func (ix *Index) RefAt(off int) (StageRef, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return StageRef{}, false
	}
	for _, r := range n.Refs {
		if span := n.Abs(r.Value.Span); span.Contains(off) {
			return StageRef{
				Kind: r.Kind, Value: r.Value.Value, Span: span, Numeric: r.Numeric,
				Instruction: n.Index, Stage: ix.StageOf(n.Index), Resolution: r.Resolution, Target: r.Target,
			}, true
		}
	}
	return StageRef{}, false
}

// StageNameAt returns the stage whose `AS name` contains off.
func (ix *Index) StageNameAt(off int) (int, bool) {
	n, ok := ix.NodeAt(off)
	if !ok || n.Cmd != "from" || n.Name == nil || !n.Abs(n.Name.Span).Contains(off) {
		return -1, false
	}
	return ix.StageOf(n.Index), true
}

// StageUses returns the references that name stage s: those that resolve to
// it and those that name it from too early (which BuildKit rejects), in
// document order.
func (ix *Index) StageUses(s int) []StageRef {
	var out []StageRef
	for _, r := range ix.Refs() {
		if r.Target == s && (r.Resolution == ResolvesStage || r.Resolution == ResolvesLaterStage) {
			out = append(out, r)
		}
	}
	return out
}

// Dependencies returns the stages that stage s builds on or copies from,
// each once, in order of first mention.
func (ix *Index) Dependencies(s int) []int {
	var out []int
	seen := map[int]bool{}
	rec := ix.stages[s]
	for i := rec.first; i < rec.end; i++ {
		for _, r := range ix.inst(i).Refs {
			if r.Resolution == ResolvesStage && !seen[r.Target] {
				seen[r.Target] = true
				out = append(out, r.Target)
			}
		}
	}
	return out
}

var stageNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-_.]*$`)

// ReservedStageNames are names BuildKit gives a meaning of their own.
var ReservedStageNames = []string{"scratch", "context"}

// CheckStageName returns why name cannot name a stage, or nil. BuildKit
// lower-cases names before it checks them.
func CheckStageName(name string) error {
	lower := strings.ToLower(name)
	if !stageNamePattern.MatchString(lower) {
		return fmt.Errorf("%q is not a valid stage name: it must start with a letter and contain only letters, digits, '-', '_' and '.'", name)
	}
	for _, r := range ReservedStageNames {
		if lower == r {
			return fmt.Errorf("%q is reserved and cannot name a stage", name)
		}
	}
	return nil
}

// StageLabel names stage s for people: its name, or its index and base.
func (ix *Index) StageLabel(s int) string {
	st := ix.Stage(s)
	if st.Name != "" {
		return st.Name
	}
	return fmt.Sprintf("stage %d (%s)", s, st.Base)
}
