package analysis

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// BuildKit gives each instruction a range of lines and nothing finer. The
// scanner re-reads those lines to find where every keyword, flag, argument
// and name stands, following the parser's own rules for continuations,
// comments and blank lines inside them, and heredoc bodies.

// logical is an instruction's command text as BuildKit joins it, with a map
// back to the byte offsets each piece came from.
type logical struct {
	text   string
	pieces []piece
	// The piece pos found last, k, [lo, hi) of the text moved by delta:
	// tokens are mapped mostly in order, and most commands are one piece.
	k, lo, hi, delta int
}

type piece struct {
	at  int // offset in logical text
	abs int // offset in the source, relative to the instruction start
}

// pos maps an offset in the logical text to a relative source offset.
func (l *logical) pos(i int) int {
	if l.lo <= i && i < l.hi {
		return i + l.delta
	}
	return l.seek(i)
}

// seek is pos finding the piece of i: the last that starts at or before
// it, or the first. It steps from the piece found last: the next token
// is mostly in it or the next one.
func (l *logical) seek(i int) int {
	k := min(l.k, len(l.pieces)-1)
	for k+1 < len(l.pieces) && l.pieces[k+1].at <= i {
		k++
	}
	for k > 0 && l.pieces[k].at > i {
		k--
	}
	l.k = k
	p := l.pieces[k]
	l.lo, l.hi, l.delta = p.at, math.MaxInt, p.abs-p.at
	if k == 0 {
		l.lo = math.MinInt
	}
	if k+1 < len(l.pieces) {
		l.hi = l.pieces[k+1].at
	}
	return i + l.delta
}

// span maps the logical range [i, j) to a relative source span. The end is
// placed after the last byte, so a token split by a continuation covers it.
func (l *logical) span(i, j int) Span {
	if d := l.delta; l.lo <= i && i < j && j <= l.hi {
		return Span{i + d, j + d} // one piece
	}
	return l.spanPieces(i, j)
}

// spanPieces is span for a range the last piece does not hold.
func (l *logical) spanPieces(i, j int) Span {
	if j <= i {
		p := l.pos(i)
		return Span{p, p}
	}
	return Span{l.pos(i), l.pos(j-1) + 1}
}

func (l *logical) token(i, j int) Token {
	return Token{Span: l.span(i, j), Value: l.text[i:j]}
}

// sourceLines holds the "\n"-terminated lines BuildKit counts.
type sourceLines struct {
	text  string
	start []int // start of each line
	bom   int   // length of a byte-order mark BuildKit drops from line 0
}

func newSourceLines(text string) sourceLines {
	starts := make([]int, 1, strings.Count(text, "\n")+1)
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return sourceLinesAt(text, starts)
}

// sourceLinesAt is newSourceLines with the line starts already found.
func sourceLinesAt(text string, starts []int) sourceLines {
	src := sourceLines{text: text, start: starts}
	if strings.HasPrefix(text, "\uFEFF") {
		src.bom = len("\uFEFF")
	}
	return src
}

// line returns line k without its terminator; BuildKit trims every trailing
// "\r" and "\n".
func (s sourceLines) line(k int) string {
	end := len(s.text)
	if k+1 < len(s.start) {
		end = s.start[k+1]
	}
	return trimEOL(s.text[s.start[k]:end])
}

func isSpaceOnly(s string) bool { return strings.TrimLeftFunc(s, unicode.IsSpace) == "" }

func isCommentLine(s string) bool {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	return s != "" && s[0] == '#'
}

// IsCommentLine reports whether the line s is a whole-line comment.
func IsCommentLine(s string) bool { return isCommentLine(s) }

// IsSpaceOnly reports whether the line s is blank.
func IsSpaceOnly(s string) bool { return isSpaceOnly(s) }

// continues reports whether line ends in a continuation, and returns the line
// without it, as BuildKit's continuation pattern does: the escape token as the
// last non-blank byte, not itself escaped.
func continues(line string, esc byte) (string, bool) {
	n := len(line)
	for n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') {
		n--
	}
	t := line[:n]
	if n == 0 || t[n-1] != esc {
		return line, false
	}
	if n >= 2 && t[n-2] == esc {
		return line, false
	}
	return t[:n-1], true
}

// Continues reports whether line ends in a continuation, and returns the
// line without it (see continues).
func Continues(line string, esc byte) (string, bool) { return continues(line, esc) }

