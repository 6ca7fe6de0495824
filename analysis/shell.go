package analysis

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// ShellCommand is one simple command of a RUN instruction, as a POSIX shell
// parser (mvdan.cc/sh) reads it.
type ShellCommand struct {
	// Args are the command's words. A word that is not plain text keeps
	// its variables as `$NAME` and drops what it cannot spell.
	Args []string
	// Assigns are the `NAME=value` words in front of the command.
	Assigns map[string]string
}

// Has reports whether the command has the argument w (after the name).
func (c ShellCommand) Has(w string) bool {
	for _, a := range c.Args[1:] {
		if a == w {
			return true
		}
	}
	return false
}

// HasPrefix reports whether an argument (after the name) starts with p.
func (c ShellCommand) HasPrefix(p string) bool {
	for _, a := range c.Args[1:] {
		if strings.HasPrefix(a, p) {
			return true
		}
	}
	return false
}

// ShellCommands returns the simple commands a RUN instruction runs, in
// order: those of its shell line (continuations joined and the comment
// lines inside them dropped, as BuildKit does), or of its heredoc script
// (`RUN <<EOF`), or of its exec form, through `sh -c` when it calls a
// shell. Nil when the text is not shell the parser accepts (a Windows
// escape character, PowerShell, a syntax error); empty when it is but runs
// no simple command.
func (ix *Index) ShellCommands(n Node) []ShellCommand {
	if n.Cmd != "run" || len(n.Args) == 0 {
		return nil
	}
	if n.JSON {
		argv := make([]string, len(n.Args))
		for i, a := range n.Args {
			argv[i] = a.Value
		}
		if base := argv[0][strings.LastIndexByte(argv[0], '/')+1:]; (base == "sh" || base == "bash") && len(argv) >= 3 && argv[1] == "-c" {
			return parseShell(argv[2])
		}
		return []ShellCommand{{Args: argv}}
	}
	if ix.Escape != '\\' {
		return nil
	}
	start := n.Abs(n.Args[0].Span).Start
	end := n.Start + n.Len
	if len(n.Heredocs) > 0 {
		end = n.Abs(n.Heredocs[0].Body).Start
	}
	line := shellLine(ix.Doc.Slice(Span{start, end}))
	if len(n.Heredocs) == 1 {
		h := n.Heredocs[0]
		if w := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "<-")); strings.Trim(w, `"'`) == h.Name {
			return parseShell(ix.Doc.Slice(n.Abs(h.Body))) // the heredoc is the script
		}
	}
	if len(n.Heredocs) > 0 {
		line += "\n" + ix.Doc.Slice(Span{end, n.Start + n.Len})
	}
	return parseShell(line)
}

// shellLine joins a RUN's lines as BuildKit does: a line ending in the
// escape continues on the next, and the comment and blank lines between
// them are dropped.
func shellLine(text string) string {
	var b strings.Builder
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if i > 0 && (isSpaceOnly(l) || isCommentLine(l)) {
			continue
		}
		if s, ok := continues(l, '\\'); ok {
			b.WriteString(s)
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// parseShell reads script's simple commands.
func parseShell(script string) []ShellCommand {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return nil
	}
	out := []ShellCommand{}
	syntax.Walk(f, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		c := ShellCommand{}
		for _, a := range call.Assigns {
			if a.Name != nil {
				if c.Assigns == nil {
					c.Assigns = map[string]string{}
				}
				c.Assigns[a.Name.Value] = wordText(a.Value)
			}
		}
		for _, w := range call.Args {
			c.Args = append(c.Args, wordText(w))
		}
		// Wrappers that run the rest as the command.
		for len(c.Args) > 1 && (c.Args[0] == "sudo" || c.Args[0] == "env" || c.Args[0] == "exec") {
			c.Args = c.Args[1:]
			for len(c.Args) > 1 && (strings.HasPrefix(c.Args[0], "-") || strings.Contains(c.Args[0], "=")) {
				c.Args = c.Args[1:]
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
