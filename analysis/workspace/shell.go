package workspace

import (
	"cmp"
	"path/filepath"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/analysis"
)

// src is shell code cut out of a file (a Makefile recipe, a workflow's
// `run:` block, a whole script), with the file offset of each of its bytes,
// so that spans found in the code land on the file's bytes.
type src struct {
	text string
	off  []int // off[i] is the file offset of text[i]; one more entry for the end
}

// plainSrc is text found as is at file offset base.
func plainSrc(text string, base int) src {
	off := make([]int, len(text)+1)
	for i := range off {
		off[i] = base + i
	}
	return src{text: text, off: off}
}

// srcBuilder builds a src byte by byte.
type srcBuilder struct {
	b   strings.Builder
	off []int
}

func (sb *srcBuilder) add(text string, base int) {
	sb.b.WriteString(text)
	for i := range len(text) {
		sb.off = append(sb.off, base+i)
	}
}

func (sb *srcBuilder) src() src {
	end := 0
	if n := len(sb.off); n > 0 {
		end = sb.off[n-1] + 1
	}
	return src{text: sb.b.String(), off: append(sb.off, end)}
}

// span maps bytes [a, b) of the code to the file.
func (s src) span(a, b int) analysis.Span {
	a, b = min(max(a, 0), len(s.text)), min(max(b, 0), len(s.text))
	if b <= a {
		return analysis.Span{Start: s.off[a], End: s.off[a]}
	}
	return analysis.Span{Start: s.off[a], End: s.off[b-1] + 1}
}

// value is one value a word may have, with the span of its characters in
// the file where it is written literally.
type value struct {
	text string
	span analysis.Span
	// computed is set when text is built from literal text and the values
	// of variables or expressions (`runtime-$(FLAVOR)`): span covers the
	// whole expression, which holds no one copy of text.
	computed bool
	// file is the file span lies in when it is not the code's own (a
	// variable of a Makefile that another includes, a caller's value).
	file string
}

// computedValues are the texts of an expression built from pieces, each
// spanning the whole of it.
func computedValues(texts []string, span analysis.Span) []value {
	out := make([]value, 0, len(texts))
	for _, t := range texts {
		out = append(out, value{text: t, span: span, computed: true})
	}
	return out
}

// namedPair reads v as name=value (a build argument or a named context).
// A name that is empty or built from the shell is no pair. The span covers
// the name where the word is written plainly.
func (v value) namedPair() (name, val string, span analysis.Span, ok bool) {
	name, val, _ = strings.Cut(v.text, "=")
	if name == "" || strings.ContainsAny(name, "$`") {
		return "", "", analysis.Span{}, false
	}
	span = v.span
	if span.Start+len(name) <= span.End {
		span.End = span.Start + len(name)
	}
	return name, val, span, true
}

// shellEnv gives what the shell code cannot: the values of variables the
// surrounding file defines (Make variables, a workflow's env and inputs)
// and of placeholders standing for its own expressions.
type shellEnv struct {
	vars    func(name string) []value
	literal func(text string) ([]value, bool) // a whole word that is an expression of the file's own
	expand  func(text string) []string        // literal text holding such expressions, expanded
	make    bool                              // $(NAME) is a Make variable, not a command
	lines   bool                              // each line runs in a shell of its own (Make and just recipes)
	cwd     string                            // where the commands run; -f and the context are relative to it
	owner   string                            // for messages: "docker build", "step test"
	// bakeFiles, when set, gets the Bake files `docker buildx bake -f`
	// names, for the walk to read their targets.
	bakeFiles *[]bakeFileRef
	// makeCalls, when set, gets the calls of make with variables on its
	// command line, for the walk to read the Makefile they run.
	makeCalls *[]makeCallRef
	// bakeCalls, when set, gets the bake commands, for the walk to read
	// their Bake files' variables from the commands' environment.
	bakeCalls *[]bakeCall
	// composeCalls, when set, gets the docker compose commands naming
	// their files, for the walk to read the files past the first.
	composeCalls *[]composeCallRef
	// scriptCalls, when set, gets the calls of the repository's scripts,
	// for the walk to read them with the calls' arguments.
	scriptCalls *[]scriptCallRef
	// scriptDir is the folder of the script the code is, where `$(dirname
	// "$0")` leads; "" for code that is no script file of its own.
	scriptDir string
	// file is the file the code lies in when it is not the one walked (a
	// Makefile another includes).
	file string
	// read, when set, reads a file the code sources (`. ./.env`), and
	// sourced gets its name, for an edit there to re-read the code's file.
	read    func(p string) (string, bool)
	sourced *[]string
	// shell, when set, is the shell the code runs in after other code (a
	// GitLab job's earlier lines): the code starts from its variables and
	// folder and leaves its own there.
	shell *shellVars
	// githubEnv, when set, gets the variables the code writes to
	// $GITHUB_ENV, for the walk to set them in the job's later steps.
	githubEnv *[]envWrite
}

