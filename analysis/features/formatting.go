package features

import (
	"sort"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// The formatter keeps the author's layout inside instructions and rewrites
// only whitespace and letter case, and only where BuildKit reads the result
// the same way:
//   - the keywords BuildKit knows in the file's majority casing (ASCII
//     letters only), and `AS` with them;
//   - no indentation before a keyword and one space after it;
//   - the shallowest continuation line of an instruction at the file's
//     continuation indentation, every deeper line shifted with it as a
//     block, so relative indentation (case arms, one package per line,
//     leading `&&`) stays; never where the line break falls inside a quote
//     or inside a word;
//   - no trailing blanks.
//
// Blanks between later words, blank lines, heredoc bodies and JSON arrays
// are never touched. Each change is its own edit, so an editor keeps its
// cursor and undo history where nothing moved.

// DefaultIndent is the width of continuation-line indentation in a file
// that shows none of its own.
const DefaultIndent = 4

// FormatOptions configures the formatter.
type FormatOptions struct {
	// Indent is the number of spaces before a continuation line; 0 keeps
	// the file's own (its most common one, spaces or one tab).
	Indent int
	// NewIndent is the width used when Indent is 0 and the file has no
	// continuation line yet; 0 means DefaultIndent.
	NewIndent int
	// Shell also formats RUN scripts with the shell printer (formatting_shell.go).
	Shell bool
}

// indent returns the continuation indentation for ix.
func (o FormatOptions) indent(ix *analysis.Index) string {
	if o.Indent > 0 {
		return strings.Repeat(" ", min(o.Indent, 32))
	}
	if s := contIndent(ix); s != "" {
		return s
	}
	if o.NewIndent > 0 {
		return strings.Repeat(" ", min(o.NewIndent, 32))
	}
	return strings.Repeat(" ", DefaultIndent)
}

// Format returns the edits that format the whole document, in document
// order, none overlapping. A document BuildKit rejects is left alone.
func Format(ix *analysis.Index, opts FormatOptions) []analysis.Edit {
	return FormatRange(ix, analysis.Span{Start: 0, End: ix.Doc.Len()}, opts)
}

// FormatRange returns the formatting edits for the instructions that
// overlap sp.
func FormatRange(ix *analysis.Index, sp analysis.Span, opts FormatOptions) []analysis.Edit {
	if ix.ParseError != nil || ix.LoneCR() || ix.Len() == 0 {
		return nil
	}
	f := formatter{ix: ix, upper: upperKeywords(ix), indent: opts.indent(ix)}
	first := max(nodesBefore(ix, sp.Start)-1, 0)
	for i := first; i < ix.Len(); i++ {
		n := ix.Node(i)
		if n.Start > sp.End {
			break
		}
		if n.Start+n.Len < sp.Start {
			continue
		}
		if opts.Shell && n.Cmd == "run" {
			if e, ok := f.shellEdit(i); ok {
				// The printed script replaces the script's own edits.
				before := len(f.edits)
				f.instruction(n, e.Span.Start-n.Start)
				kept := f.edits[:before]
				for _, o := range f.edits[before:] {
					if o.Span.End <= e.Span.Start || o.Span.Start >= e.Span.End && o.Span.Start > e.Span.Start {
						kept = append(kept, o)
					}
				}
				f.edits = append(kept, e)
				continue
			}
		}
		f.instruction(n, n.Len)
	}
	return mergeEdits(f.edits)
}

// FormatOnType returns the edits to make after a newline typed at off: the
// formatting of the instruction the new line continues, which gives the new
// line its indentation when it continues the line above.
func FormatOnType(ix *analysis.Index, off int, opts FormatOptions) []analysis.Edit {
	if ix.ParseError != nil || ix.LoneCR() {
		return nil
	}
	doc := ix.Doc
	line := doc.LineOf(off)
	if line == 0 {
		return nil
	}
	n, ok := ix.NodeAt(doc.LineEnd(line - 1))
	if !ok {
		return nil
	}
	edits := FormatRange(ix, n.Span(), opts)
	// A new line that is still blank gets the continuation indentation
	// when the line above continues into it and the instruction allows.
	start, end := doc.LineStart(line), doc.LineEnd(line)
	if !isBlanks(doc.Slice(analysis.Span{Start: start, End: end})) || !n.Reindents() {
		return edits
	}
	// BuildKit skips comment lines inside a continuation; so does this.
	k := line - 1
	for k > 0 && analysis.IsCommentLine(doc.Slice(analysis.Span{Start: doc.LineStart(k), End: doc.LineEnd(k)})) {
		k--
	}
	above := strings.TrimRight(doc.Slice(analysis.Span{Start: doc.LineStart(k), End: doc.LineEnd(k)}), " \t")
	if !strings.HasSuffix(above, string(ix.Escape)) {
		return edits
	}
	kept := edits[:0]
	for _, e := range edits {
		if e.Span.End < start || e.Span.Start > end {
			kept = append(kept, e)
		}
	}
	if ind := opts.indent(ix); doc.Slice(analysis.Span{Start: start, End: end}) != ind {
		kept = append(kept, analysis.Edit{Span: analysis.Span{Start: start, End: end}, Text: ind})
	}
	return mergeEdits(kept)
}

// upperKeywords reports whether most keywords are written in upper case;
// a tie goes to upper case, the reference's spelling.
func upperKeywords(ix *analysis.Index) bool {
	up, low := 0, 0
	for i := 0; i < ix.Len(); i++ {
		kw := ix.Node(i).Keyword.Value
		if !knownKeyword(kw) {
			continue
		}
		switch kw {
		case asciiUpper(kw):
			up++
		case asciiLower(kw):
			low++
		}
	}
	return up >= low
}

type formatter struct {
	ix     *analysis.Index
	upper  bool
	indent string
	edits  []analysis.Edit
}

func (f *formatter) add(start, end int, text string) {
	f.edits = append(f.edits, analysis.Edit{Span: analysis.Span{Start: start, End: end}, Text: text})
}

func (f *formatter) casing(s string) string {
	if f.upper {
		return asciiUpper(s)
	}
	return asciiLower(s)
}

// command returns the instruction's command text (up to its first heredoc
// body) and where its JSON array starts in it, or -1.
func command(ix *analysis.Index, n analysis.Node) (text string, jsonStart int) {
	in := n.Instruction
	cmdEnd := in.Len
	if len(in.Heredocs()) > 0 {
		cmdEnd = max(in.Heredocs()[0].Body.Start-1, in.Keyword.Span.End)
	}
	text = ix.Doc.Slice(analysis.Span{Start: n.Start, End: n.Start + cmdEnd})
	jsonStart = -1
	if in.JSON && len(in.Args) > 0 {
		jsonStart = strings.LastIndexByte(text[:in.Args[0].Span.Start], '[')
	}
	return text, jsonStart
}

// instruction formats one instruction's command lines; continuation lines
// from limit on (relative to the instruction) are someone else's.
func (f *formatter) instruction(n analysis.Node, limit int) {
	in := n.Instruction
	kw := in.Keyword.Span
	text, jsonStart := command(f.ix, n)

	// Keyword casing, when the keyword is written in one piece and is one
	// BuildKit knows: an unknown word must stay unknown.
	if kw.Len() == len(in.Keyword.Value) && knownKeyword(in.Keyword.Value) {
		if want := f.casing(in.Keyword.Value); want != in.Keyword.Value {
			f.add(n.Start+kw.Start, n.Start+kw.End, want)
		}
	}
	if in.As() != nil && in.As().Span.Len() == 2 && isASCII(in.As().Value) {
		if want := f.casing(in.As().Value); want != in.As().Value {
			f.add(n.Start+in.As().Span.Start, n.Start+in.As().Span.End, want)
		}
	}

	// Indentation of the first line.
	lineStart := 0
	if n.Start == 0 && strings.HasPrefix(text, "\uFEFF") {
		lineStart = len("\uFEFF")
	}
	if kw.Start > lineStart && isBlanks(text[lineStart:kw.Start]) {
		f.add(n.Start+lineStart, n.Start+kw.Start, "")
	}

	// One space after the keyword; the blanks between later words are the
	// author's (aligned columns, shell spacing) and stay.
	next := -1
	switch {
	case len(in.Flags) > 0:
		next = in.Flags[0].Span.Start
	case jsonStart >= 0:
		next = jsonStart
	case len(in.Args) > 0:
		next = in.Args[0].Span.Start
	}
	if a := kw.End; a < next && text[a:next] != " " && isBlanks(text[a:next]) {
		f.add(n.Start+a, n.Start+next, " ")
	}

	const tab = DefaultIndent // tab stops, for widths only
	conts, trims := scanLines(f.ix, text, jsonStart, in.Reindents(), tab)
	for len(conts) > 0 && conts[len(conts)-1].off >= limit {
		conts = conts[:len(conts)-1]
	}
	for _, t := range trims {
		f.add(n.Start+t.Start, n.Start+t.End, "")
	}
	shallowest := shallowestCont(conts)
	if shallowest < 0 {
		return
	}
	// The shallowest line moves to the indentation; the rest move with it.
	delta := columns(f.indent, tab) - conts[shallowest].width
	for _, c := range conts {
		if !c.movable || c.width < conts[shallowest].width {
			continue
		}
		want := blanks(c.width+delta, f.indent == "\t", tab)
		if text[c.off:c.off+c.lead] != want {
			f.add(n.Start+c.off, n.Start+c.off+c.lead, want)
		}
	}
}

// contLine is one line of an instruction after its first.
type contLine struct {
	off, lead int // the line's offset in the command and its leading blanks' length
	width     int // the leading blanks' width in columns
	movable   bool
	comment   bool // BuildKit drops the line, so its blanks are free
}

// scanLines reads the lines of a command text: the continuation lines
// whose indentation is only a separator (when reindent), and the trailing
// blanks that carry no meaning. A line that starts inside a quote, or that
// continues a word (no blank on either side of the break), is not movable.
func scanLines(ix *analysis.Index, text string, jsonStart int, reindent bool, tab int) (conts []contLine, trims []analysis.Span) {
	q := quoteState{esc: ix.Escape}
	prevSpace := false
	for off, j := 0, 0; off < len(text); j++ {
		end := strings.IndexByte(text[off:], '\n')
		next := len(text)
		if end < 0 {
			end = len(text)
		} else {
			end += off
			next = end + 1
		}
		line := strings.TrimSuffix(text[off:end], "\r")
		last := next >= len(text)
		content := strings.TrimRight(line, " \t")
		if jsonStart >= 0 && off+len(line) > jsonStart {
			// The array stays as written; blanks after its closing
			// bracket mean nothing to BuildKit's JSON parse.
			if last && len(content) < len(line) && strings.HasSuffix(content, "]") {
				trims = append(trims, analysis.Span{Start: off + len(content), End: off + len(line)})
			}
			off = next
			continue
		}
		comment := j > 0 && analysis.IsCommentLine(line)
		code := j == 0 || (!comment && !analysis.IsSpaceOnly(line))
		if j > 0 && (code || comment) && reindent && q.quote == 0 {
			lead := len(line) - len(strings.TrimLeft(line, " \t"))
			conts = append(conts, contLine{
				off: off, lead: lead, width: columns(line[:lead], tab), comment: comment,
				movable: code && (lead > 0 || prevSpace) || comment && lead > 0,
			})
		}
		if code {
			body := content
			if !last {
				body = strings.TrimSuffix(content, string(ix.Escape))
			}
			q.scan(body)
			prevSpace = endsInBlank(body, ix.Escape)
		}
		// Blanks at the end of an unterminated quote are part of its value;
		// a last line of blanks only is part of the instruction to BuildKit.
		if len(content) < len(line) && !(last && (q.quote != 0 || j > 0 && content == "")) {
			trims = append(trims, analysis.Span{Start: off + len(content), End: off + len(line)})
		}
		off = next
	}
	return conts, trims
}

// endsInBlank reports whether s ends in a blank that is not escaped, so
// that a word cannot continue across the line break.
func endsInBlank(s string, esc byte) bool {
	n := len(s)
	if n == 0 || s[n-1] != ' ' && s[n-1] != '\t' {
		return false
	}
	k := 0
	for k < n-1 && s[n-2-k] == esc {
		k++
	}
	return k%2 == 0
}

// shallowestCont returns the index of the first movable code line with the
// least indentation, or -1.
func shallowestCont(conts []contLine) int {
	k := -1
	for i, c := range conts {
		if c.movable && !c.comment && (k < 0 || c.width < conts[k].width) {
			k = i
		}
	}
	return k
}

// contIndent returns the file's own continuation indentation: the most
// common indentation of an instruction's shallowest continuation line,
// when it is spaces only or one tab; "" when there is none.
func contIndent(ix *analysis.Index) string {
	count := map[string]int{}
	best := ""
	for i := 0; i < ix.Len(); i++ {
		n := ix.Node(i)
		if n.Lines < 2 || !n.Reindents() {
			continue
		}
		text, jsonStart := command(ix, n)
		conts, _ := scanLines(ix, text, jsonStart, true, DefaultIndent)
		k := shallowestCont(conts)
		if k < 0 {
			continue
		}
		lead := text[conts[k].off : conts[k].off+conts[k].lead]
		if lead != "\t" && (lead == "" || strings.Trim(lead, " ") != "" || len(lead) > 32) {
			continue
		}
		count[lead]++
		if c := count[lead]; c > count[best] || c == count[best] && lead < best {
			best = lead
		}
	}
	return best
}

// blanks returns the indentation of the given width: spaces, or tabs then
// spaces when the file indents with tabs.
func blanks(width int, tabs bool, tab int) string {
	if !tabs {
		return strings.Repeat(" ", width)
	}
	return strings.Repeat("\t", width/tab) + strings.Repeat(" ", width%tab)
}

// columns is the width of the blanks s, with tab stops every tab columns.
func columns(s string, tab int) int {
	w := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\t' && tab > 0 {
			w += tab - w%tab
		} else {
			w++
		}
	}
	return w
}

