package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/stagehand-ls/stagehand/internal/testgen"
)

// groupingDiff compares the grouper, the validator and the index built on
// them with BuildKit's parser, instruction parser and the index built on
// its nodes, and describes the first difference ("" when they agree).
func groupingDiff(text string) string {
	src := newSourceLines(text)
	groups, esc, ok := groupLines(src, '\\')
	res, bkErr := parser.Parse(strings.NewReader(text))
	if bkErr != nil {
		if ok {
			return fmt.Sprintf("BuildKit rejects the text (%v), the grouper does not", bkErr)
		}
	} else if !ok {
		for k := range src.start {
			if len(src.raw(k)) > maxLine {
				return "" // left to BuildKit on purpose
			}
		}
		return "the grouper leaves to BuildKit a text it accepts"
	}
	if bkErr == nil {
		if rune(esc) != res.EscapeToken {
			return fmt.Sprintf("escape token %q, BuildKit %q", esc, res.EscapeToken)
		}
		nodes := res.AST.Children
		if len(groups) != len(nodes) {
			return fmt.Sprintf("%d instructions, BuildKit %d", len(groups), len(nodes))
		}
		v := newValidator(src, esc, len(groups))
		for i, n := range nodes {
			g := &groups[i]
			if d := cmp.Diff(nodeShape(n), groupShape(g)); d != "" {
				return fmt.Sprintf("instruction %d (-BuildKit +grouper):\n%s", i, d)
			}
			// The end the grouper notes as it reads, where BuildKit's last
			// line ends.
			if want := src.start[n.EndLine-1] + len(src.line(n.EndLine-1)) - src.start[n.StartLine-1]; g.end != want {
				return fmt.Sprintf("instruction %d %q: ends at %d, BuildKit's lines at %d", i, n.Original, g.end, want)
			}
			_, want := instructions.ParseInstructionWithLinter(n, quietLinter)
			if g.valid() && want != nil {
				return fmt.Sprintf("instruction %d %q: vouched for, BuildKit says %v", i, n.Original, want)
			}
			known, got := v.check(g)
			if !known {
				return fmt.Sprintf("instruction %d %q: the validator cannot read it alone", i, n.Original)
			}
			if a, b := sameError(want), sameError(got); a != b {
				return fmt.Sprintf("instruction %d %q: error %q, BuildKit %q", i, n.Original, b, a)
			}
		}
	}
	full, errFull := parseFull(NewDocument(text))
	oracle, errOracle := parseWithBuildKit(NewDocument(text), src)
	if (errFull == nil) != (errOracle == nil) {
		return fmt.Sprintf("parse error %v, BuildKit path %v", errFull, errOracle)
	}
	if errFull != nil {
		if *errFull != *errOracle {
			return fmt.Sprintf("parse error %v, BuildKit path %v", errFull, errOracle)
		}
		return ""
	}
	if d := cmp.Diff(oracle.Dump(), full.Dump()); d != "" {
		return "index differs (-BuildKit path +grouper):\n" + d
	}
	// Both paths scan the lines alike: hold the scanner's keyword, flags
	// and FROM's words to BuildKit's nodes too.
	if bkErr == nil {
		for i, n := range res.AST.Children {
			in := full.Node(i)
			if want := strings.ToLower(n.Value); in.Cmd != want {
				return fmt.Sprintf("instruction %d: index keyword %q, BuildKit %q", i, in.Cmd, want)
			}
			if len(in.Flags) != len(n.Flags) {
				return fmt.Sprintf("instruction %d: index flags %d, BuildKit %q", i, len(in.Flags), n.Flags)
			}
			for k, f := range in.Flags {
				// BuildKit writes each byte of a flag as a Latin-1 character;
				// the index keeps a name's quotes and escapes as written.
				var b []byte
				for _, r := range n.Flags[k] {
					b = append(b, byte(r))
				}
				name := "--" + f.Name.Value
				if !strings.ContainsAny(name, "\"'\\`") && !strings.HasPrefix(string(b), name) {
					return fmt.Sprintf("instruction %d: index flag %q, BuildKit %q", i, name, b)
				}
			}
			if in.Cmd == "from" {
				var want []string
				for w := n.Next; w != nil; w = w.Next {
					want = append(want, w.Value)
				}
				var got []string
				for _, a := range in.Args {
					got = append(got, a.Value)
				}
				if !slices.Equal(got, want) {
					return fmt.Sprintf("instruction %d: index FROM words %q, BuildKit %q", i, got, want)
				}
			}
		}
	}
	return ""
}

// shape is what the index takes from a node.
type shape struct {
	First, Last int
	Cmd         string
	Flags       []string
	JSON        bool
	Heredocs    []parser.Heredoc
}

func nodeShape(n *parser.Node) shape {
	s := shape{First: n.StartLine - 1, Last: n.EndLine - 1, Cmd: strings.ToLower(n.Value), Flags: n.Flags, JSON: n.Attributes["json"]}
	s.Heredocs = n.Heredocs
	if len(s.Flags) == 0 {
		s.Flags = nil
	}
	return s
}