// evaluator finds the values of the words of one piece of shell code.
type evaluator struct {
	s       src
	env     shellEnv
	assigns map[string][]*syntax.Word // the code's own assignments, for loops and ${X:=default}
	depth   int
	args    []BuildArg // the --build-arg values of the build commands evaluated so far
	// contexts are the --build-context names of the build commands
	// evaluated so far.
	contexts []NamedContext
	// sh follows the code's variables in order: what it exports reaches
	// the commands it runs after.
	sh shellVars
	// conditional holds the bodies of conditionals and loops walked.
	conditional map[syntax.Node]bool
}

// stmtNodes returns stmts as nodes to walk.
func stmtNodes(stmts []*syntax.Stmt) []syntax.Node {
	out := make([]syntax.Node, len(stmts))
	for i, st := range stmts {
		out[i] = st
	}
	return out
}

// shellTargets finds the build commands in s (`docker build`, `docker
// buildx build`, `podman build`, `buildah bud`, `nerdctl build`, `docker
// buildx bake --set`) and returns the targets they name.
func shellTargets(s src, env shellEnv) []Target {
	targets, _, _ := evalBuilds(s, env)
	return targets
}

// evalBuilds finds the build commands in s and returns the targets they
// name, the build arguments (`--build-arg`) they pass and the named build
// contexts (`--build-context name=value`) they give.
func evalBuilds(s src, env shellEnv) ([]Target, []BuildArg, []NamedContext) {
	var out []Target
	var args []BuildArg
	var contexts []NamedContext
	for _, piece := range parseShell(s) {
		e := &evaluator{s: piece.s, env: env, assigns: map[string][]*syntax.Word{}, sh: newShellVars()}
		if env.shell != nil {
			e.sh = env.shell.clone()
			e.env.cwd = cmp.Or(e.sh.cwd, env.cwd)
		}

		syntax.Walk(piece.f, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.Assign:
				if n.Name != nil && n.Value != nil {
					e.assigns[n.Name.Value] = append(e.assigns[n.Name.Value], n.Value)
				}
			case *syntax.WordIter:
				if n.Name != nil {
					e.assigns[n.Name.Value] = append(e.assigns[n.Name.Value], n.Items...)
				}
			case *syntax.ParamExp:
				if n.Param != nil && n.Exp != nil && n.Exp.Word != nil && (n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull) {
					e.assigns[n.Param.Value] = append(e.assigns[n.Param.Value], n.Exp.Word)
				}
			}
			return true
		})
		// `cd app && docker build .` builds app/Dockerfile: a cd with a
		// known folder moves the commands after it, to the end of the
		// script, or in a Makefile or justfile (a shell per recipe line) of
		// the line.
		prev := 0

		for _, stmt := range piece.f.Stmts {
			if env.lines && newLogicalLine(piece.s.text[prev:stmt.Pos().Offset()]) {
				e.env.cwd = env.cwd
				e.sh = newShellVars()
			}
			prev = int(stmt.End().Offset())
			var visit func(n syntax.Node) bool
			visit = func(n syntax.Node) bool {
				var inner []syntax.Node
				switch n := n.(type) {
				case *syntax.Stmt:
					e.githubEnv(n)
					return true
				case *syntax.CallExpr:
					if e.follow(n) {
						return true
					}
					if !e.cd(n) {
						e.makeCall(n)
						e.composeCall(n)
						e.scriptCall(n)
						out = append(out, e.build(n)...)
					}
					return true
				case *syntax.DeclClause:
					e.follow(n)
					return true
				case *syntax.IfClause, *syntax.CaseClause, *syntax.WhileClause, *syntax.ForClause:
					if e.conditional[n] {
						return true
					}
					if e.conditional == nil {
						e.conditional = map[syntax.Node]bool{}
					}
					e.conditional[n] = true
					e.sh.branch++
					syntax.Walk(n, visit)
					e.sh.branch--
					return false
				case *syntax.BinaryCmd:
					if n.Op != syntax.AndStmt && n.Op != syntax.OrStmt {
						return true
					}
					// `[ -n "$CI" ] && export TARGET=ci`: the right side may not run.
					syntax.Walk(n.X, visit)
					e.sh.branch++
					syntax.Walk(n.Y, visit)
					e.sh.branch--
					return false
				case *syntax.Subshell:
					inner = stmtNodes(n.Stmts)
				case *syntax.CmdSubst:
					inner = stmtNodes(n.Stmts)
				case *syntax.FuncDecl:
					inner = []syntax.Node{n.Body}
				default:
					return true
				}
				// A subshell's cd and variables end with it (a function's
				// too: when it runs is not followed).
				saved, savedVars := e.env.cwd, e.sh
				e.sh = e.sh.clone()
				for _, st := range inner {
					syntax.Walk(st, visit)
				}
				e.env.cwd, e.sh = saved, savedVars
				return false
			}
			syntax.Walk(stmt, visit)
		}
		args = append(args, e.args...)
		contexts = append(contexts, e.contexts...)
		if env.shell != nil {
			e.sh.cwd = e.env.cwd
			*env.shell = e.sh
		}
	}
	return out, args, contexts
}

