package workspace

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// walkScript finds the build commands of a shell script, Makefile or
// justfile, and the `--build-arg NAME[=value]` they pass. Values may come
// from variables: the script's own assignments and loops, a Makefile's
// variables (`DOCKERFILE ?= Dockerfile.ci`), a justfile's (`target :=
// "dev"`); each value a variable may have counts.
func walkScript(src source, file, text string) walked {
	var w walked
	pieces, via := scriptShell(src, file, text)
	w.via = via
	for _, p := range pieces {
		p.env.bakeFiles = &w.bakeFiles
		p.env.makeCalls = &w.makeCalls
		p.env.bakeCalls = &w.bakeCalls
		p.env.composeCalls = &w.composeCalls
		p.env.scriptCalls = &w.scriptCalls
		p.env.sourced = &w.via
		p.env.read = src.readText
		targets, args, contexts := evalBuilds(p.s, p.env)
		w.targets = append(w.targets, targets...)
		w.args = append(w.args, args...)
		w.contexts = append(w.contexts, contexts...)
	}
	return w
}

// shellPiece is shell code and what the file around it tells of its
// variables.
type shellPiece struct {
	s   src
	env shellEnv
}

// scriptShell returns the shell code of a script, Makefile or justfile,
// with what the file around the code tells of its variables: one piece,
// or for a justfile one per recipe, whose parameters are its own; for a
// Makefile, one per file of its reading (those it includes, read from src,
// which it returns too, with its variables).
func scriptShell(src source, file, text string) ([]shellPiece, []string) {
	base := strings.ToLower(filepath.Base(file))
	env := shellEnv{cwd: filepath.Dir(file), owner: "docker build"}
	switch {
	case base == "makefile" || base == "gnumakefile" || strings.HasSuffix(base, ".mk"):
		mf := readMakefile(src, file, text, env.cwd, nil, makeGiven{})
		vars, pieces := makefile(mf, nil)
		env.make, env.lines = true, true
		env.vars = func(name string) []value { return vars[name] }
		var out []shellPiece
		var prereqs []value
		for _, p := range pieces {
			env := env
			if p.file != file {
				env.file = p.file
			}
			if p.patterns != nil {
				// `image-%:`, made by the prerequisites that name it.
				if prereqs == nil {
					prereqs = makePrereqs(mf.lines)
				}
				stems := p.stemsFor(prereqs)
				if len(stems) == 0 {
					continue
				}
				env.vars = makeStemVars(env.vars, stems)
			}
			out = append(out, shellPiece{p.s, env})
		}
		return out, mf.included
	case base == "justfile" || base == ".justfile" || strings.HasSuffix(base, ".just"):
		vars, recipes := justfile(text)
		env.lines = true
		var out []shellPiece
		for _, r := range recipes {
			env := env
			if r.dir != "" {
				// Relative to the justfile's folder, as just reads it.
				env.cwd = filepath.Join(env.cwd, r.dir)
				if filepath.IsAbs(r.dir) {
					env.cwd = filepath.Clean(r.dir)
				}
			}
			env.literal = func(text string) ([]value, bool) {
				if m := justInterp.FindStringSubmatch(text); m != nil {
					if v, ok := r.params[m[1]]; ok {
						return v, true
					}
					return vars[m[1]], true
				}
				return nil, false
			}
			out = append(out, shellPiece{r.body, env})
		}
		return out, nil
	}
	env.scriptDir = env.cwd
	return []shellPiece{{plainSrc(text, 0), env}}, nil
}

// makeAssign is a Makefile variable assignment: `NAME ?= value`, `:=`,
// `::=`, `=`, `+=`, `!=` is a shell command and left out; indented with
// spaces (inside a conditional) too.
var makeAssign = regexp.MustCompile(`^ *(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:::=|::=|:=|\+=|=)[ \t]*(.*?)\s*$`)

// makeTargetAssign is a target-specific variable assignment: `docs:
// TARGET = docs`, `a b: override NAME := value` (its groups from the
// second on are makeAssign's).
var makeTargetAssign = regexp.MustCompile(`^([^:=#\t][^:=#]*?)\s*:\s*(?:(?:export|override|private)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:::=|::=|:=|\+=|=)[ \t]*(.*?)\s*$`)

