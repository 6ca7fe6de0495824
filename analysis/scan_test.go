package analysis

import (
	"strconv"
	"strings"
	"testing"
)

// TestContainsFromCoversMountFrom holds the scanner's shortcut to the
// mount reader: a --mount value that containsFrom turns down holds no
// from= field, over every RUN --mount value of the corpus and the mount
// tests' variants, in three cases.
func TestContainsFromCoversMountFrom(t *testing.T) {
	var values []string
	for _, text := range sample(t) {
		ix := Parse(NewDocument(text))
		for i := 0; i < ix.Len(); i++ {
			for _, f := range ix.Node(i).Flags {
				if f.Name.Value == "mount" && f.HasValue {
					values = append(values, f.Value.Value)
				}
			}
		}
	}
	if len(values) < 5 {
		t.Fatalf("only %d --mount values in the corpus", len(values))
	}
	withFrom := 0
	for _, v := range append(values, "from=a", `"from=a"`, `"fr""om=a"`, "target=/x,FROM=b", "fRoM=c,type=bind", "type=cache") {
		for _, w := range append(mountVariants(v), v, strings.ToUpper(v), strings.ToLower(v)) {
			f, ok := ReadMount(Token{Value: w}, "", '\\').Field("from")
			if ok && f.HasValue {
				withFrom++
				if !containsFrom(w) {
					t.Errorf("%q: from=%q read, but containsFrom says no", w, f.Value.Value)
				}
			}
		}
	}
	if withFrom < 10 {
		t.Errorf("only %d values with a from= field: the test misses the point", withFrom)
	}
}

// TestIsNumber holds isNumber to strconv.Atoi.
func TestIsNumber(t *testing.T) {
	for _, s := range []string{"", "0", "-1", "+7", "+", "-", "+-1", "1-", "12a", " 1", "007", "9223372036854775807",
		"9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678", "1234567890123456789012"} {
		_, err := strconv.Atoi(s)
		if got := isNumber(s); got != (err == nil) {
			t.Errorf("isNumber(%q) = %v, strconv.Atoi says %v", s, got, err)
		}
	}
}

// TestContainsFromAsLower holds containsFrom, which looks for an f first,
// to "from" in the text with its ASCII letters lowered, over every text of
// up to six bytes from the letters of from in either case and others.
func TestContainsFromAsLower(t *testing.T) {
	alphabet := "fFrRoOmMx\xc6"
	var each func(s string)
	each = func(s string) {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		if got, want := containsFrom(s), strings.Contains(string(b), "from"); got != want {
			t.Fatalf("containsFrom(%q) = %v, want %v", s, got, want)
		}
		if len(s) < 6 {
			for i := 0; i < len(alphabet); i++ {
				each(s + alphabet[i:i+1])
			}
		}
	}
	each("")
}

