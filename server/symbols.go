package server

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/analysis/features"
)

func init() {
	advertise(func(s *Server, caps *protocol.ServerCapabilities) {
		caps.DocumentSymbolProvider = protocol.Boolean(true)
		caps.WorkspaceSymbolProvider = protocol.Boolean(true)
	})
}

// symbolKinds maps the outline's kinds to the protocol's.
var symbolKinds = [...]protocol.SymbolKind{
	features.SymbolStage:       protocol.SymbolKindClass,
	features.SymbolInstruction: protocol.SymbolKindFunction,
	features.SymbolArg:         protocol.SymbolKindVariable,
	features.SymbolEnv:         protocol.SymbolKindProperty,
}

// DocumentSymbol answers textDocument/documentSymbol with the outline: a
// tree of stages and their instructions when the client takes one, else
// the same entries flat, each naming its container. The answer is written
// as JSON straight from the outline (see symbolsJSON), cached for the
// version, and its buffer is reused for a later answer, of any document,
// once the response carrying it has been written (see symbolCache.answer):
// memory is given back to the system only after an answer that allocated
// much (see returnMemoryAfter).
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	snap, ix, err := s.indexed(ctx, params.TextDocument.URI)
	if err != nil || ix == nil {
		return nil, err
	}
	before := heapAllocated()
	res, _ := s.symbols.answer(snap, ix, s.encoding(), s.options().hierarchicalSymbols)
	s.returnMemoryAfter(before)
	return res, nil
}

// symbolsJSON is a documentSymbol answer already encoded: codec writes it
// as it stands. The protocol's tree of DocumentSymbol values, encoded
// afterwards, cost twice the time of writing the outline's JSON directly.
// The embedded union, always nil, only lets it stand where the handler's
// sealed result type asks for one.
type symbolsJSON struct {
	protocol.DocumentSymbolResult
	data []byte
	// What a later version's answer may copy from this one (see
	// outlineWriter.stage): the document it was written from, its escape
	// character, and where each stage's entries stand in data.
	doc    *analysis.Document
	escape byte
	frags  []outlineFrag
	copied int // the stages copied from the answer before
	// cache takes data back for a later answer when refs, the holders of
	// the answer (the cache, and each handler return not yet released),
	// drops to zero; nil for an answer never reused. Guarded by cache.mu.
	cache *symbolCache
	refs  int
}

// MarshalJSON returns the answer's JSON, for encoders other than codec.
func (a *symbolsJSON) MarshalJSON() ([]byte, error) { return a.data, nil }

// json returns the answer's JSON, for the stream (see stream.lend).
func (a *symbolsJSON) json() []byte { return a.data }

// release gives back one handler return of the answer: the stream calls
// it once the response carrying the answer has been written (see
// stream.lend).
func (a *symbolsJSON) release() {
	if a.cache == nil {
		return
	}
	a.cache.mu.Lock()
	defer a.cache.mu.Unlock()
	a.cache.unref(a)
}

// symbolCache keeps the last outline answered, for the snapshot, encoding
// and form it was asked in: an editor's outline, breadcrumbs and sticky
// scroll each ask for the same version's symbols. It also keeps the
// buffer of one answer that is neither cached nor being sent any more, to
// write the next one in: an editor asks for a large file's outline at
// every keystroke, and a new buffer of megabytes each time is garbage
// the collector must mark and the allocator must zero.
type symbolCache struct {
	mu    sync.Mutex
	snap  *Snapshot
	enc   analysis.Encoding
	tree  bool
	res   *symbolsJSON
	spare []byte
	// reused counts the answers written in a spare buffer; lost sums the
	// capacity of the buffers let go since dropped was last called.
	reused int
	lost   int
	// closed tells that the document of the last answer cached was
	// closed (see forget), and no answer was cached since.
	closed bool
}

