package analysis

import (
	"encoding/json"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// The build state at an instruction: the variables BuildKit expands its
// words with (ARG values and ENV, with ENV inherited from the stage built
// FROM), the working directory, the user and the shell, as a build with no
// build arguments sets them. Values come from BuildKit's own lexer.

// mapEnv is a shell.EnvGetter over a map.
type mapEnv map[string]string

func (e mapEnv) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }

func (e mapEnv) Keys() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (e mapEnv) clone() mapEnv {
	out := make(mapEnv, len(e))
	for k, v := range e {
		out[k] = v
	}
	return out
}

// State is the build state before an instruction runs.
type State struct {
	// Workdir is the working directory: an absolute path; BaseWorkdir,
	// joined with the relative WORKDIRs since, while the base image decides
	// it; "" when a variable the model does not know (one the image may
	// set) decides it.
	Workdir string
	// User is the user set by USER, "" while it is the base image's.
	User string
	// Shell is the shell set by SHELL, nil for the default.
	Shell []string
	env   mapEnv
	// fromImage is set when the stage's chain starts at an image, whose
	// environment the model does not know.
	fromImage bool
}

// BaseWorkdir stands for the working directory of a base image, which the
// model does not know, in State.Workdir.
const BaseWorkdir = "<base>"

// Var returns the value of variable name, and whether it is set.
func (st State) Var(name string) (string, bool) { v, ok := st.env[name]; return v, ok }

// Env returns the variables for BuildKit's lexer.
func (st State) Env() shell.EnvGetter { return st.env }

// varCache memoizes the global ARGs per platform and the state at the end
// of each stage (what a stage built FROM it starts with).
type varCache struct {
	mu     sync.Mutex
	global map[string]mapEnv
	ends   map[int]State
}

// platformArgs returns BuildKit's predefined ARGs for a build of platform
// (`os/arch[/variant]`) on a builder of the same platform.
func platformArgs(platform, target string) mapEnv {
	parts := strings.SplitN(platform, "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	if target == "" {
		target = "default"
	}
	return mapEnv{
		"BUILDPLATFORM": platform, "BUILDOS": parts[0], "BUILDOSVERSION": "", "BUILDARCH": parts[1], "BUILDVARIANT": parts[2],
		"TARGETPLATFORM": platform, "TARGETOS": parts[0], "TARGETOSVERSION": "", "TARGETARCH": parts[1], "TARGETVARIANT": parts[2],
		"TARGETSTAGE": target,
	}
}

// GlobalArgs returns the global ARGs as a build for platform with no build
// arguments sets them: the predefined ones, then each ARG before the first
// FROM with its default expanded in order.
func (m *Model) GlobalArgs(platform string) shell.EnvGetter { return m.globalArgs(platform) }

func (m *Model) globalArgs(platform string) mapEnv {
	m.vars.mu.Lock()
	defer m.vars.mu.Unlock()
	if env, ok := m.vars.global[platform]; ok {
		return env
	}
	ix := m.ix
	target := ""
	if n := len(ix.stages); n > 0 {
		if name := ix.inst(ix.stages[n-1].first).Name; name != nil {
			target = strings.ToLower(name.Value)
		}
	}
	env := platformArgs(platform, target)
	end := ix.n
	if len(ix.stages) > 0 {
		end = ix.stages[0].first
	}
	lex := shell.NewLex(rune(ix.Escape))
	for i := 0; i < end; i++ {
		in := ix.inst(i)
		if in.Cmd != "arg" {
			continue
		}
		for _, d := range in.Decls {
			if !d.HasDefault {
				continue
			}
			if v, _, err := lex.ProcessWord(m.raw(ix.Node(i), d.Value), env); err == nil {
				env[d.Name.Value] = v
			}
		}
	}
	if m.vars.global == nil {
		m.vars.global = map[string]mapEnv{}
	}
	m.vars.global[platform] = env
	return env
}

// State returns the build state before instruction i, for a build on the
// default platform with no build arguments. Before the first FROM (and in
// FROM lines) the variables are the global ARGs.
func (m *Model) State(i int) State {
	ix := m.ix
	s := ix.StageOf(i)
	if s < 0 || ix.inst(i).Cmd == "from" {
		return State{Workdir: BaseWorkdir, env: m.globalArgs(DefaultPlatform), fromImage: true}
	}
	return m.walk(s, i)
}

