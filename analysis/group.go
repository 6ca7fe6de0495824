package analysis

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// BuildKit's parser groups physical lines into instructions with a regular
// expression or two per line, then splits every instruction into a tree of
// nodes. The index needs only the grouping, the heredocs and whether the
// instruction is valid, so the grouper below reads the lines once, byte by
// byte, following the parser's rules: parser directives at the top, a
// byte-order mark on the first line, comment and blank lines inside
// continuations, the escape token ending a line, heredocs (with `<<-` and
// quoted delimiters) after RUN, COPY and ADD. It also finds every text the
// parser rejects as a whole; for those, and for lines too long for its
// scanner, it answers "not mine" and BuildKit's own parser decides. The
// differential tests in group_test.go hold it to BuildKit over the corpus,
// generated variants and a fuzz target.

// group is one instruction as BuildKit's parser reads it.
type group struct {
	first, last int // zero-based physical lines, inclusive
	heredocs    []parser.Heredoc
	split
	// The command as BuildKit joins its lines (heredoc bodies apart), the
	// map of its pieces to their offsets from line first's start, and the
	// command's last line.
	line    string
	pieces  []piece
	cmdLast int
	// Where line last ends, its terminator apart, from line first's start.
	end int
}

// split is a command cut into keyword, flags and arguments.
type split struct {
	cmd    string           // the keyword as written
	lcmd   string           // the keyword in lower case
	info   *InstructionInfo // the instruction table's entry, nil for an unknown keyword
	flags  []string         // the leading `--` words, as BuildKit extracts them
	rest   string           // the arguments after the flags, trimmed
	json   bool             // the arguments are a JSON array of strings
	argsOK bool             // ENV, LABEL, ARG: the words pass BuildKit's checks
	sub    *group           // ONBUILD's trigger instruction
}

// maxLine is a conservative bound under the longest line BuildKit's scanner
// reads; longer lines are left to BuildKit, which rejects them.
const maxLine = 65535 - 1

// groupLines groups the lines of src into instructions as BuildKit's parser
// does, starting with escape token esc. It returns the escape token in
// force, and false where BuildKit's parser must decide: the text is one it
// rejects, or has a line too long for its scanner.
func groupLines(src sourceLines, esc byte) ([]group, byte, bool) {
	var groups []group
	r := newGroupReader(src, esc)
	var g group
	for r.next(&g) {
		c := g
		c.flags = nil
		if len(g.flags) > 0 {
			c.flags = slices.Clone(g.flags) // g's lists are reused
		}
		c.pieces = slices.Clone(g.pieces)
		c.heredocs = slices.Clone(g.heredocs)
		groups = append(groups, c)
	}
	if !r.ok() {
		return nil, r.esc, false
	}
	return groups, r.esc, true
}

// groupReader reads the groups of src one at a time, into a group the
// caller keeps: one on its stack is cleared for each group without the
// collector's write barriers, which a group on the heap takes for every
// pointer it holds while a collection runs.
type groupReader struct {
	src        sourceLines
	esc        byte // the escape token in force
	k, n       int  // the next line, and the lines scanned
	found      bool // a group was read
	failed     bool // BuildKit's parser must decide
	directives bool // the parser directives may go on
	dp         directiveParser
	buf        []byte
	docs       []parser.Heredoc // the last group's heredocs
}

func newGroupReader(src sourceLines, esc byte) groupReader {
	return groupReader{src: src, esc: esc, n: src.scanned(), directives: true}
}

// ok reports, once next has returned false, whether the text was read
// to its end and held a group.
func (r *groupReader) ok() bool { return !r.failed && r.found }

