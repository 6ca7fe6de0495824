package analysis

import (
	"slices"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// A RUN's heredoc bodies are read by the shell, not by BuildKit
// (dockerfile2llb's dispatchRun ignores their expand option): `RUN <<EOF`
// alone runs its body as the script, so each `$NAME` there outside single
// quotes reads the ARG or ENV of that name from the environment BuildKit
// gives the command; a heredoc fed to a program (`RUN cat <<EOF >f`) is
// expanded by the shell unless its delimiter is quoted. A body with a `#!`
// line runs with that interpreter: only a POSIX shell's counts.
//
// The shell also reads variables by their bare names in arithmetic:
// `$((N+1))` reads N (and so do bash's `((N++))`, `let N+1`, `for ((...))`
// and `${v:N:M}` offsets, where the stage's SHELL is bash), on the command
// line as in a body. BuildKit passes a RUN's text to the shell unexpanded,
// so such a name reads the ARG or ENV of that name as `$N` does.
//
// The scanner leaves these uses out (a shell parse is too dear for every
// edit); UsesOf adds them, parsed once per instruction and shell and handed
// from one version of the index to the next (runTable), for the readers
// that follow a variable: references, rename, definition, hover, semantic
// tokens.

// UsesOf returns the variable uses of node n: those the scanner found,
// then, for a RUN, those the shell reads in its heredoc bodies and as bare
// names in arithmetic. The list is clipped: an append copies it.
func (ix *Index) UsesOf(n Node) []VarUse {
	if n.Cmd != "run" || n.JSON || !ix.shellReadsMore(n, ix.Doc.Slice(n.Span())) {
		return n.Uses
	}
	m := &ix.runs
	m.usesOnce.Do(func() { m.uses = make([]atomic.Pointer[[]VarUse], ix.n) })
	if n.Index >= len(m.uses) {
		return n.Uses
	}
	p := m.uses[n.Index].Load()
	if p == nil {
		// The list belongs to the instruction (spans relative to it, the
		// scanner's uses its own), so the next version takes it whole.
		key := ix.runKeyOf(n.Index)
		all, ok := ix.carriedUses(key)
		if !ok {
			all = n.Uses
			if more := ix.arithmeticUses(n, ix.heredocScriptUses(n)); len(more) > 0 {
				all = slices.Clip(append(slices.Clip(n.Uses), more...))
			}
		}
		ix.runs.tableOf().handUses(key, all)
		p = &all
		m.uses[n.Index].Store(p) // a race computes the same twice
	}
	return *p
}

// shellReadsMore reports whether the shell may read variables in the
// shell-form RUN node n, whose text is text, that the scanner does not
// list: a heredoc body holds a `$`, or the command may hold arithmetic. A
// cheap look at the text, so that most RUNs need no parse.
func (ix *Index) shellReadsMore(n Node, text string) bool {
	bodies := len(text)
	if len(n.Heredocs()) > 0 {
		bodies = n.Heredocs()[0].Body.Start
	}
	if mayReadMore(text, bodies) {
		return true
	}
	return bashArithmetic(text) && strings.HasSuffix(ix.stageShell(n.Index), "bash")
}

// bashArithmetic reports whether text may hold bash's arithmetic without
// a `$`: ((...)), for ((...)), let, the operands of [[ N -gt 1 ]], an
// array's subscript ${a[N]}.
func bashArithmetic(text string) bool {
	return strings.Contains(text, "((") || strings.Contains(text, "let") || strings.Contains(text, "[[") || strings.Contains(text, "${") && strings.Contains(text, "[")
}

// mayReadMore reports whether text may hold arithmetic that starts with a
// `$` (`$((`, `$[`, `${name:` other than `:-`, `:=`, `:?`, `:+`) or, from
// offset bodies on, any `$`.
func mayReadMore(text string, bodies int) bool {
	for i := strings.IndexByte(text, '$'); i >= 0 && i+1 < len(text); {
		if i >= bodies {
			return true
		}
		switch text[i+1] {
		case '(':
			if i+2 < len(text) && text[i+2] == '(' {
				return true
			}
		case '[':
			return true
		case '{':
			j := VarNameEnd(text, i+2)
			if j+1 < len(text) && text[j] == ':' && !strings.ContainsRune("-=?+", rune(text[j+1])) {
				return true
			}
		}
		k := strings.IndexByte(text[i+1:], '$')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

// usesNamed is UsesOf for a reader that wants the uses of name only: a
// RUN whose text does not hold name needs no shell parse.
func (ix *Index) usesNamed(n Node, name string) []VarUse {
	if n.Cmd != "run" || n.JSON {
		return n.Uses
	}
	if text := ix.Doc.Slice(n.Span()); !strings.Contains(text, name) || !ix.shellReadsMore(n, text) {
		return n.Uses
	}
	return ix.UsesOf(n)
}

// heredocScriptUses returns the uses in the heredoc bodies of RUN node n
// that the shell expands, with spans relative to n.
func (ix *Index) heredocScriptUses(n Node) []VarUse {
	if n.JSON || len(n.Heredocs()) == 0 {
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
	if !ok || len(docs) != len(n.Heredocs()) {
		return nil
	}
	bash := strings.HasSuffix(ix.stageShell(n.Index), "bash")
	var out []VarUse
	if cmd := strings.TrimSpace(command); len(docs) == 1 && strings.HasPrefix(cmd, "<<") && !strings.ContainsAny(cmd, " \t") {
		// The body is the script.
		body := n.Heredocs()[0].Body
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
		body := n.Heredocs()[k].Body
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
// script, which stands at offset at, and the bare names its arithmetic
// reads, to out; nothing when it does not parse.
func scriptUses(out []VarUse, script string, at int, bash bool) []VarUse {
	if !mayReadMore(script, 0) && !(bash && bashArithmetic(script)) {
		return out // no expansion: no parse
	}
	// BuildKit reads the lines without their "\r": a blank keeps offsets.
	script = strings.ReplaceAll(script, "\r\n", " \n")
	f, err := parseScript(script, bash, false)
	if err != nil {
		return out
	}
	eachShellRead(f, true, func(name *syntax.Lit, whole syntax.Node) {
		out = append(out, VarUse{
			Name: Token{Span: Span{at + int(name.Pos().Offset()), at + int(name.End().Offset())}, Value: name.Value},
			Span: Span{at + int(whole.Pos().Offset()), at + int(whole.End().Offset())},
		})
	})
	return out
}

// arithmeticUses appends to out the bare names the shell reads in the
// arithmetic of RUN node n's command line (its `$NAME`s are the scanner's),
// with spans relative to n. The command is read as BuildKit joins its
// lines, and the names placed back through the joins.
func (ix *Index) arithmeticUses(n Node, out []VarUse) []VarUse {
	shell := ix.stageShell(n.Index)
	if shell != "" && !isPOSIXShell(shell) {
		return out
	}
	text := ix.Doc.Slice(n.Span())
	cmdEnd := len(text)
	if len(n.Heredocs()) > 0 {
		cmdEnd = min(n.Heredocs()[0].Body.Start, cmdEnd)
	}
	if cmd := text[:cmdEnd]; !mayReadMore(cmd, cmdEnd) && !(strings.HasSuffix(shell, "bash") && bashArithmetic(cmd)) {
		return out
	}
	groups, _, ok := groupLines(newSourceLines(text), ix.Escape)
	if !ok || len(groups) != 1 || groups[0].lcmd != "run" || groups[0].json || groups[0].rest == "" {
		return out
	}
	g := &groups[0]
	end := len(strings.TrimRightFunc(g.line, unicode.IsSpace))
	start := end - len(g.rest)
	if start < 0 || g.line[start:end] != g.rest {
		return out
	}
	// The heredocs follow the command, as the shell reads them, so that
	// it parses; only names on the command line count here.
	script := g.rest
	if len(g.heredocs) > 0 {
		var b strings.Builder
		b.WriteString(script + "\n")
		for _, h := range g.heredocs {
			b.WriteString(h.Content + h.Name + "\n")
		}
		script = b.String()
	}
	f, err := parseScript(script, strings.HasSuffix(shell, "bash"), false)
	if err != nil {
		return out
	}
	l := logical{text: g.line, pieces: g.pieces}
	eachShellRead(f, false, func(name *syntax.Lit, _ syntax.Node) {
		a, b := int(name.Pos().Offset()), int(name.End().Offset())
		if b > len(g.rest) {
			return
		}
		t := l.token(start+a, start+b)
		out = append(out, VarUse{Name: t, Span: t.Span})
	})
	return out
}

// eachShellRead calls use for each variable the parsed script reads, with the
// name and the whole expansion: the `$NAME` and `${NAME...}` parameter
// expansions when params is set, and the bare names in arithmetic (where
// the expansion is the name).
func eachShellRead(f *syntax.File, params bool, use func(name *syntax.Lit, whole syntax.Node)) {
	arith := func(x syntax.ArithmExpr) { arithNames(x, use) }
	syntax.Walk(f, func(node syntax.Node) bool {
		switch x := node.(type) {
		case *syntax.ParamExp:
			if params && x.Param != nil && x.Names == 0 && IsShellName(x.Param.Value) {
				use(x.Param, x)
			}
			if x.Slice != nil {
				arith(x.Slice.Offset)
				arith(x.Slice.Length)
			}
			if x.Index != nil {
				arith(x.Index) // bash reads an indexed array's subscript as arithmetic
			}
		case *syntax.BinaryTest:
			switch x.Op {
			case syntax.TsEql, syntax.TsNeq, syntax.TsLeq, syntax.TsGeq, syntax.TsLss, syntax.TsGtr:
				// [[ N -gt 1 ]]: bash reads the operands as arithmetic.
				for _, y := range []syntax.TestExpr{x.X, x.Y} {
					if w, ok := y.(*syntax.Word); ok {
						arith(w)
					}
				}
			}
		case *syntax.ArithmExp:
			arith(x.X)
		case *syntax.ArithmCmd:
			arith(x.X)
		case *syntax.LetClause:
			for _, e := range x.Exprs {
				arith(e)
			}
		case *syntax.CStyleLoop:
			arith(x.Init)
			arith(x.Cond)
			arith(x.Post)
		}
		return true
	})
}

// arithNames calls use for each bare variable name in the arithmetic
// expression x (nil: none). A word that is more than a name (`$N`, `$(f)`)
// is an expansion the walk finds on its own.
func arithNames(x syntax.ArithmExpr, use func(name *syntax.Lit, whole syntax.Node)) {
	switch x := x.(type) {
	case *syntax.BinaryArithm:
		arithNames(x.X, use)
		arithNames(x.Y, use)
	case *syntax.UnaryArithm:
		arithNames(x.X, use)
	case *syntax.ParenArithm:
		arithNames(x.X, use)
	case *syntax.Word:
		if len(x.Parts) == 1 {
			if lit, ok := x.Parts[0].(*syntax.Lit); ok && IsShellName(lit.Value) {
				use(lit, lit)
			}
		}
	}
}

// IsShellName reports whether s is a shell variable's name: a letter or
// `_`, then letters, digits and `_` (not a positional or special
// parameter).
func IsShellName(s string) bool {
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