// scanInstruction reads the instruction BuildKit's parser found on lines
// [first, last] (zero-based, inclusive) of src, joining its command as
// the parser does; scanGroup reads one the grouper joined.
func scanInstruction(src sourceLines, first, last int, esc byte, docs []parser.Heredoc) *Instruction {
	var a *arena
	base := src.start[first]
	lastLine := src.line(last)
	in := a.inst()
	in.Len = src.start[last] + len(lastLine) - base
	in.Lines = last - first + 1

	// Join the logical line.
	var l logical
	var b strings.Builder
	k := first
	raw := src.line(k)
	if k == 0 && src.bom > 0 {
		// BuildKit drops the mark; blanks of its width keep offsets aligned.
		raw = strings.Repeat(" ", src.bom) + raw[src.bom:]
	}
	lead := len(raw) - len(trimLeftSpace(raw))
	content, more := continues(raw[lead:], esc)
	l.pieces = []piece{{at: 0, abs: src.start[k] + lead - base}}
	if !more || k == last {
		// One line: the logical text is the line's.
		l.text = content
		in.scanCommand(&l, esc, a, nil)
		if len(docs) > 0 {
			in.scanHeredocs(src, k+1, last, base, docs, false)
		}
		return in
	}
	// The joined text is no longer than the lines it comes from.
	b.Grow(min(in.Len, 4096))
	b.WriteString(content)
	for more && k < last {
		k++
		raw = src.line(k)
		if isCommentLine(raw) || isSpaceOnly(raw) {
			continue
		}
		content, more = continues(raw, esc)
		l.pieces = append(l.pieces, piece{at: b.Len(), abs: src.start[k] - base})
		b.WriteString(content)
	}
	l.text = b.String()

	in.scanCommand(&l, esc, a, nil)
	if len(docs) > 0 {
		in.scanHeredocs(src, k+1, last, base, docs, false)
	}
	return in
}

// scanGroup reads the instruction of group g, whose command the grouper
// joined. Its instruction and tokens come from arena a, if not nil.
func scanGroup(src sourceLines, g *group, esc byte, a *arena) *Instruction {
	base := src.start[g.first]
	a.reach(g.first)
	in := a.inst()
	in.Len = g.end
	in.Lines = g.last - g.first + 1
	var l logical
	l.text, l.pieces = g.line, g.pieces
	in.scanCommand(&l, esc, a, g)
	if len(g.heredocs) > 0 {
		in.scanHeredocs(src, g.cmdLast+1, g.last, base, g.heredocs, true)
	}
	return in
}

// scanCommand splits the logical line into keyword, flags and arguments.
// The keyword is looked up, unless it is that of g, the grouper's reading
// of the line (nil: none).
func (in *Instruction) scanCommand(l *logical, esc byte, a *arena, g *group) {
	// BuildKit trims the line of Unicode blanks, then cuts the keyword at
	// its first ASCII blank. The first line comes trimmed, but a line of
	// the escape token alone leaves the next line's blanks first.
	l.text = trimRightSpace(l.text)
	t := l.text
	i := 0
	if t != "" && (t[0] >= utf8.RuneSelf || asciiSpace(t[0])) {
		i = len(t) - len(trimLeftSpace(t))
	}
	j := skipUntil(t, i, &asciiBlanks)
	in.Keyword = l.token(i, j)
	var cmd string
	var info *InstructionInfo
	if g != nil && g.cmd == in.Keyword.Value {
		cmd, info = g.lcmd, g.info
	} else {
		cmd, info = keyword(in.Keyword.Value)
	}
	in.Cmd = cmd
	i = skipSpace(t, j)

	// Flags: leading words that start with "--"; a lone "--" ends them.
	// BuildKit's flag reader looks at the line byte by byte, each taken
	// for a Latin-1 character: 0x85 and 0xA0 are blanks to it.
	var flags []Flag
	i = skipFlagSpace(t, i)
	if g != nil && len(g.flags) > 0 {
		// The grouper's plain flags are slices of this very line: a word
		// found where this reading stands is the word it would read, with
		// no quote, escape token or byte past ASCII, and ends at a blank.
		flags = a.flagSlab().scratch()
		for _, w := range g.flags {
			if len(w) < 2 || i+len(w) > len(t) || unsafe.StringData(w) != unsafe.StringData(t[i:]) {
				break
			}
			end := i + len(w)
			flags = growOne(a.flagSlab(), flags)
			makeFlag(&flags[len(flags)-1], l, i, end, esc, true)
			i = skipFlagSpace(t, end)
		}
	}
	for ; i+1 < len(t) && t[i] == '-' && t[i+1] == '-'; i = skipFlagSpace(t, i) {
		if len(flags) == 0 {
			flags = a.flagSlab().scratch()
		}
		end, value := scanWord(t, i, esc)
		fl := l
		if w := t[i:end]; strings.IndexByte(w, 0xA0) >= 0 || strings.IndexByte(w, 0x85) >= 0 {
			cut := flagCut(t, i, end, esc)
			fl = &logical{text: t[:cut], pieces: l.pieces}
			end, value = scanWord(fl.text, i, esc)
		}
		if value == "--" {
			i = skipSpace(t, end)
			break
		}
		// A word read with quotes or escapes reads shorter than it is
		// written; one that is not is its text.
		flags = growOne(a.flagSlab(), flags)
		makeFlag(&flags[len(flags)-1], fl, i, end, esc, len(value) == end-i)
		i = end
	}
	// The instruction comes zeroed: a nil list is not written.
	if len(flags) > 0 {
		in.Flags = a.flagSlab().keep(flags)
	}
	// The arguments are trimmed of Unicode blanks.
	argStart := i
	if i < len(t) && t[i] >= utf8.RuneSelf {
		argStart = len(t) - len(trimLeftSpace(t[i:]))
	}

	switch {
	case in.Cmd == "from":
		in.scanFrom(l, argStart, a)
	case info != nil && info.form.json():
		if toks, ok := jsonArgs(l, argStart, a); ok {
			in.JSON = true
			in.Args = toks
			break
		}
		in.Args = words(l, argStart, esc, a)
	default:
		in.Args = words(l, argStart, esc, a)
	}

	switch in.Cmd {
	case "arg":
		sl := a.declSlab()
		decls := sl.scratch()
		for _, a := range in.Args {
			decls = growOne(sl, decls)
			declFrom(&decls[len(decls)-1], a, false)
		}
		in.Decls = sl.keep(decls)
		if in.Decls == nil {
			in.Decls = []VarDecl{}
		}
	case "env":
		in.scanEnv(a.declSlab())
	case "copy", "add":
		if f := in.Flag("from"); f != nil && f.HasValue && info.Flag("from") != nil {
			in.Refs = a.refSlab().one(Ref{Kind: RefCopyFrom, Value: f.Value, Numeric: isNumber(f.Value.Value), Target: -1})
		}
	case "run":
		for _, f := range in.Flags {
			// A field named from holds those letters in a row, quoted or not.
			if f.Name.Value == "mount" && f.HasValue && containsFrom(f.Value.Value) {
				// A value written as it reads takes the quick reading; one
				// continued over lines is placed through the logical line.
				from, ok := Token{}, false
				if f.Value.Span.Len() == len(f.Value.Value) {
					from, ok = mountFrom(f.Value, esc)
				} else if fld, has := readLogicalMount(l, f.Value, esc).Field("from"); has && fld.HasValue {
					from, ok = fld.Value, true
				}
				if ok {
					in.Refs = append(in.Refs, Ref{Kind: RefMountFrom, Value: from, Numeric: isNumber(from.Value), Target: -1})
				}
			}
		}
	}
	if in.Cmd != "onbuild" && !(in.JSON && (in.Cmd == "run" || in.Cmd == "cmd" || in.Cmd == "entrypoint")) {
		if uses := varUses(l, esc, a.useSlab()); uses != nil {
			in.Uses = shellUses(in, uses)
		}
	}
}

