package analysis

import (
	"sort"
	"strings"
)

// The formatter rewrites only whitespace and letter case, and only where
// BuildKit reads the result the same way:
//   - instruction keywords in the file's majority casing, and `AS` with them;
//   - no indentation before a keyword, one space between the keyword, the
//     flags and the first argument, and between the arguments of
//     instructions whose arguments are separate words;
//   - continuation lines indented by a fixed width, where the line break
//     falls between words (never inside quotes);
//   - no trailing blanks;
//   - one blank line before a stage (above its comment block).
//
// Heredoc bodies and JSON arrays are never touched. Each change is its own
// edit, so an editor keeps its cursor and undo history where nothing moved.

// DefaultIndent is the width of continuation-line indentation.
const DefaultIndent = 4

// FormatOptions configures the formatter.
type FormatOptions struct {
	Indent int // spaces before a continuation line; 0 means DefaultIndent
}

func (o FormatOptions) indent() string {
	if o.Indent <= 0 {
		return strings.Repeat(" ", DefaultIndent)
	}
	return strings.Repeat(" ", min(o.Indent, 32))
}

// Format returns the edits that format the whole document, in document
// order, none overlapping. A document BuildKit rejects is left alone.
func Format(ix *Index, opts FormatOptions) []Edit {
	return FormatRange(ix, Span{0, ix.Doc.Len()}, opts)
}

// FormatRange returns the formatting edits for the instructions that
// overlap sp, and the stage gaps above the FROM lines among them.
func FormatRange(ix *Index, sp Span, opts FormatOptions) []Edit {
	if ix.ParseError != nil || ix.loneCR || ix.n == 0 {
		return nil
	}
	f := formatter{ix: ix, upper: ix.upperKeywords(), indent: opts.indent()}
	first := max(ix.search(sp.Start)-1, 0)
	for i := first; i < ix.n; i++ {
		n := ix.Node(i)
		if n.Start > sp.End {
			break
		}
		if n.Start+n.Len < sp.Start {
			continue
		}
		if n.Cmd == "from" && ix.StageOf(i) > 0 {
			f.stageGap(i, n)
		}
		f.instruction(n)
	}
	return mergeEdits(f.edits)
}

