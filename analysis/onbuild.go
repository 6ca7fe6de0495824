package analysis

// fromPick returns the earlier stage the ARG defaults make stage t's FROM
// name when it is built from variables (`FROM ${S}`), else -1; readBase
// reads the same from the model's references once t's are read, and
// builtFrom asks before they are.
func (m *Model) fromPick(t int) int {
	first := m.ix.stages[t].first
	for _, r := range m.ix.inst(first).Refs {
		if r.Kind != RefFrom || r.Resolution != ResolvesVariable {
			continue
		}
		pick := m.defaultPick(StageRef{Kind: RefFrom, Value: r.Value.Value, Instruction: first, Stage: t, Resolution: r.Resolution, Target: r.Target, Pattern: -1})
		if pick >= 0 && pick < t {
			return pick
		}
	}
	return -1
}
