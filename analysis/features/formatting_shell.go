package features

import (
	"bytes"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/analysis"
)

// Shell formatting (FormatOptions.Shell) prints a RUN's script with the
// shell printer of mvdan.cc/sh (shfmt's): a shell-form command as one
// statement per line, a `&&`/`||` chain one command per line, each line
// continued with the escape token; a heredoc script as the printer lays it
// out. It is done only when BuildKit reads the new instruction with the
// same flags and a script that parses to the same program; otherwise the
// RUN is left as written. Shell-form scripts with comments are left alone
// (a comment line would be lost, a `#` comment swallows the joined lines
// after it).

// shellEdit returns the edit that formats RUN node i's script, and where
// the region it replaces starts.
func (f *formatter) shellEdit(i int) (analysis.Edit, bool) {
	ix := f.ix
	rs, ok := ix.RunScript(i)
	if !ok {
		return analysis.Edit{}, false
	}
	n := ix.Node(i)
	inst := ix.Doc.Slice(n.Span())
	var region analysis.Span // relative to the instruction
	var text string
	if rs.Heredoc {
		if len(n.Heredocs()) != 1 || strings.Contains(inst, "\r") {
			return analysis.Edit{}, false
		}
		file, err := analysis.ParseScript(rs.Script, rs.Bash, true)
		if err != nil {
			return analysis.Edit{}, false
		}
		width := uint(len(f.indent))
		if f.indent == "\t" {
			width = 0
		}
		var b bytes.Buffer
		if err := syntax.NewPrinter(syntax.Indent(width)).Print(&b, file); err != nil {
			return analysis.Edit{}, false
		}
		region, text = n.Heredocs()[0].Body, b.String()
		if body := inst[region.Start:region.End]; !strings.HasSuffix(body, "\n") {
			text = strings.TrimSuffix(text, "\n")
		}
	} else {
		// The file's line end, which a one-line RUN holds none of.
		nl := analysis.Newline(ix.Doc)
		start := n.Keyword.Span.End
		if len(n.Flags) > 0 {
			start = n.Flags[len(n.Flags)-1].Span.End
		}
		end := len(strings.TrimRight(inst, "\r\n"))
		region = analysis.Span{Start: start, End: end}
		joined, breaks, ok := joinScript(inst[start:end], ix.Escape)
		if !ok || joined != rs.Script {
			return analysis.Edit{}, false
		}
		lines, ok := shellLines(rs, breaks)
		if !ok {
			return analysis.Edit{}, false
		}
		var b strings.Builder
		for k, l := range lines {
			if k > 0 {
				b.WriteString(" \\" + nl + strings.Repeat(f.indent, l.level))
			}
			b.WriteString(l.text)
		}
		text = " " + b.String()
	}
	if inst[region.Start:region.End] == text {
		return analysis.Edit{}, false
	}
	after := inst[:region.Start] + text + inst[region.End:]
	if !sameRun(inst, after, rs.Bash) {
		return analysis.Edit{}, false
	}
	return analysis.Edit{Span: n.Abs(region), Text: text}, true
}

// shLine is one line of a laid-out script and its indentation level.
type shLine struct {
	text  string
	level int
}

// joinScript joins the lines of a shell-form command the way BuildKit
// does (continuations removed, comment and blank lines dropped) and
// returns where in the result each source line after the first began;
// ok is false when there is a comment line, which printing would lose.
func joinScript(raw string, esc byte) (joined string, breaks []int, ok bool) {
	var b strings.Builder
	for k, line := range strings.Split(raw, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if k > 0 {
			if analysis.IsCommentLine(line) {
				return "", nil, false
			}
			if analysis.IsSpaceOnly(line) {
				continue
			}
			breaks = append(breaks, b.Len())
		}
		body, _ := analysis.Continues(line, esc)
		b.WriteString(body)
	}
	joined = b.String()
	lead := len(joined) - len(strings.TrimLeft(joined, " \t"))
	for k := range breaks {
		breaks[k] -= lead
	}
	return strings.TrimRight(joined[lead:], " \t"), breaks, true
}

