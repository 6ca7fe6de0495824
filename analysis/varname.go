package analysis

import (
	"unicode"
	"unicode/utf8"
)

// Variable names as BuildKit's shell lexer reads them after a `$`
// (shell.processName, v0.34.2): Unicode letters, digits and '_', not
// starting with a digit (a leading digit is a positional parameter). So
// `$café` is one name, as `$cafe` is; `$😀` is none. Every reader of
// variable uses (the scan, patterns, heredocs, completion) reads names
// here.

// IsVarNameRune reports whether BuildKit's lexer reads r as part of a
// variable's name.
func IsVarNameRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// VarNameEnd returns where the variable name BuildKit's lexer reads at
// t[s] ends: s when there is none (a digit, or no name rune, at s).
func VarNameEnd(t string, s int) int {
	e := s
	for e < len(t) {
		if c := t[e]; c < utf8.RuneSelf {
			if !isNameByte(c, e == s) {
				break
			}
			e++
			continue
		}
		r, size := utf8.DecodeRuneInString(t[e:])
		if !IsVarNameRune(r) || e == s && unicode.IsDigit(r) {
			break
		}
		e += size
	}
	return e
}

// IsVarName reports whether BuildKit's lexer reads all of name after a
// `$`: `ARG 😀=1` or `ARG A-B=1` declare names that no `${...}` can use.
func IsVarName(name string) bool {
	return name != "" && VarNameEnd(name, 0) == len(name)
}

// The shell reads the command of a RUN, CMD, ENTRYPOINT or HEALTHCHECK in
// shell form, not BuildKit: sh, dash, bash and ash read a name after `$`
// as ASCII letters, digits and '_' only (`$café` is `$caf` and the text
// "é", `${café}` a bad substitution). A Dockerfile's other words, and
// those instructions' flags (a RUN's --mount), BuildKit's lexer expands.

// shellRun reports whether the shell runs instruction cmd's text.
func shellRun(cmd string) bool {
	return cmd == "run" || cmd == "cmd" || cmd == "entrypoint" || cmd == "healthcheck"
}

// ShellReads reports whether the shell, not BuildKit, reads the text at
// offset rel of instruction n (relative to it): a shell-form command,
// after the instruction's flags.
func ShellReads(n Node, rel int) bool {
	if n.Instruction == nil || !shellRun(n.Cmd) || n.JSON {
		return false
	}
	return len(n.Flags) == 0 || rel > n.Flags[len(n.Flags)-1].Span.End
}

// IsNameRuneIn is IsVarNameRune, or for text the shell reads
// (ShellReads) an ASCII letter, digit or '_'.
func IsNameRuneIn(r rune, shell bool) bool {
	if shell {
		return r < utf8.RuneSelf && isNameByte(byte(r), false)
	}
	return IsVarNameRune(r)
}

// IsNameIn is IsVarName, or for text the shell reads an ASCII name.
func IsNameIn(name string, shell bool) bool {
	if !shell {
		return IsVarName(name)
	}
	for i := 0; i < len(name); i++ {
		if !isNameByte(name[i], i == 0) {
			return false
		}
	}
	return name != ""
}

// shellUses adjusts the uses the scan found in instruction in as
// BuildKit's lexer reads them to the shell's reading where the shell
// reads the text: a non-ASCII name is cut to its ASCII start (`$café` is
// a use of caf), or is none (`$été`, and `${café}`, which the shell
// rejects). The list is changed in place.
func shellUses(in *Instruction, uses []VarUse) []VarUse {
	if !shellRun(in.Cmd) || in.JSON {
		return uses
	}
	flagsEnd := 0
	if len(in.Flags) > 0 {
		flagsEnd = in.Flags[len(in.Flags)-1].Span.End
	}
	out := uses[:0]
	for _, u := range uses {
		if u.Span.Start < flagsEnd || IsNameIn(u.Name.Value, true) {
			out = append(out, u)
			continue
		}
		e := 0
		for e < len(u.Name.Value) && isNameByte(u.Name.Value[e], e == 0) {
			e++
		}
		braced := u.Name.Span.Start > u.Span.Start+1
		if e == 0 || braced || u.Name.Span.Len() != len(u.Name.Value) {
			continue
		}
		u.Name = Token{Span: Span{u.Name.Span.Start, u.Name.Span.Start + e}, Value: u.Name.Value[:e]}
		u.Span.End = u.Name.Span.End
		out = append(out, u)
	}
	return out
}
