package analysis

import "strings"

// UnnamedState is a build state BuildKit adds, after the stages, for an
// image that an instruction names where a stage could stand: dockerfile2llb
// (buildStageDependencyGraph, v0.34.2) appends one to its list of states
// for every `COPY --from=<image>` and for every RUN mount whose from=
// (scratch when there is none) names no stage, each time, in document
// order. A numeric `--from` is an index into that list, so `--from=N`
// with N past the last stage names such a state when enough were added
// before it.
type UnnamedState struct {
	// Image is what the state holds: the image named, or "scratch" (an
	// empty file system) for a mount without from=.
	Image string
	// Instruction is the instruction that adds it; Mount is set when it
	// is a RUN mount.
	Instruction int
	Mount       bool
}

// unnamedStates returns the states BuildKit adds before instruction
// limit, in its order (its walk of each stage's instructions); limit -1
// for all of them. ONBUILD triggers, which BuildKit reads only once the
// graph is built, add none here.
func (m *Model) unnamedStates(limit int) []UnnamedState {
	ix := m.ix
	var out []UnnamedState
	for s := range ix.StageCount() {
		rec := ix.stages[s]
		if limit >= 0 && rec.first >= limit {
			break
		}
		var copies []StageRef
		for r := range m.RefsIn(s) {
			if !r.Onbuild && r.Kind == RefCopyFrom && r.Resolution == ResolvesImage {
				copies = append(copies, r)
			}
		}
		for i := rec.first + 1; i < rec.end && (limit < 0 || i < limit); i++ {
			for len(copies) > 0 && copies[0].Instruction < i {
				copies = copies[1:]
			}
			if len(copies) > 0 && copies[0].Instruction == i {
				out = append(out, UnnamedState{Image: copies[0].Value, Instruction: i})
				continue
			}
			n := ix.Node(i)
			if n.Cmd != "run" {
				continue
			}
			for _, mt := range ix.Mounts(n) {
				from, ok := mt.Value("from")
				if !ok || from == "" {
					from = "scratch"
				}
				if len(ix.byName[strings.ToLower(from)]) == 0 {
					out = append(out, UnnamedState{Image: from, Instruction: i, Mount: true})
				}
			}
		}
	}
	return out
}

// IndexedState returns the state BuildKit's numeric reference r names
// when its index is past the last stage (ResolvesOutOfRange): one of the
// states earlier instructions add (UnnamedState), with the index it has
// among them; false when there are too few and BuildKit fails with
// "invalid stage index". An ONBUILD trigger's reference is read once the
// whole file's states are in.
func (m *Model) IndexedState(r StageRef) (UnnamedState, bool) {
	if r.Resolution != ResolvesOutOfRange || !r.Numeric {
		return UnnamedState{}, false
	}
	k := atoi(r.Value) - m.ix.StageCount()
	if k < 0 {
		return UnnamedState{}, false
	}
	limit := r.Instruction
	if r.Onbuild {
		limit = -1
	}
	states := m.unnamedStates(limit)
	if k >= len(states) {
		return UnnamedState{}, false
	}
	return states[k], true
}