// next reads the next group into g, reusing its lists; false at the end
// of the text or where BuildKit's parser must decide (then ok is false).
// The group is built in a variable of next's own and copied to g once:
// the stores into a variable on the stack take no write barrier, where
// those through g take one each while a collection marks, wherever g is.
func (r *groupReader) next(g *group) bool {
	src, n := r.src, r.n
	for k := r.k; k < n; k++ {
		raw := src.raw(k)
		if len(raw) > maxLine {
			return r.fail()
		}
		if k == 0 && src.bom > 0 {
			raw = raw[src.bom:]
		}
		e := trimEOL(raw)
		end := len(e) // of the last line read, from its start
		if k == 0 {
			end += src.bom
		}
		t := trimLeftSpace(e)
		if r.directives {
			d, found, err := r.dp.parseLine(t)
			switch {
			case err:
				return r.fail()
			case !found:
				r.directives = false
			case d.Name == "escape":
				if d.Value != "`" && d.Value != `\` {
					return r.fail()
				}
				r.esc = d.Value[0]
			}
		}
		if t == "" || t[0] == '#' {
			continue
		}
		esc := r.esc
		base := src.start[k]
		var ng group
		ng.first, ng.flags, ng.pieces = k, g.flags[:0], g.pieces[:0]
		lead := len(e) - len(t) // and the byte-order mark, on line 0
		if k == 0 {
			lead += src.bom
		}
		ng.pieces = append(ng.pieces, piece{at: 0, abs: lead})
		line, more := continues(t, esc)
		if more {
			buf := append(r.buf[:0], line...)
			for more && k+1 < n {
				k++
				raw := src.raw(k)
				if len(raw) > maxLine {
					return r.fail()
				}
				t := trimEOL(raw)
				end = len(t)
				if lt := trimLeftSpace(t); lt == "" || lt[0] == '#' {
					continue
				}
				t, more = continues(t, esc)
				ng.pieces = append(ng.pieces, piece{at: len(buf), abs: src.start[k] - base})
				buf = append(buf, t...)
			}
			line = string(buf)
			r.buf = buf
		}
		ng.line, ng.cmdLast = line, k
		if !splitLine(&ng, line, esc) {
			return r.fail()
		}
		if h := heredocHolder(&ng); h != nil && hasHeredocMark(line) {
			docs, ok := heredocsFromLine(r.docs[:0], line)
			if !ok {
				return r.fail()
			}
			r.docs = docs
			for i := range docs {
				d := &docs[i]
				body := k + 1
				terminated := false
				for k+1 < n {
					k++
					raw := src.raw(k)
					if len(raw) > maxLine {
						return r.fail()
					}
					t := trimEOL(raw)
					end = len(t)
					if d.Chomp {
						t = strings.TrimLeft(t, "\t")
					}
					if t == d.Name {
						terminated = true
						break
					}
				}
				if !terminated {
					return r.fail()
				}
				// The body's lines as they stand, endings kept: a slice
				// of the text, as BuildKit's parser builds it.
				d.Content = src.text[src.start[body]:src.start[k]]
			}
			ng.heredocs = docs
		}
		ng.last = k
		ng.end = src.start[k] + end - base
		*g = ng
		r.found = true
		r.k = k + 1
		return true
	}
	r.k = n
	return false
}

// fail ends the reading: BuildKit's parser must decide.
func (r *groupReader) fail() bool {
	r.failed = true
	r.k = r.n
	return false
}

// hasHeredocMark reports whether s holds "<<": most texts hold no '<',
// which one byte search tells.
func hasHeredocMark(s string) bool {
	return strings.IndexByte(s, '<') >= 0 && strings.Contains(s, "<<")
}

// heredocHolder returns the instruction of g that may take heredocs: g
// itself, or ONBUILD's trigger; nil when neither may.
func heredocHolder(g *group) *group {
	if g.sub != nil {
		g = g.sub
	}
	if in := g.info; in != nil && in.Heredoc && !g.json {
		return g
	}
	return nil
}

// raw returns line k without its "\n".
func (s sourceLines) raw(k int) string {
	end := len(s.text)
	if k+1 < len(s.start) {
		end = s.start[k+1] - 1
	}
	return s.text[s.start[k]:end]
}

// scanned returns the number of lines BuildKit's scanner reads: an empty
// line after the last "\n" is none.
func (s sourceLines) scanned() int {
	n := len(s.start)
	if s.start[n-1] == len(s.text) {
		n--
	}
	return n
}

// emptyEnv expands every variable to nothing.
type emptyEnv struct{}

func (emptyEnv) Get(string) (string, bool) { return "", false }
func (emptyEnv) Keys() []string            { return nil }

// heredocsFromLine appends to docs the heredocs an instruction opens, with
// BuildKit's own lexer and heredoc reader; false when BuildKit rejects one.
func heredocsFromLine(docs []parser.Heredoc, line string) ([]parser.Heredoc, bool) {
	var arr [32]string
	words, ok := plainWords(arr[:0], line)
	if !ok {
		lex := shell.NewLex('\\')
		lex.RawQuotes = true
		lex.RawEscapes = true
		lex.SkipUnsetEnv = true
		words, _ = lex.ProcessWords(line, emptyEnv{})
	}
	for _, w := range words {
		if !strings.Contains(w, "<<") {
			continue // no heredoc can match
		}
		if ok {
			if h, found, sure := plainHeredoc(w); sure {
				if found {
					docs = append(docs, h)
				}
				continue
			}
		}
		h, err := parser.ParseHeredoc(w)
		if err != nil {
			return nil, false
		}
		if h != nil {
			docs = append(docs, *h)
		}
	}
	return docs, true
}

// plainHeredoc reads a word of a plain line (see plainWords) as BuildKit's
// heredoc reader does: `[fd]<<[-][blanks]name`, where a plain name is taken
// as it stands and expands variables, and a name in one pair of quotes
// with no other quote is the text inside them and expands nothing. It
// returns the heredoc and whether the word opens one; sure is false for a
// word it leaves to BuildKit's reader (other quotes in the name).
func plainHeredoc(w string) (h parser.Heredoc, found, sure bool) {
	i := 0
	for i < len(w) && '0' <= w[i] && w[i] <= '9' {
		i++
	}
	if !strings.HasPrefix(w[i:], "<<") {
		return parser.Heredoc{}, false, true
	}
	j := i + 2
	chomp := j < len(w) && w[j] == '-'
	if chomp {
		j++
	}
	for j < len(w) && (w[j] == ' ' || w[j] == '\t') {
		j++
	}
	name := w[j:]
	if name == "" || strings.IndexByte(name, '<') >= 0 {
		return parser.Heredoc{}, false, true
	}
	expand := true
	if q := firstQuote(name); q >= 0 {
		// A plain line has no escape or variable: quoted text is literal.
		n := len(name)
		if q != 0 || n < 3 || name[n-1] != name[0] || strings.ContainsAny(name[1:n-1], `'"`) {
			return parser.Heredoc{}, false, false
		}
		name, expand = name[1:n-1], false
	}
	var fd uint64
	if i > 0 {
		fd, _ = strconv.ParseUint(w[:i], 10, 0)
	}
	return parser.Heredoc{Name: name, Expand: expand, Chomp: chomp, FileDescriptor: uint(fd)}, true, true
}

// firstQuote is strings.IndexAny(s, `'"`), by two byte searches: for a
// set of two bytes, IndexAny's own set costs more than the search.
func firstQuote(s string) int {
	q := strings.IndexByte(s, '\'')
	if d := strings.IndexByte(s, '"'); d >= 0 && (q < 0 || d < q) {
		q = d
	}
	return q
}

// plainWords splits line into words as BuildKit's lexer does with raw
// quotes and escapes, for a line of printable ASCII without escapes or
// variables: at blanks outside quotes, except those right after `<<`;
// quoted text is taken as it stands. A quote left open makes BuildKit's
// lexer fail, and give no words. False for any other line. The words are
// appended to words.
func plainWords(words []string, line string) ([]string, bool) {
	if skipUntil(line, 0, &heredocStops[0]) < len(line) {
		return nil, false // a variable, an escape, a backtick, a control or non-ASCII byte
	}
	start := -1
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '<' && i+1 < len(line) && line[i+1] == '<':
			if start < 0 {
				start = i
			}
			i += 2
			for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
				i++
			}
		case c == ' ' || c == '\t':
			if start >= 0 {
				words = append(words, line[start:i])
				start = -1
			}
			i++
		case c == '\'' || c == '"':
			if start < 0 {
				start = i
			}
			end := strings.IndexByte(line[i+1:], c)
			if end < 0 {
				return words[:0], true
			}
			i += end + 2
		default:
			if start < 0 {
				start = i
			}
			i = skipUntil(line, i+1, &heredocStops[1])
		}
	}
	if start >= 0 {
		words = append(words, line[start:])
	}
	return words, true
}