// answer returns the answer for snap's outline in enc and form tree, the
// cached one or, when there is none for that version, a new one, which it
// caches; built reports which. The answer is handed out: its buffer is not
// written again until release has been called for it once per time answer
// returned it. An answer that is never released is left to the collector.
func (c *symbolCache) answer(snap *Snapshot, ix *analysis.Index, enc analysis.Encoding, tree bool) (res *symbolsJSON, built bool) {
	c.mu.Lock()
	if c.res != nil && c.snap == snap && c.enc == enc && c.tree == tree {
		res = c.res
		res.refs++
		c.mu.Unlock()
		return res, false
	}
	// The answer for the same document and form, whose stages an edit
	// mostly leaves as they were: held while the new one copies from it.
	var prev *symbolsJSON
	if c.res != nil && c.snap.URI == snap.URI && c.enc == enc && c.tree == tree {
		prev = c.res
		prev.refs++
	}
	last := 0
	if c.res != nil && c.snap.URI == snap.URI && c.tree == tree {
		last = len(c.res.data)
	}
	size := outlineSize(snap, ix, tree, last)
	var free []byte
	if prev == nil && c.res != nil {
		// Another document's answer (or another form's), which the new
		// one replaces in the cache: let go now, its buffer may be the
		// one the new answer is written in.
		old := c.res
		c.snap, c.res = nil, nil
		free = c.drop(old)
	}
	var buf []byte
	if cap(c.spare) >= size {
		buf, c.spare = c.spare[:0], nil
		c.reused++
	}
	if free != nil {
		if buf == nil && cap(free) >= size {
			buf = free
			c.reused++
		} else {
			c.keep(free) // for the next answer, as the spare
		}
	}
	c.mu.Unlock()

	if buf == nil {
		buf = make([]byte, 0, size)
	}
	res = writeOutline(buf, snap, ix, enc, tree, prev)
	res.cache, res.refs = c, 2 // the cache's and the caller's

	c.mu.Lock()
	defer c.mu.Unlock()
	if prev != nil {
		c.unref(prev)
	}
	if old := c.res; old != nil {
		c.unref(old)
	}
	c.snap, c.enc, c.tree, c.res = snap, enc, tree, res
	c.closed = false
	return res, true
}

// forget drops the answer kept for the document uri, which was closed, and
// the spare buffer: both may be megabytes no later request reads.
func (c *symbolCache) forget(uri string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.res == nil || c.snap.URI != uri {
		return
	}
	c.closed = true
	c.unref(c.res)
	c.lost += cap(c.spare)
	c.snap, c.res, c.spare = nil, nil, nil
}

// unref drops one holder of a; the last one gives its buffer to the
// cache (see keep). c.mu is held.
func (c *symbolCache) unref(a *symbolsJSON) {
	if free := c.drop(a); free != nil {
		c.keep(free)
	}
}

// drop drops one holder of a and, when that was the last, returns its
// buffer, which no answer holds any more. c.mu is held.
func (c *symbolCache) drop(a *symbolsJSON) []byte {
	if a.refs <= 0 {
		return nil // released more often than handed out: a bug, but no reason to crash
	}
	a.refs--
	if a.refs > 0 {
		return nil
	}
	free := a.data[:0]
	a.data = nil // a use after the last release sends null, never another answer's bytes
	return free
}

// keep makes buf, which no answer holds, the spare when it is larger than
// the one kept, and lets the other go. After forget, a buffer whose
// response was still being written is let go too, not kept for a closed
// document. c.mu is held.
func (c *symbolCache) keep(buf []byte) {
	switch {
	case !c.closed && cap(buf) > cap(c.spare):
		c.lost += cap(c.spare)
		c.spare = buf
	default:
		c.lost += cap(buf)
	}
}

// dropped returns the bytes of the buffers let go since it was last
// called: garbage the collector may give back to the system.
func (c *symbolCache) dropped() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.lost
	c.lost = 0
	return n
}

// outlineJSON returns the JSON of snap's outline (see appendOutline) in a
// new buffer sized by outlineSize.
func outlineJSON(snap *Snapshot, ix *analysis.Index, enc analysis.Encoding, tree bool, last int) []byte {
	return appendOutline(make([]byte, 0, outlineSize(snap, ix, tree, last)), snap, ix, enc, tree)
}

