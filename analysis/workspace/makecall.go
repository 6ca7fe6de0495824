package workspace

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/analysis"
)

// makeCallRef is a call of make that a script, workflow step, GitLab job
// or recipe makes on a Makefile other than its own (`make e2e
// TARGET=e2e`, `make -C app image STAGE=test`): the Makefile, where its
// recipes run, the goals and the variables set on its command line, whose
// values (written in the caller) win over the Makefile's own assignments.
type makeCallRef struct {
	file, cwd string
	goals     []string
	goalVals  []value // the goals where the caller writes them
	overrides []makeOverrideValue
	owner     string
	// dirs are the folders -I names, where make looks for the files
	// the Makefile includes.
	dirs []string
	// envWins is make -e: the environment wins over the Makefile's
	// assignments, but for those marked override.
	envWins bool
	// env gives the values of the caller's variables (a workflow's or
	// GitLab job's env, the script's own), which make takes from the
	// environment where the Makefile sets them with ?= or not at all.
	env func(name string) []value
}

// makeOverrideValue is one value a call gives a variable on make's
// command line, written in the calling file.
type makeOverrideValue struct {
	name string
	v    value
}

// makeNames are the commands that run GNU make.
var makeNames = map[string]bool{"make": true, "gmake": true}

// makeValueFlags are make's options that take a value as the next word;
// -j and -l take an optional number.
var makeValueFlags = map[string]bool{"-C": true, "-f": true, "-I": true, "-o": true, "-W": true,
	"--directory": true, "--file": true, "--makefile": true, "--include-dir": true, "--old-file": true,
	"--assume-old": true, "--new-file": true, "--assume-new": true, "--what-if": true}

// makeVarName is a variable's name on make's command line.
var makeVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// makeCall records call when it runs make with variables on its command
// line, for walkFile to read the Makefile it runs with them.
func (e *evaluator) makeCall(call *syntax.CallExpr) {
	if e.env.makeCalls == nil || len(call.Args) < 1 {
		return
	}
	name, ok := analysis.LiteralWord(call.Args[0])
	if !ok && e.env.make {
		// A recipe's $(MAKE) or ${MAKE}: make run again, on the Makefile
		// -C or -f names.
		w := call.Args[0]
		if src := e.s.text[w.Pos().Offset():w.End().Offset()]; src == "$(MAKE)" || src == "${MAKE}" {
			name, ok = "make", true
		}
	}
	if !ok || !makeNames[filepath.Base(name)] {
		return
	}
	ref := makeCallRef{cwd: e.env.cwd, goals: []string{}}
	if !e.env.make {
		ref.env = e.callEnv(call)
	}
	file := ""
	var dirs []string
	args := call.Args[1:]
	for i := 0; i < len(args); i++ {
		lit, isLit := analysis.LiteralWord(args[i])
		flag, val, hasVal := strings.Cut(lit, "=")
		switch {
		case isLit && strings.HasPrefix(lit, "-"):
			if strings.HasPrefix(lit, "--") && hasVal {
				lit = flag
			} else if len(lit) > 2 && lit[1] != '-' && makeValueFlags[lit[:2]] {
				lit, val, hasVal = lit[:2], lit[2:], true // -Capp, -fci.mk
			}
			if lit == "--environment-overrides" || (!strings.HasPrefix(lit, "--") && !makeValueFlags[lit] && strings.Trim(lit[1:], "BbdeiknqRrSstvw") == "" && strings.Contains(lit, "e")) {
				ref.envWins = true // -e, or among other switches (-ke)
			}
			if !makeValueFlags[lit] {
				if (lit == "-j" || lit == "-l") && i+1 < len(args) {
					if n, ok := analysis.LiteralWord(args[i+1]); ok && strings.Trim(n, "0123456789.") == "" {
						i++
					}
				}
				continue
			}
			if !hasVal {
				if i+1 >= len(args) {
					return
				}
				i++
				if val, isLit = analysis.LiteralWord(args[i]); !isLit {
					return // a folder or Makefile we cannot tell
				}
			}
			switch lit {
			case "-C", "--directory":
				ref.cwd = e.path(val)
			case "-f", "--file", "--makefile":
				file = val
			case "-I", "--include-dir":
				dirs = append(dirs, val)
			}
		case isLit && !hasVal:
			ref.goals = append(ref.goals, lit)
			if w := e.word(args[i]); len(w.values) == 1 {
				ref.goalVals = append(ref.goalVals, w.values[0])
			}
		default:
			if o, ok := e.makeOverride(args[i]); ok {
				ref.overrides = append(ref.overrides, o...)
			}
		}
	}
	for _, d := range dirs {
		// -I is relative to the folder -C moves to, as -f is.
		if !filepath.IsAbs(d) {
			d = filepath.Join(ref.cwd, d)
		}
		ref.dirs = append(ref.dirs, filepath.Clean(d))
	}
	if file != "" {
		// -f is relative to the folder -C moves to, as make reads it.
		ref.file = filepath.Join(ref.cwd, file)
		if filepath.IsAbs(file) {
			ref.file = filepath.Clean(file)
		}
	}
	ref.owner = strings.TrimSpace("make " + strings.Join(ref.goals, " "))
	*e.env.makeCalls = append(*e.env.makeCalls, ref)
}

