package analysis

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// RefAt returns the stage reference whose value contains off: for an
// ONBUILD trigger run by several stages, as the first of them runs it.
func (ix *Index) RefAt(off int) (StageRef, bool) {
	n, ok := ix.NodeAt(off)
	if !ok {
		return StageRef{}, false
	}
	refs := ix.Refs()
	k := sort.Search(len(refs), func(k int) bool { return refs[k].Instruction >= n.Index })
	for ; k < len(refs) && refs[k].Instruction == n.Index; k++ {
		if refs[k].Span.Contains(off) {
			return refs[k], true
		}
	}
	return StageRef{}, false
}

// StageUses returns the references that name stage s: those that resolve to
// it, those that name it from too early (which BuildKit rejects) and those
// built from variables whose pattern can name it, in document order.
func (ix *Index) StageUses(s int) []StageRef {
	m := ix.Model()
	var out []StageRef
	last := Span{-1, -1}
	refs := m.Refs()
	for k := range refs {
		r := &refs[k]
		if r.Target != s && r.Pattern < 0 {
			continue
		}
		if r.Span != last && m.CanName(r, s) {
			out = append(out, *r)
			last = r.Span // an ONBUILD trigger run by several stages counts once
		}
	}
	return out
}

// Dependencies returns the stages that stage s builds on or copies from,
// each once, in order of first mention, as the default build resolves them.
func (ix *Index) Dependencies(s int) []int {
	var out []int
	seen := map[int]bool{}
	for _, r := range ix.Model().StageRefs(s) {
		if r.Resolution == ResolvesStage || (r.Pattern >= 0 && r.Target >= 0 && r.Target < s) {
			if !seen[r.Target] {
				seen[r.Target] = true
				out = append(out, r.Target)
			}
		}
	}
	return out
}

// BuildTargets returns the stages built by a build of the named targets
// (case-insensitively, as `--target` picks them) and the last stage, which
// a plain build produces.
func (ix *Index) BuildTargets(names []string) []int {
	var out []int
	if n := len(ix.stages); n > 0 {
		out = append(out, n-1)
	}
	for _, name := range names {
		if s := ix.StageByName(name); s >= 0 {
			out = append(out, s)
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