// FormatOnType returns the edits to make after a newline typed at off: the
// formatting of the instruction the new line continues, which gives the new
// line its indentation when it continues the line above.
func FormatOnType(ix *Index, off int, opts FormatOptions) []Edit {
	if ix.ParseError != nil || ix.loneCR {
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
	if !isBlanks(doc.Slice(Span{start, end})) || !reindents(n.Instruction) {
		return edits
	}
	// BuildKit skips comment lines inside a continuation; so does this.
	k := line - 1
	for k > 0 && isCommentLine(doc.Slice(Span{doc.LineStart(k), doc.LineEnd(k)})) {
		k--
	}
	above := strings.TrimRight(doc.Slice(Span{doc.LineStart(k), doc.LineEnd(k)}), " \t")
	if !strings.HasSuffix(above, string(ix.Escape)) {
		return edits
	}
	kept := edits[:0]
	for _, e := range edits {
		if e.Span.End < start || e.Span.Start > end {
			kept = append(kept, e)
		}
	}
	if ind := opts.indent(); doc.Slice(Span{start, end}) != ind {
		kept = append(kept, Edit{Span: Span{start, end}, Text: ind})
	}
	return mergeEdits(kept)
}

// upperKeywords reports whether most keywords are written in upper case;
// a tie goes to upper case, the reference's spelling.
func (ix *Index) upperKeywords() bool {
	up, low := 0, 0
	for i := 0; i < ix.n; i++ {
		kw := ix.inst(i).Keyword.Value
		switch kw {
		case strings.ToUpper(kw):
			up++
		case strings.ToLower(kw):
			low++
		}
	}
	return up >= low
}

type formatter struct {
	ix     *Index
	upper  bool
	indent string
	edits  []Edit
}

func (f *formatter) add(start, end int, text string) {
	f.edits = append(f.edits, Edit{Span: Span{start, end}, Text: text})
}

func (f *formatter) casing(s string) string {
	if f.upper {
		return strings.ToUpper(s)
	}
	return strings.ToLower(s)
}

// stageGap leaves exactly one blank line between the instruction before
// FROM i and the comments directly above it (or the FROM itself).
func (f *formatter) stageGap(i int, n Node) {
	prev := f.ix.Node(i - 1)
	from := prev.Start + prev.Len
	gap := f.ix.Doc.Slice(Span{from, n.Start})
	nl := strings.IndexByte(gap, '\n')
	if nl < 0 {
		return
	}
	term := gap[:nl+1] // the terminator of the previous instruction's last line
	if strings.TrimRight(term, "\r\n") != "" {
		return
	}
	// Lines between, each with its terminator, walked back from the FROM.
	var lines []string
	for rest := gap[nl+1:]; rest != ""; {
		k := strings.IndexByte(rest, '\n')
		if k < 0 {
			k = len(rest) - 1
		}
		lines = append(lines, rest[:k+1])
		rest = rest[k+1:]
	}
	end := len(lines)
	for end > 0 && isCommentLine(lines[end-1]) {
		end--
	}
	blank := end
	for blank > 0 && isSpaceOnly(lines[blank-1]) {
		blank--
	}
	off := from + nl + 1
	for _, l := range lines[:blank] {
		off += len(l)
	}
	runLen := 0
	for _, l := range lines[blank:end] {
		runLen += len(l)
	}
	if end-blank == 1 && strings.TrimRight(lines[blank], "\r\n") == "" {
		return
	}
	above := term
	if blank > 0 {
		above = lines[blank-1]
	}
	want := "\n"
	if strings.HasSuffix(above, "\r\n") {
		want = "\r\n"
	}
	if blank == end {
		// No blank line: add one at the end of the line above, so the
		// insertion never touches the FROM's own edits.
		f.add(off-len(want), off-len(want), want)
		return
	}
	f.add(off, off+runLen, want)
}

// instruction formats one instruction's command lines.
func (f *formatter) instruction(n Node) {
	doc := f.ix.Doc
	in := n.Instruction
	kw := in.Keyword.Span
	// The command ends where the first heredoc body begins.
	cmdEnd := in.Len
	if len(in.Heredocs) > 0 {
		cmdEnd = max(in.Heredocs[0].Body.Start-1, kw.End)
	}
	text := doc.Slice(Span{n.Start, n.Start + cmdEnd})

	// Keyword casing, when the keyword is written in one piece.
	if kw.Len() == len(in.Keyword.Value) {
		if want := f.casing(in.Keyword.Value); want != in.Keyword.Value {
			f.add(n.Start+kw.Start, n.Start+kw.End, want)
		}
	}
	if in.As != nil && in.As.Span.Len() == 2 {
		if want := f.casing(in.As.Value); want != in.As.Value {
			f.add(n.Start+in.As.Span.Start, n.Start+in.As.Span.End, want)
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

	// Spacing between the keyword, the flags and the arguments.
	toks := make([]Span, 0, 1+len(in.Flags)+len(in.Args))
	toks = append(toks, kw)
	for _, fl := range in.Flags {
		toks = append(toks, fl.Span)
	}
	nargs := len(in.Args)
	if nargs > 0 && !spacesArgs(in) {
		nargs = 1
	}
	for _, a := range in.Args[:nargs] {
		toks = append(toks, a.Span)
	}
	jsonStart := -1
	if in.JSON && len(in.Args) > 0 {
		jsonStart = strings.LastIndexByte(text[:in.Args[0].Span.Start], '[')
		toks[len(toks)-1].Start = jsonStart
	}
	for k := 1; k < len(toks); k++ {
		a, b := toks[k-1].End, toks[k].Start
		if a < b && b <= len(text) && text[a:b] != " " && isBlanks(text[a:b]) {
			f.add(n.Start+a, n.Start+b, " ")
		}
	}

	// Line by line: continuation indentation and trailing blanks.
	reindent := reindents(in)
	q := quoteState{esc: f.ix.Escape}
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
			// The array and whatever follows it stay as written.
			off = next
			continue
		}
		code := j == 0 || (!isCommentLine(line) && !isSpaceOnly(line))
		if j > 0 && code {
			lead := len(line) - len(strings.TrimLeft(line, " \t"))
			if reindent && q.quote == 0 && (lead > 0 || prevSpace) && line[:lead] != f.indent {
				f.add(n.Start+off, n.Start+off+lead, f.indent)
			}
		}
		if code {
			body := content
			if !last {
				body = strings.TrimSuffix(content, string(f.ix.Escape))
			}
			q.scan(body)
			prevSpace = len(body) > 0 && (body[len(body)-1] == ' ' || body[len(body)-1] == '\t')
		}
		// Blanks at the end of an unterminated quote are part of its value.
		if len(content) < len(line) && !(last && q.quote != 0) {
			f.add(n.Start+off+len(content), n.Start+off+len(line), "")
		}
		off = next
	}
}

// isBlanks reports whether s is spaces and tabs only.
func isBlanks(s string) bool { return strings.Trim(s, " \t") == "" }

// spacesArgs reports whether BuildKit splits the instruction's arguments
// into words, so that the blanks between them carry no meaning.
func spacesArgs(in *Instruction) bool {
	switch in.Cmd {
	case "from", "arg", "expose":
		return true
	case "copy", "add", "volume":
		return !in.JSON
	case "env", "label":
		return len(in.Args) > 0 && strings.Contains(in.Args[0].Value, "=")
	}
	return false
}

// reindents reports whether a continuation line's indentation is only a
// separator between words of the instruction.
func reindents(in *Instruction) bool {
	if in.JSON {
		return false
	}
	switch in.Cmd {
	case "run", "cmd", "entrypoint", "from", "copy", "add", "arg", "expose", "volume", "healthcheck", "onbuild":
		return true
	case "env", "label":
		return len(in.Args) > 0 && strings.Contains(in.Args[0].Value, "=")
	}
	return false
}

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
func mergeEdits(edits []Edit) []Edit {
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

// ApplyEdits applies non-overlapping edits in document order to text.
func ApplyEdits(text string, edits []Edit) string {
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, e := range edits {
		b.WriteString(text[at:e.Span.Start])
		b.WriteString(e.Text)
		at = e.Span.End
	}
	b.WriteString(text[at:])
	return b.String()
}