// outlineSize is the size of the buffer to write snap's outline in: from
// the number of instructions, or from last, the length of the last answer
// for the same document and form, when there is one and it is larger (an
// edit changes the answer little). A buffer sized so for one version is
// large enough for the next, and for another document of as many
// instructions.
func outlineSize(snap *Snapshot, ix *analysis.Index, tree bool, last int) int {
	per := symbolTreeSize
	if !tree {
		per = symbolFlatSize + len(snap.URI)
	}
	return max(2+per*(ix.Len()+ix.StageCount()), last+last/32+256)
}

// symbolTreeSize and symbolFlatSize are about the bytes an instruction or
// a stage takes in either form (without the URI), its variables included.
const (
	symbolTreeSize = 300
	symbolFlatSize = 200
)

// appendOutline appends the JSON of snap's outline, as the protocol's
// encoder writes a DocumentSymbol tree (tree) or a flat list of
// SymbolInformation each naming its container, to dst (see writeOutline).
func appendOutline(dst []byte, snap *Snapshot, ix *analysis.Index, enc analysis.Encoding, tree bool) []byte {
	return writeOutline(dst, snap, ix, enc, tree, nil).data
}

// writeOutline returns the answer holding the JSON of snap's outline (see
// appendOutline), appended to dst: one walk over the outline
// (features.WalkOutline), no tree built, positions placed through one
// cursor in document order. A stage that prev, the answer for an earlier
// version of the document in the same encoding and form, holds as it
// stands is copied from it (see outlineWriter.stage).
func writeOutline(dst []byte, snap *Snapshot, ix *analysis.Index, enc analysis.Encoding, tree bool, prev *symbolsJSON) *symbolsJSON {
	w := outlineWriter{dst: append(dst, '['), c: snap.Doc.Cursor(enc), ix: ix, cur: -1}
	w.res = &symbolsJSON{doc: snap.Doc, escape: ix.Escape, frags: make([]outlineFrag, 0, ix.StageCount())}
	if prev != nil && prev.escape == ix.Escape && prev.doc != nil {
		w.prev = prev
		w.pre, w.post = snap.Doc.Unchanged(prev.doc)
		w.delta = snap.Doc.Len() - prev.doc.Len()
	}
	entry := w.treeEntry
	if !tree {
		w.uri = appendString(nil, snap.URI)
		entry = w.flatEntry
	}
	features.WalkOutline(ix, w.stage, entry)
	w.endStage()
	w.res.data = append(w.dst, ']')
	return w.res
}

// outlineFrag is where a stage's entries stand in an answer: from the
// end of the instruction before the stage (or the document's start) to
// the stage's end, r to e in the document, r on line; off to end in the
// JSON, without the comma before.
type outlineFrag struct {
	r, e, line int
	off, end   int
}

// stage is called before stage s's entries are written. It copies them
// from the earlier answer when the document holds that stage's text as it
// stood there, on the same lines, with the same escape character, and
// the earlier version's stage s covered the same text: the text of a
// stage, from the end of the instruction before it (where the comments
// it is described by start) to its end, is all its entries are made of,
// with its index and first line (and the rest of its last line, which an
// instruction's detail may show). That text is in the part of the
// document left as it was before the edit: the document's unchanged head,
// or its unchanged tail (which runs to the end, so nothing after the
// stage can join its last instruction, and which moved by as many lines
// as the edit added: the line numbers are moved as the entries are
// copied). Else the stage's entries are written.
func (w *outlineWriter) stage(s int) bool {
	w.endStage()
	st := w.ix.Stages().At(s)
	f := outlineFrag{e: st.Span.End}
	if st.First > 0 {
		n := w.ix.Node(st.First - 1)
		f.r = n.Start + n.Len
	}
	f.line, _, _, _ = w.c.Line(f.r)
	comma := w.dst[len(w.dst)-1] != '['
	if old, ok := w.copyable(s, f); ok {
		if comma {
			w.dst = append(w.dst, ',')
		}
		f.off = len(w.dst)
		if frag := w.prev.data[old.off:old.end]; f.line == old.line {
			w.dst = append(w.dst, frag...)
		} else {
			w.dst = appendShifted(w.dst, frag, f.line-old.line)
		}
		f.end = len(w.dst)
		w.res.frags = append(w.res.frags, f)
		w.res.copied++
		return false
	}
	f.off = len(w.dst)
	if comma {
		f.off++
	}
	w.res.frags = append(w.res.frags, f)
	w.cur = s
	return true
}

