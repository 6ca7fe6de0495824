package analysis

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
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// bkRes is what BuildKit makes of one stage reference.
type bkRes struct {
	Kind  string // stage, image, later, bad-index, variable, empty
	Stage int    // for stage and later
}

func (r bkRes) String() string {
	if r.Kind == "stage" || r.Kind == "later" {
		return fmt.Sprintf("%s %d", r.Kind, r.Stage)
	}
	return r.Kind
}

// bkRef is a reference BuildKit resolved, keyed by the line its
// instruction starts on and its kind and rank there.
type bkRef struct {
	Line int // 1-based
	Kind RefKind
	Rank int // among the references of that kind in the instruction
	Res  bkRes
}

// bkBuild is BuildKit's view of one Dockerfile for one platform.
type bkBuild struct {
	Refs      []bkRef
	Reachable []bool // from the last stage
	Fails     bool   // a reachable stage uses a reference the build rejects
}

// oraclePlatforms are the platforms the differential test builds for.
var oraclePlatforms = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64"}

// bkState is dockerfile2llb's dispatchState, reduced to what resolution
// needs.
type bkState struct {
	index    int // -1 for an image (unregistered)
	name     string
	base     *bkState
	deps     []*bkState
	onbuilds []string
	line     int
}

// buildkitResolve resolves every reference of dt as dockerfile2llb does
// for a build of platform with no build arguments and no --target. ok is
// false when BuildKit rejects the file before resolving anything.
func buildkitResolve(dt string, platform string) (bkBuild, bool) {
	res, err := parser.Parse(strings.NewReader(dt))
	if err != nil {
		return bkBuild{}, false
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil || len(stages) == 0 {
		return bkBuild{}, false
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
					return bkBuild{}, false
				}
				env[kp.Key] = v
			}
		}
	}
	globals := getter()

	var out bkBuild
	byName := map[string]*bkState{}
	states := make([]*bkState, len(stages))
	// buildDispatchStates: the base is looked up, exactly, before the
	// stage's own name is registered.
	for i, st := range stages {
		base, _, err := lex.ProcessWord(st.BaseName, globals)
		line := st.Location[0].Start.Line
		ds := &bkState{index: i, name: st.Name, line: line}
		r := bkRef{Line: line, Kind: RefFrom}
		switch {
		case err != nil:
			return bkBuild{}, false
		case base == "":
			r.Res = bkRes{Kind: "empty"}
			out.Fails = true
		default:
			if b, ok := byName[base]; ok {
				ds.base = b
				r.Res = bkRes{Kind: "stage", Stage: b.index}
			} else {
				r.Res = bkRes{Kind: "image"}
			}
		}
		out.Refs = append(out.Refs, r)
		states[i] = ds
		if st.Name != "" {
			byName[strings.ToLower(st.Name)] = ds
		}
	}
	image := &bkState{index: -1}
	lookup := func(name string) *bkState {
		if s, ok := byName[strings.ToLower(name)]; ok {
			return s
		}
		return image
	}
	resOf := func(src *bkState, cur int) bkRes {
		switch {
		case src.index < 0:
			return bkRes{Kind: "image"}
		case src.index >= cur:
			return bkRes{Kind: "later", Stage: src.index}
		}
		return bkRes{Kind: "stage", Stage: src.index}
	}
	// toCommand for every command of every stage, once all are registered.
	toCommand := func(d *bkState, cmd instructions.Command, line int, record bool) bool {
		switch c := cmd.(type) {
		case *instructions.CopyCommand:
			if c.From == "" {
				return true
			}
			r := bkRef{Line: line, Kind: RefCopyFrom}
			if v, _, _ := lex.ProcessWord(c.From, shell.EnvsFromSlice(nil)); v != c.From {
				r.Res = bkRes{Kind: "variable"}
				if record {
					out.Refs = append(out.Refs, r)
				}
				out.Fails = true // the whole build stops here
				return false
			}
			var src *bkState
			if n, err := strconv.Atoi(c.From); err == nil {
				if n < 0 || n >= len(states) {
					r.Res = bkRes{Kind: "bad-index"}
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
				r := bkRef{Line: line, Kind: RefMountFrom, Rank: rank, Res: resOf(src, d.index)}
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
			if !toCommand(d, ic, 0, false) {
				stageOK[d.index] = false
			}
		}
	}
	// allReachableStages from the last stage.
	out.Reachable = make([]bool, len(states))
	var visit func(s *bkState)
	visit = func(s *bkState) {
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