// trimRightSpace is strings.TrimRightFunc(s, unicode.IsSpace), quicker
// when s ends in a printable ASCII byte.
func trimRightSpace(s string) string {
	if len(s) > 0 && trimStops[s[len(s)-1]] {
		s = trimRightSpaceSlow(s)
	}
	return s
}

// trimRightSpaceSlow is trimRightSpace apart from its quick test, so that
// the test is inlined.
//
//go:noinline
func trimRightSpaceSlow(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }

// skipFlagSpace skips the bytes BuildKit's flag reader takes for blanks:
// ASCII blanks and the Latin-1 ones, 0x85 and 0xA0, even inside a
// character.
func skipFlagSpace(t string, i int) int {
	for i < len(t) && isLatin1Space(t[i]) {
		i++
	}
	return i
}

// flagCut returns where BuildKit's flag reader ends the flag word [i, end)
// that holds a Latin-1 blank byte: at the first one outside quotes and not
// escaped; end when there is none.
func flagCut(t string, i, end int, esc byte) int {
	var quote byte
	for k := i; k < end; k++ {
		switch c := t[k]; {
		case c == esc:
			k++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == 0x85 || c == 0xA0:
			return k
		}
	}
	return end
}

// containsFrom reports whether s holds "from", in any case.
func containsFrom(s string) bool {
	// Most values hold no f at all: two byte searches tell.
	i := strings.IndexByte(s, 'f')
	if j := strings.IndexByte(s, 'F'); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return false
	}
	for ; i+4 <= len(s); i++ {
		if s[i]|0x20 == 'f' && asciiEqualFold(s[i:i+4], "from") {
			return true
		}
	}
	return false
}

// isNumber reports whether strconv.Atoi reads s: a sign, then digits.
func isNumber(s string) bool {
	i := 0
	if s != "" && (s[0] == '+' || s[0] == '-') {
		i++
	}
	if i == len(s) {
		return false
	}
	for j := i; j < len(s); j++ {
		if s[j] < '0' || s[j] > '9' {
			return false
		}
	}
	if len(s)-i < 19 {
		return true // far inside an int
	}
	_, err := strconv.Atoi(s)
	return err == nil
}

