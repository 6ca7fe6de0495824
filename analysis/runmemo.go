package analysis

import (
	"slices"
	"sync"
	"sync/atomic"
)

// runMemo keeps, for one index, what the shell parser read of each RUN:
// the rules and the layer planner ask for the same instruction's commands
// and installs many times over in one run, and a shell parse is the
// costliest step there. An index never changes, so neither do the answers.
// Lists are handed out clipped: a caller's append copies them.
type runMemo struct {
	mu       sync.Mutex
	installs map[int]installsAnswer
	commands map[int][]SimpleCommand
	reads    map[int]runParse // the scripts, without their parses
	// The scanner's uses with those only the shell sees (UsesOf), by
	// instruction, made on first use.
	uses     []atomic.Pointer[[]VarUse]
	usesOnce sync.Once

	shells map[int][]shellAt // by stage (-1 before the first FROM): its SHELL instructions with arguments, in order

	// table holds the same answers by instruction and shell, for the
	// next version; from is the table of the version this one was
	// spliced from (Update), whose answers hold here for the same
	// instruction under the same shell: what a RUN reads depends on its
	// text, the shell in force and the escape character (which a splice
	// keeps), not on its place.
	table atomic.Pointer[runTable]
	from  *runTable
}

// tableOf returns this version's table, made on first use. It is an
// object of its own so that the next version's from holds only it: a
// pointer into the Index itself would keep every earlier version alive.
func (m *runMemo) tableOf() *runTable {
	if t := m.table.Load(); t != nil {
		return t
	}
	m.table.CompareAndSwap(nil, &runTable{})
	return m.table.Load()
}

// runTable keeps one version's shell reads by instruction and shell.
type runTable struct {
	mu       sync.Mutex
	commands map[runKey][]SimpleCommand
	installs map[runKey]installsAnswer
	uses     map[runKey][]VarUse // UsesOf's answers
}

type runKey struct {
	in    *Instruction
	shell string
}

// runKeyOf is RUN node i's key in the tables.
func (ix *Index) runKeyOf(i int) runKey { return runKey{ix.inst(i), ix.stageShell(i)} }

// carriedCommands returns what the version spliced from read of the
// commands under key.
func (ix *Index) carriedCommands(key runKey) ([]SimpleCommand, bool) {
	f := ix.runs.from
	if f == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.commands[key]
	return c, ok
}