func groupShape(g *group) shape {
	return shape{First: g.first, Last: g.last, Cmd: strings.ToLower(g.cmd), Flags: g.flags, JSON: g.json, Heredocs: g.heredocs}
}

// sameError reduces an instruction error to what must agree: BuildKit
// breaks ties between suggestions by map order.
func sameError(err error) string {
	if err == nil {
		return ""
	}
	var unknown *instructions.UnknownInstructionError
	if errors.As(err, &unknown) {
		return "unknown instruction: " + unknown.Instruction
	}
	msg, _, _ := strings.Cut(errorMessage(err), " (did you mean")
	return msg
}

// variants derives from text the shapes BuildKit's grouping rules care
// about: line endings, a byte-order mark, the other escape token, comments
// and blank lines inside continuations, blanks after the escape, heredocs
// with `<<-` and quoted delimiters, and cut or shuffled lines.
func groupVariants(r *rand.Rand, text string) []string {
	lines := strings.SplitAfter(text, "\n")
	out := []string{
		strings.ReplaceAll(text, "\n", "\r\n"),
		strings.ReplaceAll(text, "\n", "\r"),
		"\uFEFF" + text,
		"# escape=`\n" + strings.ReplaceAll(text, "\\\n", "`\n"),
		"#escape=`\n# syntax=x\n" + text,
		"# syntax=a\n# syntax=b\n" + text,
		"# escape=x\n" + text,
		strings.ReplaceAll(text, "\\\n", "\\ \t\n  # comment inside\n\n"),
		strings.ReplaceAll(text, "\\\n", "\\\\\n"),
		strings.ReplaceAll(text, "&& \\\n", "&& \\\n \\\n"),
		strings.ReplaceAll(text, "RUN ", "RUN <<-'EOF' bash\n\tset -e\n\tEOF\nRUN "),
		strings.ReplaceAll(text, "RUN ", "RUN <<\"A\" cat <<B\nx\nA\ny\nB\nRUN "),
		strings.ReplaceAll(text, "COPY ", "COPY <<EOT /dst\nbody\nEOT\nCOPY "),
		strings.ReplaceAll(text, "    ", "\t"),
		strings.ReplaceAll(text, " ", "\u00a0"),
		strings.ReplaceAll(text, "=", " "),
	}
	// Cut at a random point, and drop, repeat or swap random lines.
	out = append(out, text[:r.IntN(len(text)+1)])
	for k := 0; k < 4; k++ {
		ls := slices.Clone(lines)
		i, j := r.IntN(len(ls)), r.IntN(len(ls))
		switch k {
		case 0:
			ls = slices.Delete(ls, i, i+1)
		case 1:
			ls = slices.Insert(ls, i, ls[j])
		case 2:
			ls[i], ls[j] = ls[j], ls[i]
		case 3:
			ls[i] = strings.TrimRight(ls[i], "\n") + " \\\n"
		}
		out = append(out, strings.Join(ls, ""))
	}
	return out
}

// TestGroupingMatchesBuildKit holds the grouper and the validator to
// BuildKit's parser over every corpus file and variants of each.
func TestGroupingMatchesBuildKit(t *testing.T) {
	files := testgen.Corpus(t)
	r := rand.New(rand.NewPCG(18, 1))
	compared := 0
	for i, name := range slices.Sorted(maps.Keys(files)) {
		// Each file with a fifth of the variants, in turn, so that every
		// kind of variant meets about ninety files.
		for k, text := range append([]string{files[name]}, groupVariants(r, files[name])...) {
			if k > 0 && ((k+i)%5 != 0 || raceEnabled && i%8 != 0) {
				continue
			}
			if d := groupingDiff(text); d != "" {
				t.Errorf("%s (variant %d): %s\ntext: %q", name, k, d, text)
				break
			}
			compared++
		}
	}
	want := 445 * 4
	if raceEnabled {
		want = 445
	}
	if compared < want {
		t.Errorf("only %d texts compared", compared)
	}
}

// TestGroupingCases names the rules one by one.
func TestGroupingCases(t *testing.T) {
	for _, text := range groupingSeeds {
		if d := groupingDiff(text); d != "" {
			t.Errorf("%q: %s", text, d)
		}
	}
}