// callEnv is the environment a command runs in, as its values: the
// command's own assignments (`TARGET=e2e make image`), what the script
// exported before it (`export TARGET=e2e`, `set -a`), and the variables of
// a workflow's or GitLab job's env. A script's other assignments are not
// exported.
func (e *evaluator) callEnv(call *syntax.CallExpr) func(name string) []value {
	prefix := map[string][]value{}
	for _, a := range call.Assigns {
		if a.Name != nil && a.Value != nil {
			prefix[a.Name.Value] = append(prefix[a.Name.Value], e.word(a.Value).values...)
		}
	}
	vars := e.env.vars
	sh := e.sh.clone()
	return func(name string) []value {
		if vs, ok := prefix[name]; ok {
			return vs
		}
		if vs, decided := sh.env(name); decided {
			return vs
		}
		if vars != nil {
			return vars(name)
		}
		return nil
	}
}

// makeOverride reads a `NAME=value` argument of make: the values it gives
// NAME, with their spans in the calling file (a plain or quoted value; a
// variable's or expression's values; computed ones for a value built
// from pieces).
func (e *evaluator) makeOverride(w *syntax.Word) ([]makeOverrideValue, bool) {
	first, ok := w.Parts[0].(*syntax.Lit)
	if !ok {
		return nil, false
	}
	name, rest, ok := strings.Cut(first.Value, "=")
	if !ok || !makeVarName.MatchString(name) {
		return nil, false
	}
	var vals []value
	nameEnd := int(first.Pos().Offset()) + len(name) + 1
	switch {
	case rest == "" && len(w.Parts) == 1:
		return nil, false // NAME= empties it: no stage
	case rest != "" && len(w.Parts) == 1:
		// NAME=value, or NAME=<placeholder> of a workflow expression.
		if e.env.literal != nil {
			if vs, ok := e.env.literal(rest); ok {
				vals = vs
				break
			}
		}
		vals = []value{{text: rest, span: e.s.span(nameEnd, int(w.End().Offset()))}}
	case rest == "":
		inner := e.word(&syntax.Word{Parts: w.Parts[1:]})
		vals = inner.values
		if len(vals) == 0 || inner.exprs {
			vals = computedValues(inner.texts, inner.span)
		}
	default:
		var texts []string
		for _, t := range e.word(w).texts {
			_, t, _ = strings.Cut(t, "=")
			texts = append(texts, t)
		}
		vals = computedValues(texts, e.s.span(nameEnd, int(w.End().Offset())))
	}
	var out []makeOverrideValue
	for _, v := range vals {
		if v.text != "" {
			out = append(out, makeOverrideValue{name: name, v: v})
		}
	}
	return out, len(out) > 0
}

// makeHardAssigned returns the variables a Makefile (its lines, with
// those it includes) sets with an assignment the environment does not
// override (=, :=, ::=, +=, or any with override), as opposed to ?=; with
// envWins (make -e), only those with override.
func makeHardAssigned(lines []makeLine, envWins bool) map[string]bool {
	hard := map[string]bool{}
	for _, ln := range lines {
		line := ln.text
		if strings.HasPrefix(line, "\t") {
			continue
		}
		override := strings.HasPrefix(strings.TrimSpace(line), "override")
		if m := makeAssign.FindStringSubmatch(line); m != nil && (override || (m[2] != "?=" && !envWins)) {
			hard[m[1]] = true
		}
	}
	return hard
}

