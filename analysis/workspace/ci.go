package workspace

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// scalarSrc returns a YAML string's text as shell code mapped to the file:
// a plain or quoted scalar on its line, or a literal block (`|`) whose
// lines are the file's lines less their indentation. Folded blocks and
// scalars with escapes do not map byte for byte, and give false.
func (d *yamlDoc) scalarSrc(n *yaml.Node) (src, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return src{}, false
	}
	switch n.Style {
	case yaml.LiteralStyle:
		var sb srcBuilder
		lines := strings.SplitAfter(n.Value, "\n")
		indent := -1
		for i, l := range lines {
			if l == "" {
				continue
			}
			lineNo := n.Line + 1 + i // the block starts on the line after |
			if lineNo > len(d.lines) {
				return src{}, false
			}
			start := d.lines[lineNo-1]
			end := len(d.text)
			if lineNo < len(d.lines) {
				end = d.lines[lineNo]
			}
			fileLine := d.text[start:end]
			body := strings.TrimRight(l, "\n")
			if strings.TrimSpace(body) == "" {
				sb.add(l, start)
				continue
			}
			if indent < 0 {
				indent = len(fileLine) - len(strings.TrimLeft(fileLine, " "))
			}
			if len(fileLine) < indent || !strings.HasPrefix(fileLine[indent:], body) {
				return src{}, false
			}
			sb.add(body, start+indent)
			if strings.HasSuffix(l, "\n") {
				sb.add("\n", start+indent+len(body))
			}
		}
		return sb.src(), true
	case yaml.FoldedStyle:
		return src{}, false
	}
	start := d.offset(n.Line, n.Column)
	if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
		start++
	}
	if start+len(n.Value) > len(d.text) || d.text[start:start+len(n.Value)] != n.Value {
		return d.foldedSrc(n.Value, start)
	}
	return plainSrc(n.Value, start), true
}

// foldedSrc maps a flow scalar written over several lines (a GitLab
// script entry continued on the next lines, as kaniko's commands are
// written), which YAML folds: each line break and the indentation around
// it become one space (an empty line, a newline). Other characters must
// match the file's one for one.
func (d *yamlDoc) foldedSrc(v string, start int) (src, bool) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	var sb srcBuilder
	i := start
	for k := 0; k < len(v); {
		if !isSpace(v[k]) {
			if i >= len(d.text) || d.text[i] != v[k] {
				return src{}, false
			}
			sb.add(v[k:k+1], i)
			i, k = i+1, k+1
			continue
		}
		// A run of white space in the value and the one in the file.
		vk, fi := k, i
		for k < len(v) && isSpace(v[k]) {
			k++
		}
		for i < len(d.text) && isSpace(d.text[i]) {
			i++
		}
		if fi == i {
			return src{}, false
		}
		for j := vk; j < k; j++ {
			sb.add(v[j:j+1], min(fi+j-vk, i-1))
		}
	}
	return sb.src(), true
}

// ghExpr is a GitHub Actions expression, `${{ ... }}`.
var ghExpr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// placeholders replaces the GitHub expressions in s with literal words of
// the same length, which the shell parser reads as plain words, and
// returns what each stands for.
func placeholders(s src) (src, map[string]string) {
	exprs := map[string]string{}
	text := []byte(s.text)
	for i, m := range ghExpr.FindAllStringSubmatchIndex(s.text, -1) {
		ph := []byte(fmt.Sprintf("Zq%dZ", i))
		for len(ph) < m[1]-m[0] {
			ph = append(ph, 'q')
		}
		if len(ph) > m[1]-m[0] {
			continue
		}
		copy(text[m[0]:m[1]], ph)
		exprs[string(ph)] = s.text[m[2]:m[3]]
	}
	return src{text: string(text), off: s.off}, exprs
}

// ghScope holds what GitHub expressions and the shell can read in a step:
// env at workflow, job and step level, the workflow's inputs and the job's
// matrix, each with where its values are written.
type ghScope struct {
	env    map[string][]value
	inputs map[string][]value
	matrix map[string][]value
	// workspace is the repository's folder: ${{ github.workspace }}, the
	// checkout.
	workspace string
	// read, when set, reads a file a script sources (`. ./.env`).
	read func(p string) (string, bool)
	// shell, when set, is the shell the script runs in after the code
	// before it (a GitLab job's lines): what that code sourced is set,
	// and it starts where that code's cd left it.
	shell *shellVars
	// githubEnv, when set, gets the variables the step writes to
	// $GITHUB_ENV.
	githubEnv *[]envWrite
}