func isSpaceByte(c byte) bool { return asciiSpace(c) }

func skipSpace(t string, i int) int {
	for i < len(t) && isSpaceByte(t[i]) {
		i++
	}
	return i
}

// scanWord returns the end of the word starting at i, honouring quotes and the
// escape token, and the word's value as BuildKit reads it.
func scanWord(t string, i int, esc byte) (int, string) {
	// Most words hold no quote or escape: their value is their text.
	j := i
	switch esc {
	case '\\', '`':
		stop := &wordStops[0]
		if esc == '`' {
			stop = &wordStops[1]
		}
		j = skipUntil(t, j, stop)
	default:
		for j < len(t) && !isSpaceByte(t[j]) && t[j] != '"' && t[j] != '\'' && t[j] != esc {
			j++
		}
	}
	if j == len(t) || isSpaceByte(t[j]) {
		return j, t[i:j]
	}
	return scanQuoted(t, i, j, esc)
}

// scanQuoted is scanWord for the word at i whose plain run ends at j, on a
// quote or the escape token.
func scanQuoted(t string, i, j int, esc byte) (int, string) {
	// The value is built on the stack and copied once.
	var arr [128]byte
	b := append(arr[:0], t[i:j]...)
	i = j
	var quote byte
	var stops, dq *[256]bool // the plain runs outside quotes, in double quotes
	switch esc {
	case '\\':
		stops, dq = &wordStops[0], &dquoteStops[0]
	case '`':
		stops, dq = &wordStops[1], &dquoteStops[1]
	}
	for ; i < len(t); i++ {
		if stops != nil {
			// A run of bytes the switch below would append one by one.
			j := i
			switch quote {
			case 0:
				j = skipUntil(t, i, stops)
			case '"':
				j = skipUntil(t, i, dq)
			default:
				if j = strings.IndexByte(t[i:], quote); j < 0 {
					j = len(t)
				} else {
					j += i
				}
			}
			if j > i {
				b = append(b, t[i:j]...)
				if i = j; i == len(t) {
					break
				}
			}
		}
		c := t[i]
		switch {
		case quote == 0 && isSpaceByte(c):
			return i, string(b)
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote != 0 && c == quote:
			quote = 0
		case c == esc && quote != '\'':
			if i+1 < len(t) {
				i++
				if quote == '"' && t[i] != '"' && t[i] != esc && t[i] != '$' {
					b = append(b, esc)
				}
				b = append(b, t[i])
			}
		default:
			b = append(b, c)
		}
	}
	return i, string(b)
}

// skipUntil returns the first offset from i on of a byte that stop
// marks, or len(t); four bytes a step.
func skipUntil(t string, i int, stop *[256]bool) int {
	for ; i+4 <= len(t); i += 4 {
		b := t[i : i+4]
		if stop[b[0]] {
			return i
		}
		if stop[b[1]] {
			return i + 1
		}
		if stop[b[2]] {
			return i + 2
		}
		if stop[b[3]] {
			return i + 3
		}
	}
	for i < len(t) && !stop[t[i]] {
		i++
	}
	return i
}

// wordStops marks the bytes that end scanWord's plain run: blanks, quotes
// and the escape token, the backslash (0) or the backtick (1).
var wordStops = func() (st [2][256]bool) {
	for k, esc := range []byte{'\\', '`'} {
		for c := range 256 {
			st[k][c] = isSpaceByte(byte(c)) || c == '"' || c == '\'' || byte(c) == esc
		}
	}
	return st
}()

// dquoteStops marks the bytes that end a plain run inside double quotes:
// the quote and the escape token, the backslash (0) or the backtick (1).
var dquoteStops = func() (st [2][256]bool) {
	for k, esc := range []byte{'\\', '`'} {
		st[k]['"'], st[k][esc] = true, true
	}
	return st
}()

// makeFlag reads the flag word [i, end), plain when it holds no quote or
// escape token. Quotes around the whole value are left out of the value's
// span.
func makeFlag(f *Flag, l *logical, i, end int, esc byte, plain bool) {
	// Every field is written: f may hold another flag's.
	t := l.text
	f.Span = l.span(i, end)
	eq := strings.IndexByte(t[i:end], '=')
	if eq < 0 {
		f.Name = l.token(i+2, end)
		p := f.Name.Span.End
		f.Value, f.HasValue = Token{Span: Span{p, p}}, false
		return
	}
	eq += i
	f.Name = l.token(i+2, eq)
	f.HasValue = true
	vs, ve := eq+1, end
	if plain {
		f.Value = Token{Span: l.span(vs, ve), Value: t[vs:ve]}
		return
	}
	if ve-vs >= 2 && (t[vs] == '"' || t[vs] == '\'') && t[ve-1] == t[vs] {
		vs, ve = vs+1, ve-1
	}
	_, value := scanWord(t, vs, esc)
	if ve-vs < len(value) || strings.IndexByte(t[vs:ve], '"') >= 0 || strings.IndexByte(t[vs:ve], '\'') >= 0 {
		_, value = scanWord(t, eq+1, esc)
	} else {
		value = t[vs:ve]
		if strings.IndexByte(value, esc) >= 0 {
			_, value = scanWord(t[:ve], vs, esc)
		}
	}
	f.Value = Token{Span: l.span(vs, ve), Value: value}
}