type parsed struct {
	f *syntax.File
	s src
}

// parseShell parses s as Bash; when the whole does not parse (a
// half-written script, Make syntax the shell does not know), each line,
// with its continuations, is parsed alone and those that parse are kept.
func parseShell(s src) []parsed {
	p := syntax.NewParser(syntax.Variant(syntax.LangBash))
	if f, err := p.Parse(strings.NewReader(s.text), ""); err == nil {
		return []parsed{{f, s}}
	}
	var out []parsed
	start := 0
	for i := 0; i <= len(s.text); i++ {
		if i < len(s.text) && (s.text[i] != '\n' || (i > 0 && s.text[i-1] == '\\')) {
			continue
		}
		line := src{text: s.text[start:i], off: s.off[start : i+1]}
		if strings.Contains(line.text, "build") || strings.Contains(line.text, "bake") || strings.Contains(line.text, "make") {
			if f, err := p.Parse(strings.NewReader(line.text), ""); err == nil {
				out = append(out, parsed{f, line})
			}
		}
		start = i + 1
	}
	return out
}

// valueFlags are the options of `docker build` and `docker buildx build`
// (and bake) that take a value; any other option is a switch. The one
// argument left is the build context.
var valueFlags = map[string]bool{
	"-t": true, "--tag": true, "-f": true, "--file": true, "--build-arg": true, "--target": true,
	"--platform": true, "--label": true, "--cache-from": true, "--cache-to": true, "--secret": true,
	"--ssh": true, "-o": true, "--output": true, "--progress": true, "--network": true,
	"--add-host": true, "--iidfile": true, "--metadata-file": true, "--builder": true,
	"--build-context": true, "--attest": true, "--shm-size": true, "--ulimit": true,
	"--allow": true, "--annotation": true, "--call": true, "--cgroup-parent": true, "--policy": true,
	"--set": true, "--var": true,
}

// word is a command's argument: its literal text when it has one, its
// possible values, and its span in the file.
type word struct {
	lit    string
	isLit  bool
	values []value  // a literal, or the values of the one variable it is
	texts  []string // what it may expand to, variables within text included
	span   analysis.Span
	end    int // offset in the code just after it
	// exprs is set on a literal word that holds expressions of the
	// surrounding file (a workflow's `${{ matrix.x }}`).
	exprs bool
	// flagValues are the values of an option's variable value
	// (`--target=$(STAGE)`, `--target="$STAGE"`).
	flagValues []value
	// leads are the literal pieces before a word's first expansion, when
	// the word is not literal (`VERSION=` of `VERSION=$(VERSION)`; `--x=`
	// and `K=` of `--x="K=$V"`), each with its exact span: enough to name
	// a build argument or context whose value is computed.
	leads []value
}

