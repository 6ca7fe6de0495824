// Package oracle resolves a Dockerfile's stage references as BuildKit does,
// for the tests that compare Stagehand's build model with BuildKit.
package oracle

// An oracle for the build model: BuildKit's own parser, instructions and
// shell lexer, driven by the resolution algorithm of dockerfile2llb
// (frontend/dockerfile/dockerfile2llb/convert.go, v0.34.2: defaultArgs,
// buildMetaArgs, buildDispatchStates and dispatchStates.addState,
// toCommand and detectRunMount, initOnBuildTriggers, allReachableStages).
// dockerfile2llb itself is not imported: it is some 300 packages.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Res is what BuildKit makes of one stage reference.
type Res struct {
	Kind  string // stage, image, later, bad-index, variable, empty
	Stage int    // for stage and later
}

func (r Res) String() string {
	if r.Kind == "stage" || r.Kind == "later" {
		return fmt.Sprintf("%s %d", r.Kind, r.Stage)
	}
	return r.Kind
}

// Ref is a reference BuildKit resolved, keyed by the line its
// instruction starts on and its kind and rank there. A reference of an
// ONBUILD trigger has for line -1 less the index of the stage that runs it,
// and its rank among that stage's triggers' references.
type Ref struct {
	Line int    // 1-based
	Kind string // from, copy-from, mount-from
	Rank int    // among the references of that kind in the instruction
	Res  Res
}

// Build is BuildKit's view of one Dockerfile for one platform.
type Build struct {
	Refs      []Ref
	Reachable []bool // from the last stage
	Fails     bool   // a reachable stage uses a reference the build rejects
	// Epoch is what the global SOURCE_DATE_EPOCH names (frontend 1.24,
	// dockerfile2llb's resolveSourceDateEpochValue with no client, so no
	// named context): none (unset or empty), time (a number), context,
	// stage (the first stage of that name, in any case) or invalid.
	Epoch Res
	// EpochValue is SOURCE_DATE_EPOCH's value after expansion, and
	// EpochRaw its last default as written.
	EpochValue, EpochRaw string
}

// Platforms are the platforms the differential test builds for.
var Platforms = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64"}

// state is dockerfile2llb's dispatchState, reduced to what resolution
// needs.
type state struct {
	index    int // -1 for an image (unregistered)
	name     string
	base     *state
	deps     []*state
	onbuilds []string
	line     int
}