var groupingSeeds = []string{
	"FROM a\nRUN x \\\n  # c\n\n  y\n",
	"\uFEFFFROM a\r\nRUN x \\\r\n y\r\n",
	"  # escape=`\nFROM a\nRUN x `\n y\n",
	"# escape=`\n# escape=\\\nFROM a\n",
	"# syntax=x\n# escape=!\nFROM a\n",
	"# check=skip=all\n\n# escape=`\nFROM a\nRUN a \\\n",
	"FROM a\nRUN <<-EOF\n\tx\n\tEOF\n",
	"FROM a\nRUN <<'EOF' <<\"B\"\n$x\nEOF\ny\nB\n",
	"FROM a\nRUN 3<<EOF cat\nEOF\n",
	"FROM a\nRUN <<EOF\nnot closed\n",
	"FROM a\nRUN << EOF\nx\nEOF\n",
	"FROM a\nRUN <<- EOF\nx\n",
	"FROM a\nCOPY <<EOF /x\nhi\nEOF\n",
	"FROM a\nCOPY [\"<<EOF\", \"/x\"]\nEOF\n",
	"FROM a\nONBUILD RUN <<EOF\nx\nEOF\n",
	"FROM a\nONBUILD ONBUILD RUN x\nONBUILD FROM b\nONBUILD\n",
	"FROM a\nENV a\n",
	"FROM a\nENV a=1 b\n",
	"FROM a\nENV =1\nLABEL \"a b\"=c\nARG =x\nARG\n",
	"FROM a\nCMD [1, 2]\n",
	"FROM a\nHEALTHCHECK CMD [1]\n",
	"FROM a\nHEALTHCHECK --interval=1s CMD curl x\nHEALTHCHECK NONE\nHEALTHCHECK\n",
	"FROM a\nRUN --mount=type=cache,target=/c --network=host --security=insecure x\n",
	"FROM a\nRUN --mount= x\nRUN --mount=from=$X x\nRUN --mount=\"a,b\" x\nRUN --network=bogus x\n",
	"FROM a\nRUN --device=x x\nRUN --bogus x\nRUN --network x\n",
	"FROM a\nCOPY --from=a --link --chmod=644 a b\nCOPY --link=maybe a b\nCOPY --from a b\nCOPY --exclude=a --exclude=b a b\n",
	"FROM a\nADD --checksum=sha256:x --keep-git-dir=true --unpack a b\nADD a\nCOPY a\n",
	"FROM a\nCOPY a <<EOF\n",
	"FROM a\nCOPY a <<EOF\nEOF\n",
	"FROM --platform=x a AS b\nFROM a b\nFROM a AS 1x\nFROM\nFROM a as B-c.d_e\n",
	"FROM a\nVOLUME [\"\"]\nVOLUME /a \u00a0 /b\nVOLUME\nSHELL x\nSHELL [\"sh\"]\n",
	"FROM a\nWORKDIR\nUSER\nEXPOSE\nMAINTAINER\nSTOPSIGNAL --x 9\nARG --x a\n",
	"FROM a\nRUNN x\n\\\n\\\n",
	"FROM a\nRUN a\\\\\nRUN b \\\\\\\n  c\n",
	"FROM a\nRUN --mount=type=bind,from=b \"quoted\" 'x' $y \\\n  \\\n  z\n",
	"FROM a\nrun --MOUNT=x y\nWor\u212adir /x\n",
	"FROM a\nRUN x\r\r\nRUN y\rRUN z\n",
	"\n\n# c\n",
	"",
	"FROM a\nRUN <<EOF\nx\nEOF",
	"FROM a\nENV a=1\\\n",
	"FROM a\nRUN -- --mount=x y\nRUN --\"mount\"=x y\n",
	"FROM a\nLABEL a=\"b c\" d='e'\nENV A=1 \\\n    B=2\n",
	"FROM a\nRUN --network=host \"quoted args\" 'x'\nCOPY --link\u00a0--from=a b c\nCOPY \u0085--link a b\nCOPY --from=a\xa0--link b c\n",
	"FROM a\nRUN --mount=type=bind,\"from=b\" x\nRUN --mount=FROM=b x\nRUN --mount=type=cache,target=/a\xa0 x\nRUN --mount=target=/x,fRoM=$Y,\"a\"\"b\" x\n",
	"FROM a\nSHELL []\nSHELL --x [\"sh\"]\nSHELL [\"a\", 1]\nSHELL [\"a\" , \"-c\"]  \nSHELL [\"\\u0041\"]\n",
	"FROM a\n\\\n\u00a0run x\n\u3000\\\n\u2003\\\n\u0085RUN\u2009\n",
	"FROM a\nRUN\u00a0\nRUN\u1680 \\\n\nCOPY\u202f\\\n\u205f--link a b\n",
	"\\\n\u2028FROM\u2029a\u3000\nONBUILD \\\n\u00a0RUN\u00a0\n",
	"FROM \u00a0a AS b\u3000\nRUN \xa0--network=none\xa0--mount=type=tmpfs,target=/t x\nCOPY --link\u2005--from=a\u00a0 b c\u00a0\n",
}

// TestWordReadersMatchBuildKit holds the grouper's readers of ENV, LABEL
// and ARG words (and of flags before them) to BuildKit on generated lines:
// words of quotes, escapes of either token, Unicode and Latin-1 blanks,
// invalid UTF-8, `=` anywhere, and an escape token ending the arguments
// (before a form feed, which ends no continuation).
func TestWordReadersMatchBuildKit(t *testing.T) {
	atoms := []string{
		"a", "a=b", "=b", "a=", "\"a b\"=c", "'x y'", "a\\ b=1", "a=\\\"q\\\"", "`a", "a`=b",
		"\u00a0", "\u2003", "\x85", "\xa0", "\xff", "a\xff=1", "=", "\"\"", "''", "\"a\\", "'a\\'",
		"--x=1", "--x", "a\u00a0=b", "\\", "`", "x=\"$y\"", "\"a\\\" b\"=c", "x=\"a\\\" =b\"", "'a\\' b=c", "\"a` b\"=c",
	}
	ends := []string{"", " ", "\\\f", "`\f", " \\\f", " `\f", "\\\\\\\f", "\f"}
	r := rand.New(rand.NewPCG(18, 7))
	for n := 0; n < 1500; n++ {
		var b strings.Builder
		if n%2 == 1 {
			b.WriteString("# escape=`\n")
		}
		b.WriteString("FROM a\n")
		b.WriteString([]string{"ENV ", "LABEL ", "ARG ", "env\t"}[r.IntN(4)])
		for k := r.IntN(4); k >= 0; k-- {
			b.WriteString(atoms[r.IntN(len(atoms))])
			b.WriteString([]string{" ", "\t", "  ", "\u00a0", ""}[r.IntN(5)])
		}
		b.WriteString(atoms[r.IntN(len(atoms))])
		b.WriteString(ends[r.IntN(len(ends))])
		b.WriteString("\n")
		if d := groupingDiff(b.String()); d != "" {
			t.Fatalf("%q: %s", b.String(), d)
		}
	}
}

