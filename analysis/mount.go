package analysis

import (
	"errors"
	"sort"
	"strings"
)

// The one reader of `RUN --mount` specs. BuildKit reads a mount in two
// steps: the Dockerfile parser takes the flag's word, dropping its quotes
// and escapes (parser.extractBuilderFlags), then
// instructions.parseMount splits that value as one CSV record
// (github.com/tonistiigi/go-csvvalue: fields separated by commas, a field
// either bare, with no quote in it, or quoted whole with `""` for a
// quote), and each field at its first `=` into a key, compared in lower
// case, and a value; the last field of a key wins.

// MountField is one field of a mount spec: `key=value`, or a bare key
// (`ro`, `rw`, `required`).
type MountField struct {
	Span     Span  // the whole field
	Key      Token // as written; BuildKit compares it in lower case
	Value    Token // empty at the end of the key when there is none
	HasValue bool
}

// Name returns the field's key in lower case, as BuildKit compares it.
func (f MountField) Name() string { return strings.ToLower(f.Key.Value) }

// Mount is a `RUN --mount` flag's value read as BuildKit reads it.
type Mount struct {
	Fields []MountField
	// Exact is set when the spans are exact; otherwise every span is the
	// whole value's.
	Exact bool
	// Err is BuildKit's CSV error for a value it rejects (a quote inside
	// a bare field, an unterminated quoted one); Fields then holds the
	// fields read before it.
	Err error
}

// Field returns the last field whose key is one of keys (lower case,
// aliases such as "target", "dst", "destination" together), as BuildKit
// keeps the last.
func (m Mount) Field(keys ...string) (MountField, bool) {
	for k := len(m.Fields) - 1; k >= 0; k-- {
		name := m.Fields[k].Name()
		for _, key := range keys {
			if name == key {
				return m.Fields[k], true
			}
		}
	}
	return MountField{}, false
}

// Type returns the mount's type in lower case: its `type=`, else bind.
func (m Mount) Type() string {
	if f, ok := m.Field("type"); ok && f.HasValue {
		return strings.ToLower(f.Value.Value)
	}
	return "bind"
}

// Value returns the value of the last field named by one of keys.
func (m Mount) Value(keys ...string) (string, bool) {
	f, ok := m.Field(keys...)
	return f.Value.Value, ok && f.HasValue
}

// FieldAt returns the field whose span holds off.
func (m Mount) FieldAt(off int) (MountField, bool) {
	for _, f := range m.Fields {
		if f.Span.Start <= off && off <= f.Span.End {
			return f, true
		}
	}
	return MountField{}, false
}

// Mounts returns the `--mount` flags of instruction n read as mounts, with
// document spans.
func (ix *Index) Mounts(n Node) []Mount {
	var out []Mount
	for _, f := range n.Flags {
		if f.Name.Value != "mount" || !f.HasValue {
			continue
		}
		v := Token{Span: n.Abs(f.Value.Span), Value: f.Value.Value}
		out = append(out, ReadMount(v, ix.Doc.Slice(v.Span), ix.Escape))
	}
	return out
}

// AptCacheTargets are the folders an apt cache mount covers: the
// downloaded packages and the package lists. Not all of /var/lib/apt:
// that would also keep apt's record of automatically installed packages
// (extended_states) out of the image.
var AptCacheTargets = []string{"/var/cache/apt", "/var/lib/apt/lists"}

// CacheTargets returns the targets of n's `--mount=type=cache` flags,
// without a trailing slash.
func CacheTargets(n Node) []string {
	var out []string
	for _, f := range n.Flags {
		if f.Name.Value != "mount" {
			continue
		}
		m := ReadMount(f.Value, "", '\\')
		if target, _ := m.Value("target", "dst", "destination"); m.Type() == "cache" && strings.TrimSuffix(target, "/") != "" {
			out = append(out, strings.TrimSuffix(target, "/"))
		}
	}
	return out
}

// ReadMount reads the value v of a `--mount` flag, whose source text is
// raw ("" when not known) in a file whose escape token is esc. Spans are
// in v's coordinates: exact where the value's bytes can be traced to the
// source, continuations included, the whole value's span otherwise.
func ReadMount(v Token, raw string, esc byte) Mount {
	return readMountAt(v, mountPositions(v, raw, esc))
}

