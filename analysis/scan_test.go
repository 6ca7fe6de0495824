package analysis

import (
	"math/rand/v2"
	"slices"
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

// TestSlabListsAsAppended builds lists of random lengths in slabs of
// several sizes, through add, growOne and one, and holds each kept list to
// the same list appended plainly, after every later list too (none is
// written over). A block is left only where it is full: a list moves on
// when it fills what was left, so no room but its own start stays unused.
func TestSlabListsAsAppended(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 8))
	for _, chunk := range []int{1, 2, 7, 16, 64, 300} {
		for _, at := range []*progress{nil, {line: 3, lines: 40}} {
			s := &slab[int]{chunk: chunk, at: at}
			var kept, want [][]int
			next := 0
			for range 400 {
				n := r.IntN(12)
				if r.IntN(20) == 0 {
					n = r.IntN(3 * chunk)
				}
				var list, plain []int
				if r.IntN(4) == 0 && n == 1 {
					next++
					list, plain = s.one(next), []int{next}
				} else {
					list = s.scratch()
					if len(list) != 0 || cap(list) == 0 {
						t.Fatalf("chunk %d: scratch %d of %d", chunk, len(list), cap(list))
					}
					for range n {
						next++
						block, off, had := s.block, s.off, len(list)
						if r.IntN(2) == 0 {
							list = s.add(list, next)
						} else {
							list = growOne(s, list)
							list[len(list)-1] = next
						}
						if &s.block[0] != &block[0] && off+had != len(block) {
							t.Fatalf("chunk %d: block of %d left at %d with a list of %d", chunk, len(block), off, had)
						}
						plain = append(plain, next)
					}
					list = s.keep(list)
				}
				if !slices.Equal(list, plain) {
					t.Fatalf("chunk %d: kept %v, want %v", chunk, list, plain)
				}
				kept, want = append(kept, list), append(want, plain)
			}
			for k := range kept {
				if !slices.Equal(kept[k], want[k]) {
					t.Fatalf("chunk %d: list %d became %v, want %v", chunk, k, kept[k], want[k])
				}
			}
		}
	}
	// A nil slab appends.
	var s *slab[int]
	list := s.scratch()
	for k := range 100 {
		list = s.add(list, k)
		list = growOne(s, list)
		list[len(list)-1] = -k
	}
	if len(list) != 200 || list[198] != 99 || list[199] != -99 || len(s.keep(list)) != 200 {
		t.Fatalf("nil slab: %d elements", len(list))
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
