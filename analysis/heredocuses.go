package analysis

import "strings"

// expandsHeredocs reports whether BuildKit expands the variables in cmd's
// heredoc bodies itself: COPY and ADD write a body whose name is not
// quoted as a file after expanding it (instructions.SourceContent.Expand);
// a RUN's body goes to the shell as written.
func expandsHeredocs(cmd string) bool { return cmd == "copy" || cmd == "add" }

// heredocUses finds the `$name` and `${name...}` BuildKit expands in a
// heredoc body line: with its own lexer's rules for heredocs (escape
// always `\`, quotes not special, dockerfile2llb's ExpandRaw). at is where
// line starts, relative to the instruction; uses are appended to out.
func heredocUses(out []VarUse, line string, at int) []VarUse {
	if strings.IndexByte(line, '$') < 0 {
		return out
	}
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\':
			i++
		case c == '$' && i+1 < len(line):
			s, braced := i+1, line[i+1] == '{'
			if braced {
				s++
			}
			e := s
			for e < len(line) && isNameByte(line[e], e == s) {
				e++
			}
			if e == s {
				continue
			}
			end := e
			if braced {
				k := strings.IndexByte(line[e:], '}')
				if k < 0 {
					continue
				}
				end = e + k + 1
			}
			out = append(out, VarUse{Name: Token{Span: Span{at + s, at + e}, Value: line[s:e]}, Span: Span{at + i, at + end}})
			i = end - 1
		}
	}
	return out
}
