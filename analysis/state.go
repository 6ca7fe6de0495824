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
	// sites holds, for each variable, the declaration that binds it here.
	sites map[string]VarSite
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

// Site returns the declaration (ARG or ENV) that binds variable name here:
// the stage's own before the instruction, else one of the stages it is
// built FROM (BuildKit passes both ARG and ENV values on).
func (st State) Site(name string) (VarSite, bool) { s, ok := st.sites[name]; return s, ok }

func (st State) clone() State { return st.cloneMoved(walkMove{}) }

// cloneMoved is clone with the declarations moved by d.
func (st State) cloneMoved(d walkMove) State {
	st.env = st.env.clone()
	sites := make(map[string]VarSite, len(st.sites))
	for k, v := range st.sites {
		sites[k] = d.site(v)
	}
	st.sites = sites
	st.Shell = append([]string(nil), st.Shell...)
	return st
}

// varCache memoizes the global ARGs per platform and the walk of each
// stage.
type varCache struct {
	mu     sync.Mutex
	global map[string]mapEnv
	walks  map[int]*stageWalk
	views  map[string]*Model // Model.In's, by the stages replaced
}

// stageWalk is the one walk of a stage's instructions: what each ARG,
// ENV, WORKDIR, USER and SHELL declares or sets, in order, with the
// declarations the stage starts and ends with. Declarations are read at
// once; values (BuildKit's lexer over the state before each step) are
// computed from the same steps the first time a state is asked for.
// Build states, variable declarations and their values all come from it.
//
// A walk may be an earlier version's (walkCore), of a stage that an edit
// before it moved with all the stages it is built on: its instruction
// numbers and offsets are then the core's moved by d.
type stageWalk struct {
	s, depth int
	*walkCore
	d walkMove
}

// walkCore is what a walk read, with instruction numbers and offsets of
// the version that read it: the stage's FROM was instruction first, at
// offset from.
type walkCore struct {
	first, from        int
	startSites, ending map[string]VarSite
	steps              []step

	once       sync.Once
	vals       []stepValue // by step
	start, end State
}

// walkMove moves a walk core's instruction numbers by inst and its
// offsets by off.
type walkMove struct{ inst, off int }

func (d walkMove) site(v VarSite) VarSite {
	v.Instruction += d.inst
	v.NameSpan = v.NameSpan.Shift(d.off)
	return v
}

// back is the move that undoes d.
func (d walkMove) back() walkMove { return walkMove{-d.inst, -d.off} }

// step is what one instruction declares or sets: a variable, or the
// WORKDIR, USER or SHELL, with the word whose value it takes.
type step struct {
	inst int
	kind byte // 'v' variable, 'w' workdir, 'u' user, 's' shell
	name string
	site VarSite
	raw  string // the word as written
	def  bool   // an ARG with a default
	env  bool   // an ENV pair
	// group is set on the pairs of an ENV of several, which expand with
	// the state before the ENV.
	group bool
}

// stepValue is the value a step gives, when it gives one.
type stepValue struct {
	value string
	set   bool
	shell []string
}

