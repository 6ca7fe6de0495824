package check

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// writeJSON writes findings as a json.Encoder indenting by two spaces
// writes them (TestWriteJSONMatchesEncoder), without its reflection and
// its second pass to indent: over the corpus these took about 7% of the
// instructions of `stagehand check --format json`.
func writeJSON(w io.Writer, all []Finding) error {
	if len(all) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	b := make([]byte, 0, 320*len(all))
	b = append(b, "[\n"...)
	for i, f := range all {
		b = append(b, "  {\n    \"path\": "...)
		b = appendJSONString(b, f.Path)
		b = append(b, ",\n    \"line\": "...)
		b = strconv.AppendInt(b, int64(f.Line), 10)
		b = append(b, ",\n    \"column\": "...)
		b = strconv.AppendInt(b, int64(f.Column), 10)
		b = append(b, ",\n    \"endLine\": "...)
		b = strconv.AppendInt(b, int64(f.EndLine), 10)
		b = append(b, ",\n    \"endColumn\": "...)
		b = strconv.AppendInt(b, int64(f.EndColumn), 10)
		b = append(b, ",\n    \"severity\": "...)
		b = appendJSONString(b, f.Severity)
		b = append(b, ",\n    \"rule\": "...)
		b = appendJSONString(b, f.Rule)
		b = append(b, ",\n    \"message\": "...)
		b = appendJSONString(b, f.Message)
		if f.URL != "" {
			b = append(b, ",\n    \"url\": "...)
			b = appendJSONString(b, f.URL)
		}
		if len(f.OtherTargets) > 0 {
			b = append(b, ",\n    \"otherTargets\": [\n"...)
			for j, s := range f.OtherTargets {
				b = append(b, "      {\n        \"file\": "...)
				b = appendJSONString(b, s.File)
				b = append(b, ",\n        \"line\": "...)
				b = strconv.AppendInt(b, int64(s.Line), 10)
				b = append(b, ",\n        \"stage\": "...)
				b = appendJSONString(b, s.Stage)
				b = append(b, ",\n        \"source\": "...)
				b = appendJSONString(b, s.Source)
				b = append(b, "\n      }"...)
				if j < len(f.OtherTargets)-1 {
					b = append(b, ',')
				}
				b = append(b, '\n')
			}
			b = append(b, "    ]"...)
		}
		b = append(b, "\n  }"...)
		if i < len(all)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	b = append(b, "]\n"...)
	_, err := w.Write(b)
	return err
}

// appendJSONString appends s quoted as encoding/json quotes a string by
// default: `"` and `\` escaped, control characters as \b, \f, \n, \r, \t
// or \u00XX, `<`, `>` and `&` as \u003c, \u003e and \u0026, U+2028 and
// U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