// makeFileFor is the Makefile make reads in folder dir without -f: the
// first of GNUmakefile, makefile and Makefile that src holds.
func makeFileFor(src source, dir string) string {
	for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
		p := filepath.Join(dir, name)
		if _, err := src.read(p, DefaultLimits.MaxSize); err == nil {
			return p
		}
	}
	return ""
}

// madeTargets are the targets that calls of make on another Makefile
// name through the variables they set on its command line or in its
// environment: the Makefile's build commands (its own and those of the
// files it includes), in the recipes the call runs, read with those
// values, each target kept where the caller writes its value (p, the
// calling file, whose own Makefile is left to its own reading). It
// returns too the files the Makefiles include.
func madeTargets(src source, p string, calls []makeCallRef) ([]Target, []string) {
	var out []Target
	var via []string
	for _, c := range calls {
		file := c.file
		if file == "" {
			file = makeFileFor(src, c.cwd)
		}
		if file == "" || file == p {
			continue
		}
		data, err := src.read(file, DefaultLimits.MaxSize)
		if err != nil || len(data) > int(DefaultLimits.MaxSize) {
			continue
		}
		// The caller's values keep its file, which tells the targets they
		// name from those the Makefile's own values name.
		caller := func(v value) value {
			if v.file == "" {
				v.file = p
			}
			return v
		}
		set := map[string][]value{}
		for _, o := range c.overrides {
			set[o.name] = append(set[o.name], caller(o.v))
		}
		mf := readMakefile(src, file, string(data), c.cwd, c.dirs, makeGiven{cmdline: set, env: c.env, envWins: c.envWins})
		via = append(via, mf.included...)
		read := map[string]bool{file: true}
		for _, f := range mf.included {
			read[f] = true
		}
		// A conditional the call's values decide may take a branch the
		// Makefile's own reading does not: the targets written there are
		// this call's to name.
		var own map[targetAt]bool
		if mf.decided {
			own = ownMakeTargets(src, file, string(data))
		}
		vars, pieces := makefile(mf, c.goals)
		for name, vs := range set {
			vars[name] = vs // the command line wins over the file's assignments
		}
		hard := makeHardAssigned(mf.lines, c.envWins)
		lookup := func(name string) []value {
			if _, cmdline := set[name]; cmdline || hard[name] || c.env == nil {
				return vars[name]
			}
			// The environment wins over `NAME ?= default`, and gives a
			// variable the Makefile does not set.
			var vs []value
			for _, v := range c.env(name) {
				vs = append(vs, caller(v))
			}
			if len(vs) > 0 {
				return vs
			}
			return vars[name]
		}
		env := shellEnv{cwd: c.cwd, owner: c.owner + " (" + filepath.Base(file) + ")", make: true, lines: true, vars: lookup}
		for _, piece := range pieces {
			env := env
			env.file = piece.file
			if piece.patterns != nil {
				// A pattern rule the call's goals make (`make image-test`):
				// $* is the stem, where the caller writes it.
				var goals []value
				for _, g := range c.goalVals {
					goals = append(goals, caller(g))
				}
				stems := piece.stemsFor(goals)
				if len(stems) == 0 {
					continue
				}
				env.vars = makeStemVars(lookup, stems)
			}
			targets, _, _ := evalBuilds(piece.s, env)
			for _, t := range targets {
				if read[t.File] && (own == nil || own[targetAt{t.File, t.Span, t.Name}]) {
					continue
				}
				t.Via = file
				out = append(out, t)
			}
		}
	}
	return slices.Clip(out), via
}

// targetAt is where a target is named: its file, span and name.
type targetAt struct {
	file string
	span analysis.Span
	name string
}

// ownMakeTargets are the targets the Makefile at file (text) names in
// its own reading, make run without values, where each is written.
func ownMakeTargets(src source, file, text string) map[targetAt]bool {
	out := map[targetAt]bool{}
	pieces, _ := scriptShell(src, file, text)
	for _, p := range pieces {
		targets, _, _ := evalBuilds(p.s, p.env)
		for _, t := range targets {
			out[targetAt{t.File, t.Span, t.Name}] = true
		}
	}
	return out
}
