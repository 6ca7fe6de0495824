package analysis

import (
	"slices"
	"strings"
	"sync"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// RunScript is the shell script a RUN instruction runs, as BuildKit reads
// it: the shell-form command with its continuations joined and its comment
// lines dropped, or the body of its one heredoc when the heredoc is the
// whole command, or the command of an exec form that calls `sh -c`.
type RunScript struct {
	Script  string
	Heredoc bool // the script is the body of the instruction's heredoc
	Bash    bool // the stage's SHELL (or the heredoc's #!) is bash
	// JSON is set for the exec form: Script is the argument of its
	// `sh -c`, or empty when Argv is the program run without a shell.
	JSON bool
	Argv []string
	// Fed is set when the command is a program fed heredocs: Script is the
	// command line followed by the heredocs, as the shell reads them.
	Fed bool
	// Foreign is set when the stage's SHELL or the heredoc's #! is not a
	// POSIX shell, so Script is not sh.
	Foreign bool
}

// exact reports whether the script is exactly the POSIX shell program the
// instruction runs, written in the Dockerfile as is: not an exec form, not
// a program fed heredocs, not another interpreter's.
func (rs RunScript) exact() bool { return !rs.JSON && !rs.Fed && !rs.Foreign }

// runScript returns node i's script when it is exact (see RunScript.exact):
// ok is false for the exec (JSON) form, another escape token than the
// backslash, another interpreter, or a RUN whose command is a program fed a
// heredoc.
func (ix *Index) runScript(i int) (RunScript, bool) {
	rs, ok := ix.readRun(i)
	if !ok || !rs.exact() {
		return RunScript{}, false
	}
	return rs, true
}

// RunScript returns node i's script when it is exact (see runScript).
func (ix *Index) RunScript(i int) (RunScript, bool) { return ix.runScript(i) }

// readRun reads node i's script, the shell form as BuildKit's parser reads it;
// ok is false when it is not a RUN with a command, or its shell form uses
// another escape token than the backslash.
func (ix *Index) readRun(i int) (RunScript, bool) {
	n := ix.Node(i)
	if n.Cmd != "run" || len(n.Args) == 0 {
		return RunScript{}, false
	}
	if n.JSON {
		argv := make([]string, len(n.Args))
		for i, a := range n.Args {
			argv[i] = a.Value
		}
		if base := argv[0][strings.LastIndexByte(argv[0], '/')+1:]; (base == "sh" || base == "bash") && len(argv) >= 3 && argv[1] == "-c" {
			return RunScript{Script: argv[2], JSON: true, Bash: base == "bash"}, true
		}
		return RunScript{JSON: true, Argv: argv}, true
	}
	if ix.Escape != '\\' {
		return RunScript{}, false
	}
	command, heredocs, ok := runCommand(ix.Doc.Slice(n.Span()))
	if !ok {
		return RunScript{}, false
	}
	shell := ix.stageShell(i)
	rs := RunScript{Script: command, Bash: strings.HasSuffix(shell, "bash"), Foreign: shell != "" && !isPOSIXShell(shell)}
	// Only the heredoc, no program fed with it nor more words.
	if cmd := strings.TrimSpace(rs.Script); len(heredocs) == 1 && strings.HasPrefix(cmd, "<<") && !strings.ContainsAny(cmd, " \t") {
		h := heredocs[0]
		rs.Script, rs.Heredoc = h.Content, true
		if first, _, _ := strings.Cut(h.Content, "\n"); strings.HasPrefix(first, "#!") {
			// The body runs as a file with that interpreter.
			f := strings.Fields(strings.TrimPrefix(first, "#!"))
			if len(f) == 2 && strings.HasSuffix(f[0], "/env") {
				f = f[1:]
			}
			if len(f) != 1 || !isPOSIXShell(f[0]) {
				rs.Foreign = true
			} else {
				rs.Bash = strings.HasSuffix(f[0], "bash")
			}
		}
		return rs, true
	}
	if len(heredocs) > 0 {
		rs.Fed = true
		var b strings.Builder
		b.WriteString(rs.Script + "\n")
		for _, h := range heredocs {
			b.WriteString(h.Content + h.Name + "\n")
		}
		rs.Script = b.String()
	}
	return rs, true
}

// runCommand returns the shell-form command and the heredocs of the one
// RUN instruction text holds, as BuildKit's parser reads them with the
// backslash as escape token; false when the parser rejects the text or
// reads anything else in it. The grouper reads the common texts, BuildKit's
// parser the rest.
func runCommand(text string) (string, []parser.Heredoc, bool) {
	groups, esc, ok := groupLines(newSourceLines(text), '\\')
	if !ok || len(groups) != 1 || esc != '\\' || groups[0].lcmd != "run" || groups[0].json {
		return runCommandBuildKit(text)
	}
	g := &groups[0]
	return g.rest, g.heredocs, g.rest != ""
}

// runCommandBuildKit is runCommand with BuildKit's parser, the oracle the
// grouper's answer is tested against.
func runCommandBuildKit(text string) (string, []parser.Heredoc, bool) {
	res, err := parser.Parse(strings.NewReader(text))
	if err != nil || len(res.AST.Children) != 1 {
		return "", nil, false
	}
	node := res.AST.Children[0]
	if node.Next == nil || node.Next.Next != nil {
		return "", nil, false
	}
	return node.Next.Value, node.Heredocs, true
}

// stageShell returns the program of the last SHELL instruction of node i's
// stage before it, or "".
func (ix *Index) stageShell(i int) string {
	// The last SHELL of the stage before i: a binary search, not a walk
	// back over the stage, which made reading every RUN of a long stage
	// quadratic.
	shells := ix.shellsIn(ix.StageOf(i))
	k, _ := slices.BinarySearchFunc(shells, i, func(sh shellAt, i int) int { return sh.i - i })
	if k == 0 {
		return ""
	}
	return shells[k-1].prog
}

func isPOSIXShell(prog string) bool {
	switch prog[strings.LastIndexByte(prog, '/')+1:] {
	case "sh", "bash", "ash", "dash":
		return true
	}
	return false
}

// parseShell parses a script as POSIX sh, or bash.
func parseScript(script string, bash bool, comments bool) (*syntax.File, error) {
	lang := syntax.LangPOSIX
	if bash {
		lang = syntax.LangBash
	}
	k := 0
	if bash {
		k |= 1
	}
	if comments {
		k |= 2
	}
	pool := &scriptParsers[k]
	p, _ := pool.Get().(*syntax.Parser)
	if p == nil {
		p = syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(comments))
	}
	f, err := p.Parse(strings.NewReader(script), "")
	pool.Put(p)
	return f, err
}