// written is sc with the variables a step wrote to $GITHUB_ENV set: the
// environment of the job's later steps, whose own env still wins.
func (sc ghScope) written(ws []envWrite) ghScope {
	if len(ws) == 0 {
		return sc
	}
	next := sc
	next.env = maps.Clone(sc.env)
	for _, w := range ws {
		if w.maybe {
			next.env[w.name] = append(slices.Clone(next.env[w.name]), w.values...)
		} else {
			next.env[w.name] = w.values
		}
	}
	return next
}

func (sc ghScope) with(d *yamlDoc, envNode *yaml.Node) ghScope {
	if envNode == nil || envNode.Kind != yaml.MappingNode {
		return sc
	}
	next := sc
	next.env = map[string][]value{}
	for k, v := range sc.env {
		next.env[k] = v
	}
	for i := 0; i+1 < len(envNode.Content); i += 2 {
		k, v := envNode.Content[i], envNode.Content[i+1]
		if s := scalar(v); s != "" {
			// A value may be an expression, or hold some.
			next.env[k.Value] = sc.values(d, k, v)
		}
	}
	return next
}

// expr evaluates the expressions that name a value: env.X, inputs.X,
// github.event.inputs.X, matrix.X, or a literal in quotes.
func (sc ghScope) expr(e string) []value {
	switch {
	case strings.HasPrefix(e, "env."):
		return sc.env[strings.TrimPrefix(e, "env.")]
	case strings.HasPrefix(e, "inputs."):
		return sc.inputs[strings.TrimPrefix(e, "inputs.")]
	case strings.HasPrefix(e, "github.event.inputs."):
		return sc.inputs[strings.TrimPrefix(e, "github.event.inputs.")]
	case strings.HasPrefix(e, "matrix."):
		return sc.matrix[strings.TrimPrefix(e, "matrix.")]
	case e == "github.workspace" && sc.workspace != "":
		return []value{{text: sc.workspace}}
	}
	return nil
}

// texts expands the GitHub expressions within s, each of their values
// giving one text (at most maxTexts); an expression without a value leaves
// none.
func (sc ghScope) texts(s string) []string {
	return expandMatches(s, ghExpr, func(m []int) []string {
		var alts []string
		for _, v := range sc.expr(s[m[2]:m[3]]) {
			alts = append(alts, v.text)
		}
		return alts
	})
}

// expandMatches gives the texts of s with each match of re replaced by
// each of the texts alts gives for it (at most maxTexts in all); nil when
// a match has none.
func expandMatches(s string, re *regexp.Regexp, alts func(m []int) []string) []string {
	outs := []string{""}
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		a := alts(m)
		if len(a) == 0 {
			return nil
		}
		outs, last = crossTexts(outs, s[last:m[0]], a), m[1]
	}
	for i := range outs {
		outs[i] += s[last:]
	}
	return outs
}

// yamlValues evaluates a YAML scalar that may be a whole GitHub
// expression: its values, or itself.
func (sc ghScope) values(d *yamlDoc, key, n *yaml.Node) []value {
	s := scalar(n)
	if m := ghExpr.FindStringSubmatchIndex(s); m != nil && m[0] == 0 && m[1] == len(s) {
		return sc.expr(s[m[2]:m[3]])
	} else if m != nil {
		// runtime-${{ matrix.flavor }}: each text it may have.
		return computedValues(sc.texts(s), d.valueSpan(key, n))
	}
	return []value{{text: s, span: d.valueSpan(key, n)}}
}

// walkWorkflow reads a GitHub workflow: the steps that use
// docker/build-push-action with a `target` input, and the build commands
// in `run:` steps. Values may be expressions over env, inputs (with their
// defaults) and the matrix, each value of which counts; the env of a step
// holds what the job's earlier steps wrote to $GITHUB_ENV. The action's
// context and file, and the commands' paths, are relative to the
// repository, whose root holds .github.
// The same steps give the build arguments and named contexts they pass
// (build-push-action's `build-args` and `build-contexts`, `--build-arg`
// and `--build-context` in `run:` steps).
func walkWorkflow(src source, file, text string) walked {
	d, ok := parseYAML(text)
	if !ok {
		return walked{}
	}
	return workflowDoc(file, d, nil, 0, src.readText)
}