// heredocStops marks, for plainWords, the bytes of a line that is not
// plain (0): `$`, the backslash, the backtick, the controls but the tab,
// DEL and non-ASCII bytes; and the bytes that end a plain run (1): blanks,
// quotes and `<`.
var heredocStops = func() (st [2][256]bool) {
	for c := range 256 {
		st[0][c] = c == '$' || c == '\\' || c == '`' || c >= 0x7f || c < ' ' && c != '\t'
		st[1][c] = c == ' ' || c == '\t' || c == '\'' || c == '"' || c == '<'
	}
	return st
}()

// splitLine splits a logical line into g's keyword, flags and arguments,
// and reports false where BuildKit's parser rejects the arguments. As next
// does, it builds the split in a variable of its own and copies it once.
func splitLine(g *group, line string, esc byte) bool {
	sp := split{flags: g.flags[:0]}
	s := trimSpace(line)
	i := skipUntil(s, 0, &bkBlanks)
	sp.cmd = s[:i]
	sp.lcmd, sp.info = keyword(sp.cmd)
	for i < len(s) && isBKSpace(s[i]) {
		i++
	}
	if i < len(s) {
		var rest string
		rest, sp.flags = extractFlags(s[i:], esc, sp.flags)
		sp.rest = trimSpace(rest)
	}
	ok := true
	if in := sp.info; in != nil && in.form.json() {
		ok = sp.jsonOK(sp.rest)
	} else {
		switch sp.lcmd {
		case "env", "label":
			ok = sp.nameVal(esc)
		case "arg":
			sp.argsOK = argWordsOK(sp.rest, esc)
		case "healthcheck":
			// The type is the first word, cut at blanks byte by byte.
			sep := 0
			for sep < len(sp.rest) && !isLatin1Space(sp.rest[sep]) {
				sep++
			}
			next := sep
			for next < len(sp.rest) && isLatin1Space(sp.rest[next]) {
				next++
			}
			ok = sep == 0 || sp.jsonOK(sp.rest[next:])
		case "onbuild":
			if sp.rest != "" {
				sp.sub = &group{}
				ok = splitLine(sp.sub, sp.rest, esc)
			}
		}
	}
	g.split = sp
	return ok
}

