package rules

import (
	"sort"

	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/stagehand-ls/stagehand/analysis"
)

// mapEnv is a shell.EnvGetter over a map.
type mapEnv map[string]string

func (m mapEnv) Get(k string) (string, bool) { v, ok := m[k]; return v, ok }

func (m mapEnv) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// builtinValues are the values BuildKit gives its predefined ARGs on a
// linux/amd64 builder, for expanding defaults.
var builtinValues = map[string]string{
	"BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDARCH": "amd64", "BUILDVARIANT": "",
	"TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64", "TARGETVARIANT": "",
}

// globalEnv returns the global ARGs with their defaults expanded in order,
// as BuildKit computes them when no --build-arg is given, plus the
// predefined platform ARGs. ARGs without a default are absent.
func globalEnv(ix *analysis.Index) mapEnv {
	env := mapEnv{}
	for k, v := range builtinValues {
		env[k] = v
	}
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	lex := shell.NewLex(rune(ix.Escape))
	for i := 0; i < end; i++ {
		n := ix.Node(i)
		if n.Cmd != "arg" {
			continue
		}
		for _, d := range n.Decls {
			if !d.HasDefault {
				continue
			}
			v, _, err := lex.ProcessWord(d.Value.Value, env)
			if err != nil {
				continue
			}
			env[d.Name.Value] = v
		}
	}
	return env
}

// isGlobalArg reports whether name is declared before the first FROM or
// predefined by BuildKit.
func isGlobalArg(ix *analysis.Index, name string) bool {
	if analysis.IsBuiltinArg(name) {
		return true
	}
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	for i := 0; i < end; i++ {
		n := ix.Node(i)
		for _, d := range n.Decls {
			if n.Cmd == "arg" && d.Name.Value == name {
				return true
			}
		}
	}
	return false
}

// globalArgNames lists the global ARGs and the predefined ones.
func globalArgNames(ix *analysis.Index) []string {
	names := append([]string(nil), analysis.BuiltinArgs...)
	end := ix.Len()
	if ix.StageCount() > 0 {
		end = ix.Stage(0).First
	}
	for i := 0; i < end; i++ {
		n := ix.Node(i)
		if n.Cmd == "arg" {
			for _, d := range n.Decls {
				names = append(names, d.Name.Value)
			}
		}
	}
	return names
}

// stageChain returns stage s and the stages it is built FROM, nearest
// first.
func stageChain(ix *analysis.Index, s int) []int {
	var out []int
	stages := ix.Stages()
	for hops := 0; s >= 0 && hops <= len(stages); hops++ {
		out = append(out, s)
		s = stages[s].BaseStage
	}
	return out
}

// stagesWith returns, for each stage, whether it holds an instruction cmd.
func stagesWith(p *Pass, cmd string) []bool {
	ix := p.Index
	out := make([]bool, ix.StageCount())
	for _, n := range p.NodesOf(cmd) {
		if s := ix.StageOf(n.Index); s >= 0 {
			out[s] = true
		}
	}
	return out
}