// workflowDoc reads a parsed workflow. called, when not nil, holds the
// inputs a calling workflow passes (their spans in the caller): the
// targets are then only those these values name, and the arguments and
// contexts the callee writes are left to the callee's own reading.
func workflowDoc(file string, d *yamlDoc, called map[string][]value, depth int, read func(p string) (string, bool)) walked {
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	_, jobs := get(d.root, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return walked{}
	}
	// The runner's GITHUB_WORKSPACE and ${{ github.workspace }}: the
	// checkout, where paths like $GITHUB_WORKSPACE/app lead.
	top := ghScope{inputs: map[string][]value{}, workspace: root, env: map[string][]value{"GITHUB_WORKSPACE": {{text: root}}}, read: read}
	if called != nil {
		top.inputs = called
	}
	_, on := get(d.root, "on")
	for _, trigger := range []string{"workflow_call", "workflow_dispatch"} {
		if called != nil {
			break // the caller's values, not the defaults (the callee's own scan counts those)
		}
		_, t := get(on, trigger)
		_, inputs := get(t, "inputs")
		if inputs == nil || inputs.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(inputs.Content); i += 2 {
			k, def := get(inputs.Content[i+1], "default")
			if s := scalar(def); s != "" {
				top.inputs[inputs.Content[i].Value] = append(top.inputs[inputs.Content[i].Value], value{text: s, span: d.valueSpan(k, def)})
			}
			if _, opts := get(inputs.Content[i+1], "options"); opts != nil && opts.Kind == yaml.SequenceNode {
				for _, o := range opts.Content {
					top.inputs[inputs.Content[i].Value] = append(top.inputs[inputs.Content[i].Value], value{text: o.Value, span: d.valueSpan(o, o)})
				}
			}
		}
	}
	_, wenv := get(d.root, "env")
	top = top.with(d, wenv)
	var out walked
	for j := 1; j < len(jobs.Content); j += 2 {
		job := jobs.Content[j]
		_, jenv := get(job, "env")
		sc := top
		sc.matrix = matrixValues(d, job) // the job's env may read it
		sc = sc.with(d, jenv)
		if _, uses := get(job, "uses"); strings.HasPrefix(scalar(uses), "./") && depth < 4 {
			out.targets = append(out.targets, callTargets(d, job, sc, root, filepath.Join(root, scalar(uses)), depth)...)
			continue
		}
		_, steps := get(job, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			_, senv := get(step, "env")
			ssc := sc.with(d, senv)
			_, stepName := get(step, "name")
			owner := "step " + scalar(stepName)
			if scalar(stepName) == "" {
				owner = "job " + jobs.Content[j-1].Value
			}
			if _, run := get(step, "run"); run != nil {
				cwd := root
				// The step's working-directory, else the job's, else the
				// workflow's defaults.
				for _, n := range []*yaml.Node{step, job, d.root} {
					wd := n
					if n != step {
						_, defaults := get(n, "defaults")
						_, wd = get(defaults, "run")
					}
					if _, dir := get(wd, "working-directory"); scalar(dir) != "" && !strings.Contains(scalar(dir), "${{") {
						cwd = filepath.Join(root, scalar(dir))
						break
					}
				}
				var written []envWrite
				ssc.githubEnv = &written
				out.add(runWalk(d, run, ssc, cwd, owner))
				sc = sc.written(written)
				continue
			}
			_, uses := get(step, "uses")
			if strings.HasPrefix(scalar(uses), "docker/bake-action") {
				out.targets = append(out.targets, bakeActionTargets(d, step, root, owner)...)
				// Its files, as `bake -f` names them: their targets'
				// stages, arguments and contexts.
				_, with := get(step, "with")
				var named []string
				for _, f := range actionList(with, "files") {
					if !strings.Contains(f, "${{") && !strings.Contains(f, "://") {
						named = append(named, filepath.Join(root, f))
					}
				}
				for _, f := range named {
					out.bakeFiles = append(out.bakeFiles, bakeFileRef{file: f, cwd: root, files: strings.Join(named, "\x00")})
				}
				// The step's env is bake's environment: a variable set
				// there wins over its default.
				call := bakeCall{files: named, cwd: root, env: func(name string) []value { return ssc.env[name] }, targets: actionList(with, "targets")}
				if len(named) == 0 {
					for _, name := range bakeAllDefaultFiles {
						call.files = append(call.files, filepath.Join(root, name))
					}
				}
				out.bakeCalls = append(out.bakeCalls, call)
				continue
			}
			if !strings.HasPrefix(scalar(uses), "docker/build-push-action") {
				continue
			}
			_, with := get(step, "with")
			ctxs := []string{"."}
			if _, c := get(with, "context"); c != nil {
				ctxs = ssc.texts(scalar(c))
			}
			var dfs []string
			if _, f := get(with, "file"); scalar(f) != "" {
				for _, v := range ssc.texts(scalar(f)) {
					dfs = append(dfs, dockerfileFor(filepath.Join(root, "x"), ".", v))
				}
			} else {
				for _, c := range ctxs {
					dfs = append(dfs, dockerfileFor(filepath.Join(root, "x"), ".", filepath.Join(c, "Dockerfile")))
				}
			}
			for _, df := range dfs {
				if called == nil {
					out.args = append(out.args, d.inputArgs(with, df, owner)...)
					out.contexts = append(out.contexts, d.inputContexts(with, df, owner)...)
				}
			}
			key, target := get(with, "target")
			if key == nil {
				continue
			}
			names := ssc.values(d, key, target)
			if scalar(target) == "" {
				names = []value{{span: d.valueSpan(key, target)}} // being typed
			}
			for _, df := range dfs {
				for _, n := range names {
					out.targets = append(out.targets, Target{Name: n.text, Span: n.span, Dockerfile: df, Owner: owner, Computed: n.computed})
				}
			}
		}
	}
	if called != nil {
		out.args, out.contexts = nil, nil
	}
	return out
}