func (st *State) apply(k step, v stepValue) {
	switch k.kind {
	case 'v':
		st.sites[k.name] = k.site
		if v.set {
			st.env[k.name] = v.value
		}
	case 'w':
		st.Workdir = v.value
	case 'u':
		if v.set {
			st.User = v.value
		}
	case 's':
		if v.set {
			st.Shell = v.shell
		}
	}
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
	if env, ok := m.prevGlobal(platform); ok {
		// Carried (carryModel): the same instructions before the first
		// FROM, under the same escape, and the same last stage.
		if m.vars.global == nil {
			m.vars.global = map[string]mapEnv{}
		}
		m.vars.global[platform] = env
		return env
	}
	ix := m.ix
	target := ""
	if n := len(ix.stages); n > 0 {
		if name := ix.inst(ix.stages[n-1].first).Name(); name != nil {
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

// prevGlobal returns the global ARGs the last version's model computed
// for platform, when this model was carried from it.
func (m *Model) prevGlobal(platform string) (mapEnv, bool) {
	pv := m.prevVars
	if pv == nil {
		return nil, false
	}
	pv.mu.Lock()
	defer pv.mu.Unlock()
	env, ok := pv.global[platform]
	return env, ok
}

// State returns the build state before instruction i, for a build on the
// default platform with no build arguments. Before the first FROM (and in
// FROM lines) the variables are the global ARGs.
func (m *Model) State(i int) State {
	ix := m.ix
	s := ix.StageOf(i)
	if s < 0 || ix.inst(i).Cmd == "from" {
		return State{Workdir: BaseWorkdir, env: m.globalArgs(DefaultPlatform), sites: map[string]VarSite{}, fromImage: true}
	}
	w := m.valued(m.stageWalk(s, 0))
	st := w.start.clone()
	for x, k := range w.steps {
		if k.inst+w.d.inst >= i {
			break
		}
		st.apply(k, w.vals[x])
	}
	if w.d != (walkMove{}) {
		st = st.cloneMoved(w.d)
	}
	return st
}

// EndState returns the build state after the last instruction of stage s:
// what a stage built FROM it starts with, and what its image holds.
func (m *Model) EndState(s int) State {
	w := m.valued(m.stageWalk(s, 0))
	return w.end.cloneMoved(w.d)
}

// resolveVar returns the declaration a use of name in instruction i of
// stage s names: the last before i in the stage, else the one the stage
// starts with.
func (m *Model) resolveVar(s, i int, name string) (VarSite, bool) {
	w := m.stageWalk(s, 0)
	i -= w.d.inst
	k := sort.Search(len(w.steps), func(k int) bool { return w.steps[k].inst >= i })
	for k--; k >= 0; k-- {
		if st := w.steps[k]; st.kind == 'v' && st.name == name {
			return w.d.site(st.site), true
		}
	}
	site, ok := w.startSites[name]
	return w.d.site(site), ok
}

// visibleVars returns the declarations a use in instruction i of stage s
// may name, each name once, nearest first.
func (m *Model) visibleVars(s, i int) []VarSite {
	w := m.stageWalk(s, 0)
	i -= w.d.inst
	var out []VarSite
	seen := map[string]bool{}
	k := sort.Search(len(w.steps), func(k int) bool { return w.steps[k].inst >= i })
	for k--; k >= 0; k-- {
		if st := w.steps[k]; st.kind == 'v' && !seen[st.name] {
			seen[st.name] = true
			out = append(out, w.d.site(st.site))
		}
	}
	var inherited []VarSite
	for name, site := range w.startSites {
		if !seen[name] {
			inherited = append(inherited, w.d.site(site))
		}
	}
	sort.Slice(inherited, func(a, b int) bool {
		if inherited[a].Instruction != inherited[b].Instruction {
			return inherited[a].Instruction > inherited[b].Instruction
		}
		return inherited[a].NameSpan.Start > inherited[b].NameSpan.Start
	})
	return append(out, inherited...)
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
	if b := m.baseWalk(s, depth); b != nil {
		return m.valued(b).end.cloneMoved(b.d)
	}
	return State{Workdir: BaseWorkdir, env: mapEnv{}, sites: map[string]VarSite{}, fromImage: true}
}

// baseWalk returns the walk of the stage s is built FROM, or nil for an
// image.
func (m *Model) baseWalk(s, depth int) *stageWalk {
	b := m.buildBase(s)
	if b < 0 || b >= s || depth > len(m.ix.stages) {
		return nil
	}
	return m.stageWalk(b, depth+1)
}

// stageWalk returns the memoized walk of stage s.
func (m *Model) stageWalk(s, depth int) *stageWalk {
	m.vars.mu.Lock()
	w, ok := m.vars.walks[s]
	m.vars.mu.Unlock()
	if ok {
		return w
	}
	if pv := m.prevVars; pv != nil && m.ix.stages[s].end <= m.walkBelow {
		// The same instructions at the same places as the last
		// version's, built on stages before them: the same walk.
		pv.mu.Lock()
		w, ok = pv.walks[s]
		pv.mu.Unlock()
	}
	if !ok {
		w, ok = m.movedWalk(s, depth)
	}
	if !ok {
		w = m.walkStage(s, depth)
	}
	m.vars.mu.Lock()
	if m.vars.walks == nil {
		m.vars.walks = map[int]*stageWalk{}
	}
	if prev, ok := m.vars.walks[s]; ok {
		w = prev
	} else {
		m.vars.walks[s] = w
	}
	m.vars.mu.Unlock()
	return w
}

// movedWalk returns the last version's walk of stage s moved to where
// the stage is now, when the edit between the versions (one that touched
// no FROM: carryModel) lies before the stage and every stage it is built
// on: their instructions are the last version's, all moved by as many
// instructions and bytes, and so are the walks' numbers and offsets.
func (m *Model) movedWalk(s, depth int) (*stageWalk, bool) {
	pv := m.prevVars
	if pv == nil || m.walkAfter <= 0 {
		return nil, false
	}
	for t, n := s, 0; t >= 0; t, n = m.buildBase(t), n+1 {
		// A FROM re-read holds what it did (carryModel); a walk reads
		// what follows it.
		if m.ix.stages[t].first+1 < m.walkAfter || n > len(m.ix.stages) {
			return nil, false
		}
		if b := m.buildBase(t); b >= t {
			break // a later base is not walked (baseWalk)
		}
	}
	pv.mu.Lock()
	old, ok := pv.walks[s]
	pv.mu.Unlock()
	if !ok || old.depth != depth {
		return nil, false
	}
	c := old.walkCore
	return &stageWalk{s: s, depth: depth, walkCore: c, d: walkMove{m.ix.stages[s].first - c.first, m.offs.at(s) - c.from}}, true
}

// walkStage reads the steps of stage s and the declarations it starts
// and ends with.
func (m *Model) walkStage(s, depth int) *stageWalk {
	ix := m.ix
	// The declarations a stage starts with are those its base ends with,
	// shared: neither walk changes them once read (a moved base's are
	// moved into a map of this walk's).
	w := &stageWalk{s: s, depth: depth, walkCore: &walkCore{first: ix.stages[s].first, from: ix.start(ix.stages[s].first), startSites: map[string]VarSite{}}}
	if b := m.baseWalk(s, depth); b != nil {
		w.startSites = b.ending
		if b.d != (walkMove{}) {
			w.startSites = make(map[string]VarSite, len(b.ending))
			for k, v := range b.ending {
				w.startSites[k] = b.d.site(v)
			}
		}
	}
	w.ending = make(map[string]VarSite, len(w.startSites))
	for k, v := range w.startSites {
		w.ending[k] = v
	}
	rec := ix.stages[s]
	for j := rec.first + 1; j < rec.end; j++ {
		n := ix.Node(j)
		switch n.Cmd {
		case "arg", "env":
			for _, d := range n.Decls {
				k := step{inst: j, kind: 'v', name: d.Name.Value, site: ix.site(j, d), def: d.HasDefault,
					env: n.Cmd == "env", group: n.Cmd == "env" && len(n.Decls) > 1}
				if d.HasDefault || k.env {
					k.raw = m.raw(n, d.Value)
				}
				w.steps = append(w.steps, k)
				w.ending[k.name] = k.site
			}
		case "workdir", "user", "shell":
			if len(n.Args) == 0 || n.Cmd == "shell" && !n.JSON {
				continue
			}
			k := step{inst: j, kind: n.Cmd[0], raw: m.raw(n, n.Args[0])}
			if n.Cmd == "shell" {
				// The exec form is one token per string: the step holds
				// the array, as SHELL takes it.
				words := make([]string, len(n.Args))
				for i, a := range n.Args {
					words[i] = a.Value
				}
				b, _ := json.Marshal(words)
				k.raw = string(b)
			}
			w.steps = append(w.steps, k)
		}
	}
	return w
}

// valued returns w with its values computed: BuildKit's dispatch of ARG,
// ENV, WORKDIR, USER and SHELL over the state the stage starts with.
func (m *Model) valued(w *stageWalk) *stageWalk {
	w.once.Do(func() {
		ix := m.ix
		w.start = m.stageStart(w.s, w.depth)
		if w.d != (walkMove{}) {
			w.start = w.start.cloneMoved(w.d.back()) // in the core's places
		}
		st := w.start.clone()
		global := m.globalArgs(DefaultPlatform)
		lex := shell.NewLex(rune(ix.Escape))
		w.vals = make([]stepValue, len(w.steps))
		var before mapEnv
		for x, k := range w.steps {
			var v stepValue
			switch k.kind {
			case 'v':
				env := st.env
				if k.group {
					if x == 0 || w.steps[x-1].inst != k.inst {
						before = st.env.clone()
					}
					env = before
				}
				if k.def || k.env {
					val, unmatched, err := expand(lex, k.raw, env, ix.Escape)
					v.value, v.set = val, known(err, unmatched, st)
				} else {
					v.value, v.set = global[k.name]
				}
			case 'w':
				val, unmatched, err := lex.ProcessWord(k.raw, st.env)
				switch {
				case !known(err, unmatched, st):
				case strings.HasPrefix(val, "/"):
					v.value = path.Clean(val)
				case st.Workdir != "":
					v.value = path.Join(st.Workdir, val)
				}
			case 'u':
				val, _, err := lex.ProcessWord(k.raw, st.env)
				v.value, v.set = val, err == nil
			case 's':
				v.set = json.Unmarshal([]byte(k.raw), &v.shell) == nil
			}
			w.vals[x] = v
			st.apply(k, v)
		}
		w.end = st
	})
	return w
}

// expand is the lexer's ProcessWord, skipped for a word with nothing to
// expand or unquote (most values), which is its own value.
func expand(lex *shell.Lex, word string, env shell.EnvGetter, escape byte) (string, map[string]struct{}, error) {
	if !strings.ContainsAny(word, "$\"'") && strings.IndexByte(word, escape) < 0 {
		return word, nil, nil
	}
	return lex.ProcessWord(word, env)
}

// known reports whether an expansion gave a value the model knows: the
// lexer accepted it, and no variable it names is missing where the base
// image's environment (unknown to the model) may set it.
func known(err error, unmatched map[string]struct{}, st State) bool {
	return err == nil && (len(unmatched) == 0 || !st.fromImage)
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