// named returns the values of a `--build-arg` or `--build-context` word
// (the option's own text included when flag is set): its values, else the
// literal piece that holds the name and `=`.
func (w word) named(flag bool) []value {
	if len(w.values) > 0 || len(w.leads) == 0 {
		return w.values
	}
	lead := w.leads[0]
	if flag {
		if _, after, _ := strings.Cut(lead.text, "="); after == "" && len(w.leads) > 1 {
			lead = w.leads[1]
		} else {
			lead = value{text: after, span: analysis.Span{Start: lead.span.End - len(after), End: lead.span.End}}
		}
	}
	if !strings.Contains(lead.text, "=") {
		return nil
	}
	return []value{lead}
}

// build returns the targets a build command names.
func (e *evaluator) build(call *syntax.CallExpr) []Target {
	args := make([]word, 0, len(call.Args))
	for _, w := range call.Args {
		args = append(args, e.word(w))
	}
	rest, tool, ok := buildArgs(args)
	if !ok {
		return nil
	}
	bake, kaniko := tool == toolBake, tool == toolKaniko
	var targets, files, contexts, sets, named, buildArgValues, namedContexts []value
	var typing *analysis.Span
	// texts turns the possible texts of a word into values without spans,
	// for paths, which are never edited.
	texts := func(ts []string, cut bool) []value {
		var out []value
		for _, t := range ts {
			if cut {
				_, t, _ = strings.Cut(t, "=")
			}
			out = append(out, value{text: t})
		}
		return out
	}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		first := a.lit
		if !a.isLit {
			if len(a.leads) > 0 {
				first = a.leads[0].text
			}
			if len(a.texts) > 0 {
				first = a.texts[0]
			}
		}
		name, _, hasValue := strings.Cut(first, "=")
		if kaniko {
			// Kaniko's executor takes no positional argument; its
			// Dockerfile and context are options.
			if !strings.HasPrefix(name, "-") {
				continue
			}
			if alias, ok := kanikoFlags[name]; ok {
				name = alias
			}
		}
		if !strings.HasPrefix(name, "-") {
			if bake {
				named = append(named, a.values...)
			} else {
				contexts = texts(a.texts, false)
			}
			continue
		}
		if !valueFlags[name] && (!kaniko || name != "--context") {
			continue
		}
		var vals []value
		named := name == "--build-arg" || name == "--build-context"
		if hasValue {
			if named && len(a.values) == 0 {
				vals = a.named(true)
			}
			for _, v := range a.values {
				_, after, _ := strings.Cut(v.text, "=")
				vals = append(vals, value{text: after, span: analysis.Span{Start: v.span.End - len(after), End: v.span.End}})
			}
			if !named {
				vals = append(vals, a.flagValues...)
			}
			if name == "-f" || name == "--file" || name == "--context" {
				vals = texts(a.texts, true)
			}
		} else {
			if i+1 >= len(rest) {
				if name == "--target" {
					// `--target ` at the end of a line: being typed.
					sp := e.s.span(a.end, a.end+1)
					sp.Start = sp.End
					typing = &sp
				}
				break
			}
			i++
			vals = rest[i].values
			if named {
				vals = rest[i].named(false)
			}
			if name == "-f" || name == "--file" || name == "--context" {
				vals = texts(rest[i].texts, false)
			}
		}
		switch name {
		case "--target":
			// A value built from pieces (runtime-$(FLAVOR)): each text it
			// may have.
			if w := rest[i]; hasValue && (len(vals) == 0 || w.exprs) {
				var ts []string
				for _, t := range w.texts {
					_, t, _ = strings.Cut(t, "=")
					ts = append(ts, t)
				}
				eq := strings.Index(w.lit, "=") + 1
				if !w.isLit && len(w.leads) > 0 {
					eq = strings.Index(w.leads[0].text, "=") + 1
				}
				vals = computedValues(ts, analysis.Span{Start: min(w.span.Start+eq, w.span.End), End: w.span.End})
			} else if !hasValue && (len(vals) == 0 || w.exprs) {
				vals = computedValues(w.texts, w.span)
			}
			targets = append(targets, vals...)
		case "-f", "--file":
			files = append(files, vals...)
		case "--context": // kaniko's: a folder, dir://folder, or remote
			contexts = nil
			for _, v := range vals {
				if t := strings.TrimPrefix(v.text, "dir://"); !strings.Contains(t, "://") {
					contexts = append(contexts, value{text: t})
				}
			}
		case "--set":
			sets = append(sets, vals...)
		case "--build-arg":
			buildArgValues = append(buildArgValues, vals...)
		case "--build-context":
			namedContexts = append(namedContexts, vals...)
		}
	}
	var out []Target
	if bake {
		var fileList []string
		for _, f := range files {
			if f.text != "" && !f.computed {
				fileList = append(fileList, e.path(f.text))
			}
		}
		for _, f := range fileList {
			if e.env.bakeFiles != nil {
				*e.env.bakeFiles = append(*e.env.bakeFiles, bakeFileRef{file: f, cwd: e.env.cwd, files: strings.Join(fileList, "\x00")})
			}
		}
		if e.env.bakeCalls != nil {
			c := bakeCall{cwd: e.env.cwd, env: e.callEnv(call), files: fileList}
			for _, n := range named {
				c.targets = append(c.targets, n.text)
			}
			if len(files) == 0 {
				for _, name := range bakeAllDefaultFiles {
					c.files = append(c.files, e.path(name))
				}
			}
			*e.env.bakeCalls = append(*e.env.bakeCalls, c)
		}
		return e.bakeSets(sets, files, named)
	}
	var dockerfiles []string
	switch {
	case len(files) > 0:
		for _, f := range files {
			dockerfiles = append(dockerfiles, e.path(f.text))
		}
	case len(contexts) > 0:
		for _, c := range contexts {
			dockerfiles = append(dockerfiles, filepath.Join(e.path(c.text), "Dockerfile"))
		}
	default:
		return nil // no context we can tell
	}
	for _, df := range dockerfiles {
		for _, v := range buildArgValues {
			if name, _, span, ok := v.namedPair(); ok {
				e.args = append(e.args, BuildArg{File: e.env.file, Name: name, Span: span, Dockerfile: filepath.Clean(df), Owner: e.env.owner})
			}
		}
	}
	for _, df := range dockerfiles {
		for _, v := range namedContexts {
			if name, val, span, ok := v.namedPair(); ok {
				e.contexts = append(e.contexts, NamedContext{File: e.env.file, Name: name, Value: val, Span: span, Dockerfile: filepath.Clean(df), Owner: e.env.owner})
			}
		}
	}
	if typing != nil {
		targets = append(targets, value{span: *typing})
	}
	for _, df := range dockerfiles {
		for _, t := range targets {
			out = append(out, Target{File: cmp.Or(t.file, e.env.file), Name: t.text, Span: t.span, Dockerfile: df, Owner: e.env.owner, Computed: t.computed})
		}
	}
	return out
}