// TestHeredocWordsMatchBuildKit holds the grouper's heredoc reader to
// BuildKit on generated RUN, COPY and ADD lines: heredoc words with quoted
// names, blanks after `<<`, descriptors and `<<-`, `<<` inside quotes, quotes
// left open, and words that join quotes and text.
func TestHeredocWordsMatchBuildKit(t *testing.T) {
	atoms := []string{
		"<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<< EOF", "<<\t'E F'", "'<<EOF'", "\"a <<B\"", "x'y <<A'",
		"'open", "\"open", "2<<EOF", "<<E\"O\"F", "cat", "a<b", "<<<EOF", "''", "<<\"\"", "<<A", "<<-'B'", "x\"<<B\"y",
		"--mount=type=cache,target=/c", "\"a b\"", "'a'\"b\"", "<<$X", "<<\\EOF",
		"3<<-\"EOF\"", "${A:-b <<C}", "<<${A:-b c}", "2<< EOF", "1<<-\tB", "x<<  A", "<<'A\"B'", "<<\"E'F\"", "<<'A'B'", "<<'<E'", "<<-  'E F'", "<<'EOF'x", "<<'EOF",
	}
	r := rand.New(rand.NewPCG(18, 9))
	for n := 0; n < 1500; n++ {
		var b strings.Builder
		b.WriteString("FROM a\n")
		b.WriteString([]string{"RUN ", "COPY ", "ADD ", "run\t", "ONBUILD RUN "}[r.IntN(5)])
		for k := r.IntN(4); k >= 0; k-- {
			b.WriteString(atoms[r.IntN(len(atoms))])
			b.WriteString([]string{" ", "\t", "  ", ""}[r.IntN(4)])
		}
		b.WriteString(atoms[r.IntN(len(atoms))])
		b.WriteString(" /dst\nbody\nEOF\nE F\nA\nB\n\nEOF\n")
		if d := groupingDiff(b.String()); d != "" {
			t.Fatalf("%q: %s", b.String(), d)
		}
	}
}

// plainJSONDiff describes where plainJSONStrings disagrees with
// encoding/json on s ("" when it does not): what it reads, encoding/json
// must read the same.
func plainJSONDiff(s string) string {
	got, ok := plainJSONStrings(s)
	if !ok {
		return ""
	}
	var want []string
	if err := json.Unmarshal([]byte(s), &want); err != nil {
		return fmt.Sprintf("read as plain strings, encoding/json says %v", err)
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("read %q, encoding/json %q", got, want)
	}
	return ""
}

func TestPlainJSONStrings(t *testing.T) {
	for _, tc := range []struct {
		text  string
		plain bool
	}{
		{`[]`, true}, {` [ ] `, false}, {"[ ]\n", true}, {`["a", "b c"]`, true}, {"[\"a\",\r\n\t\"b\"]", true},
		{`["a",]`, false}, {`["a" "b"]`, false}, {`["a\"b"]`, false}, {`["é"]`, false}, {`[1]`, false},
		{`["a"] x`, false}, {`["a"`, false}, {`[null]`, false}, {`["a"]]`, false},
	} {
		if _, ok := plainJSONStrings(tc.text); ok != tc.plain {
			t.Errorf("%q: plain %v, want %v", tc.text, ok, tc.plain)
		}
		if d := plainJSONDiff(tc.text); d != "" {
			t.Errorf("%q: %s", tc.text, d)
		}
	}
}

// FuzzGrouping compares the grouper with BuildKit's parser on any text,
// and the plain exec-form reader with encoding/json.
func FuzzGrouping(f *testing.F) {
	for _, s := range groupingSeeds {
		f.Add(s)
	}
	f.Add(seedDockerfile)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		if d := groupingDiff(text); d != "" {
			t.Fatalf("%q: %s", text, d)
		}
		if d := plainJSONDiff(text); d != "" {
			t.Fatalf("%q: %s", text, d)
		}
	})
}

// unicodeBlanks are the runes unicode.IsSpace reports beyond ASCII, and
// the Latin-1 bytes BuildKit's flag reader takes for blanks, alone (not
// UTF-8).
var unicodeBlanks = []string{
	"\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
	"\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\x85", "\xa0",
}

