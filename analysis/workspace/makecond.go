package workspace

import (
	"strings"
)

// makeGiven is what a call of make gives the Makefile's variables before
// it reads a line: the values on its command line, which win over the
// file's assignments (but `override` ones), and its environment, which
// wins over `?=` (over every assignment but `override` with -e). Unset
// fields give nothing: the Makefile read as `make` alone runs it.
type makeGiven struct {
	cmdline map[string][]value
	env     func(name string) []value
	envWins bool
}

// tri is what a reading can tell of a condition: it holds, it does not,
// or it cannot be known here.
type tri int8

const (
	triNo tri = iota
	triYes
	triMaybe
)

func triAnd(a, b tri) tri {
	switch {
	case a == triNo || b == triNo:
		return triNo
	case a == triYes && b == triYes:
		return triYes
	}
	return triMaybe
}

func triOr(a, b tri) tri {
	switch {
	case a == triYes || b == triYes:
		return triYes
	case a == triNo && b == triNo:
		return triNo
	}
	return triMaybe
}

func triNot(a tri) tri {
	switch a {
	case triYes:
		return triNo
	case triNo:
		return triYes
	}
	return triMaybe
}

// makeConds follows a Makefile's conditionals (ifeq, ifneq, ifdef,
// ifndef, else, endif) as GNU make reads its lines, with the values its
// variables have so far: a line in a branch make does not take is not
// read; where a condition cannot be known (a value from $(shell ...), a
// variable the environment may give), both branches are read.
type makeConds struct {
	given  makeGiven
	vars   map[string]makeVal
	stack  []condFrame
	define bool // inside define ... endef, whose lines are a value's text
	// decided is set once a line was left out: a branch make does not
	// take with these values.
	decided bool
}

// makeVal is a variable's value so far, when it can be known.
type makeVal struct {
	text  string
	known bool
}

// condFrame is one conditional being read: whether the lines around it
// are read (outer), whether its current branch is, and whether an
// earlier branch of it was taken.
type condFrame struct {
	outer, live, taken tri
}

func newMakeConds(given makeGiven) *makeConds {
	return &makeConds{given: given, vars: map[string]makeVal{}}
}

// live tells whether the line being read is read by make.
func (c *makeConds) live() tri {
	if len(c.stack) == 0 {
		return triYes
	}
	return c.stack[len(c.stack)-1].live
}

// read takes one line of the Makefile into account. It reports whether
// make reads the line as text of the file (false for a conditional
// directive and for a line in a branch make does not take); an
// assignment it reads sets its variable.
func (c *makeConds) read(line string) bool {
	if strings.HasPrefix(line, "\t") {
		if c.live() == triNo {
			c.decided = true
			return false
		}
		return true // a recipe line
	}
	trimmed := strings.TrimSpace(line)
	word, rest := trimmed, ""
	if i := strings.IndexAny(trimmed, " \t"); i >= 0 {
		word, rest = trimmed[:i], trimmed[i+1:]
	}
	if c.define {
		if word == "endef" {
			c.define = false
		}
		return c.live() != triNo
	}
	switch word {
	case "ifeq", "ifneq", "ifdef", "ifndef":
		outer := c.live()
		c.stack = append(c.stack, condFrame{outer: outer, taken: triNo})
		c.branch(c.condition(word, rest))
		return false
	case "else":
		if len(c.stack) > 0 {
			cond := triYes
			if more := strings.Fields(stripMakeComment(rest)); len(more) > 0 {
				// else ifeq (...): the rest after its keyword.
				r := strings.TrimSpace(rest)
				cond = c.condition(more[0], strings.TrimSpace(r[len(more[0]):]))
			}
			c.branch(cond)
		}
		return false
	case "endif":
		if len(c.stack) > 0 {
			c.stack = c.stack[:len(c.stack)-1]
		}
		return false
	case "define":
		c.define = true
	}
	if c.live() == triNo {
		c.decided = true
		return false
	}
	if m := makeAssign.FindStringSubmatch(line); m != nil {
		c.assign(m[1], m[2], m[3], strings.HasPrefix(trimmed, "override"))
	}
	return true
}

// branch starts a branch of the innermost conditional whose condition
// is cond: make takes it when no earlier branch was taken and cond holds.
func (c *makeConds) branch(cond tri) {
	f := &c.stack[len(c.stack)-1]
	f.live = triAnd(f.outer, triAnd(triNot(f.taken), cond))
	f.taken = triOr(f.taken, cond)
}