// ParseScript parses a script as POSIX sh, or bash, keeping its comments
// when comments is set.
func ParseScript(script string, bash bool, comments bool) (*syntax.File, error) {
	return parseScript(script, bash, comments)
}

// scriptParsers keeps shell parsers for reuse, by dialect (bit 0: bash)
// and whether they keep comments (bit 1): a parser resets itself for each
// script, and a new one costs a few kilobytes.
var scriptParsers [4]sync.Pool

// SimpleCommand is one simple command of a script: its words, each a
// literal with its quotes removed.
type SimpleCommand struct {
	Assigns []string // NAME=value before the command
	Words   []string
	// Computed names the assignments whose value reads a variable
	// (GOOS=$TARGETOS): their Assigns entry spells it as `$NAME`.
	Computed []string
}

// AssignComputed reports whether the command assigns name a value that
// reads a variable, so Assign's value is its spelling, not what the shell
// gets.
func (c SimpleCommand) AssignComputed(name string) bool { return slices.Contains(c.Computed, name) }

// Has reports whether the command has the argument w (after the name).
func (c SimpleCommand) Has(w string) bool {
	return len(c.Words) > 1 && slices.Contains(c.Words[1:], w)
}

// HasPrefix reports whether an argument (after the name) starts with p.
func (c SimpleCommand) HasPrefix(p string) bool {
	for _, a := range c.Words[min(1, len(c.Words)):] {
		if strings.HasPrefix(a, p) {
			return true
		}
	}
	return false
}