// argWordsOK reports whether ARG's words, as bkWords reads them, pass
// BuildKit's check: one word at least, none starting with `=`.
func argWordsOK(rest string, esc byte) bool {
	if !plainText(rest, esc) {
		return argWordsRead(rest, esc)
	}
	// The words are the runs of non-blanks: a `=` starts one where it
	// starts the text or follows a blank.
	i := 0
	for i < len(rest) && asciiSpace(rest[i]) {
		i++
	}
	if i == len(rest) {
		return false
	}
	for j := strings.IndexByte(rest, '='); j >= 0; {
		if j == 0 || asciiSpace(rest[j-1]) {
			return false
		}
		k := strings.IndexByte(rest[j+1:], '=')
		if k < 0 {
			break
		}
		j += 1 + k
	}
	return true
}

// argWordsRead is argWordsOK reading each word.
func argWordsRead(rest string, esc byte) bool {
	ok := true
	n := bkWords(rest, esc, func(w string) {
		if w[0] == '=' {
			ok = false
		}
	})
	return ok && n > 0
}

// jsonOK reads args as BuildKit's parser does: a JSON array of strings is
// the exec form, any other JSON array is an error, anything else is the
// shell form.
func (g *split) jsonOK(args string) bool {
	args = trimLeftSpace(args)
	if !strings.HasPrefix(args, "[") {
		return true
	}
	var arr [8]string
	if _, ok := appendPlainJSON(arr[:0], args); ok {
		g.json = true
		return true
	}
	var vals []any
	if err := json.Unmarshal([]byte(args), &vals); err != nil {
		return true
	}
	for _, v := range vals {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	g.json = true
	return true
}

// nameVal reports whether BuildKit's parser accepts the arguments of ENV
// or LABEL: `name value`, or words that each hold `=`; and notes whether
// its instruction parser does too: a name in each.
func (g *split) nameVal(esc byte) bool {
	n, first, all, named := 0, false, true, true
	bkWords(g.rest, esc, func(w string) {
		eq := strings.IndexByte(w, '=')
		if n == 0 {
			first = eq >= 0
		}
		all = all && eq >= 0
		named = named && eq != 0
		n++
	})
	switch {
	case n == 0:
		return true
	case !first:
		g.argsOK = true
		return strings.ContainsAny(g.rest, " \t\v\f\r")
	}
	g.argsOK = named
	return all
}

// isBKSpace reports the bytes BuildKit's parser splits a command on.
func isBKSpace(c byte) bool { return byteClass[c]&classBK != 0 }

// isLatin1Space is unicode.IsSpace of a byte taken as a rune, which is how
// BuildKit's flag reader looks at the bytes of a line.
func isLatin1Space(c byte) bool { return byteClass[c]&classLatin1 != 0 }

// trimSpace is strings.TrimSpace(s), quicker where s starts and ends in
// printable ASCII.
func trimSpace(s string) string {
	if len(s) > 0 && (trimStops[s[0]] || trimStops[s[len(s)-1]]) {
		s = trimSpaceSlow(s)
	}
	return s
}

// trimSpaceSlow is trimSpace apart from its quick test, so that the test
// is inlined.
//
//go:noinline
func trimSpaceSlow(s string) string { return trimLeftSpace(trimRightSpace(s)) }

// trimLeftSpace is strings.TrimLeftFunc(s, unicode.IsSpace), quicker on
// ASCII.
func trimLeftSpace(s string) string {
	if s == "" || !trimStops[s[0]] {
		return s
	}
	return trimLeftSpaceSlow(s)
}

// trimLeftSpaceSlow is trimLeftSpace apart from its quick test, so that
// the test is inlined.
func trimLeftSpaceSlow(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiSpace(c) {
				return s[i:]
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return s[i:]
		}
		i += size
	}
	return ""
}

// asciiSpace reports the ASCII blanks: " \t\n\v\f\r".
func asciiSpace(c byte) bool { return byteClass[c]&classASCII != 0 }

// byteClass sorts the bytes into the blanks of BuildKit's readers, so
// that each test of a byte in the scanning loops is one lookup.
var byteClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\v\f\r") {
		t[c] |= classBK | classASCII | classLatin1
	}
	t['\n'] |= classASCII | classLatin1
	t[0x85] |= classLatin1
	t[0xA0] |= classLatin1
	return t
}()

const (
	classBK     = 1 << iota // isBKSpace
	classASCII              // asciiSpace, isSpaceByte
	classLatin1             // isLatin1Space
)