// shellLines lays out a shell-form script: one statement a line, a chain
// of `&&` and `||` one command a line, with the operator where the author
// put it (at the end of a line or starting the next), and a command's
// arguments broken where the author broke them, one level deeper.
func shellLines(rs analysis.RunScript, breaks []int) ([]shLine, bool) {
	file, err := analysis.ParseScript(rs.Script, rs.Bash, true)
	if err != nil {
		return nil, false
	}
	commented := false
	syntax.Walk(file, func(node syntax.Node) bool {
		switch node := node.(type) {
		case *syntax.Comment:
			commented = true
		case *syntax.Redirect:
			commented = node.Hdoc != nil
		}
		return !commented
	})
	if commented || len(file.Stmts) == 0 {
		return nil, false
	}
	pr := syntax.NewPrinter(syntax.SingleLine(true))
	printOne := func(node syntax.Node) (string, bool) {
		var b bytes.Buffer
		if err := pr.Print(&b, node); err != nil {
			return "", false
		}
		return strings.TrimSpace(b.String()), true
	}
	brokeIn := func(from, to uint) bool {
		for _, b := range breaks {
			if uint(b) > from && uint(b) <= to {
				return true
			}
		}
		return false
	}
	var lines []shLine
	level := 0
	for k, st := range file.Stmts {
		if st.Background || st.Coprocess {
			return nil, false
		}
		var parts []*syntax.Stmt
		var ops []*syntax.BinaryCmd
		var chain func(s *syntax.Stmt)
		chain = func(s *syntax.Stmt) {
			if b, ok := s.Cmd.(*syntax.BinaryCmd); ok && !s.Negated && len(s.Redirs) == 0 && (b.Op == syntax.AndStmt || b.Op == syntax.OrStmt) {
				chain(b.X)
				ops = append(ops, b)
				chain(b.Y)
				return
			}
			parts = append(parts, s)
		}
		chain(st)
		leading := len(ops) > 0 && brokeIn(ops[0].X.End().Offset(), ops[0].OpPos.Offset())
		for j, p := range parts {
			var words []string
			var starts []uint
			if call, ok := p.Cmd.(*syntax.CallExpr); ok && len(p.Redirs) == 0 && !p.Negated {
				for _, as := range call.Assigns {
					w, ok := printOne(as)
					if !ok {
						return nil, false
					}
					words, starts = append(words, w), append(starts, as.Pos().Offset())
				}
				for _, a := range call.Args {
					w, ok := printOne(a)
					if !ok {
						return nil, false
					}
					words, starts = append(words, w), append(starts, a.Pos().Offset())
				}
			} else {
				w, ok := printOne(p)
				if !ok {
					return nil, false
				}
				words, starts = []string{w}, []uint{p.Pos().Offset()}
			}
			cur := shLine{level: level}
			if leading && j > 0 {
				cur.text = ops[j-1].Op.String() + " "
			}
			for w, word := range words {
				if w > 0 && brokeIn(starts[w-1], starts[w]) {
					lines = append(lines, cur)
					cur = shLine{level: level + 1}
				} else if w > 0 {
					cur.text += " "
				}
				cur.text += word
			}
			switch {
			case j < len(ops) && !leading:
				cur.text += " " + ops[j].Op.String()
			case j == len(parts)-1 && k < len(file.Stmts)-1:
				cur.text += ";"
			}
			lines = append(lines, cur)
			level = 1
		}
	}
	return lines, true
}

// sameRun reports whether BuildKit reads the RUN instructions a and b with
// the same flags and scripts that parse to the same program.
func sameRun(a, b string, bash bool) bool {
	ra, errA := parser.Parse(strings.NewReader(a))
	rb, errB := parser.Parse(strings.NewReader(b))
	if errA != nil || errB != nil || len(ra.AST.Children) != 1 || len(rb.AST.Children) != 1 {
		return false
	}
	na, nb := ra.AST.Children[0], rb.AST.Children[0]
	if strings.Join(na.Flags, "\x00") != strings.Join(nb.Flags, "\x00") || len(na.Heredocs) != len(nb.Heredocs) ||
		na.Next == nil || nb.Next == nil || nb.Next.Next != nil {
		return false
	}
	scripts := func(n *parser.Node) []string {
		out := []string{n.Next.Value}
		for _, h := range n.Heredocs {
			out = append(out, h.Name, h.Content)
		}
		return out
	}
	sa, sb := scripts(na), scripts(nb)
	for k := range sa {
		if k == 0 && len(na.Heredocs) > 0 || k%2 == 1 {
			if sa[k] != sb[k] {
				return false
			}
			continue
		}
		pa, okA := canonicalShell(sa[k], bash)
		pb, okB := canonicalShell(sb[k], bash)
		if !okA || !okB || pa != pb {
			return false
		}
	}
	return true
}

// canonicalShell prints a script's program in one fixed layout.
func canonicalShell(script string, bash bool) (string, bool) {
	file, err := analysis.ParseScript(script, bash, true)
	if err != nil {
		return "", false
	}
	var b bytes.Buffer
	if err := syntax.NewPrinter().Print(&b, file); err != nil {
		return "", false
	}
	return b.String(), true
}