// makeCall is a recipe's call of make on this Makefile (`$(MAKE) build
// TARGET=unit`), its arguments up to the command's end.
var (
	makeCall     = regexp.MustCompile(`(?:^|[;&|(\s])(?:\$\(MAKE\)|\$\{MAKE\}|make)((?:[ \t]+[^\s;&|)]+)*)`)
	makeOverride = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=([^\s'"$\\]+)$`)
)

// makeOverrides adds to vars the values a recipe line (l, at offset
// start of the Makefile) gives variables on the command line of make run
// again on this Makefile: `$(MAKE) build TARGET=unit` builds with
// TARGET=unit. A call with -C or -f runs another Makefile and is left out.
func makeOverrides(l string, start int, file string, vars map[string][]value) {
	for _, m := range makeCall.FindAllStringSubmatchIndex(l, -1) {
		args := l[m[2]:m[3]]
		type override struct {
			name string
			v    value
		}
		var found []override
		other := false
		for i := 0; i < len(args); {
			for i < len(args) && (args[i] == ' ' || args[i] == '\t') {
				i++
			}
			j := i
			for j < len(args) && args[j] != ' ' && args[j] != '\t' {
				j++
			}
			w := args[i:j]
			if w == "-C" || w == "-f" || strings.HasPrefix(w, "--directory") || strings.HasPrefix(w, "--file") || strings.HasPrefix(w, "--makefile") {
				other = true
			}
			if o := makeOverride.FindStringSubmatchIndex(w); o != nil {
				at := start + m[2] + i
				found = append(found, override{w[o[2]:o[3]], value{text: w[o[4]:o[5]], span: analysis.Span{Start: at + o[4], End: at + o[5]}, file: file}})
			}
			i = j
		}
		if other {
			continue
		}
		for _, o := range found {
			vars[o.name] = append(vars[o.name], o.v)
		}
	}
}

// justInterp is a justfile's `{{name}}` standing for a whole word.
var justInterp = regexp.MustCompile(`^\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$`)

// makefile reads a Makefile's variables (Make's syntax is not the shell's:
// its lines are read here, their recipes handed to the shell parser) and
// its recipes as shell code, one piece per file (the Makefile, then those
// it includes): each recipe line without its leading tab and @, - or +
// prefix, with $$ as the shell's $. Every variable's value keeps the file
// it is written in. With goals (`make e2e` runs e2e; an empty list, the
// default goal), only the recipes of the rules those goals run, with
// their prerequisites, are taken; with nil, every recipe.
func makefile(mf makeText, goals []string) (map[string][]value, []makePiece) {
	vars := map[string][]value{}
	// The Makefile's own recipes, then those of each file it includes.
	var own srcBuilder
	ownFile := ""
	if len(mf.lines) > 0 {
		ownFile = mf.lines[0].file
	}
	var builders map[string]*srcBuilder
	order := []string{ownFile}
	builder := func(file string) *srcBuilder {
		if file == ownFile {
			return &own
		}
		sb, ok := builders[file]
		if !ok {
			if builders == nil {
				builders = map[string]*srcBuilder{}
			}
			sb = &srcBuilder{}
			builders[file] = sb
			order = append(order, file)
		}
		return sb
	}
	// A pattern rule's recipe (`image-%:`) is a piece of its own, run for
	// each target it makes, with $* the stem.
	var patterns []makePiece
	var patternSB *srcBuilder
	lines := mf.lines
	run := makeRuns(lines, goals)
	current := []string(nil) // the targets of the rule the lines below belong to
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		line := ln.text
		if h := makeRule.FindStringSubmatch(line); h != nil && !strings.HasPrefix(line, "\t") {
			current = strings.Fields(h[1])
			if patternSB != nil {
				patterns[len(patterns)-1].s = patternSB.src()
				patternSB = nil
			}
			if slices.ContainsFunc(current, func(t string) bool { return strings.Count(t, "%") == 1 }) {
				patternSB = &srcBuilder{}
				patterns = append(patterns, makePiece{file: ln.file, patterns: current})
			}
		}
		if strings.HasPrefix(line, "\t") && run != nil && patternSB == nil && !slices.ContainsFunc(current, func(t string) bool { return run[t] }) {
			for i+1 < len(lines) && lines[i+1].file == ln.file && strings.HasSuffix(line, "\\") {
				i++ // a continuation of a recipe line not run
				line = lines[i].text
			}
			continue
		}
		if strings.HasPrefix(line, "\t") {
			// A recipe line and its continuations.
			sb := patternSB
			if sb == nil {
				sb = builder(ln.file)
			}
			for j := i; j < len(lines) && lines[j].file == ln.file; j++ {
				l := lines[j].text
				start := lines[j].start
				if strings.HasPrefix(l, "\t") {
					l, start = l[1:], start+1 // Make removes the tab
				}
				if j == i {
					n := len(l) - len(strings.TrimLeft(l, "@-+ \t"))
					l, start = l[n:], start+n
				}
				makeOverrides(l, start, ln.file, vars)
				for k := 0; k < len(l); k++ {
					if l[k] == '$' && k+1 < len(l) && l[k+1] == '$' {
						k++ // $$ is the shell's $
					}
					sb.add(l[k:k+1], start+k)
				}
				sb.add("\n", lines[j].end)
				i = j
				if !strings.HasSuffix(l, "\\") {
					break
				}
			}
			continue
		}
		m := makeAssign.FindStringSubmatchIndex(line)
		if m != nil && strings.Contains(line[:m[3]], ":") {
			m = nil
		}
		if t := makeTargetAssign.FindStringSubmatchIndex(line); m == nil && t != nil {
			// A target-specific value (`docs: TARGET = docs`): one more
			// value the variable may have in the recipes.
			m = t[2:]
		}
		if m != nil {
			name, v := line[m[2]:m[3]], line[m[6]:m[7]]
			if v == "" || strings.Contains(v, "$") {
				continue
			}
			// A list (`STAGES := test lint`, looped over with `for s in
			// $(STAGES)`): each word is a value.
			for i := 0; i < len(v); {
				j := i
				for j < len(v) && v[j] != ' ' && v[j] != '\t' {
					j++
				}
				if j > i {
					vars[name] = append(vars[name], value{text: v[i:j], span: analysis.Span{Start: ln.start + m[6] + i, End: ln.start + m[6] + j}, file: ln.file})
				}
				i = j + 1
			}
		}
	}
	if patternSB != nil {
		patterns[len(patterns)-1].s = patternSB.src()
	}
	pieces := make([]makePiece, 0, len(order)+len(patterns))
	for _, f := range order {
		sb := &own
		if f != ownFile {
			sb = builders[f]
		}
		pieces = append(pieces, makePiece{file: f, s: sb.src()})
	}
	for _, p := range patterns {
		if len(p.s.text) > 0 {
			pieces = append(pieces, p)
		}
	}
	return vars, pieces
}

// makePiece is the recipes one file of a Makefile's reading holds, as
// shell code; or one pattern rule's recipe, with its target patterns.
type makePiece struct {
	file     string
	s        src
	patterns []string
}

// stemsFor returns the stems of the targets among goals (each with its
// span) that the piece's pattern rule makes (`image-%` makes image-test:
// stem test, spanning "test"); none for a piece of no pattern rule.
func (p makePiece) stemsFor(goals []value) []value {
	var out []value
	for _, pat := range p.patterns {
		prefix, suffix, ok := strings.Cut(pat, "%")
		if !ok {
			continue
		}
		for _, g := range goals {
			if len(g.text) > len(prefix)+len(suffix) && strings.HasPrefix(g.text, prefix) && strings.HasSuffix(g.text, suffix) {
				stem := g.text[len(prefix) : len(g.text)-len(suffix)]
				sp := analysis.Span{Start: g.span.Start + len(prefix), End: g.span.Start + len(prefix) + len(stem)}
				out = append(out, value{text: stem, span: sp, file: g.file})
			}
		}
	}
	return out
}

// makeStemVars wraps vars with $* (the stem) having the values stems.
func makeStemVars(vars func(string) []value, stems []value) func(string) []value {
	return func(name string) []value {
		if name == "*" {
			return stems
		}
		return vars(name)
	}
}

// makePrereqs are the prerequisites the rules of a Makefile's lines name
// (those of .PHONY too), each with its span in its file: the targets of
// pattern rules the Makefile itself makes.
func makePrereqs(lines []makeLine) []value {
	var out []value
	for _, ln := range lines {
		if strings.HasPrefix(ln.text, "\t") {
			continue
		}
		m := makeRule.FindStringSubmatchIndex(ln.text)
		if m == nil || m[4] < 0 {
			continue
		}
		for i := m[4]; i < m[5]; {
			for i < m[5] && (ln.text[i] == ' ' || ln.text[i] == '\t') {
				i++
			}
			j := i
			for j < m[5] && ln.text[j] != ' ' && ln.text[j] != '\t' {
				j++
			}
			if j > i {
				out = append(out, value{text: ln.text[i:j], span: analysis.Span{Start: ln.start + i, End: ln.start + j}, file: ln.file})
			}
			i = j
		}
	}
	return out
}

// makeRule is a rule's header: its targets, `:` or `::`, its
// prerequisites (up to a `;` and recipe on the same line). An assignment
// (`X := y`, `docs: TARGET = docs`) is none.
var makeRule = regexp.MustCompile(`^([^:=#\t\s][^:=#]*?)\s*::?(?:\s+([^=;#]*?))?\s*(?:[;#].*)?$`)

// makeDefaultGoal is an assignment of the default goal: `.DEFAULT_GOAL :=
// image`; an empty value resets it.
var makeDefaultGoal = regexp.MustCompile(`^\s*(?:override\s+)?\.DEFAULT_GOAL\s*(?::::=|::=|:=|\?=|=)\s*(\S*)\s*(?:#.*)?$`)

// makeRuns returns the targets whose recipes `make goals...` runs: the
// goals (none: the default goal) and, transitively, their prerequisites;
// nil when goals is nil. The default goal is the last value of
// .DEFAULT_GOAL, which make sets, when it is empty, to the first target
// (not starting with a dot, nor a pattern) of the rule read next, in
// included files too.
func makeRuns(lines []makeLine, goals []string) map[string]bool {
	if goals == nil {
		return nil
	}
	prereqs := map[string][]string{}
	def := ""
	for _, ln := range lines {
		if m := makeDefaultGoal.FindStringSubmatch(ln.text); m != nil {
			def = m[1]
			continue
		}
		h := makeRule.FindStringSubmatch(ln.text)
		if h == nil {
			continue
		}
		for _, t := range strings.Fields(h[1]) {
			prereqs[t] = append(prereqs[t], strings.Fields(h[2])...)
			if def == "" && !strings.HasPrefix(t, ".") && !strings.Contains(t, "%") {
				def = t
			}
		}
	}
	if len(goals) == 0 && def != "" {
		goals = []string{def}
	}
	run := map[string]bool{}
	work := slices.Clone(goals)
	for len(work) > 0 {
		t := work[len(work)-1]
		work = work[:len(work)-1]
		if run[t] {
			continue
		}
		run[t] = true
		work = append(work, prereqs[t]...)
	}
	return run
}

// makeText is a Makefile as make reads it: its lines, with the lines of
// the files it includes read in at each include line, and those files.
// The lines of the conditionals' branches make does not take are left
// out, and the conditional directives.
type makeText struct {
	lines    []makeLine
	included []string // the files read in, and those named that are missing
	// decided is set when a conditional left lines out: another call,
	// with other values, may read them.
	decided bool
}

// makeLine is one line of a Makefile's reading: its text (without the
// newline) and its offsets in the file it lies in.
type makeLine struct {
	text       string
	file       string
	start, end int
}

// makeInclude is an include directive: `include a.mk b.mk`, `-include`
// and `sinclude` (which ignore a missing file), the file names after it.
var makeInclude = regexp.MustCompile(`^\s*(?:-include|sinclude|include)\s+([^#]*?)\s*(?:#.*)?$`)

// makeIncludeDepth bounds nested includes.
const makeIncludeDepth = 8

// readMakefile reads the Makefile file (text is its text) as make run in
// folder cwd does: an include's relative names are found in cwd, then in
// dirs (make's -I), as GNU make looks for them; shell patterns match
// files there; a name holding a variable with one known value (set
// before, in the files read so far) is expanded. Conditionals take the
// branch make takes with the values the call gives (given) and the
// file's own. Files are read from src.
func readMakefile(src source, file, text, cwd string, dirs []string, given makeGiven) makeText {
	var mf makeText
	conds := newMakeConds(given)
	seen := map[string]bool{file: true}
	var read func(file, text string, depth int)
	read = func(file, text string, depth int) {
		lines := splitLines(text)
		mf.lines = slices.Grow(mf.lines, len(lines))
		for _, ln := range lines {
			line := text[ln.start:ln.end]
			if !conds.read(line) {
				continue
			}
			mf.lines = append(mf.lines, makeLine{text: line, file: file, start: ln.start, end: ln.end})
			if strings.HasPrefix(line, "\t") || !strings.Contains(line, "include") {
				continue
			}
			m := makeInclude.FindStringSubmatch(line)
			if m == nil || depth >= makeIncludeDepth {
				continue
			}
			names := m[1]
			if strings.Contains(names, "$") {
				names = makeExpand(names, makeSimpleVars(mf.lines))
			}
			for _, name := range strings.Fields(names) {
				if strings.Contains(name, "$") {
					continue // a name this reading cannot tell
				}
				if strings.ContainsAny(name, "*?[") {
					// A file created where the pattern matches re-reads
					// the Makefile.
					pat := name
					if !filepath.IsAbs(pat) {
						pat = filepath.Join(cwd, name)
					}
					if _, err := confined.Rel(src.root, filepath.Dir(pat)); err == nil && !seen[pat] {
						seen[pat] = true
						mf.included = append(mf.included, filepath.Clean(pat))
					}
				}
				for _, p := range makeIncludePaths(src, name, cwd, dirs) {
					if seen[p] {
						continue
					}
					seen[p] = true
					mf.included = append(mf.included, p)
					data, err := src.read(p, DefaultLimits.MaxSize)
					if err != nil || len(data) > int(DefaultLimits.MaxSize) {
						continue
					}
					read(p, string(data), depth+1)
				}
			}
		}
	}
	read(file, text, 0)
	mf.decided = conds.decided
	return mf
}

// makeSimpleVars are the variables the lines set to a value holding no
// reference, the last assignment winning: what an include's name may
// expand.
func makeSimpleVars(lines []makeLine) map[string]string {
	vars := map[string]string{}
	for _, ln := range lines {
		if m := makeAssign.FindStringSubmatch(ln.text); m != nil && !strings.HasPrefix(ln.text, "\t") && !strings.Contains(m[3], "$") {
			vars[m[1]] = m[3]
		}
	}
	return vars
}

// makeVarRef is a variable reference in a Makefile: $(NAME) or ${NAME}.
var makeVarRef = regexp.MustCompile(`\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]`)

// makeExpand replaces the variable references in s that vars gives a value.
func makeExpand(s string, vars map[string]string) string {
	return makeVarRef.ReplaceAllStringFunc(s, func(ref string) string {
		if v, ok := vars[ref[2:len(ref)-1]]; ok {
			return v
		}
		return ref
	})
}

// makeIncludePaths are the files an include's name (a path or a shell
// pattern) reads: relative to cwd, else to the first of dirs that has
// it. A missing file is still given, once, where make looks first, so
// that its creation re-reads the Makefile.
func makeIncludePaths(src source, name, cwd string, dirs []string) []string {
	var out []string
	for _, dir := range append([]string{cwd}, dirs...) {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, name)
		}
		p = filepath.Clean(p)
		if strings.ContainsAny(name, "*?[") {
			matches, _ := filepath.Glob(p)
			for _, m := range matches {
				if _, err := confined.Rel(src.root, m); err == nil {
					out = append(out, m)
				}
			}
			if len(out) > 0 || filepath.IsAbs(name) {
				return out
			}
			continue
		}
		if _, err := src.read(p, DefaultLimits.MaxSize); err == nil {
			return []string{p}
		}
		if filepath.IsAbs(name) {
			break
		}
	}
	if strings.ContainsAny(name, "*?[") {
		return nil
	}
	p := filepath.Clean(filepath.Join(cwd, name))
	if filepath.IsAbs(name) {
		p = filepath.Clean(name)
	}
	return []string{p}
}