// carriedInstalls is carriedCommands for installsOf.
func (ix *Index) carriedInstalls(key runKey) (installsAnswer, bool) {
	f := ix.runs.from
	if f == nil {
		return installsAnswer{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.installs[key]
	return a, ok
}

// carriedUses is carriedCommands for UsesOf.
func (ix *Index) carriedUses(key runKey) ([]VarUse, bool) {
	f := ix.runs.from
	if f == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.uses[key]
	return u, ok
}

// handUses records UsesOf's answer under key for the next version.
func (t *runTable) handUses(key runKey, uses []VarUse) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.uses == nil {
		t.uses = map[runKey][]VarUse{}
	}
	t.uses[key] = uses
}

// hand records answers under key for the next version.
func (t *runTable) hand(key runKey, cmds *[]SimpleCommand, a *installsAnswer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if cmds != nil {
		if t.commands == nil {
			t.commands = map[runKey][]SimpleCommand{}
		}
		t.commands[key] = *cmds
	}
	if a != nil {
		if t.installs == nil {
			t.installs = map[runKey]installsAnswer{}
		}
		t.installs[key] = *a
	}
}

// shellAt is a SHELL instruction: its number and its program, "?" for the
// shell form.
type shellAt struct {
	i    int
	prog string
}

// shellsIn returns the SHELL instructions with arguments of stage s (-1:
// before the first FROM), in order, read in one pass over the stage on
// first use: a request about one stage reads that stage only.
func (ix *Index) shellsIn(s int) []shellAt {
	m := &ix.runs
	m.mu.Lock()
	defer m.mu.Unlock()
	if out, ok := m.shells[s]; ok {
		return out
	}
	first, end := 0, ix.n
	if s >= 0 {
		first, end = ix.stages[s].first, ix.stages[s].end
	} else if len(ix.stages) > 0 {
		end = ix.stages[0].first
	}
	var out []shellAt
	for i := first; i < end; i++ {
		in := ix.inst(i)
		if in.Cmd != "shell" || len(in.Args) == 0 {
			continue
		}
		prog := "?"
		if in.JSON {
			prog = in.Args[0].Value
		}
		out = append(out, shellAt{i, prog})
	}
	if m.shells == nil {
		m.shells = map[int][]shellAt{}
	}
	m.shells[s] = out
	return out
}

type installsAnswer struct {
	ins  []Install
	cmds []SimpleCommand
	ok   bool
}

// installsOf returns the dependency installs of RUN node i, read with a
// shell parser; ok is false when the script is not simple commands only.
func (ix *Index) installsOf(i int) ([]Install, []SimpleCommand, bool) {
	m := &ix.runs
	m.mu.Lock()
	a, ok := m.installs[i]
	m.mu.Unlock()
	if !ok {
		key := ix.runKeyOf(i)
		if c, ok := ix.carriedInstalls(key); ok {
			a = ix.keepInstalls(i, c)
		} else {
			// ShellCommands, asked first, fills this memo from its parse
			// where it can; asked first itself, installsOf does not fill
			// ShellCommands' memo: walking the tree for commands no rule
			// may ask for cost more, over the corpus, than the parses it
			// saved.
			a = ix.keepInstalls(i, newInstallsAnswer(installsFrom(ix.parseRun(i))))
		}
		ix.runs.tableOf().hand(key, nil, &a)
	}
	return a.ins, a.cmds, a.ok
}

// newInstallsAnswer clips the lists it is given: a caller's append copies them.
func newInstallsAnswer(ins []Install, cmds []SimpleCommand, ok bool) installsAnswer {
	return installsAnswer{slices.Clip(ins), slices.Clip(cmds), ok}
}

// keepCommands records node i's shell commands unless they are recorded.
func (ix *Index) keepCommands(i int, cmds []SimpleCommand) []SimpleCommand {
	m := &ix.runs
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.commands[i]; ok {
		return old
	}
	if m.commands == nil {
		m.commands = map[int][]SimpleCommand{}
	}
	cmds = slices.Clip(cmds)
	m.commands[i] = cmds
	return cmds
}

// keepInstalls records node i's installs unless they are recorded.
func (ix *Index) keepInstalls(i int, a installsAnswer) installsAnswer {
	m := &ix.runs
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.installs[i]; ok {
		return old
	}
	if m.installs == nil {
		m.installs = map[int]installsAnswer{}
	}
	m.installs[i] = a
	return a
}

// ShellCommands returns every simple command a RUN instruction runs, in
// order, wherever it stands (in pipes, substitutions, control flow), read
// leniently from its script (see readRun): a word that is not plain text
// keeps its variables as `$NAME` and drops what it cannot spell, and the
// wrappers sudo, env and exec are dropped. The exec form without a shell is
// its one command. Nil when the text is not shell the parser accepts (a
// Windows escape character, PowerShell, a syntax error); empty when it is
// but runs no simple command.
func (ix *Index) ShellCommands(n Node) []SimpleCommand {
	m := &ix.runs
	m.mu.Lock()
	cmds, ok := m.commands[n.Index]
	m.mu.Unlock()
	if !ok {
		key := ix.runKeyOf(n.Index)
		if c, ok := ix.carriedCommands(key); ok {
			cmds = ix.keepCommands(n.Index, c)
			ix.runs.tableOf().hand(key, &cmds, nil)
			return cmds
		}
		// One parse for both readers where the installs reader can
		// take the bash parse (runParse.shared).
		p := ix.parseRun(n.Index)
		cmds = ix.keepCommands(n.Index, shellCommandsOf(p))
		var a *installsAnswer
		if p.shared() {
			ins := ix.keepInstalls(n.Index, newInstallsAnswer(installsFrom(p)))
			a = &ins
		}
		ix.runs.tableOf().hand(key, &cmds, a)
	}
	return cmds
}