// condition evaluates a conditional directive (word, with its arguments
// rest): `ifeq (a,b)`, `ifeq "a" "b"`, `ifdef NAME`.
func (c *makeConds) condition(word, rest string) tri {
	rest = strings.TrimSpace(stripMakeComment(rest))
	switch word {
	case "ifdef", "ifndef":
		name, ok := c.expand(rest)
		if !ok || strings.ContainsAny(name, " \t") {
			return triMaybe
		}
		v, ok := c.value(name)
		if !ok {
			return triMaybe
		}
		defined := triNo
		if v != "" {
			defined = triYes
		}
		if word == "ifndef" {
			return triNot(defined)
		}
		return defined
	case "ifeq", "ifneq":
		a, b, ok := makeEqArgs(rest)
		if !ok {
			return triMaybe
		}
		av, aok := c.expand(a)
		bv, bok := c.expand(b)
		if !aok || !bok {
			return triMaybe
		}
		eq := triNo
		if av == bv {
			eq = triYes
		}
		if word == "ifneq" {
			return triNot(eq)
		}
		return eq
	}
	return triMaybe
}

// stripMakeComment cuts a directive's comment off.
func stripMakeComment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

// makeEqArgs splits the arguments of ifeq or ifneq: `(a,b)` (the comma
// at parenthesis depth one), or two quoted words, "a" 'b'.
func makeEqArgs(s string) (a, b string, ok bool) {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		inner := s[1 : len(s)-1]
		depth := 0
		for i := 0; i < len(inner); i++ {
			switch inner[i] {
			case '(', '{':
				depth++
			case ')', '}':
				depth--
			case ',':
				if depth == 0 {
					return strings.TrimSpace(inner[:i]), strings.TrimSpace(inner[i+1:]), true
				}
			}
		}
		return "", "", false
	}
	quoted := func(s string) (string, string, bool) {
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			return "", "", false
		}
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", "", false
		}
		return s[1 : end+1], strings.TrimSpace(s[end+2:]), true
	}
	a, rest, ok1 := quoted(s)
	b, tail, ok2 := quoted(rest)
	return a, b, ok1 && ok2 && tail == ""
}

// value is variable name's value where the line being read is, when it
// can be known: the command line's, else the file's so far, else the
// environment's the call gives; one no one sets may come from the
// environment make runs in, which is not known.
func (c *makeConds) value(name string) (string, bool) {
	if vs, ok := c.given.cmdline[name]; ok {
		return oneValue(vs)
	}
	if v, ok := c.vars[name]; ok {
		return v.text, v.known
	}
	if c.given.env != nil {
		if vs := c.given.env(name); len(vs) > 0 {
			return oneValue(vs)
		}
	}
	return "", false
}

// oneValue is the text of vs when it holds one value.
func oneValue(vs []value) (string, bool) {
	if len(vs) != 1 {
		return "", false
	}
	return vs[0].text, true
}

// expand replaces the variable references in s ($(NAME), ${NAME}, $$)
// by their values; false when one cannot be known, or s calls a function
// ($(shell ...), $(wildcard ...)).
func (c *makeConds) expand(s string) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", false
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '(', '{':
		default:
			return "", false // $@, $X: not followed here
		}
		open, close := s[i+1], byte(')')
		if open == '{' {
			close = '}'
		}
		end, depth := -1, 0
		for j := i + 2; j < len(s) && end < 0; j++ {
			switch s[j] {
			case open:
				depth++
			case close:
				if depth == 0 {
					end = j
				}
				depth--
			}
		}
		if end < 0 {
			return "", false
		}
		inner := s[i+2 : end]
		var v string
		var ok bool
		if arg, strip := strings.CutPrefix(inner, "strip "); strip {
			// $(strip $(X)), as `ifeq ($(strip $(X)),)` tests emptiness.
			v, ok = c.expand(arg)
			v = strings.Join(strings.Fields(v), " ")
		} else if makeVarName.MatchString(inner) {
			v, ok = c.value(inner)
		}
		if !ok {
			return "", false // another function, or a value not known
		}
		b.WriteString(v)
		i = end
	}
	return b.String(), true
}

// assign takes an assignment make reads into account (op is =, :=, ::=,
// :::=, ?= or +=; override when it is marked so).
func (c *makeConds) assign(name, op, text string, override bool) {
	if _, ok := c.given.cmdline[name]; ok && !override {
		return // the command line wins
	}
	envGives := c.given.env != nil && len(c.given.env(name)) > 0
	if envGives && c.given.envWins && !override {
		return
	}
	old, set := c.vars[name]
	v, known := c.expand(text)
	next := makeVal{text: v, known: known}
	switch op {
	case "?=":
		if set || envGives {
			return
		}
	case "+=":
		if envGives && !set {
			next.known = false
		} else if set {
			next = makeVal{text: strings.TrimSpace(old.text + " " + v), known: old.known && known}
		}
	}
	if c.live() == triMaybe && (!set || !old.known || !next.known || old.text != next.text) {
		next.known = false // it may or may not be assigned
	}
	c.vars[name] = next
}
