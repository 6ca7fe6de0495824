package analysis

import (
	"slices"
	"strings"
	"sync/atomic"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// A RUN's heredoc bodies are read by the shell, not by BuildKit
// (dockerfile2llb's dispatchRun ignores their expand option): `RUN <<EOF`
// alone runs its body as the script, so each `$NAME` there outside single
// quotes reads the ARG or ENV of that name from the environment BuildKit
// gives the command; a heredoc fed to a program (`RUN cat <<EOF >f`) is
// expanded by the shell unless its delimiter is quoted. A body with a `#!`
// line runs with that interpreter: only a POSIX shell's counts. The
// scanner leaves these uses out (a shell parse is too dear for every
// edit); UsesOf adds them, parsed once per index, for the readers that
// follow a variable: references, rename, definition, hover.

// UsesOf returns the variable uses of node n: those the scanner found,
// and for a RUN with heredocs those of the shell script in their bodies.
// The list is clipped: an append copies it.
func (ix *Index) UsesOf(n Node) []VarUse {
	if n.Cmd != "run" || len(n.Heredocs) == 0 {
		return n.Uses
	}
	m := &ix.runs
	m.usesOnce.Do(func() { m.uses = make([]atomic.Pointer[[]VarUse], ix.n) })
	if n.Index >= len(m.uses) {
		return n.Uses
	}
	p := m.uses[n.Index].Load()
	if p == nil {
		var all []VarUse
		if body := ix.heredocScriptUses(n); len(body) > 0 {
			all = slices.Clip(append(slices.Clip(n.Uses), body...))
		} else {
			all = n.Uses
		}
		p = &all
		m.uses[n.Index].Store(p) // a race computes the same twice
	}
	return *p
}

// usesNamed is UsesOf for a reader that wants the uses of name only: a
// RUN none of whose heredoc bodies holds name needs no shell parse.
func (ix *Index) usesNamed(n Node, name string) []VarUse {
	if n.Cmd != "run" || len(n.Heredocs) == 0 {
		return n.Uses
	}
	for _, h := range n.Heredocs {
		if strings.Contains(ix.Doc.Slice(n.Abs(h.Body)), name) {
			return ix.UsesOf(n)
		}
	}
	return n.Uses
}

// heredocScriptUses returns the uses in the heredoc bodies of RUN node n
// that the shell expands, with spans relative to n.
func (ix *Index) heredocScriptUses(n Node) []VarUse {
	if n.JSON {
		return nil
	}
	if shell := ix.stageShell(n.Index); shell != "" && !isPOSIXShell(shell) {
		return nil
	}
	text := ix.Doc.Slice(n.Span())
	var command string
	var docs []parser.Heredoc
	ok := false
	if ix.Escape == '\\' {
		command, docs, ok = runCommand(text)
	} else {
		command, docs, ok = runCommandBuildKit("# escape=" + string(ix.Escape) + "\n" + text)
	}
	if !ok || len(docs) != len(n.Heredocs) {
		return nil
	}
	bash := strings.HasSuffix(ix.stageShell(n.Index), "bash")
	var out []VarUse
	if cmd := strings.TrimSpace(command); len(docs) == 1 && strings.HasPrefix(cmd, "<<") && !strings.ContainsAny(cmd, " \t") {
		// The body is the script.
		body := n.Heredocs[0].Body
		script := text[body.Start:body.End]
		if first, _, _ := strings.Cut(script, "\n"); strings.HasPrefix(first, "#!") {
			f := strings.Fields(strings.TrimPrefix(first, "#!"))
			if len(f) == 2 && strings.HasSuffix(f[0], "/env") {
				f = f[1:]
			}
			if len(f) != 1 || !isPOSIXShell(f[0]) {
				return nil
			}
			bash = strings.HasSuffix(f[0], "bash")
		}
		return scriptUses(out, script, body.Start, bash)
	}
	for k, h := range docs {
		body := n.Heredocs[k].Body
		if !h.Expand || body.Len() == 0 || !isHeredocWord(h.Name) {
			continue
		}
		// The shell expands the body as a heredoc's: quotes are not
		// special there.
		op := "<<"
		if h.Chomp {
			op = "<<-"
		}
		pre := ": " + op + h.Name + "\n"
		script := pre + text[body.Start:body.End] + "\n" + h.Name + "\n"
		out = scriptUses(out, script, body.Start-len(pre), bash)
	}
	return out
}

// scriptUses appends the `$NAME` and `${NAME...}` expansions of the shell
// script, which stands at offset at, to out; nothing when it does not
// parse.
func scriptUses(out []VarUse, script string, at int, bash bool) []VarUse {
	if strings.IndexByte(script, '$') < 0 {
		return out // no expansion: no parse
	}
	// BuildKit reads the lines without their "\r": a blank keeps offsets.
	script = strings.ReplaceAll(script, "\r\n", " \n")
	f, err := parseScript(script, bash, false)
	if err != nil {
		return out
	}
	syntax.Walk(f, func(node syntax.Node) bool {
		pe, ok := node.(*syntax.ParamExp)
		if !ok || pe.Param == nil || pe.Names != 0 || !isShellName(pe.Param.Value) {
			return true
		}
		name := pe.Param
		out = append(out, VarUse{
			Name: Token{Span: Span{at + int(name.Pos().Offset()), at + int(name.End().Offset())}, Value: name.Value},
			Span: Span{at + int(pe.Pos().Offset()), at + int(pe.End().Offset())},
		})
		return true
	})
	return out
}

// isShellName reports whether s is a shell variable's name: a letter or
// `_`, then letters, digits and `_` (not a positional or special
// parameter).
func isShellName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// isHeredocWord reports whether a heredoc's name can stand unquoted as a
// shell heredoc's delimiter: letters, digits and `_`.
func isHeredocWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
