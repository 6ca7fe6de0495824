package analysis

import (
	"errors"
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
		out = append(out, ReadMount(v, ix.Doc.Slice(v.Span)))
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
		m := ReadMount(f.Value, "")
		if target, _ := m.Value("target", "dst", "destination"); m.Type() == "cache" && strings.TrimSuffix(target, "/") != "" {
			out = append(out, strings.TrimSuffix(target, "/"))
		}
	}
	return out
}

// ReadMount reads the value v of a `--mount` flag, whose source text is
// raw ("" when not known). Spans are in v's coordinates: exact where the
// value's bytes can be traced to the source, the whole value's span
// otherwise (a value spread over continuation lines).
func ReadMount(v Token, raw string) Mount {
	at := mountPositions(v, raw)
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

// mountFrom is ReadMount(v, "").Field("from") where the field has a
// value: the value of a mount's stage reference. A value with no quote
// whose span holds its bytes one to one is read without building the
// mount; false when the last `from` field has no value, or there is none.
func mountFrom(v Token) (Token, bool) {
	s := v.Value
	if strings.IndexByte(s, '"') >= 0 || v.Span.Len() != len(s) || s == "" {
		f, ok := ReadMount(v, "").Field("from")
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

// mountPositions maps each offset of v.Value (and its end) to a position
// in v's coordinates, or returns nil when the value cannot be traced to
// raw.
func mountPositions(v Token, raw string) []int {
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
	// Undo the flag word's quotes and escapes as the parser does, keeping
	// where each byte came from. Escapes use `\`; a file with another
	// escape token falls back to the whole span unless this reproduces the
	// value.
	var b strings.Builder
	var quote byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
			continue
		case quote != 0 && c == quote:
			quote = 0
			continue
		case c == '\\' && i+1 < len(raw):
			i++
			c = raw[i]
		case c == '\\':
			continue
		}
		b.WriteByte(c)
		at = append(at, v.Span.Start+i)
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