// bakeSets returns the targets that `docker buildx bake --set
// <target>.target=<stage>` names, to be resolved through the Bake files.
func (e *evaluator) bakeSets(sets, files, named []value) []Target {
	var out []Target
	for _, s := range sets {
		key, stage, ok := strings.Cut(s.text, "=")
		bakeTarget, attr, ok2 := strings.Cut(key, ".")
		if !ok || !ok2 || attr != "target" {
			continue
		}
		via := &BakeRef{Pattern: bakeTarget, cwd: e.env.cwd}
		for _, n := range named {
			via.Named = append(via.Named, n.text)
		}
		for _, f := range files {
			via.Files = append(via.Files, e.path(f.text))
		}
		if len(via.Files) == 0 {
			for _, name := range bakeAllDefaultFiles {
				via.Files = append(via.Files, e.path(name))
			}
		}
		out = append(out, Target{Name: stage, Span: analysis.Span{Start: s.span.End - len(stage), End: s.span.End}, Bake: via, Owner: e.env.owner})
	}
	return out
}

// newLogicalLine reports whether text holds a line break that is not a
// backslash continuation.
func newLogicalLine(text string) bool {
	for i := range len(text) {
		if text[i] == '\n' && (i == 0 || text[i-1] != '\\') {
			return true
		}
	}
	return false
}

// cd reports whether call is a cd, and follows it when its folder is
// known (one value); `cd`, `cd -` and folders the file does not give leave
// the working directory as it was.
func (e *evaluator) cd(call *syntax.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	if name, ok := analysis.LiteralWord(call.Args[0]); !ok || name != "cd" {
		return false
	}
	if len(call.Args) == 2 {
		if w := e.word(call.Args[1]); len(w.texts) == 1 && w.texts[0] != "" && w.texts[0] != "-" && !strings.HasPrefix(w.texts[0], "~") {
			e.env.cwd = e.path(w.texts[0])
		} else if m := scriptDirCd.FindStringSubmatch(e.s.text[call.Args[1].Pos().Offset():call.Args[1].End().Offset()]); m != nil && e.env.scriptDir != "" {
			// `cd "$(dirname "$0")/.."`: from the script's own folder.
			e.env.cwd = filepath.Join(e.env.scriptDir, m[1])
		}
	}
	return true
}