// TestUnicodeBlanksMatchBuildKit holds the grouper and the scanner to
// BuildKit with each Unicode blank in each place around a keyword and its
// flags: leading the first line, leading a continuation line (after a
// line of the escape token alone, or after the keyword), between the
// keyword and its arguments or flags, and ending the keyword or the line.
func TestUnicodeBlanksMatchBuildKit(t *testing.T) {
	templates := []string{
		"\\\n_run x",
		"\\\n\\\n_RUN_\n",
		"_\\\nrun x",
		"_RUN x",
		"_\\\n_run_\\\n_x_",
		"RUN_x",
		"RUN_",
		"RUN_\\\n",
		"RUN _",
		"RUN x_",
		"RUN \\\n_x",
		"RUN\\\n_x",
		"RUN \\\n_--network=none x",
		"RUN _--network=none x",
		"RUN --network=none_x",
		"RUN --network=none_--mount=type=tmpfs,target=/t x",
		"COPY --link_--from=a b c",
		"ONBUILD_RUN x",
		"ONBUILD \\\n_RUN_--network=none x",
		"FROM_a AS b",
		"FROM a_AS b",
		"_FROM a",
		"FROM _a AS b_",
		"FROM \\\n_a_\\\n_",
		"ENV A=1_",
		"ARG_A",
		"HEALTHCHECK_CMD x",
		"CMD_[\"a\"]",
	}
	failed := 0
	for _, b := range unicodeBlanks {
		for _, tpl := range templates {
			body := strings.ReplaceAll(tpl, "_", b)
			for _, text := range []string{
				"FROM a\n" + body + "\n",
				"# escape=`\nFROM a\n" + strings.ReplaceAll(body, "\\\n", "`\n") + "\n",
				body + "\nFROM a\n",
			} {
				if d := groupingDiff(text); d != "" {
					if failed++; failed <= 10 {
						t.Errorf("%q: %s", text, d)
					}
				}
			}
		}
	}
	if failed > 10 {
		t.Errorf("%d texts in all differ", failed)
	}
}

// TestByteClasses holds the byte table to the blanks each reader means:
// BuildKit's command split (regexp [\t\v\f\r ]), the ASCII blanks, and
// unicode.IsSpace of a byte taken as a Latin-1 rune.
func TestByteClasses(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		bk := strings.IndexByte("\t\v\f\r ", b) >= 0
		ascii := b < utf8.RuneSelf && unicode.IsSpace(rune(b))
		latin1 := unicode.IsSpace(rune(b))
		if isBKSpace(b) != bk || asciiSpace(b) != ascii || isSpaceByte(b) != ascii || isLatin1Space(b) != latin1 {
			t.Errorf("byte %#x: isBKSpace %v (want %v), asciiSpace %v, isSpaceByte %v (want %v), isLatin1Space %v (want %v)",
				b, isBKSpace(b), bk, asciiSpace(b), isSpaceByte(b), ascii, isLatin1Space(b), latin1)
		}
		if stop := b >= utf8.RuneSelf || ascii; trimStops[c] != stop {
			t.Errorf("byte %#x: trimStops %v, want %v", b, trimStops[c], stop)
		}
		if bkBlanks[c] != bk || asciiBlanks[c] != ascii {
			t.Errorf("byte %#x: bkBlanks %v, asciiBlanks %v", b, bkBlanks[c], asciiBlanks[c])
		}
		for k, esc := range []byte{'\\', '`'} {
			if plain := b < utf8.RuneSelf && b != '"' && b != '\'' && b != esc; plainStops[k][c] == plain {
				t.Errorf("byte %#x, escape %q: plainStops %v", b, esc, plainStops[k][c])
			}
		}
	}
}

// TestSkipUntil holds the four-byte stepping to a byte loop, at every
// offset of texts whose stop byte stands at every place.
func TestSkipUntil(t *testing.T) {
	for n := range 12 {
		for at := 0; at <= n; at++ {
			text := []byte(strings.Repeat("a", n))
			if at < n {
				text[at] = ' '
			}
			for i := 0; i <= n; i++ {
				want := i
				for want < n && !asciiBlanks[text[want]] {
					want++
				}
				if got := skipUntil(string(text), i, &asciiBlanks); got != want {
					t.Fatalf("%q from %d: %d, want %d", text, i, got, want)
				}
			}
		}
	}
}

// TestLastFieldAsFields holds lastField to the words fields yields, over
// every text of up to six bytes from blanks, word bytes and bytes that
// are blanks to other readers only.
func TestLastFieldAsFields(t *testing.T) {
	alphabet := []byte{' ', '\t', '\v', 'a', '<', '\n', 0xA0}
	var each func(prefix []byte)
	each = func(prefix []byte) {
		s := string(prefix)
		var words []string
		for f := range fields(s) {
			words = append(words, f)
		}
		last, more := lastField(s)
		wantLast := ""
		if len(words) > 0 {
			wantLast = words[len(words)-1]
		}
		if last != wantLast || more != (len(words) >= 2) {
			t.Fatalf("lastField(%q) = %q, %v; fields gives %q", s, last, more, words)
		}
		if len(prefix) == 6 {
			return
		}
		for _, c := range alphabet {
			each(append(prefix, c))
		}
	}
	each(nil)
}