// copyable returns prev's fragment for stage s when it may be copied as
// it stands for f (see stage).
func (w *outlineWriter) copyable(s int, f outlineFrag) (outlineFrag, bool) {
	if w.prev == nil || s >= len(w.prev.frags) {
		return outlineFrag{}, false
	}
	old := w.prev.frags[s]
	if old.line == f.line && old.r == f.r && old.e == f.e && f.e <= w.pre {
		if _, _, _, next := w.c.Line(f.e); next <= w.pre {
			return old, true
		}
	}
	if tail := w.res.doc.Len() - w.post; w.post > 0 && f.r >= tail && old.r == f.r-w.delta && old.e == f.e-w.delta {
		return old, true // on lines moved as many as the edit added
	}
	return outlineFrag{}, false
}

// appendShifted appends frag, a stage's entries, to dst with every line
// number moved by shift. A line number follows `{"line":` and only there:
// in a JSON string each quote is escaped, so the key is never inside one.
// Braces are rarer than quotes, so the search looks for them.
func appendShifted(dst, frag []byte, shift int) []byte {
	const key = `{"line":`
	for i := 0; ; {
		k := bytes.IndexByte(frag[i:], '{')
		if k < 0 {
			return append(dst, frag...)
		}
		i += k
		if !bytes.HasPrefix(frag[i:], []byte(key)) {
			i++
			continue
		}
		i += len(key)
		dst = append(dst, frag[:i]...)
		n := 0
		for i < len(frag) && '0' <= frag[i] && frag[i] <= '9' {
			n = 10*n + int(frag[i]-'0')
			i++
		}
		dst = appendInt(dst, n+shift)
		frag, i = frag[i:], 0
	}
}

// endStage ends the fragment of the stage being written, if any.
func (w *outlineWriter) endStage() {
	if w.cur >= 0 {
		w.res.frags[w.cur].end = len(w.dst)
		w.cur = -1
	}
}

// outlineWriter writes the outline's entries as they are walked.
type outlineWriter struct {
	dst []byte
	c   *analysis.PositionCursor
	uri []byte // the document's URI as a JSON string, for the flat form
	// The entries holding the one written, outermost first: their names
	// and the number of their children still to come.
	open  int
	names [maxOutlineDepth]string
	left  [maxOutlineDepth]int

	ix  *analysis.Index
	res *symbolsJSON // the answer written, its fragments as they are
	cur int          // the stage being written, or -1
	// The earlier answer stages are copied from, and how the document
	// differs from its: the first pre and the last post bytes are the
	// same; the length grew by delta.
	prev             *symbolsJSON
	pre, post, delta int
}

// maxOutlineDepth bounds the outline's depth: stage, instruction, variable.
const maxOutlineDepth = 3

// enter places e among the open entries: it is the next child of the
// innermost one.
func (w *outlineWriter) enter(e *features.OutlineEntry) {
	w.open = min(e.Depth, maxOutlineDepth-1)
	if w.open > 0 {
		w.left[w.open-1]--
	}
	if w.dst[len(w.dst)-1] != '[' {
		w.dst = append(w.dst, ',')
	}
}