// TestScanWordByteByByte holds scanWord, which appends plain runs at once,
// to the byte-by-byte reading it replaced, over every text of up to six
// bytes from blanks, quotes, both escape tokens, `$` and letters, with
// either escape token.
func TestScanWordByteByByte(t *testing.T) {
	byteByByte := func(t string, i int, esc byte) (int, string) {
		var b []byte
		var quote byte
		for ; i < len(t); i++ {
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
	alphabet := "a \t\"'\\`$"
	n := 0
	var each func(s string)
	each = func(s string) {
		for _, esc := range []byte{'\\', '`'} {
			for i := 0; i < len(s); i++ {
				gotEnd, got := scanWord(s, i, esc)
				wantEnd, want := byteByByte(s, i, esc)
				if gotEnd != wantEnd || got != want {
					t.Fatalf("scanWord(%q, %d, %q) = %d, %q; byte by byte %d, %q", s, i, esc, gotEnd, got, wantEnd, want)
				}
				n++
			}
		}
		if len(s) < 6 {
			for i := 0; i < len(alphabet); i++ {
				each(s + alphabet[i:i+1])
			}
		}
	}
	each("")
	if n < 1_000_000 {
		t.Errorf("only %d readings compared", n)
	}
}

// TestNameEndByteByByte holds nameEnd's table to the byte test it
// replaced, isNameByte, from every offset of every text of up to 6 bytes
// of letters, digits, `_` and the bytes around names.
func TestNameEndByteByByte(t *testing.T) {
	alphabet := []byte{'a', 'Z', '_', '0', '9', '-', '$', '{', '}', ' ', 0xC3, 0x7F}
	n := 0
	var each func(prefix []byte)
	each = func(prefix []byte) {
		s := string(prefix)
		for at := 0; at <= len(s); at++ {
			want := at
			for want < len(s) && isNameByte(s[want], want == at) {
				want++
			}
			if got := nameEnd(s, at); got != want {
				t.Fatalf("nameEnd(%q, %d) = %d, byte by byte %d", s, at, got, want)
			}
			n++
		}
		if len(prefix) == 6 {
			return
		}
		for _, c := range alphabet {
			each(append(prefix, c))
		}
	}
	each(nil)
	if n < 20_000_000 {
		t.Fatalf("only %d readings", n)
	}
}

// TestScratchLeavesBlockAsBefore holds scratch's quick test, and grow's
// own, to the one rule they replaced: a block is left where fewer than
// max(min(n, chunk/8), 1) elements are free.
func TestScratchLeavesBlockAsBefore(t *testing.T) {
	for _, chunk := range []int{1, 7, 8, 16, 64, 100} {
		for size := 0; size <= 12; size++ {
			for off := 0; off <= size; off++ {
				for n := -1; n <= 14; n++ {
					block := make([]int, size)
					s := &slab[int]{block: block, off: off, chunk: chunk}
					s.scratch(n)
					left := size == 0 || &s.block[0] != &block[0] || s.off != off
					if want := size-off < max(min(n, chunk/8), 1); left != want {
						t.Fatalf("chunk %d, block %d, off %d, n %d: block left %v, want %v", chunk, size, off, n, left, want)
					}
				}
			}
		}
	}
}

// TestMakeFlagWritesEveryField holds makeFlag, which writes into room a
// slab may have left dirty, to the same reading into a zero Flag.
func TestMakeFlagWritesEveryField(t *testing.T) {
	junk := Flag{Span: Span{7, 9}, Name: Token{Span: Span{1, 2}, Value: "junk"}, Value: Token{Span: Span{3, 4}, Value: "junk"}, HasValue: true}
	for _, w := range []string{"--a", "--mount", "--from=x", "--x=", "--chmod=\"644\"", "--a='b c'", "--e=\\x", "--f=a\\\"b"} {
		for _, plain := range []bool{true, false} {
			l := &logical{text: w + " rest", pieces: []piece{{at: 0, abs: 5}}}
			var zero Flag
			makeFlag(&zero, l, 0, len(w), '\\', plain)
			dirty := junk
			makeFlag(&dirty, l, 0, len(w), '\\', plain)
			if dirty != zero {
				t.Errorf("%q (plain %v): into a used Flag %+v, into a zero one %+v", w, plain, dirty, zero)
			}
		}
	}
}

// TestDeclFromWritesEveryField holds declFrom, which writes into room a
// slab may have left dirty, to the same reading into a zero VarDecl.
func TestDeclFromWritesEveryField(t *testing.T) {
	junk := VarDecl{Name: Token{Span: Span{1, 2}, Value: "junk"}, Value: Token{Span: Span{3, 4}, Value: "junk"}, HasDefault: true, IsEnv: true}
	for _, w := range []string{"A", "A=", "A=b", "=b", "A==b"} {
		for _, env := range []bool{true, false} {
			a := Token{Span: Span{4, 4 + len(w)}, Value: w}
			var zero VarDecl
			declFrom(&zero, a, env)
			dirty := junk
			declFrom(&dirty, a, env)
			if dirty != zero {
				t.Errorf("%q (env %v): into a used VarDecl %+v, into a zero one %+v", w, env, dirty, zero)
			}
		}
	}
}