// inputLines returns the `name=value` lines of a build-push-action input
// (`build-args`, `build-contexts`), each with the span of its name: in the
// file when the input is a plain or literal block scalar that maps byte for
// byte, else the input's key. A line without `=` has an empty value;
// names with expressions or spaces are left out.
func (d *yamlDoc) inputLines(with *yaml.Node, input string) []inputLine {
	k, v := get(with, input)
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil
	}
	s, mapped := d.scalarSrc(v)
	if !mapped {
		s = src{text: v.Value}
	}
	var out []inputLine
	for at := 0; at < len(s.text); {
		end := strings.IndexByte(s.text[at:], '\n')
		if end < 0 {
			end = len(s.text) - at
		}
		line := s.text[at : at+end]
		lead := len(line) - len(strings.TrimLeft(line, " \t"))
		name, value, _ := strings.Cut(strings.TrimSpace(line), "=")
		if name != "" && !strings.ContainsAny(name, "${ \t") {
			span := d.keySpan(k, len(input))
			if mapped {
				span = s.span(at+lead, at+lead+len(name))
			}
			out = append(out, inputLine{name: name, value: value, span: span})
		}
		at += end + 1
	}
	return out
}

// inputLine is one `name=value` line of an action's input.
type inputLine struct {
	name, value string
	span        analysis.Span
}

// inputArgs reads build-push-action's `build-args` input.
func (d *yamlDoc) inputArgs(with *yaml.Node, dockerfile, owner string) []BuildArg {
	var out []BuildArg
	for _, l := range d.inputLines(with, "build-args") {
		out = append(out, BuildArg{Name: l.name, Span: l.span, Dockerfile: dockerfile, Owner: owner})
	}
	return out
}

// inputContexts reads build-push-action's `build-contexts` input.
func (d *yamlDoc) inputContexts(with *yaml.Node, dockerfile, owner string) []NamedContext {
	var out []NamedContext
	for _, l := range d.inputLines(with, "build-contexts") {
		if l.value != "" {
			out = append(out, NamedContext{Name: l.name, Value: l.value, Span: l.span, Dockerfile: dockerfile, Owner: owner})
		}
	}
	return out
}