// growOne returns list, built in s's scratch, one longer, its last
// element to be written whole (makeFlag and declFrom write every field):
// in the room the scratch left, which may hold an earlier list's elements.
func growOne[T any](s *slab[T], list []T) []T {
	if len(list) == cap(list) {
		list = s.more(list)
	}
	return list[:len(list)+1]
}

// words splits the arguments like BuildKit's word parser: blanks separate,
// quotes group, the escape token escapes.
func words(l *logical, i int, esc byte, a *arena) []Token {
	t := l.text
	sl := a.tokSlab()
	toks := sl.scratch()
	// scanWord, by hand for the usual escape tokens.
	var stop *[256]bool
	switch esc {
	case '\\':
		stop = &wordStops[0]
	case '`':
		stop = &wordStops[1]
	}
	for i = skipSpace(t, i); i < len(t); i = skipSpace(t, i) {
		var end int
		var v string
		if stop == nil {
			end, v = scanWord(t, i, esc)
		} else if end = skipUntil(t, i, stop); end == len(t) || isSpaceByte(t[end]) {
			v = t[i:end]
		} else {
			end, v = scanQuoted(t, i, end, esc)
		}
		// span, by hand where the word lies in the piece found last: the
		// call costs as much as the mapping.
		var sp Span
		if d := l.delta; l.lo <= i && i < end && end <= l.hi {
			sp = Span{i + d, end + d}
		} else {
			sp = l.spanPieces(i, end)
		}
		toks = sl.add(toks, Token{Span: sp, Value: v})
		i = end
	}
	return sl.keep(toks)
}

// jsonArgs reads the exec form `["a", "b"]`, one token per string. Its
// list comes from arena a.
func jsonArgs(l *logical, i int, a *arena) ([]Token, bool) {
	t := l.text[i:] // scanCommand trimmed the text of its trailing blanks
	if !strings.HasPrefix(t, "[") {
		return nil, false
	}
	var arr [8]string
	vals, ok := appendPlainJSON(arr[:0], t)
	if !ok {
		var decoded []string
		if err := json.Unmarshal([]byte(t), &decoded); err != nil {
			return nil, false
		}
		vals = decoded
	}
	sl := a.tokSlab()
	toks := sl.scratch()
	p := i + 1
	for _, v := range vals {
		q := strings.IndexByte(l.text[p:], '"')
		if q < 0 {
			return nil, false
		}
		s := p + q
		e := s + 1
		for e < len(l.text) && l.text[e] != '"' {
			if l.text[e] == '\\' {
				e++
			}
			e++
		}
		toks = sl.add(toks, Token{Span: l.span(s+1, min(e, len(l.text))), Value: v})
		p = e + 1
		if p > len(l.text) {
			break
		}
	}
	if len(toks) == 0 {
		return []Token{}, true
	}
	return sl.keep(toks), true
}

// scanFrom reads `FROM [--platform=p] base [AS name]`. BuildKit splits FROM's
// arguments on blanks alone: quotes are part of the words.
func (in *Instruction) scanFrom(l *logical, i int, a *arena) {
	t := l.text
	sl := a.tokSlab()
	toks := sl.scratch()
	for i = skipSpace(t, i); i < len(t); i = skipSpace(t, i) {
		j := skipUntil(t, i, &asciiBlanks)
		toks = sl.add(toks, l.token(i, j))
		i = j
	}
	toks = sl.keep(toks)
	in.Args = toks
	if len(toks) > 0 {
		in.Refs = a.refSlab().one(Ref{Kind: RefFrom, Value: toks[0], Target: -1})
	}
}

// scanEnv reads `ENV k=v ...` or the legacy `ENV k v`. Its list comes
// from slab sl.
func (in *Instruction) scanEnv(sl *slab[VarDecl]) {
	if len(in.Args) == 0 {
		return
	}
	if !strings.Contains(in.Args[0].Value, "=") {
		d := VarDecl{Name: in.Args[0], IsEnv: true}
		if len(in.Args) > 1 {
			last := in.Args[len(in.Args)-1]
			d.HasDefault = true
			var vals []string
			for _, a := range in.Args[1:] {
				vals = append(vals, a.Value)
			}
			d.Value = Token{Span: Span{in.Args[1].Span.Start, last.Span.End}, Value: strings.Join(vals, " ")}
		}
		in.Decls = sl.one(d)
		return
	}
	decls := sl.scratch()
	for _, a := range in.Args {
		decls = growOne(sl, decls)
		declFrom(&decls[len(decls)-1], a, true)
	}
	in.Decls = sl.keep(decls)
}