// extractFlags reads the leading `--` words of an instruction's arguments
// as BuildKit's parser does: byte by byte, quotes removed, the escape token
// taking the next byte as is. It returns the text after them, and the
// flags appended to words.
func extractFlags(line string, esc byte, words []string) (string, []string) {
	pos := 0
	for pos < len(line) && asciiSpace(line[pos]) {
		pos++
	}
	if pos == len(line) {
		return "", words
	}
	if c := line[pos]; c != '-' && c != 0x85 && c != 0xA0 {
		// No flags: the common case, decided without reading the line.
		return line[pos:], words
	}
	if rest, flags, ok := plainFlags(line, esc, words); ok {
		return rest, flags
	}
	const (
		inSpaces = iota
		inWord
		inQuote
	)
	var b []byte
	phase := inSpaces
	var quote byte
	blankOK := false
	var ch byte
	for pos := 0; pos <= len(line); pos++ {
		if pos != len(line) {
			ch = line[pos]
		}
		if phase == inSpaces {
			if pos == len(line) {
				break
			}
			if isLatin1Space(ch) {
				continue
			}
			if ch != '-' || pos+1 == len(line) || line[pos+1] != '-' {
				return line[pos:], words
			}
			phase = inWord
		}
		if pos == len(line) {
			if w := string(b); w != "--" && (blankOK || len(w) > 0) {
				words = append(words, w)
			}
			break
		}
		if phase == inWord {
			if isLatin1Space(ch) {
				phase = inSpaces
				w := string(b)
				if w == "--" {
					return line[pos:], words
				}
				if blankOK || len(w) > 0 {
					words = append(words, w)
				}
				b = b[:0]
				blankOK = false
				continue
			}
			if ch == '\'' || ch == '"' {
				quote = ch
				blankOK = true
				phase = inQuote
				continue
			}
			if ch == esc {
				if pos+1 == len(line) {
					continue
				}
				pos++
				ch = line[pos]
			}
			b = appendLatin1(b, ch)
			continue
		}
		// In quotes.
		if ch == quote {
			phase = inWord
			continue
		}
		if ch == esc {
			if pos+1 == len(line) {
				phase = inWord
				continue
			}
			pos++
			ch = line[pos]
		}
		b = appendLatin1(b, ch)
	}
	return "", words
}

// appendLatin1 appends byte c taken as a rune, as BuildKit's flag reader
// does, to b.
func appendLatin1(b []byte, c byte) []byte {
	if c < utf8.RuneSelf {
		return append(b, c)
	}
	return utf8.AppendRune(b, rune(c))
}

// plainText reports whether s is ASCII without quotes or the escape token:
// BuildKit's word readers then split it at blanks and take the words as
// they stand.
func plainText(s string, esc byte) bool {
	switch esc {
	case '\\':
		return skipUntil(s, 0, &plainStops[0]) == len(s)
	case '`':
		return skipUntil(s, 0, &plainStops[1]) == len(s)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == '\'' || c == '"' || c == esc {
			return false
		}
	}
	return true
}

// plainStops marks the bytes that make a text not plain: non-ASCII bytes,
// quotes and the escape token, the backslash (0) or the backtick (1).
var plainStops = func() (st [2][256]bool) {
	for k, esc := range []byte{'\\', '`'} {
		for c := range 256 {
			st[k][c] = c >= utf8.RuneSelf || c == '\'' || c == '"' || byte(c) == esc
		}
	}
	return st
}()

// trimStops marks the bytes a trim of Unicode blanks does not stop at
// at once: asciiSpace's blanks and the bytes past ASCII.
var trimStops = func() (st [256]bool) {
	for c := range 256 {
		st[c] = c >= utf8.RuneSelf || asciiSpace(byte(c))
	}
	return st
}()

// bkBlanks and asciiBlanks mark the blanks isBKSpace and asciiSpace
// report, for skipUntil.
var bkBlanks, asciiBlanks = func() (bk, ascii [256]bool) {
	for c := range 256 {
		bk[c], ascii[c] = isBKSpace(byte(c)), asciiSpace(byte(c))
	}
	return bk, ascii
}()

// plainFlags is extractFlags where the flags and the blanks around them
// are ASCII without quotes or the escape token: its flags are then slices
// of the line. What follows them is not read. False for other flags.
func plainFlags(line string, esc byte, words []string) (string, []string, bool) {
	var stop *[256]bool
	switch esc {
	case '\\':
		stop = &flagStops[0]
	case '`':
		stop = &flagStops[1]
	default:
		return "", words, false
	}
	n0 := len(words)
	pos := 0
	for {
		for pos < len(line) && asciiSpace(line[pos]) {
			pos++
		}
		if pos == len(line) {
			return "", words, true
		}
		if line[pos] != '-' || pos+1 == len(line) || line[pos+1] != '-' {
			if c := line[pos]; c == 0x85 || c == 0xA0 {
				return "", words[:n0], false // a blank to BuildKit's flag reader
			}
			return line[pos:], words, true
		}
		end := pos
		end = skipUntil(line, end, stop)
		if end < len(line) && !asciiSpace(line[end]) {
			return "", words[:n0], false // non-ASCII, a quote or the escape token
		}
		if line[pos:end] == "--" {
			if end == len(line) {
				return "", words, true
			}
			return line[end:], words, true
		}
		words = append(words, line[pos:end])
		pos = end
	}
}

// flagStops marks the bytes that end plainFlags' run through a flag:
// blanks, and those it leaves to extractFlags (non-ASCII bytes, quotes,
// the escape token: the backslash (0) or the backtick (1)).
var flagStops = func() (st [2][256]bool) {
	for k, esc := range []byte{'\\', '`'} {
		for c := range 256 {
			st[k][c] = asciiSpace(byte(c)) || c >= utf8.RuneSelf || c == '\'' || c == '"' || byte(c) == esc
		}
	}
	return st
}()

