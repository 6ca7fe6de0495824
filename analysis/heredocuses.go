package analysis

import "strings"

// expandsHeredocs reports whether BuildKit expands the variables in cmd's
// heredoc bodies itself: COPY and ADD write a body whose name is not
// quoted as a file after expanding it (instructions.SourceContent.Expand);
// a RUN's body goes to the shell as written.
func expandsHeredocs(cmd string) bool { return cmd == "copy" || cmd == "add" }

// heredocUses finds the `$name` and `${name...}` BuildKit expands in a
// heredoc body line, nested ones too: with its own lexer's rules for
// heredocs (escape always `\`, quotes not special, dockerfile2llb's
// ExpandRaw). at is where line starts, relative to the instruction; uses
// are appended to out.
func heredocUses(out []VarUse, line string, at int) []VarUse {
	if strings.IndexByte(line, '$') < 0 {
		return out
	}
	pieces := [1]piece{{at: 0, abs: at}}
	l := logical{text: line, pieces: pieces[:]}
	s := useScan{t: line, esc: '\\', noQuotes: true, stop: &varStops[0], uses: out}
	s.word(&l, 0, 0)
	return s.uses
}