// readMountAt reads the value v of a `--mount` flag whose bytes (and end)
// stand at the positions at; nil gives every span the whole value's.
func readMountAt(v Token, at []int) Mount {
	fields, err := csvFields(v.Value)
	m := Mount{Err: err, Exact: at != nil, Fields: make([]MountField, 0, len(fields))}
	span := func(i, j int) Span {
		if at == nil {
			return v.Span
		}
		if j <= i {
			return Span{at[i], at[i]}
		}
		return Span{at[i], at[j-1] + 1}
	}
	for _, f := range fields {
		key, val, has := strings.Cut(f.text, "=")
		ke := len(key)
		mf := MountField{Span: span(f.start, f.end), HasValue: has}
		mf.Key = Token{Span: span(f.pos[0], f.pos[ke]), Value: key}
		if has {
			mf.Value = Token{Span: span(f.pos[ke+1], f.pos[len(f.text)]), Value: val}
		} else {
			mf.Value = Token{Span: Span{mf.Key.Span.End, mf.Key.Span.End}}
		}
		m.Fields = append(m.Fields, mf)
	}
	return m
}

// mountFrom is ReadMount(v, "", esc).Field("from") where the field has a
// value: the value of a mount's stage reference. A value with no quote
// whose span holds its bytes one to one is read without building the
// mount; false when the last `from` field has no value, or there is none.
func mountFrom(v Token, esc byte) (Token, bool) {
	s := v.Value
	if strings.IndexByte(s, '"') >= 0 || v.Span.Len() != len(s) || s == "" {
		f, ok := ReadMount(v, "", esc).Field("from")
		return f.Value, ok && f.HasValue
	}
	// Bare fields: the last whose key is from, in any case, wins.
	for end := len(s); ; {
		start := strings.LastIndexByte(s[:end], ',') + 1
		key, val, has := strings.Cut(s[start:end], "=")
		if len(key) == 4 && asciiEqualFold(key, "from") { // strings.ToLower(key) == "from"
			if !has {
				return Token{}, false
			}
			return Token{Span: Span{v.Span.Start + start + 5, v.Span.Start + end}, Value: val}, true
		}
		if start == 0 {
			return Token{}, false
		}
		end = start - 1
	}
}

// readLogicalMount reads the mount flag value v (relative spans) of the
// logical line l, placing its fields exactly in the source even when the
// value continues over lines: the logical text has the line breaks, and
// the comment and blank lines between, already removed.
func readLogicalMount(l *logical, v Token, esc byte) Mount {
	if v.Span.Len() == len(v.Value) {
		return ReadMount(v, "", esc) // the value as written: exact
	}
	i, ok1 := l.at(v.Span.Start)
	j, ok2 := l.at(v.Span.End - 1)
	if !ok1 || !ok2 || j < i {
		return ReadMount(v, "", esc)
	}
	lv := Token{Span: Span{i, j + 1}, Value: v.Value}
	at := mountPositions(lv, l.text[i:j+1], esc)
	if at == nil {
		return ReadMount(v, "", esc)
	}
	for k, p := range at {
		if k == len(at)-1 {
			at[k] = l.pos(p-1) + 1 // the end, after the last byte
		} else {
			at[k] = l.pos(p)
		}
	}
	return readMountAt(v, at)
}

// at maps a relative source offset back to its offset in the logical
// text; ok is false when no byte of the logical text comes from there.
func (l *logical) at(rel int) (int, bool) {
	k := sort.Search(len(l.pieces), func(k int) bool { return l.pieces[k].abs > rel }) - 1
	if k < 0 {
		return 0, false
	}
	i := l.pieces[k].at + rel - l.pieces[k].abs
	if i >= len(l.text) || k+1 < len(l.pieces) && i >= l.pieces[k+1].at {
		return 0, false
	}
	return i, true
}

// onbuildMount reads the mount flag word w of an ONBUILD trigger, whose
// value starts at byte k of w.Value, with src the instruction's text (w's
// spans are relative to it).
func onbuildMount(w Token, k int, src string, esc byte) Mount {
	v := Token{Span: Span{w.Span.End - (len(w.Value) - k), w.Span.End}, Value: w.Value[k:]}
	if w.Span.Len() == len(w.Value) {
		return ReadMount(v, "", esc) // the word as written: exact
	}
	if w.Span.Start < 0 || w.Span.End > len(src) {
		return ReadMount(Token{Span: w.Span, Value: v.Value}, "", esc)
	}
	at := mountPositions(w, src[w.Span.Start:w.Span.End], esc)
	if at == nil {
		return ReadMount(Token{Span: w.Span, Value: v.Value}, "", esc)
	}
	v.Span = Span{at[k], w.Span.End}
	return readMountAt(v, at[k:])
}