// bkWords splits arguments into words as BuildKit's parser does for ENV,
// LABEL and ARG: blanks separate, quotes and escaped characters are kept.
// Its words are therefore ranges of rest, but for an escape token ending
// rest, which BuildKit drops (a word of that alone is none), and invalid
// UTF-8, which BuildKit's word holds as U+FFFD: neither is a `=`, the one
// byte the callers look for. It calls word with each word and returns
// their number.
func bkWords(rest string, esc byte, word func(string)) int {
	const (
		inSpaces = iota
		inWord
		inQuote
	)
	n := 0
	if plainText(rest, esc) {
		// The words are the runs of non-blanks, as they stand.
		for i := 0; i < len(rest); {
			for i < len(rest) && asciiSpace(rest[i]) {
				i++
			}
			j := skipUntil(rest, i, &asciiBlanks)
			if j > i {
				word(rest[i:j])
				n++
			}
			i = j
		}
		return n
	}
	if asciiOnly(rest) {
		return bkWordsASCII(rest, esc, word)
	}
	phase := inSpaces
	var quote rune
	// has is BuildKit's word being non-empty: it holds a character, or
	// blankOK, quotes.
	has, blankOK := false, false
	start := 0
	var ch rune
	var width int
	e := rune(esc)
	for pos := 0; pos <= len(rest); pos += width {
		if pos != len(rest) {
			if c := rest[pos]; c < utf8.RuneSelf {
				ch, width = rune(c), 1
			} else {
				ch, width = utf8.DecodeRuneInString(rest[pos:])
			}
		}
		if phase == inSpaces {
			if pos == len(rest) {
				break
			}
			if isSpaceRune(ch) {
				continue
			}
			phase, start = inWord, pos
		}
		if pos == len(rest) {
			if blankOK || has {
				word(rest[start:])
				n++
			}
			break
		}
		if phase == inWord {
			if isSpaceRune(ch) {
				phase = inSpaces
				if blankOK || has {
					word(rest[start:pos])
					n++
				}
				has, blankOK = false, false
				continue
			}
			if ch == '\'' || ch == '"' {
				quote = ch
				blankOK = true
				phase = inQuote
			}
			if ch == e {
				if pos+width == len(rest) {
					continue
				}
				pos += width
				_, width = utf8.DecodeRuneInString(rest[pos:])
			}
			has = true
			continue
		}
		// In quotes.
		if ch == quote {
			phase = inWord
		}
		if ch == e && quote != '\'' {
			if pos+width == len(rest) {
				phase = inWord
				continue
			}
			pos += width
			_, width = utf8.DecodeRuneInString(rest[pos:])
		}
		has = true
	}
	return n
}

// bkWordsASCII is bkWords for ASCII text, byte by byte: a word runs to
// the next blank outside quotes; the escape token takes the next byte
// along (in single quotes it is a byte like any other). A word that is
// only an escape token ending rest is none.
func bkWordsASCII(rest string, esc byte, word func(string)) int {
	n := 0
	for i := 0; i < len(rest); {
		for i < len(rest) && asciiSpace(rest[i]) {
			i++
		}
		if i == len(rest) {
			break
		}
		start, some := i, false
		for i < len(rest) && !asciiSpace(rest[i]) {
			switch c := rest[i]; {
			case c == '\'' || c == '"':
				some = true
				for i++; i < len(rest) && rest[i] != c; i++ {
					if rest[i] == esc && c != '\'' {
						i++ // the escaped byte; past the end when none
					}
				}
				i = min(i+1, len(rest)) // the closing quote
			case c == esc:
				some = some || i+1 < len(rest)
				i += 2
				i = min(i, len(rest))
			default:
				some = true
				i++
			}
		}
		if some {
			word(rest[start:i])
			n++
		}
	}
	return n
}

// isSpaceRune is unicode.IsSpace, quicker on ASCII.
func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiSpace(byte(r))
	}
	return unicode.IsSpace(r)
}

// valid reports whether BuildKit's instruction parser surely accepts g,
// for the shapes most instructions take: false means "ask BuildKit", not
// "invalid".
func (g *group) valid() bool {
	switch g.lcmd {
	case "run":
		return runFlagsOK(g.flags, g.info)
	case "shell":
		// SHELL takes no flags, and a JSON array of one string at least.
		if len(g.flags) > 0 || !g.json {
			return false
		}
		var arr [8]string
		vals, ok := appendPlainJSON(arr[:0], g.rest)
		return ok && len(vals) > 0
	case "cmd", "entrypoint":
		return len(g.flags) == 0
	case "env", "label":
		return len(g.flags) == 0 && g.argsOK
	case "arg":
		// ARG never reads its flags.
		return g.argsOK
	case "stopsignal":
		// Nor does STOPSIGNAL.
		return g.rest != ""
	case "maintainer", "workdir", "user", "expose":
		return len(g.flags) == 0 && g.rest != ""
	case "volume":
		if len(g.flags) > 0 || g.json || g.rest == "" {
			return false
		}
		for f := range fields(g.rest) {
			if strings.TrimSpace(f) == "" {
				return false
			}
		}
		return true
	case "from":
		return flagsOK(g.flags, g.info) && fromArgsOK(g.rest)
	case "copy", "add":
		if g.json || !flagsOK(g.flags, g.info) {
			return false
		}
		last, more := lastField(g.rest)
		return more && !hasHeredocMark(last)
	}
	return false
}