// treeEntry writes e as a DocumentSymbol, leaving its children's array
// open when it has children, and closing the arrays of the entries it
// ends.
func (w *outlineWriter) treeEntry(e *features.OutlineEntry) {
	w.enter(e)
	dst := append(w.dst, `{"name":`...)
	dst = appendString(dst, e.Name)
	if e.Detail != "" {
		dst = append(dst, `,"detail":`...)
		dst = appendString(dst, e.Detail)
	}
	dst = append(dst, `,"kind":`...)
	dst = appendInt(dst, int(symbolKinds[e.Kind]))
	// The positions are placed in document order, for the cursor.
	start, sel, selEnd := w.c.Position(e.Span.Start), w.c.Position(e.NameSpan.Start), w.c.Position(e.NameSpan.End)
	dst = append(dst, `,"range":`...)
	dst = appendRange(dst, start, w.c.Position(e.Span.End))
	dst = append(dst, `,"selection`...)
	dst = append(dst, `Range":`...)
	dst = appendRange(dst, sel, selEnd)
	if e.Children > 0 {
		w.dst = append(dst, `,"children":[`...)
		w.left[w.open] = e.Children
		w.open++
		return
	}
	dst = append(dst, '}')
	for w.open > 0 && w.left[w.open-1] == 0 {
		dst = append(dst, ']', '}')
		w.open--
	}
	w.dst = dst
}

// flatEntry writes e as a SymbolInformation naming the entry holding it.
func (w *outlineWriter) flatEntry(e *features.OutlineEntry) {
	w.enter(e)
	dst := append(w.dst, `{"name":`...)
	dst = appendString(dst, e.Name)
	dst = append(dst, `,"kind":`...)
	dst = appendInt(dst, int(symbolKinds[e.Kind]))
	if w.open > 0 && w.names[w.open-1] != "" {
		dst = append(dst, `,"containerName":`...)
		dst = appendString(dst, w.names[w.open-1])
	}
	dst = append(dst, `,"location":{"uri":`...)
	dst = append(dst, w.uri...)
	dst = append(dst, `,"range":`...)
	dst = appendRange(dst, w.c.Position(e.Span.Start), w.c.Position(e.Span.End))
	w.dst = append(dst, '}', '}')
	if e.Children > 0 {
		w.names[w.open] = e.Name
		w.left[w.open] = e.Children
		w.open++
	}
}

// appendRange appends the range from start to end as JSON. The constant
// pieces are kept to 16 bytes, which the compiler copies without a call.
func appendRange(dst []byte, start, end analysis.Position) []byte {
	dst = append(dst, `{"start":`...)
	dst = append(dst, `{"line":`...)
	dst = appendInt(dst, start.Line)
	dst = append(dst, `,"character":`...)
	dst = appendInt(dst, start.Col)
	dst = append(dst, `},"end":{"line":`...)
	dst = appendInt(dst, end.Line)
	dst = append(dst, `,"character":`...)
	dst = appendInt(dst, end.Col)
	return append(dst, '}', '}')
}

// appendInt appends the decimal digits of n to dst, as strconv.AppendInt
// does, a digit inline.
func appendInt(dst []byte, n int) []byte {
	if uint(n) < 10 {
		return append(dst, byte('0'+n))
	}
	return appendDigits(dst, n)
}

// appendDigits is appendInt, in fewer steps than strconv for the numbers
// of positions: two digits at a time from a table, in one append.
func appendDigits(dst []byte, n int) []byte {
	if n < 0 || n >= 100_000 {
		return strconv.AppendInt(dst, int64(n), 10)
	}
	u := uint(n)
	switch {
	case u < 100:
		return append(dst, digitPairs[2*u], digitPairs[2*u+1])
	case u < 1000:
		hi, lo := u/100, 2*(u%100)
		return append(dst, byte('0'+hi), digitPairs[lo], digitPairs[lo+1])
	case u < 10_000:
		hi, lo := 2*(u/100), 2*(u%100)
		return append(dst, digitPairs[hi], digitPairs[hi+1], digitPairs[lo], digitPairs[lo+1])
	}
	top, rest := u/10_000, u%10_000
	hi, lo := 2*(rest/100), 2*(rest%100)
	return append(dst, byte('0'+top), digitPairs[hi], digitPairs[hi+1], digitPairs[lo], digitPairs[lo+1])
}

