package workspace

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// walkScript finds the build commands of a shell script, Makefile or
// justfile, and the `--build-arg NAME[=value]` they pass. Values may come
// from variables: the script's own assignments and loops, a Makefile's
// variables (`DOCKERFILE ?= Dockerfile.ci`), a justfile's (`target :=
// "dev"`); each value a variable may have counts.
func walkScript(_, file, text string) walked {
	var w walked
	for _, p := range scriptShell(file, text) {
		p.env.bakeFiles = &w.bakeFiles
		p.env.makeCalls = &w.makeCalls
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
// or for a justfile one per recipe, whose parameters are its own.
func scriptShell(file, text string) []shellPiece {
	base := strings.ToLower(filepath.Base(file))
	env := shellEnv{cwd: filepath.Dir(file), owner: "docker build"}
	switch {
	case base == "makefile" || base == "gnumakefile" || strings.HasSuffix(base, ".mk"):
		vars, recipes := makefile(text, nil)
		env.make, env.lines = true, true
		env.vars = func(name string) []value { return vars[name] }
		return []shellPiece{{recipes, env}}
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
		return out
	}
	env.scriptDir = env.cwd
	return []shellPiece{{plainSrc(text, 0), env}}
}

// makeAssign is a Makefile variable assignment: `NAME ?= value`, `:=`,
// `::=`, `=`, `+=`, `!=` is a shell command and left out.
var makeAssign = regexp.MustCompile(`^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:::=|::=|:=|\+=|=)[ \t]*(.*?)\s*$`)

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
func makeOverrides(l string, start int, vars map[string][]value) {
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
				found = append(found, override{w[o[2]:o[3]], value{text: w[o[4]:o[5]], span: analysis.Span{Start: at + o[4], End: at + o[5]}}})
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
// its recipes as one piece of shell code: each recipe line without its
// leading tab and @, - or + prefix, with $$ as the shell's $. With goals
// (`make e2e` runs e2e; an empty list, the default goal), only the
// recipes of the rules those goals run, with their prerequisites, are
// taken; with nil, every recipe.
func makefile(text string, goals []string) (map[string][]value, src) {
	vars := map[string][]value{}
	var sb srcBuilder
	lines := splitLines(text)
	run := makeRuns(text, lines, goals)
	current := []string(nil) // the targets of the rule the lines below belong to
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		line := text[ln.start:ln.end]
		if h := makeRule.FindStringSubmatch(line); h != nil && !strings.HasPrefix(line, "\t") {
			current = strings.Fields(h[1])
		}
		if strings.HasPrefix(line, "\t") && run != nil && !slices.ContainsFunc(current, func(t string) bool { return run[t] }) {
			for i+1 < len(lines) && strings.HasSuffix(line, "\\") {
				i++ // a continuation of a recipe line not run
				line = text[lines[i].start:lines[i].end]
			}
			continue
		}
		if strings.HasPrefix(line, "\t") {
			// A recipe line and its continuations.
			for j := i; j < len(lines); j++ {
				l := text[lines[j].start:lines[j].end]
				start := lines[j].start
				if strings.HasPrefix(l, "\t") {
					l, start = l[1:], start+1 // Make removes the tab
				}
				if j == i {
					n := len(l) - len(strings.TrimLeft(l, "@-+ \t"))
					l, start = l[n:], start+n
				}
				makeOverrides(l, start, vars)
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
					vars[name] = append(vars[name], value{text: v[i:j], span: analysis.Span{Start: ln.start + m[6] + i, End: ln.start + m[6] + j}})
				}
				i = j + 1
			}
		}
	}
	return vars, sb.src()
}

// makeRule is a rule's header: its targets, `:` or `::`, its
// prerequisites (up to a `;` and recipe on the same line). An assignment
// (`X := y`, `docs: TARGET = docs`) is none.
var makeRule = regexp.MustCompile(`^([^:=#\t\s][^:=#]*?)\s*::?(?:\s+([^=;#]*?))?\s*(?:[;#].*)?$`)

// makeRuns returns the targets whose recipes `make goals...` runs: the
// goals (none: the default goal, the first target not starting with a
// dot) and, transitively, their prerequisites; nil when goals is nil.
func makeRuns(text string, lines []lineSpan, goals []string) map[string]bool {
	if goals == nil {
		return nil
	}
	prereqs := map[string][]string{}
	first := ""
	for _, ln := range lines {
		line := text[ln.start:ln.end]
		h := makeRule.FindStringSubmatch(line)
		if h == nil {
			continue
		}
		for _, t := range strings.Fields(h[1]) {
			prereqs[t] = append(prereqs[t], strings.Fields(h[2])...)
			if first == "" && !strings.HasPrefix(t, ".") && !strings.Contains(t, "%") {
				first = t
			}
		}
	}
	if len(goals) == 0 && first != "" {
		goals = []string{first}
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