// fields yields the words of s split at BuildKit's command blanks; s is
// trimmed, so no word is empty.
func fields(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); {
			j := skipUntil(s, i, &bkBlanks)
			if j > i && !yield(s[i:j]) {
				return
			}
			for j < len(s) && isBKSpace(s[j]) {
				j++
			}
			i = j
		}
	}
}

// lastField returns the last of the words fields yields for s, read from
// the end, and whether another comes before it.
func lastField(s string) (string, bool) {
	e := len(s)
	for e > 0 && isBKSpace(s[e-1]) {
		e--
	}
	j := e
	for j > 0 && !isBKSpace(s[j-1]) {
		j--
	}
	k := j
	for k > 0 && isBKSpace(s[k-1]) {
		k--
	}
	return s[j:e], k > 0
}

// fromArgsOK reports whether BuildKit's instruction parser takes FROM's
// arguments rest: one word, or three, `AS` and a valid stage name, the
// words as fields yields them (read here by hand: FROM is common, and its
// words few).
func fromArgsOK(rest string) bool {
	var args [4]string
	n := 0
	for i := 0; i < len(rest); {
		j := skipUntil(rest, i, &bkBlanks)
		if j > i {
			if n == len(args) {
				return false
			}
			args[n] = rest[i:j]
			n++
		}
		for j < len(rest) && isBKSpace(rest[j]) {
			j++
		}
		i = j
	}
	return n == 1 || n == 3 && equalFold(args[1], "as") && stageNameOK(args[2])
}

// stageNameOK is validStageName(lower(s)), without lowering an ASCII
// name: an upper-case letter is valid as its lower-case one.
func stageNameOK(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return s != "" && s[0] >= utf8.RuneSelf && validStageName(lower(s))
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(isASCIILetter(c) || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return c >= utf8.RuneSelf && validStageName(lower(s))
		}
	}
	return true
}

// validStageName is BuildKit's rule for a stage name, already lower-cased.
func validStageName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// flagsOK reports whether BuildKit's flag parser accepts flags against the
// flags the instruction table gives in: known names (BuildKit's are case
// sensitive), a value where one is needed, a boolean for a boolean, no
// repeats but of repeatable flags.
func flagsOK(flags []string, in *InstructionInfo) bool {
	table := in.Flags
	var seen uint64 // the table's flags given so far
	for _, a := range flags {
		name, value, hasValue := strings.Cut(a, "=")
		if len(name) < 2 || name[0] != '-' || name[1] != '-' {
			return false
		}
		// Most names differ in length or first letter from the flags
		// they are not: those are passed over without comparing them.
		n := name[2:]
		k := 0
		for k < len(table) && (len(table[k].Name) != len(n) || table[k].Name[0] != n[0] || table[k].Name != n) {
			k++
		}
		if k == len(table) || k >= 64 {
			return false
		}
		if seen&(1<<k) != 0 && !table[k].Repeatable {
			return false
		}
		seen |= 1 << k
		if table[k].Bool {
			if value != "" && value != "true" && value != "false" {
				value = lower(value)
			}
			switch value {
			case "true", "false":
			case "":
				if hasValue {
					return false
				}
			default:
				return false
			}
		} else if !hasValue {
			return false
		}
	}
	return true
}

// runFlagsOK reports whether BuildKit's instruction parser surely accepts
// RUN's flags. Without a build's variables it reads, of a mount, only that
// it is CSV and that `from` holds no variable; the network and security
// modes must be known ones. Devices are left to BuildKit. run is RUN's
// entry in the instruction table.
func runFlagsOK(flags []string, run *InstructionInfo) bool {
	if !flagsOK(flags, run) {
		return false
	}
	for _, a := range flags {
		name, value, _ := strings.Cut(a, "=")
		switch name {
		case "--network":
			if value != "default" && value != "none" && value != "host" {
				return false
			}
		case "--security":
			if value != "insecure" && value != "sandbox" {
				return false
			}
		case "--device":
			return false
		case "--mount":
			if !mountOK(value) {
				return false
			}
		}
	}
	return true
}