// Assign returns the value the command assigns to name in front of it.
func (c SimpleCommand) Assign(name string) (string, bool) {
	for k := len(c.Assigns) - 1; k >= 0; k-- {
		if v, ok := strings.CutPrefix(c.Assigns[k], name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// runParse is one RUN's script, as readRun reads it, with its bash parse
// made on first use: ShellCommands always reads the script as bash, and
// the installs reader does too when the stage's shell is bash, or when it
// is POSIX sh that parses alike in both dialects, so the two share that
// parse.
type runParse struct {
	rs     RunScript
	ok     bool
	share  bool // see shared
	parsed bool
	f      *syntax.File
	err    error
}

// parseRun returns RUN node i's script, read once per index for both
// readers, to parse.
func (ix *Index) parseRun(i int) *runParse {
	m := &ix.runs
	m.mu.Lock()
	p, ok := m.reads[i]
	m.mu.Unlock()
	if !ok {
		rs, ok := ix.readRun(i)
		// The installs reader can take the bash parse ShellCommands
		// makes: it reads the script as bash too, or as POSIX sh where
		// the two dialects parse it alike (sameAsPOSIX).
		p = runParse{rs: rs, ok: ok, share: ok && rs.exact() && (rs.Bash || sameAsPOSIX(rs.Script))}
		m.mu.Lock()
		if m.reads == nil {
			m.reads = map[int]runParse{}
		}
		m.reads[i] = p
		m.mu.Unlock()
	}
	return &p
}

// bash returns the script's parse as bash, without comments.
func (p *runParse) bash() (*syntax.File, error) {
	if !p.parsed {
		p.f, p.err = parseScript(p.rs.Script, true, false)
		p.parsed = true
	}
	return p.f, p.err
}

// shared reports whether both readers read the script's bash parse.
func (p *runParse) shared() bool { return p.share }

// shellCommandsOf is ShellCommands without the index's memo.
func shellCommandsOf(p *runParse) []SimpleCommand {
	switch {
	case !p.ok:
		return nil
	case p.rs.Argv != nil:
		return []SimpleCommand{{Words: p.rs.Argv}}
	}
	f, err := p.bash()
	if err != nil {
		return nil
	}
	out := []SimpleCommand{}
	syntax.Walk(f, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		c := SimpleCommand{Words: make([]string, 0, len(call.Args))}
		for _, a := range call.Assigns {
			if a.Name != nil {
				c.Assigns = append(c.Assigns, a.Name.Value+"="+wordText(a.Value))
				if a.Value != nil {
					if _, lit := LiteralWord(a.Value); !lit {
						c.Computed = append(c.Computed, a.Name.Value)
					}
				}
			}
		}
		for _, w := range call.Args {
			c.Words = append(c.Words, wordText(w))
		}
		// Wrappers that run the rest as the command.
		for len(c.Words) > 1 && (c.Words[0] == "sudo" || c.Words[0] == "env" || c.Words[0] == "exec") {
			c.Words = c.Words[1:]
			for len(c.Words) > 1 && (strings.HasPrefix(c.Words[0], "-") || strings.Contains(c.Words[0], "=")) {
				c.Words = c.Words[1:]
			}
		}
		out = append(out, c)
		return true
	})
	return out
}

// wordText spells a shell word: quotes removed, variables as `$NAME`,
// command substitutions and other expansions dropped.
func wordText(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	if len(w.Parts) == 1 {
		// Most words: one literal, or one quoted string, as they stand.
		switch p := w.Parts[0].(type) {
		case *syntax.Lit:
			return p.Value
		case *syntax.SglQuoted:
			return p.Value
		}
	}
	var b strings.Builder
	var parts func([]syntax.WordPart)
	parts = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				parts(p.Parts)
			case *syntax.ParamExp:
				if p.Param != nil {
					b.WriteString("$" + p.Param.Value)
				}
			}
		}
	}
	parts(w.Parts)
	return b.String()
}