// justRecipe is a justfile recipe: its parameters, those with a quoted
// default holding it (`build target="dev" tag:`), and its body, the
// indented lines below it, as shell code.
type justRecipe struct {
	params map[string][]value
	body   src
	dir    string // its working directory, when not the justfile's folder
	own    bool   // dir is its own attribute's, not the file's setting
}

// justfile reads a justfile's `name := "value"` variables and its recipes.
// `just build` runs a recipe with its parameters' defaults; within the
// recipe a parameter hides the variable of its name.
func justfile(text string) (map[string][]value, []justRecipe) {
	vars := map[string][]value{}
	var recipes []justRecipe
	var sb srcBuilder
	params := map[string][]value{}
	// A recipe runs in the folder of its [working-directory] attribute,
	// else of the file's `set working-directory`, else the justfile's.
	var setDir, attrDir, dir string
	own, attr := false, false
	flush := func() {
		recipes = append(recipes, justRecipe{params: params, body: sb.src(), dir: dir, own: own})
		sb, params = srcBuilder{}, map[string][]value{}
	}
	for _, ln := range splitLines(text) {
		line := text[ln.start:ln.end]
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed != line && trimmed != "" {
			n := len(line) - len(trimmed)
			n += len(trimmed) - len(strings.TrimLeft(trimmed, "@-"))
			sb.add(line[n:], ln.start+n)
			sb.add("\n", ln.end)
			continue
		}
		if m := justSetDir.FindStringSubmatch(line); m != nil {
			setDir = m[1][1 : len(m[1])-1]
			continue
		}
		if strings.HasPrefix(line, "[") {
			if m := justDirAttr.FindStringSubmatch(line); m != nil {
				attrDir, attr = m[1][1:len(m[1])-1], true
			} else if justNoCd.MatchString(line) {
				// Where just is run from: taken to be the justfile's folder.
				attrDir, attr = "", true
			}
			continue
		}
		if ps, ok := justParams(line); ok {
			flush()
			dir, own, attrDir, attr = attrDir, attr, "", false
			for _, m := range ps {
				var vals []value
				if m[2] < m[3] {
					vals = []value{{text: line[m[2]+1 : m[3]-1], span: analysis.Span{Start: ln.start + m[2] + 1, End: ln.start + m[3] - 1}}}
				}
				params[line[m[0]:m[1]]] = vals
			}
			continue
		}
		name, v, ok := strings.Cut(line, ":=")
		name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), "export "))
		v = strings.TrimSpace(v)
		if !ok || name == "" || strings.ContainsAny(name, " \t") || len(v) < 2 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
			continue
		}
		start := ln.start + strings.Index(line, v) + 1
		vars[name] = append(vars[name], value{text: v[1 : len(v)-1], span: analysis.Span{Start: start, End: start + len(v) - 2}})
	}
	flush()
	for i := range recipes {
		if !recipes[i].own {
			recipes[i].dir = setDir
		}
	}
	return vars, recipes
}