// TestMountOKAsFields holds mountOK's one pass to the reading it
// replaced, field by field, over 200,000 values built from the pieces a
// mount's check looks at.
func TestMountOKAsFields(t *testing.T) {
	fieldsOK := func(value string) bool {
		if value == "" || strings.ContainsAny(value, "\"\r\n") {
			return false
		}
		for field := range strings.SplitSeq(value, ",") {
			k, v, ok := strings.Cut(field, "=")
			if ok && strings.ToLower(k) == "from" {
				if i := strings.IndexByte(v, '$'); i >= 0 && i != len(v)-1 {
					return false
				}
			}
		}
		return true
	}
	pieces := []string{"from", "FROM", "fRoM", "frm", "=", "$", "$$", ",", "a", `"`, "\r", "\n", "type=cache", "x$", "from=", "src"}
	r := rand.New(rand.NewPCG(18, 22))
	for range 200_000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		v := b.String()
		if got, want := mountOK(v), fieldsOK(v); got != want {
			t.Fatalf("mountOK(%q) = %v, field by field %v", v, got, want)
		}
	}
}

// TestTrimSpaceAsStrings holds trimSpace, trimLeftSpace and
// trimRightSpace to the strings functions they stand for, over every text
// of up to four pieces from ASCII and Unicode blanks, bytes that are
// blanks only as Latin-1 runes, broken UTF-8 and words.
func TestTrimSpaceAsStrings(t *testing.T) {
	pieces := []string{" ", "\t", "\n", "\v", "\f", "\r", "\u0085", "\u00a0", "\u2028", "\u3000", "\x85", "\xa0", "\xc2", "a", "é", "#", ""}
	var each func(s string, n int)
	each = func(s string, n int) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Fatalf("trimSpace(%q) = %q, strings.TrimSpace %q", s, got, want)
		}
		if got, want := trimLeftSpace(s), strings.TrimLeftFunc(s, unicode.IsSpace); got != want {
			t.Fatalf("trimLeftSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := trimRightSpace(s), strings.TrimRightFunc(s, unicode.IsSpace); got != want {
			t.Fatalf("trimRightSpace(%q) = %q, want %q", s, got, want)
		}
		if n == 4 {
			return
		}
		for _, p := range pieces {
			each(s+p, n+1)
		}
	}
	each("", 0)
}

// TestFoldHelpers holds lower and equalFold to the strings functions they
// stand for, on ASCII and on the runes Unicode folds into ASCII letters.
func TestFoldHelpers(t *testing.T) {
	parts := []string{"a", "A", "s", "S", "ſ", "K", "k", "\u212a", "İ", "é", "É", "-", "1", ""}
	for _, k := range []string{"as", "from", "true", "k"} {
		for _, a := range parts {
			for _, b := range parts {
				for _, c := range parts {
					s := a + b + c
					if got, want := lower(s), strings.ToLower(s); got != want {
						t.Fatalf("lower(%q) = %q, strings.ToLower %q", s, got, want)
					}
					if got, want := equalFold(s, k), strings.EqualFold(s, k); got != want {
						t.Fatalf("equalFold(%q, %q) = %v, strings.EqualFold %v", s, k, got, want)
					}
				}
			}
		}
	}
}

// TestKeywordLookup holds keyword to strings.ToLower and the instruction
// table over every keyword in three cases, with a byte changed, and
// words that share a bucket with none or some.
// TestFoldsToAsEqualFold holds foldsTo to asciiEqualFold for every
// keyword with each of its bytes replaced by every byte, and in every mix
// of cases of its first eight letters.
func TestFoldsToAsEqualFold(t *testing.T) {
	n := 0
	check := func(s, k string) {
		if got, want := foldsTo(s, k), asciiEqualFold(s, k); got != want {
			t.Fatalf("foldsTo(%q, %q) = %v, asciiEqualFold %v", s, k, got, want)
		}
		n++
	}
	for _, k := range instructionNames {
		for i := range len(k) {
			for c := range 256 {
				b := []byte(k)
				b[i] = byte(c)
				check(string(b), k)
			}
		}
		for mask := range 1 << min(len(k), 8) {
			b := []byte(k)
			for i := range min(len(k), 8) {
				if mask&(1<<i) != 0 {
					b[i] -= 'a' - 'A'
				}
			}
			check(string(b), k)
		}
	}
	if n < 28_000 {
		t.Fatalf("only %d words compared", n)
	}
}

func TestKeywordLookup(t *testing.T) {
	words := []string{"", "r", "2un", "rUn\u00a0", "\u212aeep", "ſhell", "healthcheckhealthcheck", "ɾun", "Rün", "froM"}
	for _, k := range instructionNames {
		words = append(words, k, strings.ToUpper(k), strings.ToUpper(k[:1])+k[1:], k[:len(k)-1]+"x", "x"+k[1:], string(k[0]^0x80)+k[1:])
	}
	for _, w := range words {
		gotName, gotInfo := keyword(w)
		want := strings.ToLower(w)
		if gotName != want || gotInfo != instructionByCmd[want] {
			t.Errorf("keyword(%q) = %q %v, want %q %v", w, gotName, gotInfo, want, instructionByCmd[want])
		}
	}
}

