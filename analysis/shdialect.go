package analysis

// sameAsPOSIX reports whether mvdan.cc/sh (v3.14.1) parses script alike as
// bash and as POSIX sh: the same syntax tree, and an error in one dialect
// exactly when there is one in the other. The installs reader, which reads
// a RUN as POSIX sh, then takes the bash parse ShellCommands makes anyway,
// and a RUN is parsed once instead of twice.
//
// The parser's lexer and parser branch on the dialect in the places listed
// below (every `p.lang` test in lexer.go, parser.go and parser_arithm.go
// that bash and POSIX take differently; the others test for zsh, mksh or
// bats only, which both take alike). A script holding none of the bytes or
// words that reach them is read alike. The test is conservative: it looks
// at bytes, not tokens, so quotes and comments do not hide anything from
// it, and it refuses some scripts both dialects read alike.
//
//   - `(` other than in `$(`: subshells, `f()` function declarations (POSIX
//     checks the name), arrays `a=(..)`, `((..))` and `$((..))` arithmetic,
//     `<(..)` and `>(..)` process substitution, extended globs `@(..)`.
//   - `[` except at the start of a word, `[[` and `]]`: `a[1]=x`, `$[..]`,
//     `${a[1]}`, `[[ .. ]]` (and its unary operators), bash breaking a
//     literal at `[`, `{name[1]}>` redirects.
//   - `${` other than `${NAME}`, `${#NAME}` and `${NAME` followed by one of
//     the POSIX operators `:-`, `-`, `:=`, `=`, `:?`, `?`, `:+`, `+`, `#`,
//     `%`: search and replace, slicing, `${!a}`, case operators, `@`
//     operators, `${ cmds;}`.
//   - `$'` and `$"`: quoting bash reads and POSIX reads as `$` and a quote.
//   - `&>`, `|&`, `;&` (and `;;&`), `<<<`, `+=`, `}>` and `}<`.
//   - the words let, function, declare, local, export, readonly, typeset,
//     nameref, time, coproc, select: bash reads them as clauses.
//   - `for` with a `{` that does not open `${`: `for x in a; { ..; }`.
//
// The bytes are the ones the lexer reads only without a NUL (skipped), a
// carriage return (dropped before a newline), an escaped newline (a line
// continuation, dropped) and backslashes within backquotes (dropped before
// `$`, a backquote, a backslash, or `"`): a script with any of these is
// refused, as is one where a byte this test allows after `$` or a word
// break follows an escaped one.
func sameAsPOSIX(script string) bool { return dialectsAgree(script, 0) }

// A dialectRule is one of the tests of sameAsPOSIX, by what it refuses;
// dialectsAgree can leave some out, so that a test can show each is needed.
type dialectRule uint32

const (
	ruleNUL          dialectRule = 1 << iota // a NUL byte
	ruleCR                                   // a carriage return
	ruleContinuation                         // an escaped newline
	ruleBackquote                            // a backslash with a backquote
	ruleParen                                // `(` other than in `$(`
	ruleBracket                              // `[` inside a word, `[[`, `]]`
	ruleParam                                // `${` other than POSIX's
	ruleDollarQuote                          // `$'`, `$"`
	ruleAmpRedirect                          // `&>`
	rulePipeAmp                              // `|&`
	ruleSemiAmp                              // `;&`
	ruleHereString                           // `<<<`
	ruleAppend                               // `+=`
	ruleFdVar                                // `}>`, `}<`
	ruleKeyword                              // a bash keyword
	ruleForBrace                             // `for` and `{`
	dialectRules     = iota
)