// declFrom splits a `name[=value]` word.
func declFrom(d *VarDecl, a Token, env bool) {
	// Every field is written: d may hold another declaration's.
	d.IsEnv = env
	eq := strings.IndexByte(a.Value, '=')
	if eq < 0 {
		d.Name, d.Value, d.HasDefault = a, Token{}, false
		return
	}
	// The name has no quotes or escapes, so its bytes map one to one.
	d.Name = Token{Span: Span{a.Span.Start, a.Span.Start + eq}, Value: a.Value[:eq]}
	d.HasDefault = true
	d.Value = Token{Span: Span{a.Span.Start + eq + 1, a.Span.End}, Value: a.Value[eq+1:]}
	if d.Value.Span.Start > d.Value.Span.End {
		d.Value.Span.Start = d.Value.Span.End
	}
}

// varUses finds `$name` and `${name...}` outside single quotes, and the
// uses nested in an expansion's word (B in `${A:-${B}}`, G in
// `${A/x/$G}`), as BuildKit's shell lexer reads them: a nested word has
// its own quotes, and its `}` (or a pattern's `/`) ends it outside them.
// Its list comes from slab sl.
func varUses(l *logical, esc byte, sl *slab[VarUse]) []VarUse {
	i := strings.IndexByte(l.text, '$')
	if i < 0 {
		return nil
	}
	s := useScan{t: l.text, esc: esc, sl: sl, uses: sl.scratch()}
	switch esc {
	case '\\':
		s.stop = &varStops[0]
	case '`':
		s.stop = &varStops[1]
	}
	s.word(l, 0, 0)
	return sl.keep(s.uses)
}

// useScan is varUses' state: the text read and the uses found so far.
// The logical line is passed along, not kept, so that it stays on its
// caller's stack.
type useScan struct {
	t    string
	esc  byte
	stop *[256]bool    // the bytes word acts on at the top, for the usual tokens
	sl   *slab[VarUse] // where uses is built (nil: appended)
	uses []VarUse
	// noQuotes reads quotes as text, as BuildKit's lexer does in a
	// heredoc's body (SkipProcessQuotes).
	noQuotes bool
}

// word reads t from i up to the byte end outside quotes (0: to the end of
// the text) and returns the offset after end, or -1 when the text ends
// first.
func (s *useScan) word(l *logical, i int, end byte) int {
	t := s.t
	var quote byte
	for ; i < len(t); i++ {
		if end == 0 && s.stop != nil {
			if i = skipUntil(t, i, s.stop); i == len(t) {
				break
			}
		}
		switch c := t[i]; {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == s.esc:
			i++
		case quote == 0 && c == end:
			return i + 1
		case quote == 0 && (c == '\'' || c == '"') && !s.noQuotes:
			quote = c
		case quote == c:
			quote = 0
		case c == '$' && i+1 < len(t):
			i = s.dollar(l, i) - 1
		}
	}
	if end == 0 {
		return len(t)
	}
	return -1
}

// dollar reads the expansion at t[i] == '$' and returns the offset after
// it. An unclosed `${` keeps the uses found in its word, which reaches the
// end of the text.
func (s *useScan) dollar(l *logical, i int) int {
	t := s.t
	if t[i+1] != '{' {
		e := nameEnd(t, i+1)
		if e > i+1 {
			s.uses = s.sl.add(s.uses, VarUse{Name: l.token(i+1, e), Span: l.span(i, e)})
			return e
		}
		// $1 and $$ (and $@, $#...) are no variable's: A is text in $$A.
		return specialEnd(t, i+1)
	}
	n := i + 2
	e := nameEnd(t, n)
	k := -1 // the use's place in uses, if the name is a variable's
	switch {
	case e > n:
		k = len(s.uses)
		s.uses = s.sl.add(s.uses, VarUse{Name: l.token(n, e)})
	case n == len(t):
		return n
	default:
		// BuildKit's positional ${1...} and special ${@...}: no use, but
		// their word is read as a variable's.
		if e = specialEnd(t, n); e == n {
			return n // a bad substitution
		}
	}
	next := -1
	switch {
	case e == len(t):
	case t[e] == '}':
		next = e + 1
	case t[e] == '/':
		// ${A/pattern/replacement} and ${A//pattern/replacement}
		p := e + 1
		if p < len(t) && t[p] == '/' {
			p++
		}
		if p = s.word(l, p, '/'); p >= 0 {
			next = s.word(l, p, '}')
		}
	default:
		// :- - :+ + :? ? # % and the modifiers BuildKit refuses: to the
		// `}` that ends the word.
		next = s.word(l, e+1, '}')
	}
	switch {
	case next < 0 && k >= 0:
		s.uses = slices.Delete(s.uses, k, k+1)
	case next < 0:
	case k >= 0:
		s.uses[k].Span = l.span(i, next)
	}
	if next < 0 {
		return len(t)
	}
	return next
}

