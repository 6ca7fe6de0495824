package analysis

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// RunScript is the shell script a RUN instruction runs, as BuildKit reads
// it: the shell-form command with its continuations joined and its comment
// lines dropped, or the body of its one heredoc when the heredoc is the
// whole command. ok is false for the exec (JSON) form, another escape
// token than the backslash, or a RUN whose command is a program fed a
// heredoc.
type RunScript struct {
	Script  string
	Heredoc bool // the script is the body of the instruction's heredoc
	Bash    bool // the stage's SHELL (or the heredoc's #!) is bash
}

// runScript reads node i's script with BuildKit's own parser.
func (ix *Index) runScript(i int) (RunScript, bool) {
	n := ix.Node(i)
	if n.Cmd != "run" || n.JSON || ix.Escape != '\\' || len(n.Args) == 0 {
		return RunScript{}, false
	}
	shell := ix.stageShell(i)
	if shell != "" && !isPOSIXShell(shell) {
		return RunScript{}, false
	}
	res, err := parser.Parse(strings.NewReader(ix.Doc.Slice(n.Span())))
	if err != nil || len(res.AST.Children) != 1 {
		return RunScript{}, false
	}
	node := res.AST.Children[0]
	if node.Next == nil || node.Next.Next != nil {
		return RunScript{}, false
	}
	rs := RunScript{Script: node.Next.Value, Bash: strings.HasSuffix(shell, "bash")}
	switch len(node.Heredocs) {
	case 0:
	case 1:
		h := node.Heredocs[0]
		// Only the heredoc, no program fed with it nor more words.
		if cmd := strings.TrimSpace(rs.Script); !strings.HasPrefix(cmd, "<<") || strings.ContainsAny(cmd, " \t") {
			return RunScript{}, false
		}
		rs.Script, rs.Heredoc = h.Content, true
		if first, _, _ := strings.Cut(h.Content, "\n"); strings.HasPrefix(first, "#!") {
			// The body runs as a file with that interpreter.
			f := strings.Fields(strings.TrimPrefix(first, "#!"))
			if len(f) == 2 && strings.HasSuffix(f[0], "/env") {
				f = f[1:]
			}
			if len(f) != 1 || !isPOSIXShell(f[0]) {
				return RunScript{}, false
			}
			rs.Bash = strings.HasSuffix(f[0], "bash")
		}
	default:
		return RunScript{}, false
	}
	return rs, true
}

// stageShell returns the program of the last SHELL instruction of node i's
// stage before it, or "".
func (ix *Index) stageShell(i int) string {
	first := 0
	if s := ix.StageOf(i); s >= 0 {
		first = ix.Stage(s).First + 1
	}
	prog := ""
	for k := first; k < i; k++ {
		if n := ix.Node(k); n.Cmd == "shell" && len(n.Args) > 0 {
			prog = "?"
			if n.JSON {
				prog = n.Args[0].Value
			}
		}
	}
	return prog
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
	return syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(comments)).Parse(strings.NewReader(script), "")
}

// SimpleCommand is one simple command of a script: its words, each a
// literal with its quotes removed.
type SimpleCommand struct {
	Assigns []string // NAME=value before the command, literal
	Words   []string
}

// ScriptCommands returns the simple commands of a script in order, when the
// script is only simple commands joined by `&&`, `||`, `;` or newlines,
// whose words are literals; ok is false otherwise (pipes, substitutions,
// redirections to files, control flow, a parse error).
func ScriptCommands(script string, bash bool) (cmds []SimpleCommand, ok bool) {
	f, err := parseScript(script, bash, false)
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
			for _, as := range c.Assigns {
				if as.Append || as.Naked || as.Index != nil || as.Array != nil {
					return false
				}
				val := ""
				if as.Value != nil {
					v, ok := literalWord(as.Value)
					if !ok {
						return false
					}
					val = v
				}
				sc.Assigns = append(sc.Assigns, as.Name.Value+"="+val)
			}
			for _, w := range c.Args {
				lit, ok := literalWord(w)
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

// literalWord returns a word's value when it has no expansion.
func literalWord(w *syntax.Word) (string, bool) {
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