// onlyVariables reports whether w is made of literals and plain variable
// reads ($NAME, ${NAME}, also in double quotes): expanding it runs no
// command and has no effect.
func onlyVariables(w *syntax.Word) bool {
	var plain func([]syntax.WordPart) bool
	plain = func(ps []syntax.WordPart) bool {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
			case *syntax.SglQuoted:
				if p.Dollar {
					return false
				}
			case *syntax.DblQuoted:
				if p.Dollar || !plain(p.Parts) {
					return false
				}
			case *syntax.ParamExp:
				if p.Param == nil || p.Excl || p.Length || p.Width || p.Index != nil || p.Slice != nil ||
					p.Repl != nil || p.Names != 0 || p.Exp != nil {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return plain(w.Parts)
}

// ScriptCommands returns the simple commands of a script in order, when the
// script is only simple commands joined by `&&`, `||`, `;` or newlines,
// whose words are literals; ok is false otherwise (pipes, substitutions,
// redirections to files, control flow, a parse error).
func ScriptCommands(script string, bash bool) (cmds []SimpleCommand, ok bool) {
	return scriptCommands(parseScript(script, bash, false))
}

// scriptCommands is ScriptCommands over a parse of the script.
func scriptCommands(f *syntax.File, err error) (cmds []SimpleCommand, ok bool) {
	if err != nil {
		return nil, false
	}
	var walk func(s *syntax.Stmt) bool
	walk = func(s *syntax.Stmt) bool {
		if s.Negated || s.Background || s.Coprocess || len(s.Redirs) > 0 {
			return false
		}
		switch c := s.Cmd.(type) {
		case *syntax.BinaryCmd:
			if c.Op != syntax.AndStmt && c.Op != syntax.OrStmt {
				return false
			}
			return walk(c.X) && walk(c.Y)
		case *syntax.CallExpr:
			var sc SimpleCommand
			if len(c.Args) > 0 {
				sc.Words = make([]string, 0, len(c.Args))
			}
			for _, as := range c.Assigns {
				if as.Append || as.Naked || as.Index != nil || as.Array != nil {
					return false
				}
				val := ""
				if as.Value != nil {
					v, ok := LiteralWord(as.Value)
					if !ok {
						// A value that only reads variables runs nothing
						// (Docker's own `CGO_ENABLED=0 GOOS=$TARGETOS go
						// build`): kept, spelt, and named as computed.
						if !onlyVariables(as.Value) {
							return false
						}
						v = wordText(as.Value)
						sc.Computed = append(sc.Computed, as.Name.Value)
					}
					val = v
				}
				sc.Assigns = append(sc.Assigns, as.Name.Value+"="+val)
			}
			for _, w := range c.Args {
				lit, ok := LiteralWord(w)
				if !ok {
					return false
				}
				sc.Words = append(sc.Words, lit)
			}
			cmds = append(cmds, sc)
			return true
		}
		return false
	}
	for _, s := range f.Stmts {
		if !walk(s) {
			return nil, false
		}
	}
	return cmds, true
}

// LiteralWord returns the value of a shell word that has no expansion,
// with its quotes and backslashes removed as the shell removes them.
func LiteralWord(w *syntax.Word) (string, bool) {
	if len(w.Parts) == 1 {
		// Most words: one literal without backslashes.
		if p, ok := w.Parts[0].(*syntax.Lit); ok && !strings.Contains(p.Value, `\`) {
			return p.Value, true
		}
	}
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescapeLit(p.Value))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescapeLit removes the backslashes of an unquoted literal.
func unescapeLit(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