// bakeActionTargets reads docker/bake-action's `set` input: its
// `<target>.target=<stage>` lines, applied to the Bake targets of its
// `targets` input (the default group when empty) in its `files` (the
// default Bake files when empty), relative to the repository.
func bakeActionTargets(d *yamlDoc, step *yaml.Node, root, owner string) []Target {
	_, with := get(step, "with")
	_, set := get(with, "set")
	s, ok := d.scalarSrc(set)
	if !ok {
		return nil
	}
	listInput := func(key string) []string { return actionList(with, key) }
	var files []string
	for _, f := range listInput("files") {
		files = append(files, filepath.Join(root, f))
	}
	if len(files) == 0 {
		for _, f := range bakeAllDefaultFiles {
			files = append(files, filepath.Join(root, f))
		}
	}
	var out []Target
	start := 0
	for _, line := range strings.SplitAfter(s.text, "\n") {
		key, stage, ok := strings.Cut(strings.TrimSpace(line), "=")
		pattern, attr, ok2 := strings.Cut(key, ".")
		if ok && ok2 && attr == "target" && stage != "" {
			eq := strings.Index(line, "=")
			rest := line[eq+1:]
			at := start + eq + 1 + len(rest) - len(strings.TrimLeft(rest, " \t"))
			out = append(out, Target{Name: stage, Span: s.span(at, at+len(stage)), Owner: owner,
				Bake: &BakeRef{Files: files, Pattern: pattern, Named: listInput("targets"), cwd: root}})
		}
		start += len(line)
	}
	return out
}

