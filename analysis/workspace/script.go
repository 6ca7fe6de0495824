package workspace

import (
	"path/filepath"
	"regexp"
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
	w.targets, w.args, w.contexts = evalBuilds(scriptShell(file, text))
	return w
}

// scriptShell returns the shell code of a script, Makefile or justfile,
// with what the file around the code tells of its variables.
func scriptShell(file, text string) (src, shellEnv) {
	base := strings.ToLower(filepath.Base(file))
	env := shellEnv{cwd: filepath.Dir(file), owner: "docker build"}
	switch {
	case base == "makefile" || base == "gnumakefile" || strings.HasSuffix(base, ".mk"):
		vars, recipes := makefile(text)
		env.make = true
		env.vars = func(name string) []value { return vars[name] }
		return recipes, env
	case base == "justfile" || base == ".justfile" || strings.HasSuffix(base, ".just"):
		vars, recipes := justfile(text)
		env.literal = func(text string) ([]value, bool) {
			if m := justInterp.FindStringSubmatch(text); m != nil {
				return vars[m[1]], true
			}
			return nil, false
		}
		return recipes, env
	}
	return plainSrc(text, 0), env
}

// makeAssign is a Makefile variable assignment: `NAME ?= value`, `:=`,
// `::=`, `=`, `+=`, `!=` is a shell command and left out.
var makeAssign = regexp.MustCompile(`^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(\?=|:::=|::=|:=|\+=|=)[ \t]*(.*?)\s*$`)

// justInterp is a justfile's `{{name}}` standing for a whole word.
var justInterp = regexp.MustCompile(`^\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$`)

// makefile reads a Makefile's variables (Make's syntax is not the shell's:
// its lines are read here, their recipes handed to the shell parser) and
// its recipes as one piece of shell code: each recipe line without its
// leading tab and @, - or + prefix, with $$ as the shell's $.
func makefile(text string) (map[string][]value, src) {
	vars := map[string][]value{}
	var sb srcBuilder
	lines := splitLines(text)
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		line := text[ln.start:ln.end]
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
		if m := makeAssign.FindStringSubmatchIndex(line); m != nil && !strings.Contains(line[:m[3]], ":") {
			name, v := line[m[2]:m[3]], line[m[6]:m[7]]
			if v != "" && !strings.ContainsAny(v, "$ \t") {
				vars[name] = append(vars[name], value{text: v, span: analysis.Span{Start: ln.start + m[6], End: ln.start + m[7]}})
			}
		}
	}
	return vars, sb.src()
}

// justfile reads a justfile's `name := "value"` variables and its recipe
// bodies, the indented lines, as shell code.
func justfile(text string) (map[string][]value, src) {
	vars := map[string][]value{}
	var sb srcBuilder
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
		name, v, ok := strings.Cut(line, ":=")
		name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), "export "))
		v = strings.TrimSpace(v)
		if !ok || name == "" || strings.ContainsAny(name, " \t") || len(v) < 2 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
			continue
		}
		start := ln.start + strings.Index(line, v) + 1
		vars[name] = append(vars[name], value{text: v[1 : len(v)-1], span: analysis.Span{Start: start, End: start + len(v) - 2}})
	}
	return vars, sb.src()
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