// scriptDirCd is the argument of a cd to the script's own folder, or one
// relative to it: `"$(dirname "$0")/.."`, `$(dirname -- "${BASH_SOURCE[0]}")`.
var scriptDirCd = regexp.MustCompile(`^"?\$\(dirname\s+(?:--\s+)?"?(?:\$0|\$\{0\}|\$\{BASH_SOURCE(?:\[0\])?\}|\$BASH_SOURCE)"?\)([^"$` + "`" + `\s]*)"?$`)

// path resolves p against the working directory.
func (e *evaluator) path(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(e.env.cwd, p)
}

// buildArgs returns the arguments after the build subcommand when args run
// a build, and whether it is a Bake.
func buildArgs(args []word) ([]word, buildTool, bool) {
	for i := range args {
		// The tool may be a variable with a known value: Make's
		// `DOCKER ?= docker` run as `$(DOCKER) build`, a script's
		// `${ENGINE:-podman} build`.
		for _, text := range args[i].tools() {
			if rest, tool, ok := buildSub(text, args[i+1:]); ok {
				return rest, tool, true
			}
		}
	}
	return nil, 0, false
}

// buildTool is the sort of build command: its options differ.
type buildTool int

const (
	toolBuild  buildTool = iota // docker build, buildx build, podman build, ...
	toolBake                    // docker buildx bake
	toolKaniko                  // kaniko's /kaniko/executor
)

// kanikoFlags are kaniko's executor options that mean what a `docker
// build` option (or the context argument) means.
var kanikoFlags = map[string]string{"--dockerfile": "-f", "-c": "--context"}

// tools returns what a command word may run: its literal text, or the
// values it may expand to.
func (w word) tools() []string {
	if w.isLit {
		return []string{w.lit}
	}
	return w.texts
}

// buildSub returns the arguments after the build subcommand when the
// command at path run with rest builds, and how.
func buildSub(path string, rest []word) ([]word, buildTool, bool) {
	tool := filepath.Base(path)
	if tool == "executor" && strings.Contains(filepath.ToSlash(path), "kaniko/") {
		return rest, toolKaniko, true // /kaniko/executor --context . --dockerfile Dockerfile
	}
	sub := func(n int, names ...string) bool {
		if len(rest) < n {
			return false
		}
		for j, name := range names {
			if rest[j].lit != name {
				return false
			}
		}
		return true
	}
	switch tool {
	case "docker", "podman", "nerdctl":
		switch {
		case sub(1, "build"):
			return rest[1:], toolBuild, true
		case sub(2, "buildx", "build"), sub(2, "image", "build"), sub(2, "builder", "build"):
			return rest[2:], toolBuild, true
		case sub(2, "buildx", "bake"):
			return rest[2:], toolBake, true
		}
	case "buildah":
		if sub(1, "bud") || sub(1, "build") {
			return rest[1:], toolBuild, true
		}
	}
	return nil, 0, false
}

// word evaluates w: a literal, quoted or not; a variable (`$X`, `${X}`,
// `${X:-default}`, Make's `$(X)`), each of whose values counts; or an
// expression of the surrounding file. Other words have no known value.
func (e *evaluator) word(w *syntax.Word) word {
	a, b := int(w.Pos().Offset()), int(w.End().Offset())
	out := word{span: e.s.span(a, b), end: b}
	if lit, ok := analysis.LiteralWord(w); ok {
		out.lit, out.isLit = lit, true
		sp := out.span
		if len(w.Parts) == 1 {
			if _, quoted := w.Parts[0].(*syntax.SglQuoted); quoted {
				sp = e.s.span(a+1, b-1)
			} else if _, quoted := w.Parts[0].(*syntax.DblQuoted); quoted {
				sp = e.s.span(a+1, b-1)
			}
		}
		if e.env.literal != nil {
			if vals, ok := e.env.literal(lit); ok {
				out.values = vals
				for _, v := range vals {
					out.texts = append(out.texts, v.text)
				}
				return out
			}
		}
		out.values = []value{{text: lit, span: sp}}
		out.texts = e.expandLit(lit)
		out.exprs = len(out.texts) != 1 || out.texts[0] != lit
		return out
	}
	out.values = e.expansion(w)
	out.texts = e.concat(w.Parts)
	out.leads = e.leads(w.Parts)
	if lit, ok := w.Parts[0].(*syntax.Lit); ok && len(w.Parts) > 1 && strings.HasPrefix(lit.Value, "-") && strings.HasSuffix(lit.Value, "=") {
		out.flagValues = e.expansion(&syntax.Word{Parts: w.Parts[1:]})
	}
	return out
}