// digitPairs holds the two digits of 00 to 99, in order.
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendString appends s as a JSON string, as the protocol's encoder
// writes it: quotes and backslashes escaped, the rest as it stands; a
// string with a control character, DEL, invalid UTF-8 or a line or
// paragraph separator is left to the protocol's encoder.
func appendString(dst []byte, s string) []byte {
	mark := len(dst)
	dst = append(dst, '"')
	if len(s) < 8 {
		// Short (a keyword): copied a byte at a time as it is checked.
		for i := 0; i < len(s); i++ {
			if !jsonPlain[s[i]] {
				return appendEscaped(dst[:mark], s)
			}
			dst = append(dst, s[i])
		}
		return append(dst, '"')
	}
	return appendEscaped(dst[:mark], s)
}

// appendEscaped is appendString, eight bytes at a time where it can.
func appendEscaped(dst []byte, s string) []byte {
	mark := len(dst)
	dst = append(dst, '"')
	plain := 0 // s[plain:i] is yet to be copied as it stands
	for i := 0; i < len(s); {
		for i+8 <= len(s) && plain8(s[i:i+8]) {
			i += 8
		}
		for i < len(s) && jsonPlain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c == 0x7f:
				return appendQuoted(dst[:mark], s)
			case c == '"' || c == '\\':
				dst = append(dst, s[plain:i]...)
				dst = append(dst, '\\', c)
				plain = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return appendQuoted(dst[:mark], s)
		}
		i += size
	}
	dst = append(dst, s[plain:]...)
	return append(dst, '"')
}

// plain8 reports whether the 8 bytes of s are all printable ASCII but the
// quote and the backslash, looking at them as one word.
func plain8(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	_ = s[7]
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	below := (x - 0x20*ones) &^ x // a byte below 0x20
	above := (x + ones) | x       // a byte from 0x7f up
	quote := x ^ '"'*ones         // a zero byte for '"'
	slash := x ^ '\\'*ones        // a zero byte for '\\'
	zero := ((quote - ones) &^ quote) | ((slash - ones) &^ slash)
	return (below|above|zero)&highs == 0
}

// jsonPlain marks the bytes a JSON string holds as they stand: printable
// ASCII but the quote and the backslash.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func appendQuoted(dst []byte, s string) []byte {
	b, err := protocol.Marshal(s)
	if err != nil {
		b = []byte(`""`)
	}
	return append(dst, b...)
}

// Symbols answers workspace/symbol over the open documents: the stage
// names and ARGs whose names hold the query's characters in order.
func (s *Server) Symbols(ctx context.Context, params *protocol.WorkspaceSymbolParams) (protocol.WorkspaceSymbolResult, error) {
	enc := s.encoding()
	out := protocol.SymbolInformationSlice{}
	for _, snap := range s.viewOf(ctx) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ix, ok := snap.Current()
		if !ok {
			continue
		}
		for _, sym := range features.NamedSymbols(ix, params.Query) {
			out = append(out, symbolInfo(snap, sym.Name, sym.Kind, sym.Span, sym.Container, enc))
		}
	}
	sortByLocation(out)
	return out, nil
}

// sortByLocation orders symbols by file, then by where they start.
func sortByLocation(out protocol.SymbolInformationSlice) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Location, out[j].Location
		return a.URI < b.URI || a.URI == b.URI && positionLess(a.Range.Start, b.Range.Start)
	})
}

// symbolInfo converts a symbol of snap, in container unless that is "".
func symbolInfo(snap *Snapshot, name string, kind features.SymbolKind, sp analysis.Span, container string, enc analysis.Encoding) protocol.SymbolInformation {
	info := protocol.SymbolInformation{
		BaseSymbolInformation: protocol.BaseSymbolInformation{Name: name, Kind: symbolKinds[kind]},
		Location:              protocol.Location{URI: uri.URI(snap.URI), Range: toRange(snap.Doc, sp, enc)},
	}
	if container != "" {
		info.ContainerName = &container
	}
	return info
}