// mountOK reports whether BuildKit surely reads a mount's value without a
// build's variables: CSV without quotes or line breaks, whose `from` field
// (its key in any case) holds no variable; a `$` that ends it is text.
func mountOK(value string) bool {
	if value == "" {
		return false
	}
	if strings.IndexByte(value, '$') < 0 {
		// No variable anywhere: only the bytes CSV refuses here matter,
		// each found at once.
		return strings.IndexByte(value, '"') < 0 && strings.IndexByte(value, '\r') < 0 && strings.IndexByte(value, '\n') < 0
	}
	for start := 0; start <= len(value); {
		end := start
		for ; end < len(value) && value[end] != ','; end++ {
			if c := value[end]; c == '"' || c == '\r' || c == '\n' {
				return false
			}
		}
		if f := value[start:end]; len(f) >= 5 && f[4] == '=' && asciiEqualFold(f[:4], "from") {
			if i := strings.IndexByte(f[5:], '$'); i >= 0 && i != len(f)-6 {
				return false
			}
		}
		start = end + 1
	}
	return true
}

// keyword returns strings.ToLower(s) and the instruction table's entry
// for it (nil for an unknown keyword), without allocating or hashing for
// the keywords BuildKit knows, written in ASCII.
func keyword(s string) (string, *InstructionInfo) {
	if n := len(s); n > 0 && n < 16 {
		for _, k := range keywordBuckets[int(s[0]&31)<<4|n] {
			if foldsTo(s, k.name) {
				return k.name, k.info
			}
		}
	}
	l := strings.ToLower(s)
	return l, instructionByCmd[l]
}

// keywordBuckets holds the instruction table's keywords, with their
// entries, by their first letter (either case) and their length.
var keywordBuckets = func() (by [32 << 4][]struct {
	name string
	info *InstructionInfo
}) {
	for _, k := range instructionNames {
		if len(k) >= 16 {
			panic("keyword too long for its bucket: " + k)
		}
		for i := range len(k) {
			if k[i] < 'a' || k[i] > 'z' {
				panic("keyword not of lower-case letters, as foldsTo needs: " + k)
			}
		}
		b := int(k[0]&31)<<4 | len(k)
		by[b] = append(by[b], struct {
			name string
			info *InstructionInfo
		}{k, instructionByCmd[k]})
	}
	return by
}()

// lower is strings.ToLower(s), quicker on ASCII without upper case
// letters: s itself.
func lower(s string) string {
	if skipUntil(s, 0, &lowerStops) < len(s) {
		return strings.ToLower(s)
	}
	return s
}

// lowerStops marks the bytes strings.ToLower may change: upper-case
// ASCII letters and non-ASCII bytes.
var lowerStops = func() (st [256]bool) {
	for c := range 256 {
		st[c] = c >= utf8.RuneSelf || 'A' <= c && c <= 'Z'
	}
	return st
}()

// equalFold is strings.EqualFold(s, k) for a lower-case ASCII word k,
// quicker on ASCII: Unicode folding may match k only where s has fewer
// runes than bytes.
func equalFold(s, k string) bool {
	if len(s) == len(k) {
		return asciiEqualFold(s, k)
	}
	return len(s) > len(k) && !asciiOnly(s) && strings.EqualFold(s, k)
}

// asciiEqualFold reports whether s equals the lower-case ASCII word k but
// for the case of its ASCII letters.
func asciiEqualFold(s, k string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != k[i] {
			return false
		}
	}
	return true
}

// foldsTo is asciiEqualFold(s, k) for a word k of lower-case ASCII
// letters as long as s: a byte that 0x20 turns into such a letter is that
// letter in either case.
func foldsTo(s, k string) bool {
	k = k[:len(s)]
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != k[i] {
			return false
		}
	}
	return true
}

// trimEOL is strings.TrimRight(s, "\r\n"), which BuildKit applies to every
// line, without building a cutset each time.
func trimEOL(s string) string {
	n := len(s)
	for n > 0 && (s[n-1] == '\r' || s[n-1] == '\n') {
		n--
	}
	return s[:n]
}

// plainJSONStrings reads s as a JSON array of strings of printable ASCII
// without escapes, the common exec form, and returns the strings (slices
// of s); false for any other text, which encoding/json must then read.
func plainJSONStrings(s string) ([]string, bool) { return appendPlainJSON(nil, s) }

// appendPlainJSON is plainJSONStrings appending the strings to vals.
func appendPlainJSON(vals []string, s string) ([]string, bool) {
	skip := func(i int) int {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		return i
	}
	if !strings.HasPrefix(s, "[") {
		return nil, false
	}
	i := skip(1)
	if i < len(s) && s[i] == ']' {
		if vals == nil {
			vals = []string{}
		}
		return vals, skip(i+1) == len(s)
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return nil, false
		}
		j := i + 1
		for j < len(s) && s[j] != '"' {
			if c := s[j]; c < 0x20 || c > 0x7e || c == '\\' {
				return nil, false
			}
			j++
		}
		if j == len(s) {
			return nil, false
		}
		vals = append(vals, s[i+1:j])
		i = skip(j + 1)
		if i < len(s) && s[i] == ']' {
			return vals, skip(i+1) == len(s)
		}
		if i >= len(s) || s[i] != ',' {
			return nil, false
		}
		i = skip(i + 1)
	}
}