// TestFlagReadingsMatchBuildKit holds the validator's verdicts and the
// index's flags, as the grouper's reading and the scanner's own build
// them, to BuildKit's parser and instruction parser and to the scanner
// alone (the BuildKit path), over 4,000 generated flag lines: plain flags
// and flags with quotes, escapes, Latin-1 and Unicode blanks, a lone
// `--`, continuations inside and between flags, either escape token.
func TestFlagReadingsMatchBuildKit(t *testing.T) {
	flags := []string{
		"--mount=type=cache,target=/root/.cache", "--mount=type=bind,from=build,target=/s", "--from=build",
		"--from=0", "--chown=1:1", "--link", "--network=none", "--platform=$BUILDPLATFORM", "--from=${X}",
		`--mount="type=bind,from=a"`, `--from='b'`, `--fr\om=x`, "--fr`om=x", "--", "--x=a'b c'", `--a="b c"`,
		"--from=\xa0a", "--from=a\xa0", "--from=\u00e9", "-x", "--=", "--a=b=c", "--from=", "--FROM=b",
		"--mount=type=secret,id=x\\\n  ,target=/y", "--chmod=755", "--exclude=*.md", "--parents", "--keep-git-dir=true",
		"--security=insecure", "--checksum=sha256:00", "--mount=from=a,type=cache", "--unknown=1", "--link=false",
	}
	seps := []string{" ", "\t", "  ", " \\\n  ", " \\\n# c\n  ", "\xa0", "\x85", "\u00a0", " \\\n\n "}
	cmds := []string{"RUN", "COPY", "ADD", "FROM", "run", "Copy", "HEALTHCHECK", "ONBUILD RUN"}
	tails := []string{" echo hi", " a b", "", " [\"a\", \"b\"]", " src dst", " --not-a-flag x", " scratch AS s", "\t\\\n  a"}
	r := rand.New(rand.NewPCG(18, 23))
	withFlags := 0
	for range 4000 {
		var b strings.Builder
		b.WriteString(cmds[r.IntN(len(cmds))])
		for range 1 + r.IntN(4) {
			b.WriteString(seps[r.IntN(len(seps))])
			b.WriteString(flags[r.IntN(len(flags))])
		}
		b.WriteString(tails[r.IntN(len(tails))])
		line := b.String()
		text := "FROM alpine AS build\n" + line + "\n"
		if r.IntN(4) == 0 {
			text = "# escape=`\n" + strings.ReplaceAll(text, "\\\n", "`\n")
		}
		if d := groupingDiff(text); d != "" {
			t.Fatalf("%q: %s", text, d)
		}
		if ix := Parse(NewDocument(text)); ix.Len() > 1 && len(ix.Node(1).Flags) > 0 {
			withFlags++
		}
	}
	if withFlags < 1000 {
		t.Errorf("only %d texts with flags", withFlags)
	}
}