// specialEnd returns where the positional or special parameter BuildKit
// reads at t[s] ends: a run of digits, or one of @*#?-$! (s when there is
// none).
func specialEnd(t string, s int) int {
	e := s
	for e < len(t) && t[e] >= '0' && t[e] <= '9' {
		e++
	}
	if e == s && e < len(t) && strings.IndexByte("@*#?-$!", t[e]) >= 0 {
		e++
	}
	return e
}

// nameEnd returns where the variable name starting at t[s] ends (s when
// there is none).
func nameEnd(t string, s int) int {
	if s >= len(t) {
		return s
	}
	if t[s] >= 0x80 {
		return VarNameEnd(t, s) // BuildKit reads Unicode letters too
	}
	if nameBytes[t[s]] != nameAny {
		return s // a name starts with a letter or `_`
	}
	e := s + 1
	for e < len(t) && nameBytes[t[e]] != 0 {
		e++
	}
	if e < len(t) && t[e] >= 0x80 {
		return VarNameEnd(t, s) // BuildKit reads Unicode letters and digits too
	}
	return e
}

// nameBytes classes the bytes of a variable's name, as isNameByte does:
// nameAny starts or continues one, nameNext only continues one.
var nameBytes = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case isNameByte(byte(c), true):
			t[c] = nameAny
		case isNameByte(byte(c), false):
			t[c] = nameNext
		}
	}
	return t
}()

const (
	nameNext = 1 + iota
	nameAny
)

// varStops marks the bytes varUses acts on: quotes, `$` and the escape
// token, the backslash (0) or the backtick (1).
var varStops = func() (st [2][256]bool) {
	for k, esc := range []byte{'\\', '`'} {
		for _, c := range []byte{'\'', '"', '$', esc} {
			st[k][c] = true
		}
	}
	return st
}()

func isNameByte(c byte, first bool) bool {
	if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
		return true
	}
	return !first && c >= '0' && c <= '9'
}

// scanHeredocs places each heredoc's body and terminator on the lines
// [from, last] that follow the command, in the order BuildKit reads them.
// Where cut, docs are the grouper's, each body cut from the text up to its
// terminator's line: that line is where the body ends, not looked for.
func (in *Instruction) scanHeredocs(src sourceLines, from, last, base int, docs []parser.Heredoc, cut bool) {
	k := from
	r := in.rareOf()
	heredocs := r.one[:0]
	if len(docs) > 1 {
		heredocs = make([]Heredoc, 0, len(docs))
	}
	for _, h := range docs {
		bodyStart := k
		if cut {
			for end := src.start[k] + len(h.Content); src.start[k] < end; {
				k++
			}
		} else {
			for ; k <= last; k++ {
				line := src.line(k)
				if h.Chomp {
					line = strings.TrimLeft(line, "\t")
				}
				if line == h.Name {
					break
				}
			}
		}
		hd := Heredoc{Name: h.Name}
		// The body is read whole: BuildKit expands it as one word, so a
		// `${A:-` may end on a later line.
		if h.Expand && expandsHeredocs(in.Cmd) && bodyStart < k {
			body := src.text[src.start[bodyStart] : src.start[k-1]+len(src.line(k-1))]
			in.Uses = heredocUses(in.Uses, body, src.start[bodyStart]-base)
		}
		if bodyStart < k {
			hd.Body = Span{src.start[bodyStart] - base, src.start[k-1] + len(src.line(k-1)) - base}
		} else {
			p := src.start[min(k, last)] - base
			hd.Body = Span{p, p}
		}
		if k <= last {
			raw := src.line(k)
			ts := src.start[k] + len(raw) - len(h.Name) - base
			hd.Terminator = Span{ts, ts + len(h.Name)}
			k++
		}
		heredocs = append(heredocs, hd)
	}
	r.heredocs = heredocs
}

// arena hands out the instructions and lists of one parse from a few
// large blocks instead of one allocation each. A block lives as long as any
// instruction cut from it: a parse's instructions live and die together,
// but for the few an edit replaces. A nil arena allocates as usual.
//
// A first block is sized from the number of lines, each later one to what
// the lines left will take at the rate of those read so far.
type arena struct {
	insts []Instruction // the current block; insts[next:] is free
	next  int
	made  int // instructions handed out
	chunk int // the most instructions a block holds
	at    progress
	toks  slab[Token]
	flags slab[Flag]
	uses  slab[VarUse]
	decls slab[VarDecl]
	refs  slab[Ref]
}

// progress is how far a parse has read: the line it is at, of lines.
type progress struct{ line, lines int }

