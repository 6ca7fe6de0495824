package features

import (
	"context"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// TokenType is the class of a semantic token.
type TokenType uint8

const (
	TokKeyword  TokenType = iota // instruction keywords, AS, heredoc delimiters
	TokStage                     // stage names and references to stages
	TokFlag                      // `--name` of a flag
	TokVariable                  // ARG/ENV names and `$name` uses
	TokString                    // quoted text, flag and variable values
	TokComment                   // whole-line comments and parser directives
	TokHeredoc                   // the lines of a heredoc body
	tokTypeCount
)

var tokenTypeNames = [...]string{"keyword", "stage", "flag", "variable", "string", "comment", "heredoc"}

func (t TokenType) String() string { return tokenTypeNames[t] }

// TokenTypes lists every TokenType, in order.
func TokenTypes() []TokenType {
	out := make([]TokenType, tokTypeCount)
	for i := range out {
		out[i] = TokenType(i)
	}
	return out
}

// TokenMod is a set of token modifiers.
type TokenMod uint32

const (
	ModDeclaration    TokenMod = 1 << iota // where a stage or variable is declared
	ModReference                           // where it is referred to
	ModDefaultLibrary                      // a variable BuildKit predefines
	modCount          = iota
)

var tokenModNames = [...]string{"declaration", "reference", "defaultLibrary"}

// TokenModNames lists the modifier names, bit i named by element i.
func TokenModNames() []string { return tokenModNames[:modCount] }

// SemToken is a semantic token on one line; Col and Len count in the
// encoding the tokens were asked for.
type SemToken struct {
	Line, Col, Len int
	Type           TokenType
	Mods           TokenMod
}

// span tokens before they are placed: byte spans that may overlap.
type rawToken struct {
	span analysis.Span
	mods TokenMod
	typ  TokenType
	prio int8
}

// SemanticTokens returns the tokens that overlap span, in document order.
// They never overlap one another and never cross a line end: a token that
// covers several lines is cut at each.
func SemanticTokens(ix *analysis.Index, span analysis.Span, enc analysis.Encoding) []SemToken {
	out := make([]SemToken, 0, SemanticTokenHint(ix, span))
	_ = EachSemanticToken(context.Background(), ix, span, enc, func(t SemToken) { out = append(out, t) })
	return out
}

// SemanticTokenHint estimates the number of tokens that overlap span, to
// size what holds them.
func SemanticTokenHint(ix *analysis.Index, span analysis.Span) int {
	return 5*(nodesBefore(ix, span.End)-max(nodesBefore(ix, span.Start)-1, 0)) + 16
}

// EachSemanticToken calls emit with each token SemanticTokens returns, in
// the same order, without holding them. When ctx is cancelled it stops
// early and returns ctx's error; emit has then seen only some tokens.
func EachSemanticToken(ctx context.Context, ix *analysis.Index, span analysis.Span, enc analysis.Encoding, emit func(SemToken)) error {
	doc := ix.Doc
	first := max(nodesBefore(ix, span.Start)-1, 0)
	p := placer{cur: doc.Cursor(enc), span: span, line: -1, emit: emit}
	var sc overlapScratch
	var buf []rawToken
	prevEnd := 0
	if first > 0 {
		prev := ix.Node(first - 1)
		prevEnd = prev.Start + prev.Len
	}
	for i := first; i < ix.Len(); i++ {
		if err := analysis.Cancelled(ctx, i-first); err != nil {
			return err
		}
		n := ix.Node(i)
		if n.Start > span.End {
			p.place(commentTokens(ctx, ix, buf[:0], prevEnd, n.Start))
			prevEnd = -1
			break
		}
		buf = commentTokens(ctx, ix, buf[:0], prevEnd, n.Start)
		buf = instructionTokens(ix, buf, n, &sc)
		p.place(buf)
		prevEnd = n.Start + n.Len
	}
	if prevEnd >= 0 {
		p.place(commentTokens(ctx, ix, buf[:0], prevEnd, doc.Len()+1))
	}
	return ctx.Err()
}

// placer turns byte spans, given in document order, into tokens on single
// lines with columns in enc, keeping those that overlap span.
type placer struct {
	cur  *analysis.PositionCursor // lines and columns, walked in order
	span analysis.Span
	emit func(SemToken)

	// The line last placed: its number, start, end (before its
	// terminator) and the next line's start.
	line, lineStart, lineEnd, next int
}

func (p *placer) place(ts []rawToken) {
	for _, t := range ts {
		for a := t.span.Start; a < t.span.End; {
			if p.line < 0 || a < p.lineStart || a >= p.next {
				p.line, p.lineStart, p.lineEnd, p.next = p.cur.Line(a)
			}
			if a >= p.lineEnd { // a terminator; move to the next line
				if p.next <= a {
					break
				}
				a = p.next
				continue
			}
			b := min(t.span.End, p.lineEnd)
			if b > p.span.Start && a < p.span.End {
				col := p.cur.Position(a).Col
				if w := p.cur.Position(b).Col - col; w > 0 {
					p.emit(SemToken{Line: p.line, Col: col, Len: w, Type: t.typ, Mods: t.mods})
				}
			}
			a = b
		}
	}
}

// commentTokens adds the whole-line comments that start in [from, to),
// or some of them when ctx is cancelled (a file may be one long comment).
func commentTokens(ctx context.Context, ix *analysis.Index, dst []rawToken, from, to int) []rawToken {
	doc := ix.Doc
	if to <= from {
		return dst
	}
	// Line by line from the one holding from, each read from its chunk.
	ls, k := doc.LineStart(doc.LineOf(from)), 0
	for n := 1; ls < to && ls < doc.Len(); n++ {
		if analysis.Cancelled(ctx, n) != nil {
			break
		}
		text, next := doc.LineAt(ls, &k)
		if ls >= from {
			dst = appendCommentLine(dst, text, ls)
		}
		ls = next
	}
	return dst
}

func appendCommentLine(dst []rawToken, text string, start int) []rawToken {
	t := strings.TrimLeft(text, " \t\uFEFF")
	if t == "" || t[0] != '#' {
		return dst
	}
	return append(dst, rawToken{span: analysis.Span{Start: start + len(text) - len(t), End: start + len(text)}, typ: TokComment})
}

// instructionTokens adds the tokens of one instruction, overlaps resolved.
func instructionTokens(ix *analysis.Index, dst []rawToken, n analysis.Node, sc *overlapScratch) []rawToken {
	mark := len(dst)
	ts := dst
	add := func(s analysis.Span, typ TokenType, mods TokenMod, prio int8) {
		if s.End > s.Start {
			ts = append(ts, rawToken{n.Abs(s), mods, typ, prio})
		}
	}
	add(n.Keyword.Span, TokKeyword, 0, 1)
	text := ix.Doc.Slice(n.Span())
	for _, f := range n.Flags {
		add(analysis.Span{Start: f.Span.Start, End: f.Name.Span.End}, TokFlag, 0, 1)
		if f.HasValue {
			add(f.Value.Span, TokString, 0, 0)
		}
	}
	switch n.Cmd {
	case "from":
		if n.As() != nil {
			add(n.As().Span, TokKeyword, 0, 1)
		}
		if n.Name() != nil {
			add(n.Name().Span, TokStage, ModDeclaration, 1)
		}
	case "onbuild":
		if len(n.Args) > 0 {
			add(n.Args[0].Span, TokKeyword, 0, 1)
		}
	default:
		for _, a := range n.Args {
			if n.JSON {
				add(analysis.Span{Start: a.Span.Start - 1, End: min(a.Span.End+1, len(text))}, TokString, 0, 0)
				continue
			}
			if strings.HasPrefix(a.Value, "<<") && len(n.Heredocs()) > 0 {
				add(a.Span, TokKeyword, 0, 1)
				continue
			}
			ts = appendQuoted(ts, text, a.Span, n.Start, ix.Escape)
		}
	}
	for _, r := range n.Refs {
		if r.Resolution == analysis.ResolvesStage || r.Resolution == analysis.ResolvesLaterStage {
			add(r.Value.Span, TokStage, ModReference, 1)
		}
	}
	for _, d := range n.Decls {
		add(d.Name.Span, TokVariable, ModDeclaration, 1)
		if d.HasDefault {
			add(d.Value.Span, TokString, 0, 0)
		}
	}
	// A RUN's uses include those only the shell sees (heredoc bodies,
	// bare names in arithmetic), read once per instruction and carried
	// from one version of the index to the next.
	// A use nested in another's word (`${A:-${B}}`) wins over it: each
	// name keeps a token of its own, and the outer one is cut around it.
	uses := ix.UsesOf(n)
	for i, u := range uses {
		var mods TokenMod = ModReference
		if analysis.IsBuiltinArg(u.Name.Value) {
			mods |= ModDefaultLibrary
		}
		depth := 0
		for j, o := range uses {
			if j != i && o.Span.Start <= u.Span.Start && u.Span.End <= o.Span.End && o.Span.Len() > u.Span.Len() {
				depth++
			}
		}
		add(u.Span, TokVariable, mods, int8(2+min(depth, 100)))
	}
	heredocLines := analysis.Span{Start: -1, End: -1}
	for _, h := range n.Heredocs() {
		add(h.Body, TokHeredoc, 0, 1)
		add(h.Terminator, TokKeyword, 0, 1)
		if heredocLines.Start < 0 {
			heredocLines.Start = h.Body.Start
		}
		heredocLines.End = max(h.Body.End, h.Terminator.End)
	}
	// Comment lines inside continuations.
	if n.Lines > 1 {
		for off := strings.IndexByte(text, '\n') + 1; off > 0 && off < len(text); {
			end := strings.IndexByte(text[off:], '\n')
			if end < 0 {
				end = len(text)
			} else {
				end += off
			}
			if heredocLines.Start >= 0 && off >= heredocLines.Start {
				break
			}
			line := strings.TrimRight(text[off:end], "\r")
			if c := appendCommentLine(nil, line, off); len(c) > 0 {
				add(c[0].span, TokComment, 0, 127) // above everything, nested uses included
			}
			off = end + 1
		}
	}
	return append(ts[:mark], resolveOverlaps(ts[mark:], sc)...)
}

// appendQuoted adds a string token for each quoted part of the argument at
// span (relative to the instruction whose text is text).
func appendQuoted(dst []rawToken, text string, span analysis.Span, base int, esc byte) []rawToken {
	end := min(span.End, len(text))
	var quote byte
	start := 0
	for i := span.Start; i < end; i++ {
		c := text[i]
		switch {
		case c == esc && quote != '\'':
			i++
		case quote == 0 && (c == '"' || c == '\''):
			quote, start = c, i
		case quote != 0 && c == quote:
			dst = append(dst, rawToken{span: analysis.Span{Start: base + start, End: base + i + 1}, typ: TokString})
			quote = 0
		}
	}
	if quote != 0 {
		dst = append(dst, rawToken{span: analysis.Span{Start: base + start, End: base + end}, typ: TokString})
	}
	return dst
}

// overlapScratch holds buffers reused from one instruction to the next.
type overlapScratch struct {
	paint []int32
	skip  []int32
	order []int32
	out   []rawToken
}

// resolveOverlaps cuts lower-priority tokens around higher ones (the
// earlier wins a tie) and returns the pieces in order. The result may live
// in sc until its next use.
func resolveOverlaps(ts []rawToken, sc *overlapScratch) []rawToken {
	slices.SortStableFunc(ts, func(a, b rawToken) int { return a.span.Start - b.span.Start })
	lo, hi, overlap := 0, 0, false
	for i, t := range ts {
		if i == 0 {
			lo, hi = t.span.Start, t.span.End
			continue
		}
		if t.span.Start < hi {
			overlap = true
		}
		hi = max(hi, t.span.End)
	}
	if !overlap {
		return ts
	}
	// Paint each byte with the token that wins it: higher priorities first,
	// and within a priority the earlier first; a byte keeps its first paint.
	// skip[p] leads past painted bytes (path-halved), so every byte is
	// painted once however deeply tokens nest (painting each token whole
	// was quadratic in the nesting of ${A:-${B:-...}}).
	n := hi - lo
	sc.paint = slices.Grow(sc.paint[:0], n)[:n]
	sc.skip = slices.Grow(sc.skip[:0], n+1)[:n+1]
	for i := range sc.paint {
		sc.paint[i] = -1
	}
	for i := range sc.skip {
		sc.skip[i] = int32(i)
	}
	next := func(p int32) int32 {
		for sc.skip[p] != p {
			sc.skip[p] = sc.skip[sc.skip[p]]
			p = sc.skip[p]
		}
		return p
	}
	sc.order = sc.order[:0]
	for i := range ts {
		sc.order = append(sc.order, int32(i))
	}
	slices.SortStableFunc(sc.order, func(a, b int32) int {
		if ts[a].prio != ts[b].prio {
			return int(ts[b].prio) - int(ts[a].prio)
		}
		return int(a - b)
	})
	for _, k := range sc.order {
		end := int32(ts[k].span.End - lo)
		for p := next(int32(ts[k].span.Start - lo)); p < end; p = next(p) {
			sc.paint[p] = k
			sc.skip[p] = p + 1
		}
	}
	sc.out = sc.out[:0]
	for p := 0; p < len(sc.paint); {
		k := sc.paint[p]
		q := p + 1
		for q < len(sc.paint) && sc.paint[q] == k {
			q++
		}
		if k >= 0 {
			t := ts[k]
			t.span = analysis.Span{Start: lo + p, End: lo + q}
			sc.out = append(sc.out, t)
		}
		p = q
	}
	return sc.out
}

// nodesBefore returns how many instructions start at or before off.
func nodesBefore(ix *analysis.Index, off int) int {
	if n, ok := ix.NodeBefore(off); ok {
		return n.Index + 1
	}
	return 0
}