// A justfile's `set working-directory := 'x'` and a recipe's
// `[working-directory('x')]` or `[working-directory: 'x']` attribute
// (among others in the brackets): the folder, quoted.
var (
	justSetDir  = regexp.MustCompile(`^set\s+working-directory\s*:=\s*("[^"\\]*"|'[^']*')\s*(?:#.*)?$`)
	justNoCd    = regexp.MustCompile(`[\[,]\s*no-cd\s*[\],]`)
	justDirAttr = regexp.MustCompile(`[\[,]\s*working-directory\s*(?:\(\s*|:\s*)("[^"\\]*"|'[^']*')`)
)

// A justfile recipe's header: its name (`@` runs it quietly), then its
// parameters, each `name`, `name="default"` or `name='default'` (`$`
// exports it; `+` and `*` mark variadic ones), then `:`.
var (
	justHead  = regexp.MustCompile(`^@?[A-Za-z_][A-Za-z0-9_-]*`)
	justParam = regexp.MustCompile(`^[$+*]*([A-Za-z_][A-Za-z0-9_-]*)(?:=("[^"\\]*"|'[^']*'))?`)
)

// justParams reads a justfile line that opens a recipe (`name params...:
// deps`): the byte offsets of each parameter's name and of its quoted
// default (quotes included; empty when it has none, or one that is not a
// string). ok is false for other lines.
func justParams(line string) (out [][4]int, ok bool) {
	head := justHead.FindStringIndex(line)
	if head == nil || strings.Contains(line, ":=") {
		return nil, false
	}
	for i := head[1]; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == ':':
			return out, true
		default:
			m := justParam.FindStringSubmatchIndex(line[i:])
			if m == nil || i == head[1] {
				return nil, false // not a parameter, or none after a space
			}
			p := [4]int{i + m[2], i + m[3], i, i}
			if m[4] >= 0 {
				p[2], p[3] = i+m[4], i+m[5]
			} else if end := i + m[1]; end < len(line) && line[end] == '=' {
				// A default that is an expression: its value is unknown;
				// skip to the next space or the colon.
				j := strings.IndexAny(line[end:], " \t:")
				if j < 0 {
					return nil, false
				}
				m[1] += j
			}
			out = append(out, p)
			i += m[1]
		}
	}
	return nil, false // no colon: not a recipe
}

type lineSpan struct{ start, end int }

// splitLines returns the lines of text, without their newlines (and \r).
func splitLines(text string) []lineSpan {
	var out []lineSpan
	start := 0
	for i := 0; i <= len(text); i++ {
		if i == len(text) || text[i] == '\n' {
			end := i
			if end > start && text[end-1] == '\r' {
				end--
			}
			if i < len(text) || start < len(text) {
				out = append(out, lineSpan{start, end})
			}
			start = i + 1
		}
	}
	return out
}