// TestArgWordsOKAsRead holds argWordsOK, which finds the `=`s of a plain
// text, to the reading it replaced, word by word through bkWords, over
// every text of up to 6 bytes of blanks, `=`, letters, quotes, either
// escape token and bytes past ASCII, with either escape token.
func TestArgWordsOKAsRead(t *testing.T) {
	alphabet := []byte{' ', '\t', '\n', '=', 'a', '"', '\'', '\\', '`', 0xA0, 0xC3}
	n := 0
	var each func(prefix []byte)
	each = func(prefix []byte) {
		s := string(prefix)
		for _, esc := range []byte{'\\', '`'} {
			if got, want := argWordsOK(s, esc), argWordsRead(s, esc); got != want {
				t.Fatalf("argWordsOK(%q, %q) = %v, reading each word gives %v", s, esc, got, want)
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
	if n < 2*1_900_000 {
		t.Fatalf("only %d texts read", n)
	}
}

// flagsOKByName is flagsOK as it was before it passed over names by
// length and first letter: each name compared whole, each value lowered.
func flagsOKByName(flags []string, in *InstructionInfo) bool {
	table := in.Flags
	var seen uint64
	for _, a := range flags {
		name, value, hasValue := strings.Cut(a, "=")
		if len(name) < 2 || name[0] != '-' || name[1] != '-' {
			return false
		}
		k := 0
		for k < len(table) && table[k].Name != name[2:] {
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
			switch strings.ToLower(value) {
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

// TestFlagsOKAsByName holds flagsOK to flagsOKByName over every
// instruction's table and 200,000 lists of one to three flags: its own
// names, near misses (other lengths, first letters, cases), values in
// any case, and none.
func TestFlagsOKAsByName(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 7))
	values := []string{"", "=", "=true", "=false", "=TRUE", "=False", "=x", "=1", "=tRuE", "=yes"}
	for i := 0; i < 200_000; i++ {
		info := &Instructions[r.IntN(len(Instructions))]
		if len(info.Flags) == 0 {
			continue
		}
		var flags []string
		for range 1 + r.IntN(3) {
			name := info.Flags[r.IntN(len(info.Flags))].Name
			switch r.IntN(6) {
			case 0:
				name = strings.ToUpper(name[:1]) + name[1:]
			case 1:
				name = name[:len(name)-1]
			case 2:
				name = "x" + name[1:]
			case 3:
				name = ""
			}
			prefix := "--"
			if r.IntN(20) == 0 {
				prefix = "-"
			}
			flags = append(flags, prefix+name+values[r.IntN(len(values))])
		}
		if got, want := flagsOK(flags, info), flagsOKByName(flags, info); got != want {
			t.Fatalf("%s %q: flagsOK %v, by name %v", info.Name, flags, got, want)
		}
	}
}

// TestHasHeredocMarkAsContains holds hasHeredocMark to strings.Contains
// over every text of up to 8 bytes of `<`, `a` and `-`.
func TestHasHeredocMarkAsContains(t *testing.T) {
	var each func(prefix []byte)
	each = func(prefix []byte) {
		s := string(prefix)
		if got, want := hasHeredocMark(s), strings.Contains(s, "<<"); got != want {
			t.Fatalf("hasHeredocMark(%q) = %v, strings.Contains %v", s, got, want)
		}
		if len(prefix) < 8 {
			for _, c := range []byte("<a-") {
				each(append(prefix, c))
			}
		}
	}
	each(nil)
}

// TestStageNameOKAsLowered holds stageNameOK to validStageName(lower(s)),
// the reading it replaces: every text of up to two bytes, every text of
// three over the bytes that matter (letters of both cases, the allowed
// marks, others, and the starts of UTF-8 sequences), and names with
// letters whose lower case is ASCII (the Kelvin sign).
func TestStageNameOKAsLowered(t *testing.T) {
	n := 0
	check := func(s string) {
		if got, want := stageNameOK(s), validStageName(lower(s)); got != want {
			t.Fatalf("stageNameOK(%q) = %v, validStageName(lower) %v", s, got, want)
		}
		n++
	}
	check("")
	for a := range 256 {
		check(string([]byte{byte(a)}))
		for b := range 256 {
			check(string([]byte{byte(a), byte(b)}))
		}
	}
	some := []byte("aAzZ09-_.!@[`{/: \x7f\x80\xc3\xe2\x84\xaa\xff")
	for _, a := range some {
		for _, b := range some {
			for _, c := range some {
				check(string([]byte{a, b, c}))
			}
		}
	}
	for _, s := range []string{"\u212Aeep", "k\u212A", "build-\u212A", "Stage0", "STAGE.x_y-1", "a\u00e9", "\u00c9a", "a b", "a\u212A!", "a!\u212A"} {
		check(s)
	}
	if n < 70_000 {
		t.Fatalf("only %d names compared", n)
	}
}

// TestFromArgsOKAsFields holds fromArgsOK to the reading it replaces,
// fields then validStageName(lower(...)), over texts of words from FROM's
// shapes joined by every blank BuildKit's parser knows and some it does
// not.
func TestFromArgsOKAsFields(t *testing.T) {
	old := func(rest string) bool {
		var args [4]string
		n := 0
		for f := range fields(rest) {
			if n == len(args) {
				return false
			}
			args[n] = f
			n++
		}
		return n == 1 || n == 3 && equalFold(args[1], "as") && validStageName(lower(args[2]))
	}
	words := []string{"alpine", "golang:1.26", "AS", "as", "aS", "As", "build", "Build-1", "1bad", "\u212Aeep", "x\u00a0y", "", "a.b_c", "$BASE", "--platform=x"}
	blanks := []string{" ", "\t", "\v", "\f", "\r", "  ", "\u00a0", "\u0085", "\n"}
	r := rand.New(rand.NewPCG(40, 2))
	n := 0
	for range 200_000 {
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteString(blanks[r.IntN(len(blanks))])
		}
		for k := range r.IntN(6) {
			if k > 0 {
				b.WriteString(blanks[r.IntN(len(blanks))])
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		if r.IntN(4) == 0 {
			b.WriteString(blanks[r.IntN(len(blanks))])
		}
		s := b.String()
		if got, want := fromArgsOK(s), old(s); got != want {
			t.Fatalf("fromArgsOK(%q) = %v, fields reading %v", s, got, want)
		}
		if fromArgsOK(s) {
			n++
		}
	}
	if n < 10_000 {
		t.Fatalf("only %d texts accepted: the generator misses FROM's shapes", n)
	}
}

// TestFirstQuoteAsIndexAny holds firstQuote to strings.IndexAny over every
// text of up to five bytes of quotes and others.
func TestFirstQuoteAsIndexAny(t *testing.T) {
	alphabet := []byte("'\"a<\x80")
	n := 0
	var walk func(b []byte)
	walk = func(b []byte) {
		s := string(b)
		if got, want := firstQuote(s), strings.IndexAny(s, `'"`); got != want {
			t.Fatalf("firstQuote(%q) = %d, IndexAny %d", s, got, want)
		}
		n++
		if len(b) == 5 {
			return
		}
		for _, c := range alphabet {
			walk(append(b, c))
		}
	}
	walk(nil)
	if n < 3000 {
		t.Fatalf("only %d texts compared", n)
	}
}