// actionList reads an action's list input (with.key): its items, one a
// line or comma-separated.
func actionList(with *yaml.Node, key string) []string {
	_, n := get(with, key)
	var out []string
	for _, f := range strings.FieldsFunc(scalar(n), func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// callTargets reads a job that calls a reusable workflow of the same
// repository (`uses: ./.github/workflows/build.yml`) with inputs: the
// targets its `with:` values name in the called workflow, placed in the
// caller where the values are written.
func callTargets(d *yamlDoc, job *yaml.Node, sc ghScope, repo, callee string, depth int) []Target {
	_, with := get(job, "with")
	if with == nil || with.Kind != yaml.MappingNode {
		return nil
	}
	passed := map[string][]value{}
	// The values passed, by where they are written (a value built from
	// pieces has several texts at one place).
	type passedAt struct {
		span analysis.Span
		text string
	}
	spans := map[passedAt]bool{}
	for i := 0; i+1 < len(with.Content); i += 2 {
		k, v := with.Content[i], with.Content[i+1]
		for _, val := range sc.values(d, k, v) {
			passed[k.Value] = append(passed[k.Value], val)
			spans[passedAt{val.span, val.text}] = true
		}
	}
	// Only a workflow of the same repository, repo (the folder holding .github).
	data, err := confined.ReadFile(repo, callee, DefaultLimits.MaxSize)
	if err != nil || len(data) > int(DefaultLimits.MaxSize) {
		return nil
	}
	cd, ok := parseYAML(string(data))
	if !ok {
		return nil
	}
	var out []Target
	for _, t := range workflowDoc(callee, cd, passed, depth+1, nil).targets {
		if spans[passedAt{t.Span, t.Name}] {
			t.Owner = "calls " + filepath.Base(callee) + ", " + t.Owner
			t.Via = callee
			out = append(out, t)
		}
	}
	return out
}

// matrixValues reads a job's strategy.matrix: each key's list, and the
// keys of its include entries.
func matrixValues(d *yamlDoc, job *yaml.Node) map[string][]value {
	out := map[string][]value{}
	_, strategy := get(job, "strategy")
	_, matrix := get(strategy, "matrix")
	if matrix == nil || matrix.Kind != yaml.MappingNode {
		return out
	}
	add := func(k, v *yaml.Node) {
		switch v.Kind {
		case yaml.ScalarNode:
			out[k.Value] = append(out[k.Value], value{text: v.Value, span: d.valueSpan(k, v)})
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind == yaml.ScalarNode {
					out[k.Value] = append(out[k.Value], value{text: item.Value, span: d.valueSpan(item, item)})
				}
			}
		}
	}
	for i := 0; i+1 < len(matrix.Content); i += 2 {
		k, v := matrix.Content[i], matrix.Content[i+1]
		if k.Value == "include" && v.Kind == yaml.SequenceNode {
			for _, entry := range v.Content {
				for e := 0; entry.Kind == yaml.MappingNode && e+1 < len(entry.Content); e += 2 {
					add(entry.Content[e], entry.Content[e+1])
				}
			}
			continue
		}
		add(k, v)
	}
	return out
}

// runWalk reads the build commands in a `run:` step, or in a GitLab
// script entry, with the shell code's GitHub expressions and variables
// resolved through sc: the targets they name, the build arguments and
// named contexts they pass.
func runWalk(d *yamlDoc, run *yaml.Node, sc ghScope, cwd, owner string) walked {
	return runWalkIn(d, "", run, sc, cwd, owner)
}

// runWalkIn is runWalk on a script written in file (d is its text), when
// it is not the file walked: an included GitLab CI file.
func runWalkIn(d *yamlDoc, file string, run *yaml.Node, sc ghScope, cwd, owner string) walked {
	s, ok := d.scalarSrc(run)
	if !ok {
		return walked{}
	}
	s, exprs := placeholders(s)
	var w walked
	w.targets, w.args, w.contexts = evalBuilds(s, shellEnv{
		cwd:          cwd,
		file:         file,
		owner:        owner,
		read:         sc.read,
		sourced:      &w.via,
		shell:        sc.shell,
		githubEnv:    sc.githubEnv,
		bakeFiles:    &w.bakeFiles,
		makeCalls:    &w.makeCalls,
		bakeCalls:    &w.bakeCalls,
		composeCalls: &w.composeCalls,
		scriptCalls:  &w.scriptCalls,
		vars:         func(name string) []value { return sc.env[name] },
		literal: func(text string) ([]value, bool) {
			e, ok := exprs[text]
			if !ok {
				return nil, false
			}
			return sc.expr(e), true
		},
		expand: func(text string) []string {
			for ph, e := range exprs {
				text = strings.ReplaceAll(text, ph, "${{ "+e+" }}")
			}
			return sc.texts(text)
		},
	})
	return w
}

// walkGitLab reads the build commands in a GitLab CI file's jobs
// (script, before_script, after_script, also at the top level), with
// variables from the file's and the job's `variables` (a value, or each of
// its options) and the job's parallel matrix. Commands run at the
// repository root.
// They give targets, build arguments and named contexts.
func walkGitLab(src source, file, text string) walked {
	d, ok := parseYAML(text)
	if !ok || d.root.Kind != yaml.MappingNode {
		return walked{}
	}
	root := filepath.Dir(file)
	if i := strings.LastIndex(filepath.ToSlash(root), "/.gitlab"); i >= 0 {
		root = filepath.FromSlash(filepath.ToSlash(root)[:i])
	}
	// The local files it includes are merged in: their jobs, templates
	// and variables are the configuration's.
	cfg := gitlabConfig(src, d, file, root)
	top := cfg.root
	raw := gitlabVariables(cfg, top, nil)
	if _, set := raw["CI_PROJECT_DIR"]; !set {
		// GitLab's checkout, where the jobs run: kaniko's
		// --context $CI_PROJECT_DIR.
		raw["CI_PROJECT_DIR"] = []value{{text: "."}}
	}
	scope := ghScope{env: expandGitLab(raw), read: src.readText}
	out := walked{via: cfg.included}
	for i := 0; i+1 < len(top.Content); i += 2 {
		name, job := top.Content[i].Value, resolve(top.Content[i+1])
		if k, _ := get(job, "script"); strings.HasPrefix(name, ".") || gitlabGlobals[name] && (k == nil || name == "default") {
			// A hidden job is a template: GitLab runs it only as part of
			// the jobs that extend or !reference it, read with them. The
			// global keywords are no jobs: `default`'s before_script and
			// after_script run in each job.
			continue
		}
		sc := scope
		// The job and the jobs it extends, the furthest first.
		chain := []*yaml.Node{job}
		if job.Kind == yaml.MappingNode && name != "variables" {
			chain = gitlabChain(top, job, 0)
			vars := raw
			for _, j := range chain {
				vars = gitlabVariables(cfg, j, vars)
			}
			sc.env = expandGitLab(vars)
		}
		scripts := []*yaml.Node{job}
		var after *yaml.Node // after_script runs in a shell of its own
		if name != "before_script" && name != "after_script" && name != "script" {
			scripts = nil
			own := func(key string) (*yaml.Node, bool) {
				for i := len(chain) - 1; i >= 0; i-- {
					if k, s := get(chain[i], key); k != nil {
						return s, true
					}
				}
				return nil, false
			}
			if _, runs := own("script"); runs {
				for _, key := range []string{"before_script", "script", "after_script"} {
					s, set := own(key)
					if !set && key != "script" && gitlabInherits(own, key) {
						s = gitlabDefault(top, key)
					}
					if s != nil {
						scripts = append(scripts, s)
					}
					if key == "after_script" {
						after = s
					}
				}
			}
		}
		// The job's lines run in one shell: a line sourcing a .env sets
		// its variables for the lines after it, a cd moves them.
		sc.shell = &shellVars{}
		for _, s := range scripts {
			if s == after && s != nil {
				sc.shell = &shellVars{}
			}
			for _, line := range scriptLines(top, s, 0) {
				ld, lf := cfg.doc(line)
				out.add(runWalkIn(ld, lf, line, sc, root, "job "+name))
			}
		}
	}
	return out
}

// gitlabGlobals are the top-level keys of a GitLab CI file that are no
// jobs: the global keywords, and the deprecated global defaults. GitLab
// rejects a job of such a name; one with a script (`image:` building the
// image) is read as the job its author meant, `default` aside.
var gitlabGlobals = map[string]bool{"default": true, "include": true, "stages": true, "variables": true, "workflow": true,
	"image": true, "services": true, "cache": true, "before_script": true, "after_script": true}

// gitlabDefault is the before_script or after_script (key) a job without
// its own runs: `default:`'s, else the deprecated top-level one.
func gitlabDefault(root *yaml.Node, key string) *yaml.Node {
	_, def := get(root, "default")
	if k, s := get(def, key); k != nil {
		return s
	}
	_, s := get(root, key)
	return s
}

// gitlabInherits reports whether a job (own gives its keys, through
// extends) takes key from the defaults: unless `inherit: default: false`,
// or a list of the keywords it takes that leaves key out.
func gitlabInherits(own func(key string) (*yaml.Node, bool), key string) bool {
	inherit, _ := own("inherit")
	_, def := get(inherit, "default")
	switch {
	case def == nil:
		return true
	case def.Kind == yaml.ScalarNode:
		return def.Value != "false"
	case def.Kind == yaml.SequenceNode:
		return slices.ContainsFunc(def.Content, func(n *yaml.Node) bool { return n.Value == key })
	}
	return true
}

// gitlabChain is a job and, before it, the jobs of the file it extends
// (`extends: .template` or a list, later ones winning), each with the
// jobs it extends before it, as GitLab merges them; 8 levels at most.
func gitlabChain(root, job *yaml.Node, depth int) []*yaml.Node {
	var out []*yaml.Node
	_, ext := get(job, "extends")
	if ext != nil && depth < 8 {
		names := []*yaml.Node{ext}
		if ext.Kind == yaml.SequenceNode {
			names = ext.Content
		}
		for _, n := range names {
			if _, base := get(root, scalar(n)); base != nil && base != job && base.Kind == yaml.MappingNode {
				out = append(out, gitlabChain(root, base, depth+1)...)
			}
		}
	}
	return append(out, job)
}

// gitlabVariables returns the variables a job sees: outer, then its own
// `variables` and its parallel matrix.
func gitlabVariables(cfg *glConfig, job *yaml.Node, outer map[string][]value) map[string][]value {
	root := cfg.root
	vars := map[string][]value{}
	for k, v := range outer {
		vars[k] = v
	}
	_, vs := get(job, "variables")
	if vs != nil && vs.Tag == "!reference" {
		vs = gitlabReference(root, vs)
	}
	for i := 0; vs != nil && vs.Kind == yaml.MappingNode && i+1 < len(vs.Content); i += 2 {
		k, v := vs.Content[i], vs.Content[i+1]
		if v.Tag == "!reference" {
			if v = gitlabReference(root, v); v == nil {
				continue
			}
		}
		if v.Kind == yaml.MappingNode {
			var vals []value
			if vk, vv := get(v, "value"); scalar(vv) != "" {
				vals = append(vals, cfg.value(vv.Value, vk, vv))
			}
			if _, opts := get(v, "options"); opts != nil && opts.Kind == yaml.SequenceNode {
				for _, o := range opts.Content {
					vals = append(vals, cfg.value(o.Value, o, o))
				}
			}
			vars[k.Value] = vals
			continue
		}
		if s := scalar(v); s != "" {
			vars[k.Value] = []value{cfg.value(s, k, v)}
		}
	}
	_, parallel := get(job, "parallel")
	_, matrix := get(parallel, "matrix")
	if matrix != nil && matrix.Kind == yaml.SequenceNode {
		for _, entry := range matrix.Content {
			for e := 0; entry.Kind == yaml.MappingNode && e+1 < len(entry.Content); e += 2 {
				k, v := entry.Content[e], entry.Content[e+1]
				switch v.Kind {
				case yaml.ScalarNode:
					vars[k.Value] = append(vars[k.Value], cfg.value(v.Value, k, v))
				case yaml.SequenceNode:
					for _, item := range v.Content {
						vars[k.Value] = append(vars[k.Value], cfg.value(item.Value, item, item))
					}
				}
			}
		}
	}
	return vars
}

// expandGitLab expands the variables the values of a job's variables name
// (`STAGE: runtime-$FLAVOR`), as the job sees them: a value set at the top
// reads the job's own FLAVOR. A value naming one without a known value
// has none.
func expandGitLab(raw map[string][]value) map[string][]value {
	vars := make(map[string][]value, len(raw))
	for k, vals := range raw {
		var out []value
		for _, v := range vals {
			if !strings.Contains(v.text, "$") {
				out = append(out, v)
				continue
			}
			for _, c := range computedValues(expandVars(v.text, raw), v.span) {
				c.file = v.file
				out = append(out, c)
			}
		}
		vars[k] = out
	}
	return vars
}

// glVar is a variable a GitLab value names: $NAME or ${NAME}; $$ is a $.
var glVar = regexp.MustCompile(`\$\$|\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// expandVars gives the texts of s with the variables it names replaced by
// each of their values (at most maxTexts); nil when one has none, or
// holds variables itself.
func expandVars(s string, vars map[string][]value) []string {
	return expandMatches(s, glVar, func(m []int) []string {
		switch {
		case m[2] < 0:
			return []string{"$"}
		case strings.HasPrefix(s[m[0]:], "${") != strings.HasSuffix(s[m[0]:m[1]], "}"):
			return nil // ${NAME without its brace
		}
		var alts []string
		for _, v := range vars[s[m[2]:m[3]]] {
			if strings.Contains(v.text, "$") {
				return nil
			}
			alts = append(alts, v.text)
		}
		return alts
	})
}

// scriptLines flattens a GitLab script: a string, or a list of strings and
// lists, with each `!reference [job, key, ...]` replaced by the section it
// names (root is the file's top mapping).
func scriptLines(root, n *yaml.Node, depth int) []*yaml.Node {
	n = resolve(n)
	if n == nil || depth > gitlabRefDepth {
		return nil
	}
	if n.Tag == "!reference" {
		return scriptLines(root, gitlabReference(root, n), depth+1)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{n}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, c := range n.Content {
			out = append(out, scriptLines(root, c, depth+1)...)
		}
		return out
	}
	return nil
}

// gitlabRefDepth bounds nested `!reference` tags: GitLab allows 10 levels.
const gitlabRefDepth = 10

// gitlabReference returns the section a `!reference [job, key, ...]` tag
// names in the same file (a hidden job's script, its variables), following
// the tags that section holds at its top; nil when it names none.
func gitlabReference(root, ref *yaml.Node) *yaml.Node {
	for depth := 0; ref != nil && ref.Tag == "!reference" && depth <= gitlabRefDepth; depth++ {
		if ref.Kind != yaml.SequenceNode || len(ref.Content) == 0 {
			return nil
		}
		n := root
		for _, key := range ref.Content {
			if _, n = get(n, scalar(key)); n == nil {
				return nil
			}
		}
		ref = n
	}
	if ref != nil && ref.Tag == "!reference" {
		return nil
	}
	return ref
}