// rest returns what the lines left will take, at used so far.
func (p *progress) rest(used int) int {
	if p == nil || p.line <= 0 || used == 0 {
		return -1
	}
	return used * max(p.lines-p.line, 0) / p.line
}

// newArena returns an arena for n instructions of a text of the given
// number of lines.
func newArena(n, lines int) *arena {
	chunk := min(max(lines, 16), 4096)
	a := &arena{
		insts: make([]Instruction, n),
		chunk: chunk / 4,
		at:    progress{lines: lines},
		toks:  slab[Token]{chunk: chunk},
		flags: slab[Flag]{chunk: chunk / 4},
		uses:  slab[VarUse]{chunk: chunk / 4},
		decls: slab[VarDecl]{chunk: chunk / 4},
		refs:  slab[Ref]{chunk: chunk / 8},
	}
	a.toks.at, a.flags.at, a.uses.at, a.decls.at, a.refs.at = &a.at, &a.at, &a.at, &a.at, &a.at
	return a
}

// reach notes that the parse is at line k.
func (a *arena) reach(k int) {
	if a != nil {
		a.at.line = k
	}
}

func (a *arena) inst() *Instruction {
	if a == nil {
		return new(Instruction)
	}
	// An offset, not a shorter slice: the arena is written without the
	// collector's barriers but for a new block.
	if a.next == len(a.insts) {
		n := a.chunk / 2
		if est := a.at.rest(a.made); est >= 0 {
			n = est + est/8 + 4
		}
		a.insts, a.next = make([]Instruction, blockLen[Instruction](min(max(n, 4), a.chunk))), 0
	}
	in := &a.insts[a.next]
	a.next++
	a.made++
	return in
}

func (a *arena) tokSlab() *slab[Token] {
	if a == nil {
		return nil
	}
	return &a.toks
}

func (a *arena) flagSlab() *slab[Flag] {
	if a == nil {
		return nil
	}
	return &a.flags
}

func (a *arena) declSlab() *slab[VarDecl] {
	if a == nil {
		return nil
	}
	return &a.decls
}

func (a *arena) refSlab() *slab[Ref] {
	if a == nil {
		return nil
	}
	return &a.refs
}

func (a *arena) useSlab() *slab[VarUse] {
	if a == nil {
		return nil
	}
	return &a.uses
}

// slab hands out lists of T cut from large blocks: a list is built in
// the slab's scratch, which is the free part of the current block, then
// kept there. A list that reaches the end of its block moves to a new one
// (more), so that a block is left with no room unused but the start of
// that list. A nil slab leaves lists as they are built.
type slab[T any] struct {
	block []T       // the current block; block[off:] is free
	off   int       // where the free part starts
	chunk int       // the most elements a block holds
	used  int       // elements kept so far
	at    *progress // how far the parse has read; nil: unknown
}

// scratch returns an empty list to build in before keep, with room for
// one element at least; add and growOne lengthen it.
func (s *slab[T]) scratch() []T {
	if s == nil {
		return nil
	}
	if s.off == len(s.block) {
		s.grow(1)
	}
	return s.block[s.off:s.off]
}

// add returns list, built in s's scratch, with v appended.
func (s *slab[T]) add(list []T, v T) []T {
	if len(list) == cap(list) {
		list = s.more(list)
	}
	return append(list, v)
}

// more returns list, which fills its room, copied where one more element
// fits: to the start of a new block, or for a nil slab as append grows it.
// Apart, so that add is inlined.
//
//go:noinline
func (s *slab[T]) more(list []T) []T {
	if s == nil {
		return slices.Grow(list, 1)
	}
	s.grow(2*len(list) + 1)
	return append(s.block[:0], list...)
}

// grow starts a new block of n elements at least, sized to what the lines
// left will take at the rate of those read so far.
func (s *slab[T]) grow(n int) {
	m := s.chunk / 2
	if est := s.at.rest(s.used); est >= 0 {
		m = est + est/8 + n
	}
	s.block, s.off = make([]T, blockLen[T](max(min(m, s.chunk), n))), 0
}

// blockLen returns n, or more where a block of n elements would leave the
// rest of its last page unused.
func blockLen[T any](n int) int {
	var v T
	size := int(unsafe.Sizeof(v))
	if size == 0 || n*size <= 32<<10 {
		return n
	}
	const page = 8 << 10
	return (n*size + page - 1) / page * page / size
}

// one returns the list of v alone.
func (s *slab[T]) one(v T) []T {
	if s == nil {
		return []T{v}
	}
	return s.keep(append(s.scratch(), v))
}

// keep returns list placed for good, the scratch free again.
func (s *slab[T]) keep(list []T) []T {
	if s == nil {
		return list
	}
	n := len(list)
	if n == 0 {
		return nil
	}
	s.used += n
	if n <= len(s.block)-s.off && &list[0] == &s.block[s.off] {
		s.off += n
	}
	return list[:n:n]
}
