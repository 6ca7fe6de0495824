package analysis

import (
	"fmt"
	"strings"
)

// Dump writes everything the index holds, one fact a line, each span as
// line:column (one-based, bytes) with the text it covers. Two indexes of the
// same text dump the same; golden and incremental tests compare dumps.
func (ix *Index) Dump() string {
	var b strings.Builder
	at := func(s Span) string {
		p, q := ix.Doc.Position(s.Start, UTF8), ix.Doc.Position(s.End, UTF8)
		return fmt.Sprintf("%d:%d-%d:%d %q", p.Line+1, p.Col+1, q.Line+1, q.Col+1, ix.Doc.Slice(s))
	}
	fmt.Fprintf(&b, "escape %q\n", ix.Escape)
	for _, d := range ix.Directives {
		fmt.Fprintf(&b, "directive %s=%q name=%s value=%s\n", d.Name, d.Value, at(d.NameSpan), at(d.ValueSpan))
	}
	if e := ix.ParseError; e != nil {
		fmt.Fprintf(&b, "parse-error %s: %s (stale=%v)\n", at(e.Span), e.Message, ix.Stale)
	}
	for i := 0; i < ix.n; i++ {
		n := ix.Node(i)
		fmt.Fprintf(&b, "inst %d %s lines=%d %s\n", i, n.Cmd, n.Lines, at(n.Span()))
		fmt.Fprintf(&b, "  keyword %s\n", at(n.Abs(n.Keyword.Span)))
		for _, f := range n.Flags {
			fmt.Fprintf(&b, "  flag %q=%q has=%v %s value=%s\n", f.Name.Value, f.Value.Value, f.HasValue, at(n.Abs(f.Span)), at(n.Abs(f.Value.Span)))
		}
		for _, a := range n.Args {
			fmt.Fprintf(&b, "  arg %q %s\n", a.Value, at(n.Abs(a.Span)))
		}
		if n.JSON {
			fmt.Fprintf(&b, "  json\n")
		}
		if n.Base() != nil {
			fmt.Fprintf(&b, "  base %q\n", n.Base().Value)
		}
		if n.Name() != nil {
			fmt.Fprintf(&b, "  name %q as=%s\n", n.Name().Value, at(n.Abs(n.As().Span)))
		}
		for _, h := range n.Heredocs() {
			fmt.Fprintf(&b, "  heredoc %q body=%s end=%s\n", h.Name, at(n.Abs(h.Body)), at(n.Abs(h.Terminator)))
		}
		for _, d := range n.Decls {
			fmt.Fprintf(&b, "  decl env=%v %q %s", d.IsEnv, d.Name.Value, at(n.Abs(d.Name.Span)))
			if d.HasDefault {
				fmt.Fprintf(&b, " = %q %s", d.Value.Value, at(n.Abs(d.Value.Span)))
			}
			b.WriteString("\n")
		}
		for _, u := range n.Uses {
			fmt.Fprintf(&b, "  use %q %s\n", u.Name.Value, at(n.Abs(u.Span)))
		}
		for _, e := range n.Errors() {
			fmt.Fprintf(&b, "  error %s: %s\n", at(n.Abs(e.Span)), e.Message)
		}
	}
	for _, s := range ix.Stages().All() {
		fmt.Fprintf(&b, "stage %d name=%q base=%q platform=%q from-stage=%d insts=[%d,%d) %s\n",
			s.Index, s.Name, s.Base, s.Platform, s.BaseStage, s.First, s.End, at(s.Span))
		if s.Name != "" {
			fmt.Fprintf(&b, "  name %s\n", at(s.NameSpan))
		}
	}
	for _, r := range ix.Refs() {
		fmt.Fprintf(&b, "ref %s %q numeric=%v inst=%d stage=%d -> %s %d %s\n",
			r.Kind, r.Value, r.Numeric, r.Instruction, r.Stage, r.Resolution, r.Target, at(r.Span))
	}
	return b.String()
}