// dialectsAgree is sameAsPOSIX without the rules in off. It stops only at
// the bytes dialectBytes marks special and at the start of each word.
func dialectsAgree(script string, off dialectRule) bool {
	s := script
	on := func(r dialectRule) bool { return off&r == 0 }
	// after reports whether s[i] follows the unescaped byte b.
	after := func(i int, b byte) bool {
		return i > 0 && s[i-1] == b && (i < 2 || s[i-2] != '\\')
	}
	sawFor, sawBrace, sawBackslash, sawBackquote := false, false, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		k := dialectBytes[c]
		if k == 0 {
			continue
		}
		if k == byteWord {
			// A word starts here: it may be a keyword.
			j := i + 1
			for j < len(s) && dialectBytes[s[j]] == byteWord {
				j++
			}
			if 'a' <= c && c <= 'z' {
				switch s[i:j] {
				case "let", "function", "declare", "local", "export", "readonly", "typeset", "nameref", "time", "coproc", "select":
					if on(ruleKeyword) {
						return false
					}
				case "for":
					sawFor = true
				}
			}
			i = j - 1
			continue
		}
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch c {
		case 0:
			if on(ruleNUL) {
				return false
			}
		case '\r':
			if on(ruleCR) {
				return false
			}
		case '\\':
			if on(ruleContinuation) && next == '\n' {
				return false
			}
			sawBackslash = true
		case '`':
			sawBackquote = true
		case '(':
			if on(ruleParen) && !after(i, '$') {
				return false
			}
		case '[':
			if on(ruleBracket) && (next == '[' || i > 0 && (!wordBreak(s[i-1]) || i > 1 && s[i-2] == '\\')) {
				return false
			}
		case ']':
			if on(ruleBracket) && next == ']' {
				return false
			}
		case '$':
			switch next {
			case '\'', '"':
				if on(ruleDollarQuote) {
					return false
				}
			case '{':
				if on(ruleParam) && !posixParam(s[i+2:]) {
					return false
				}
			}
		case '{':
			if !after(i, '$') {
				sawBrace = true
			}
		case '&':
			if on(ruleAmpRedirect) && next == '>' {
				return false
			}
		case '|':
			if on(rulePipeAmp) && next == '&' {
				return false
			}
		case ';':
			if on(ruleSemiAmp) && next == '&' {
				return false
			}
		case '+':
			if on(ruleAppend) && next == '=' {
				return false
			}
		case '}':
			if on(ruleFdVar) && (next == '>' || next == '<') {
				return false
			}
		case '<':
			if on(ruleHereString) && next == '<' && i+2 < len(s) && s[i+2] == '<' {
				return false
			}
		}
	}
	return !(on(ruleBackquote) && sawBackslash && sawBackquote) && !(on(ruleForBrace) && sawFor && sawBrace)
}

// dialectBytes marks the bytes dialectsAgree looks at: byteWord for those
// that make up a word (a keyword next to one of them is part of a longer
// literal), byteSpecial for those its rules name.
var dialectBytes = func() (t [256]uint8) {
	for c := range 256 {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == '/' {
			t[c] = byteWord
		}
	}
	for _, c := range []byte("\x00\r\\`([]${&|;+}<") {
		t[c] = byteSpecial
	}
	return t
}()

const (
	byteWord = 1 + iota
	byteSpecial
)

// wordBreak reports whether a word starts after c: `[` opening a word is
// read alike by both dialects.
func wordBreak(c byte) bool {
	switch c {
	case ' ', '\t', '\n', ';', '&', '|', '(':
		return true
	}
	return false
}

// posixParam reports whether rest, what follows `${`, opens a parameter
// expansion POSIX sh has too: a name, then `}` or a POSIX operator; or
// `#`, a name and `}`.
func posixParam(rest string) bool {
	length := len(rest) > 0 && rest[0] == '#'
	if length {
		rest = rest[1:]
	}
	n := 0
	for n < len(rest) && (rest[n] == '_' || 'a' <= rest[n] && rest[n] <= 'z' || 'A' <= rest[n] && rest[n] <= 'Z' || n > 0 && '0' <= rest[n] && rest[n] <= '9') {
		n++
	}
	if n == 0 || n == len(rest) {
		return false
	}
	rest = rest[n:]
	if length || rest[0] == '}' {
		return rest[0] == '}'
	}
	switch rest[0] {
	case '-', '=', '?', '+', '#', '%':
		return true
	case ':':
		return len(rest) > 1 && (rest[1] == '-' || rest[1] == '=' || rest[1] == '?' || rest[1] == '+')
	}
	return false
}