// EndState returns the build state after the last instruction of stage s:
// what a stage built FROM it starts with, and what its image holds.
func (m *Model) EndState(s int) State {
	return m.walk(s, m.ix.stages[s].end)
}

// Expand expands word as instruction i would see it, with BuildKit's lexer.
// ok is false when the lexer rejects the word.
func (m *Model) Expand(i int, word string) (string, bool) {
	v, _, err := shell.NewLex(rune(m.ix.Escape)).ProcessWord(word, m.State(i).env)
	return v, err == nil
}

// stageStart returns the state a stage starts with: the end state of the
// stage it is built FROM (for a FROM built from ARGs, the one the defaults
// pick), or an image's unknown state.
func (m *Model) stageStart(s int, depth int) State {
	b := m.baseOf(s)
	if b < 0 || b >= s || depth > len(m.ix.stages) {
		return State{Workdir: BaseWorkdir, env: mapEnv{}, fromImage: true}
	}
	m.vars.mu.Lock()
	end, ok := m.vars.ends[b]
	m.vars.mu.Unlock()
	if !ok {
		end = m.walkDepth(b, m.ix.stages[b].end, depth+1)
		m.vars.mu.Lock()
		if m.vars.ends == nil {
			m.vars.ends = map[int]State{}
		}
		m.vars.ends[b] = end
		m.vars.mu.Unlock()
	}
	end.env = end.env.clone()
	end.Shell = append([]string(nil), end.Shell...)
	return end
}

func (m *Model) walk(s, limit int) State { return m.walkDepth(s, limit, 0) }

// walkDepth runs the instructions of stage s before limit over its start
// state, as BuildKit's dispatch does for ARG, ENV, WORKDIR, USER and SHELL.
func (m *Model) walkDepth(s, limit, depth int) State {
	ix := m.ix
	st := m.stageStart(s, depth)
	global := m.globalArgs(DefaultPlatform)
	lex := shell.NewLex(rune(ix.Escape))
	rec := ix.stages[s]
	for j := rec.first + 1; j < min(limit, rec.end); j++ {
		n := ix.Node(j)
		switch n.Cmd {
		case "arg":
			for _, d := range n.Decls {
				switch {
				case d.HasDefault:
					if v, _, err := lex.ProcessWord(m.raw(n, d.Value), st.env); err == nil {
						st.env[d.Name.Value] = v
					}
				default:
					if v, ok := global[d.Name.Value]; ok {
						st.env[d.Name.Value] = v
					}
				}
			}
		case "env":
			// All pairs of one ENV expand with the state before it.
			before := st.env.clone()
			for _, d := range n.Decls {
				if v, _, err := lex.ProcessWord(m.raw(n, d.Value), before); err == nil {
					st.env[d.Name.Value] = v
				}
			}
		case "workdir":
			if len(n.Args) == 0 {
				continue
			}
			v, unmatched, err := lex.ProcessWord(m.raw(n, n.Args[0]), st.env)
			switch {
			case err != nil || len(unmatched) > 0 && st.fromImage:
				// The image's environment may set the variable.
				st.Workdir = ""
			case strings.HasPrefix(v, "/"):
				st.Workdir = path.Clean(v)
			case st.Workdir != "":
				st.Workdir = path.Join(st.Workdir, v)
			}
		case "user":
			if len(n.Args) > 0 {
				if v, _, err := lex.ProcessWord(m.raw(n, n.Args[0]), st.env); err == nil {
					st.User = v
				}
			}
		case "shell":
			var sh []string
			if n.JSON && len(n.Args) == 1 && json.Unmarshal([]byte(m.raw(n, n.Args[0])), &sh) == nil {
				st.Shell = sh
			}
		}
	}
	return st
}

// raw returns a token's text as written, quotes included, which is what
// BuildKit's lexer reads; a token spread over continuation lines gives its
// joined value instead.
func (m *Model) raw(n Node, t Token) string {
	text := m.ix.Doc.Slice(n.Abs(t.Span))
	if strings.ContainsAny(text, "\r\n") {
		return t.Value
	}
	return text
}