// Resolve resolves every reference of dt as dockerfile2llb does
// for a build of platform with no build arguments and no --target. ok is
// false when BuildKit rejects the file before resolving anything.
func Resolve(dt string, platform string) (Build, bool) {
	res, err := parser.Parse(strings.NewReader(dt))
	if err != nil {
		return Build{}, false
	}
	stages, metaArgs, err := instructions.Parse(res.AST, quietLinter)
	if err != nil || len(stages) == 0 {
		return Build{}, false
	}
	lex := shell.NewLex(res.EscapeToken)

	// defaultArgs, then buildMetaArgs.
	target := stages[len(stages)-1].Name
	if target == "" {
		target = "default"
	}
	parts := strings.SplitN(platform, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	env := map[string]string{
		"BUILDPLATFORM": platform, "BUILDOS": parts[0], "BUILDOSVERSION": "", "BUILDARCH": parts[1], "BUILDVARIANT": parts[2],
		"TARGETPLATFORM": platform, "TARGETOS": parts[0], "TARGETOSVERSION": "", "TARGETARCH": parts[1], "TARGETVARIANT": parts[2],
		"TARGETSTAGE": target,
	}
	getter := func() shell.EnvGetter {
		var kv []string
		for k, v := range env {
			kv = append(kv, k+"="+v)
		}
		return shell.EnvsFromSlice(kv)
	}
	for _, cmd := range metaArgs {
		for _, kp := range cmd.Args {
			if kp.Value != nil {
				v, _, err := lex.ProcessWord(*kp.Value, getter())
				if err != nil {
					return Build{}, false
				}
				env[kp.Key] = v
			}
		}
	}
	globals := getter()

	var out Build
	out.Epoch = Res{Kind: "none"}
	for _, cmd := range metaArgs {
		for _, kp := range cmd.Args {
			if kp.Key == "SOURCE_DATE_EPOCH" && kp.Value != nil {
				out.EpochRaw = *kp.Value
			}
		}
	}
	if v, ok := env["SOURCE_DATE_EPOCH"]; ok && v != "" {
		out.EpochValue = v
		out.Epoch = Res{Kind: "invalid"}
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			out.Epoch = Res{Kind: "time"}
		} else if v == "context" {
			out.Epoch = Res{Kind: "context"}
		} else {
			for i, st := range stages {
				if strings.EqualFold(st.Name, v) {
					out.Epoch = Res{Kind: "stage", Stage: i}
					break
				}
			}
		}
	}

	byName := map[string]*state{}
	states := make([]*state, len(stages))
	// buildDispatchStates: the base is looked up, exactly, before the
	// stage's own name is registered.
	for i, st := range stages {
		base, _, err := lex.ProcessWord(st.BaseName, globals)
		line := st.Location[0].Start.Line
		ds := &state{index: i, name: st.Name, line: line}
		r := Ref{Line: line, Kind: "from"}
		switch {
		case err != nil:
			return Build{}, false
		case base == "":
			r.Res = Res{Kind: "empty"}
			out.Fails = true
		default:
			if b, ok := byName[base]; ok {
				ds.base = b
				r.Res = Res{Kind: "stage", Stage: b.index}
			} else {
				r.Res = Res{Kind: "image"}
			}
		}
		out.Refs = append(out.Refs, r)
		states[i] = ds
		if st.Name != "" {
			byName[strings.ToLower(st.Name)] = ds
		}
	}
	image := &state{index: -1}
	lookup := func(name string) *state {
		if s, ok := byName[strings.ToLower(name)]; ok {
			return s
		}
		return image
	}
	resOf := func(src *state, cur int) Res {
		switch {
		case src.index < 0:
			return Res{Kind: "image"}
		case src.index >= cur:
			return Res{Kind: "later", Stage: src.index}
		}
		return Res{Kind: "stage", Stage: src.index}
	}
	// toCommand for every command of every stage, once all are registered.
	toCommand := func(d *state, cmd instructions.Command, line int, record bool) bool {
		switch c := cmd.(type) {
		case *instructions.CopyCommand:
			if c.From == "" {
				return true
			}
			r := Ref{Line: line, Kind: "copy-from"}
			if v, _, _ := lex.ProcessWord(c.From, shell.EnvsFromSlice(nil)); v != c.From {
				r.Res = Res{Kind: "variable"}
				if record {
					out.Refs = append(out.Refs, r)
				}
				out.Fails = true // the whole build stops here
				return false
			}
			var src *state
			if n, err := strconv.Atoi(c.From); err == nil {
				if n < 0 || n >= len(states) {
					r.Res = Res{Kind: "bad-index"}
					if record {
						out.Refs = append(out.Refs, r)
					}
					out.Fails = true // the whole build stops here
					return false
				}
				src = states[n]
			} else {
				src = lookup(c.From)
			}
			r.Res = resOf(src, d.index)
			if record {
				out.Refs = append(out.Refs, r)
			}
			d.deps = append(d.deps, src)
			return r.Res.Kind != "later"
		case *instructions.RunCommand:
			ok := true
			rank := 0
			for _, m := range instructions.GetMounts(c) {
				from := m.From
				if from == "" {
					from = "scratch" // as detectRunMount does
				}
				src := lookup(from)
				d.deps = append(d.deps, src)
				if m.From == "" {
					continue
				}
				r := Ref{Line: line, Kind: "mount-from", Rank: rank, Res: resOf(src, d.index)}
				rank++
				if record {
					out.Refs = append(out.Refs, r)
				}
				ok = ok && r.Res.Kind != "later"
			}
			return ok
		case *instructions.OnbuildCommand:
			d.onbuilds = append(d.onbuilds, c.Expression)
		}
		return true
	}
	stageOK := make([]bool, len(states))
	for i, st := range stages {
		stageOK[i] = true
		for _, cmd := range st.Commands {
			line := 0
			if l, ok := cmd.(interface{ Location() []parser.Range }); ok && len(l.Location()) > 0 {
				line = l.Location()[0].Start.Line
			}
			if !toCommand(states[i], cmd, line, true) {
				stageOK[i] = false
			}
		}
	}
	// initOnBuildTriggers: a stage built FROM a stage runs its triggers.
	onbuildRank := map[int]int{}
	for _, d := range states {
		if d.base == nil {
			continue
		}
		for _, trigger := range d.base.onbuilds {
			ast, err := parser.Parse(strings.NewReader(trigger))
			if err != nil || len(ast.AST.Children) != 1 {
				continue
			}
			ic, err := instructions.ParseCommand(ast.AST.Children[0])
			if err != nil {
				continue
			}
			from := len(out.Refs)
			if !toCommand(d, ic, -1-d.index, true) {
				stageOK[d.index] = false
			}
			for k := from; k < len(out.Refs); k++ {
				out.Refs[k].Rank = onbuildRank[d.index]
				onbuildRank[d.index]++
			}
		}
	}
	// allReachableStages from the last stage.
	out.Reachable = make([]bool, len(states))
	var visit func(s *state)
	visit = func(s *state) {
		if s.index < 0 || out.Reachable[s.index] {
			return
		}
		out.Reachable[s.index] = true
		if !stageOK[s.index] {
			out.Fails = true
		}
		if s.base != nil {
			visit(s.base)
		}
		for _, d := range s.deps {
			visit(d)
		}
	}
	visit(states[len(states)-1])
	return out, true
}

// quietLinter reports nothing. instructions.Parse needs one: with nil it
// panics on an instruction that has a `# check=` comment above it
// (BuildKit v0.34.2, Linter.WithMergedConfigFromComments on nil).
var quietLinter = linter.New(&linter.Config{})
