package analysis

import "strings"

// UnnamedState is a build state BuildKit adds, after the stages, for an
// image that an instruction names where a stage could stand: dockerfile2llb
// (buildStageDependencyGraph, v0.34.2) appends one to its list of states
// for every `COPY --from=<image>` and for every RUN mount whose from=
// (scratch when there is none) names no stage, each time, in document
// order. A numeric `--from` is an index into that list, so `--from=N`
// with N past the last stage names such a state when enough were added
// before it; and since BuildKit appends every unregistered state an
// instruction reads, such a `--from=N` appends the state it names once
// more.
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
			if !r.Onbuild && r.Kind == RefCopyFrom && (r.Resolution == ResolvesImage || r.Resolution == ResolvesOutOfRange && r.Numeric) {
				copies = append(copies, r)
			}
		}
		for i := rec.first + 1; i < rec.end && (limit < 0 || i < limit); i++ {
			for len(copies) > 0 && copies[0].Instruction < i {
				copies = copies[1:]
			}
			if len(copies) > 0 && copies[0].Instruction == i {
				if copies[0].Numeric {
					out = m.readAgain(out, copies[0].Value)
				} else {
					out = append(out, UnnamedState{Image: copies[0].Value, Instruction: i})
				}
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
// whole file's states are in, and those that the triggers before it add
// in the stage running them (onbuildStates): dockerfile2llb reads the
// triggers only in resolveStages, after buildStageDependencyGraph, and
// appends their states as it reads each. When several stages built FROM
// the same stage run such triggers, BuildKit takes them in the order of a
// Go map, so the states other stages' triggers add, which could come
// first, are not counted.
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
	if r.Onbuild {
		// The triggers run in the child in order, each adding its states
		// before the next is read (initOnBuildTriggers).
		ix := m.ix
		for j := ix.stages[ix.StageOf(r.Instruction)].first; j < r.Instruction; j++ {
			if ix.inst(j).Cmd == "onbuild" {
				states = m.onbuildStates(j, states)
			}
		}
	}
	if k >= len(states) {
		return UnnamedState{}, false
	}
	return states[k], true
}

// onbuildStates appends to out (the states so far) those the trigger of
// ONBUILD instruction i adds when a stage built FROM its stage runs it:
// as in the stage itself, one for a `COPY --from=<image>` (a name no
// stage has), the state again for a `COPY --from=N` naming an unnamed
// one, and one for every RUN mount whose from= (scratch when there is
// none) names no stage (dockerfile2llb's toCommand and detectRunMount,
// called by initOnBuildTriggers).
func (m *Model) onbuildStates(i int, out []UnnamedState) []UnnamedState {
	ix := m.ix
	n := ix.Node(i)
	src := ix.Doc.Slice(n.Span())
	cmd, flags := triggerFlags(n.Instruction)
	for f := range flags {
		switch {
		case f.Name == "from" && TakesFrom(cmd) && isNumber(f.Value):
			out = m.readAgain(out, f.Value)
		case f.Name == "from" && TakesFrom(cmd):
			if !strings.Contains(f.Value, "$") && len(ix.byName[strings.ToLower(f.Value)]) == 0 {
				out = append(out, UnnamedState{Image: f.Value, Instruction: i})
			}
		case f.Name == "mount" && cmd == "run":
			from := "scratch"
			if fl, ok := f.mount(src, ix.Escape).Field("from"); ok && fl.HasValue && fl.Value.Value != "" {
				from = fl.Value.Value
			}
			if len(ix.byName[strings.ToLower(from)]) == 0 {
				out = append(out, UnnamedState{Image: from, Instruction: i, Mount: true})
			}
		}
	}
	return out
}

// readAgain appends to out (the states so far) the unnamed state the
// numeric `--from=` index names, when it names one: dockerfile2llb adds
// every unregistered state an instruction reads to its list, again.
func (m *Model) readAgain(out []UnnamedState, index string) []UnnamedState {
	if k := atoi(index) - m.ix.StageCount(); k >= 0 && k < len(out) {
		return append(out, out[k])
	}
	return out
}