// mountPositions maps each offset of v.Value (and its end) to a position
// in v's coordinates, or returns nil when the value cannot be traced to
// raw. raw may continue over lines: as BuildKit's parser, an escape token
// ending a line (blanks may follow it) joins the next line that is neither
// a comment nor blank.
func mountPositions(v Token, raw string, esc byte) []int {
	at := make([]int, 0, len(v.Value)+1)
	if raw == v.Value || raw == "" && v.Span.Len() == len(v.Value) {
		for i := 0; i <= len(v.Value); i++ {
			at = append(at, v.Span.Start+i)
		}
		return at
	}
	if raw == "" {
		return nil
	}
	// Join the lines, keeping where each byte came from.
	joined, from := raw, []int(nil)
	if strings.IndexByte(raw, '\n') >= 0 {
		var b strings.Builder
		for ls, first := 0, true; ls < len(raw); first = false {
			le := strings.IndexByte(raw[ls:], '\n')
			last := le < 0
			if last {
				le = len(raw)
			} else {
				le += ls
			}
			line := raw[ls:le]
			switch {
			case !first && (isCommentLine(line) || isSpaceOnly(line)):
				// BuildKit skips these inside a continuation.
			case last:
				b.WriteString(line)
				for i := range line {
					from = append(from, ls+i)
				}
			default:
				content, more := continues(trimEOL(line), esc)
				if !more {
					return nil // a line break inside the word
				}
				b.WriteString(content)
				for i := range content {
					from = append(from, ls+i)
				}
			}
			ls = le + 1
		}
		joined = b.String()
	}
	// Undo the flag word's quotes and escapes as the parser does, keeping
	// where each byte came from.
	var b strings.Builder
	var quote byte
	for i := 0; i < len(joined); i++ {
		c := joined[i]
		switch {
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
			continue
		case quote != 0 && c == quote:
			quote = 0
			continue
		case c == esc && i+1 < len(joined):
			i++
			c = joined[i]
		case c == esc:
			continue
		}
		b.WriteByte(c)
		p := i
		if from != nil {
			p = from[i]
		}
		at = append(at, v.Span.Start+p)
	}
	if b.String() != v.Value {
		return nil
	}
	return append(at, v.Span.Start+len(raw))
}

// csvField is one field of a CSV record: its text (quotes undone), its
// bytes [start, end) in the record and, for each byte of text and its
// end, the offset it came from.
type csvField struct {
	text       string
	start, end int
	pos        []int
}

var (
	errBareQuote = errors.New(`bare " in non-quoted field`)
	errQuote     = errors.New(`extraneous or missing " in quoted field`)
	errEmpty     = errors.New("empty mount")
)

// csvFields splits s as go-csvvalue's Fields does with its defaults
// (comma, strict quotes, no trimming).
func csvFields(s string) ([]csvField, error) {
	if s == "" {
		return nil, errEmpty
	}
	out := make([]csvField, 0, strings.Count(s, ",")+1)
	// An unquoted field's bytes come from where they stand: its offsets
	// are a slice of these.
	var offsets []int
	i := 0
	for {
		if i >= len(s) || s[i] != '"' {
			end := strings.IndexByte(s[i:], ',')
			if end < 0 {
				end = len(s)
			} else {
				end += i
			}
			if offsets == nil {
				offsets = make([]int, len(s)+1)
				for k := range offsets {
					offsets[k] = k
				}
			}
			f := csvField{text: s[i:end], start: i, end: end, pos: offsets[i : end+1 : end+1]}
			if strings.IndexByte(f.text, '"') >= 0 {
				return out, errBareQuote
			}
			out = append(out, f)
			if end == len(s) {
				return out, nil
			}
			i = end + 1
			continue
		}
		f := csvField{start: i}
		var b strings.Builder
		k := i + 1
		for {
			if k >= len(s) {
				return out, errQuote
			}
			if s[k] != '"' {
				b.WriteByte(s[k])
				f.pos = append(f.pos, k)
				k++
				continue
			}
			if k+1 < len(s) && s[k+1] == '"' {
				b.WriteByte('"')
				f.pos = append(f.pos, k)
				k += 2
				continue
			}
			break
		}
		f.pos = append(f.pos, k) // the closing quote
		f.text, f.end = b.String(), k+1
		out = append(out, f)
		switch {
		case f.end == len(s):
			return out, nil
		case s[f.end] == ',':
			i = f.end + 1
		default:
			return out, errQuote
		}
	}
}