// knownKeyword reports whether kw is an instruction BuildKit knows, spelt
// in ASCII, so that changing its case changes nothing BuildKit reads.
func knownKeyword(kw string) bool {
	return isASCII(kw) && analysis.LookupInstruction(strings.ToLower(kw)) != nil
}

// asciiUpper and asciiLower change the case of ASCII letters only, as
// BuildKit's keyword matching sees them.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isBlanks reports whether s is spaces and tabs only.
func isBlanks(s string) bool { return strings.Trim(s, " \t") == "" }

// quoteState follows quotes across the lines of a command.
type quoteState struct {
	esc   byte
	quote byte
}

func (q *quoteState) scan(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q.esc && q.quote != '\'':
			i++
		case q.quote == 0 && (c == '"' || c == '\''):
			q.quote = c
		case q.quote == c:
			q.quote = 0
		}
	}
}

// mergeEdits sorts edits and joins those that touch, so that no two share
// a boundary.
func mergeEdits(edits []analysis.Edit) []analysis.Edit {
	sort.SliceStable(edits, func(a, b int) bool { return edits[a].Span.Start < edits[b].Span.Start })
	out := edits[:0]
	for _, e := range edits {
		if k := len(out) - 1; k >= 0 && out[k].Span.End >= e.Span.Start {
			prev := &out[k]
			if e.Span.Start < prev.Span.End {
				continue // overlapping edits are a bug; keep the first
			}
			prev.Text += e.Text
			prev.Span.End = e.Span.End
			continue
		}
		out = append(out, e)
	}
	return out
}