// leads returns the literal pieces at the start of parts, up to the first
// expansion, each with its span.
func (e *evaluator) leads(parts []syntax.WordPart) []value {
	var out []value
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			out = append(out, value{text: p.Value, span: e.s.span(int(p.Pos().Offset()), int(p.End().Offset()))})
		case *syntax.SglQuoted:
			out = append(out, value{text: p.Value, span: e.s.span(int(p.Pos().Offset())+1, int(p.End().Offset())-1)})
		case *syntax.DblQuoted:
			inner := e.leads(p.Parts)
			out = append(out, inner...)
			if len(inner) < len(p.Parts) {
				return out
			}
		default:
			return out
		}
	}
	return out
}

// expandLit expands the file's own expressions within literal text.
func (e *evaluator) expandLit(text string) []string {
	if e.env.expand == nil {
		return []string{text}
	}
	return e.env.expand(text)
}

// maxTexts bounds the texts a word may expand to.
const maxTexts = 16

// concat returns what parts may expand to: literal text, and for each
// variable, each of its values.
func (e *evaluator) concat(parts []syntax.WordPart) []string {
	outs := []string{""}
	for _, p := range parts {
		var alts []string
		switch p := p.(type) {
		case *syntax.Lit:
			alts = e.expandLit(p.Value)
		case *syntax.SglQuoted:
			alts = e.expandLit(p.Value)
		case *syntax.DblQuoted:
			alts = e.concat(p.Parts)
		default:
			for _, v := range e.expansion(&syntax.Word{Parts: []syntax.WordPart{p}}) {
				alts = append(alts, v.text)
			}
		}
		if len(alts) == 0 {
			return nil
		}
		outs = crossTexts(outs, "", alts)
	}
	return outs
}

// crossTexts joins each of outs, then mid, then each of alts: at most
// maxTexts texts.
func crossTexts(outs []string, mid string, alts []string) []string {
	var next []string
	for _, o := range outs {
		for _, a := range alts {
			if len(next) < maxTexts {
				next = append(next, o+mid+a)
			}
		}
	}
	return next
}

// expansion gives the values of a word that is one variable.
func (e *evaluator) expansion(w *syntax.Word) []value {
	if len(w.Parts) != 1 {
		return nil
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	switch p := part.(type) {
	case *syntax.ParamExp:
		if p.Param == nil || p.Excl || p.Length || p.Index != nil || p.Slice != nil || p.Repl != nil {
			return nil
		}
		vals := e.variable(p.Param.Value)
		if p.Exp != nil && p.Exp.Word != nil {
			switch p.Exp.Op {
			case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull:
				vals = append(vals, e.word(p.Exp.Word).values...)
			default:
				return nil
			}
		}
		return vals
	case *syntax.CmdSubst:
		// Make's $(NAME) reads to the shell as a command named NAME.
		if !e.env.make || len(p.Stmts) != 1 {
			return nil
		}
		call, ok := p.Stmts[0].Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) != 1 || len(call.Assigns) > 0 {
			return nil
		}
		if name, ok := analysis.LiteralWord(call.Args[0]); ok {
			return e.variable(name)
		}
	}
	return nil
}

// variable gives the values of name: the code's own assignments and loops,
// then the file's.
func (e *evaluator) variable(name string) []value {
	if e.depth > 4 {
		return nil
	}
	e.depth++
	defer func() { e.depth-- }()
	var out []value
	for _, w := range e.assigns[name] {
		out = append(out, e.word(w).values...)
	}
	out = append(out, e.sh.sourced[name]...)
	if e.env.vars != nil {
		out = append(out, e.env.vars(name)...)
	}
	return out
}
