package workspace

import (
	"cmp"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
)

// yamlDoc is a parsed YAML (or JSON) file with the means to turn node
// positions, which count characters, into byte spans.
type yamlDoc struct {
	text  string
	lines []int
	root  *yaml.Node
}

// parseSection parses text and returns it with the mapping under key at its
// root; ok is false when the text does not parse or key holds no mapping.
func parseSection(text, key string) (*yamlDoc, *yaml.Node, bool) {
	d, ok := parseYAML(text)
	if !ok {
		return nil, nil, false
	}
	_, m := get(d.root, key)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil, false
	}
	return d, m, true
}

func parseYAML(text string) (*yamlDoc, bool) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil || len(root.Content) == 0 {
		return nil, false
	}
	return &yamlDoc{text: text, lines: lineStarts(text), root: root.Content[0]}, true
}

// lineStarts returns the offset of each line of text.
func lineStarts(text string) []int {
	lines := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// offset converts a node's one-based line and character column to bytes.
func (d *yamlDoc) offset(line, col int) int {
	if line < 1 || line > len(d.lines) {
		return len(d.text)
	}
	off := d.lines[line-1]
	for c := 1; c < col && off < len(d.text) && d.text[off] != '\n'; c++ {
		_, size := utf8.DecodeRuneInString(d.text[off:])
		off += size
	}
	return off
}

// valueSpan is the span of a scalar's value: inside the quotes of a quoted
// one; an empty span just after `key:` for a missing or null one.
func (d *yamlDoc) valueSpan(key, value *yaml.Node) analysis.Span {
	if value == nil || value.Kind != yaml.ScalarNode || (value.Tag == "!!null" && value.Value == "") {
		end := d.offset(key.Line, key.Column) + len(key.Value)
		if rest := d.text[end:]; strings.HasPrefix(rest, ":") {
			end++
			if strings.HasPrefix(rest[1:], " ") {
				end++
			}
		}
		return analysis.Span{Start: end, End: end}
	}
	start := d.offset(value.Line, value.Column)
	switch value.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		start++
	}
	end := start + len(value.Value)
	if end > len(d.text) || d.text[start:end] != value.Value {
		// Escapes or folding: the value's bytes are not the text's.
		end = start
		for end < len(d.text) && d.text[end] != '\n' && d.text[end] != '"' && d.text[end] != '\'' {
			end++
		}
	}
	return analysis.Span{Start: start, End: end}
}

// get returns the key and value nodes of key in mapping m: its own, else
// one a YAML merge key (`<<: *anchor`, or a list of them) brings in. An
// alias is followed to its anchor.
func get(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	return getDepth(resolve(m), key, 0)
}

func getDepth(m *yaml.Node, key string, depth int) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return nil, nil
	}
	var merged []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch k, v := m.Content[i], m.Content[i+1]; {
		case k.Value == key && k.Tag != "!!merge":
			return k, resolve(v)
		case k.Tag == "!!merge":
			if v = resolve(v); v != nil && v.Kind == yaml.SequenceNode {
				merged = append(merged, v.Content...)
			} else {
				merged = append(merged, v)
			}
		}
	}
	// Own keys win over merged ones, and earlier merged maps over later.
	for _, mm := range merged {
		if k, v := getDepth(resolve(mm), key, depth+1); k != nil {
			return k, v
		}
	}
	return nil, nil
}

// resolve follows an alias to the node its anchor marks.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// serviceBuild is what one Compose service builds, read through
// `extends` (in the same file or another) and YAML anchors and merge keys.
// One walk over the services gives the targets, the build arguments and
// the builds (Dockerfile and context) of a Compose file.
type serviceBuild struct {
	build      bool // the service or one it extends has a build
	dockerfile string
	context    string
	targets    []Target   // build.target, here or in the file it extends: each value it may have
	args       []BuildArg // build.args, passed to dockerfile
	via        []string   // the other files its `extends` chain (or override merge) reads
	owner      string     // "service <name>"
	// contexts are its build.additional_contexts (read for an included
	// file's services, whose file's own reading does not give them).
	contexts []NamedContext
	file     string // the included file it is written in; "" for the file read
	// mergedOnto is, for a service of an override file that docker
	// compose reads with the Compose file beside it, that file, whose
	// service of this name it is merged onto: one service, one build, that
	// file's. A file given with -f (compose.prod.yaml) makes a project and
	// builds of its own.
	mergedOnto string
}

// composeServices walks services.<name> of a Compose file. A service
// without build.target takes it from the service it extends in a file the
// scan does not read as Compose (one it reads reports it itself).
func composeServices(src source, file, text string) []serviceBuild {
	return composeServicesIn(src, file, text, composeDotenv(src, file))
}

// composeServicesIn is composeServices interpolating with dotenv.
func composeServicesIn(src source, file, text string, dotenv map[string]string) []serviceBuild {
	d, services, ok := parseSection(text, "services")
	if !ok {
		return nil
	}
	var out []serviceBuild
	base := composeBase(src, file)
	later := composeLaterTargets(src, file)
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, resolve(services.Content[i+1])
		s := serviceBuild{owner: "service " + name}
		s.dockerfile, s.context, s.build = composeBuild(src, file, d, name, svc, 0)
		s.via = composeChain(src, file, d, name, svc)
		if _, ext := get(svc, "extends"); ext == nil && base != "" && slices.Contains(composeOverrideNames, filepath.Base(file)) {
			if _, _, bs := composeService(src, file, d, base, name); bs != nil {
				s.mergedOnto = base
			}
		}
		if composeInline(src, file, d, name, svc) {
			// Its Dockerfile is written in the Compose file: no file on
			// disk is built, and its target and args are that text's.
			out = append(out, serviceBuild{via: s.via})
			continue
		}
		_, build := get(svc, "build")
		if key, target := get(build, "target"); key != nil {
			for _, v := range d.interpolate(key, target, dotenv) {
				t := Target{Name: v.text, Span: v.span, Computed: v.computed, Owner: "service " + name, Dockerfile: s.dockerfile, Context: s.context, BuildFile: s.mergedOnto, Overridden: later[name]}
				if len(s.via) > 0 {
					t.Via = s.via[0]
				}
				s.targets = append(s.targets, t)
			}
		} else {
			for _, t := range extendedTargets(src, file, name, svc, dotenv, 0) {
				t.Owner = "service " + name + " (extends " + t.Owner + ")"
				s.targets = append(s.targets, t)
			}
		}
		if _, args := get(build, "args"); args != nil {
			s.args = d.yamlArgs(resolve(args), s.dockerfile, "service "+name)
		}
		if src.dotenv != nil {
			// An included file's: its own reading does not give them.
			s.contexts = serviceContexts(src, file, d, svc, s.dockerfile, s.owner)
		}
		out = append(out, s)
	}
	return out
}

// walkCompose reads a Compose file's services: the targets they name (a
// target written once under an anchor that several services merge is
// named once for each Dockerfile it builds), the build arguments they pass
// to the Dockerfile each builds, and their builds.
func walkCompose(src source, file, text string) walked {
	var w walked
	type key struct {
		span             analysis.Span
		file, dockerfile string
	}
	seen := map[key]bool{}
	// The .env file beside it gives the values it interpolates, whether
	// or not it exists yet.
	w.via = append(append(w.via, composeDotenvFile(file)), composeBaseCandidates(file)...)
	w.via = append(w.via, composeOverrideCandidates(file)...)
	dotenv := composeDotenv(src, file)
	services := composeServicesIn(src, file, text, dotenv)
	// COMPOSE_FILE in its .env: the files merged onto it.
	w.add(composeEnvProject(src, file, dotenv))
	for _, inc := range composeIncludes(src, file, text, 0, map[string]bool{file: true}) {
		w.via = append(append(w.via, inc.file), inc.via...)
		for _, s := range inc.services {
			for i := range s.targets {
				if s.targets[i].File == "" {
					s.targets[i].File, s.targets[i].Kind = inc.file, Compose
					s.targets[i].Line = 1 + strings.Count(inc.text[:min(s.targets[i].Span.Start, len(inc.text))], "\n")
				}
			}
			// Its args are written in the included file.
			for i := range s.args {
				s.args[i].File = inc.file
			}
			s.file = inc.file
			services = append(services, s)
		}
	}
	for _, s := range services {
		w.via = append(w.via, s.via...)
		if s.build {
			w.builds = append(w.builds, Build{Dockerfile: s.dockerfile, Context: s.context, Owner: s.owner, File: cmp.Or(s.mergedOnto, s.file)})
		}
		for _, t := range s.targets {
			if k := (key{t.Span, t.File, t.Dockerfile + "\x00" + t.Name}); !seen[k] {
				seen[k] = true
				w.targets = append(w.targets, t)
			}
		}
		for _, a := range s.args {
			if k := (key{a.Span, "\x00" + a.File, a.Dockerfile}); !seen[k] {
				seen[k] = true
				w.args = append(w.args, a)
			}
		}
	}
	return w
}

// composeVar is a variable a Compose file interpolates: $$ (a $),
// ${NAME}, ${NAME:-default} and ${NAME-default}, ${NAME:?error} and
// ${NAME?error}, ${NAME:+alt} and ${NAME+alt}, $NAME.
var composeVar = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}$]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// interpolate gives the values a Compose scalar may have: its text, or
// where it names variables (`target: ${BUILD_TARGET:-dev}`), each text
// they may give, from the .env file beside it (dotenv) and the defaults
// written. A whole value that is one variable's default keeps that
// default's span; other values are computed. A variable without a known
// value leaves none.
func (d *yamlDoc) interpolate(key, n *yaml.Node, dotenv map[string]string) []value {
	s, span := scalar(n), d.valueSpan(key, n)
	outs, def, ok := interpolateText(s, dotenv)
	if !ok {
		return []value{{text: s, span: span}}
	}
	exact := span.End-span.Start == len(s) // the span holds the value byte for byte
	var out []value
	for _, t := range outs {
		if def[0] >= 0 && exact && t == s[def[0]:def[1]] {
			out = append(out, value{text: t, span: analysis.Span{Start: span.Start + def[0], End: span.Start + def[1]}})
			def[0] = -1
			continue
		}
		out = append(out, value{text: t, span: span, computed: true})
	}
	return out
}

// interpolateText gives the texts Compose may make of s (ok is false when
// s names no variable): each variable's value from dotenv, or its default.
// def holds the offsets of the default when s is one variable with a
// default (${NAME:-default}), else -1.
func interpolateText(s string, dotenv map[string]string) (outs []string, def [2]int, ok bool) {
	def = [2]int{-1, -1}
	ms := composeVar.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return []string{s}, def, false
	}
	outs = []string{""}
	last := 0
	for _, m := range ms {
		var alts []string
		switch {
		case s[m[0]:m[1]] == "$$":
			alts = []string{"$"}
		default:
			var name string
			if m[2] >= 0 {
				name = s[m[2]:m[3]] // ${NAME...}
			} else {
				name = s[m[8]:m[9]] // $NAME
			}
			env, set := dotenv[name]
			op := ""
			if m[4] >= 0 {
				op = s[m[4]:m[5]]
			}
			switch op {
			case "", ":?", "?":
				if set {
					alts = append(alts, env)
				}
			case ":-", "-":
				if set && (env != "" || op == "-") {
					alts = append(alts, env)
				}
				alts = append(alts, s[m[6]:m[7]])
				if m[0] == 0 && m[1] == len(s) {
					def = [2]int{m[6], m[7]}
				}
			case ":+", "+":
				if set && (env != "" || op == "+") {
					alts = append(alts, s[m[6]:m[7]])
				}
			}
		}
		if len(alts) == 0 {
			return nil, def, true
		}
		outs, last = crossTexts(outs, s[last:m[0]], alts), m[1]
	}
	for i := range outs {
		outs[i] += s[last:]
	}
	return outs, def, true
}

// composePath is a Compose context or dockerfile as docker compose reads
// it: interpolated (the .env value, else the default). One naming a
// variable without a value here stays as written, a path that leads
// nowhere.
func composePath(src source, file, s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	if outs, _, _ := interpolateText(s, composeDotenv(src, file)); len(outs) > 0 {
		return outs[0]
	}
	return s
}

// composeDotenv reads the .env file beside a Compose file, which docker
// compose reads for interpolation: NAME=value lines (quotes removed,
// `export ` allowed), inside root.
func composeDotenv(src source, file string) map[string]string {
	if src.dotenv != nil {
		return src.dotenv
	}
	return readDotenv(src, composeDotenvFile(src.composeAt(file)), nil)
}

// readDotenv reads an env file's NAME=value lines into env (a new map
// when nil); nil when it cannot be read.
func readDotenv(src source, file string, env map[string]string) map[string]string {
	data, err := src.read(file, DefaultLimits.MaxSize)
	if err != nil {
		return env
	}
	if env == nil {
		env = map[string]string{}
	}
	for _, e := range dotenvEntries(string(data)) {
		env[e.name] = e.value
	}
	return env
}

// dotenvEntry is one `NAME=value` line of a .env file (`export NAME=value`
// too), with the span of its value (inside its quotes).
type dotenvEntry struct {
	name, value string
	span        analysis.Span
	export      bool
}

// dotenvEntries reads the lines of a .env file: `NAME=value`, `export
// NAME=value`, the value quoted or followed by a ` #` comment.
func dotenvEntries(text string) []dotenvEntry {
	var out []dotenvEntry
	for _, ln := range splitLines(text) {
		raw := text[ln.start:ln.end]
		line := strings.TrimSpace(raw)
		export := strings.HasPrefix(line, "export ")
		line = strings.TrimSpace(strings.TrimPrefix(line, "export "))
		name, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(name, "#") || strings.ContainsAny(name, " \t") {
			continue
		}
		// The value's offset: after the line's first '=' (the name has none).
		at := ln.start + strings.Index(raw, "=") + 1
		at += len(v) - len(strings.TrimLeft(v, " \t"))
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v, at = v[1:len(v)-1], at+1
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		out = append(out, dotenvEntry{name: name, value: v, span: analysis.Span{Start: at, End: at + len(v)}, export: export})
	}
	return out
}

// composeDotenvFile is the .env file beside a Compose file.
func composeDotenvFile(file string) string { return filepath.Join(filepath.Dir(file), ".env") }

// composeExtends returns the file and service a service extends. A
// service of an override file (docker-compose.override.yml) without
// `extends` is merged onto the service of the same name in the Compose
// file beside it, as `docker compose` does when no -f is given: it reads
// compose.yaml (or compose.yml, docker-compose.yml, docker-compose.yaml),
// then the first override file.
func composeExtends(src source, file, name string, svc *yaml.Node) (string, string, bool) {
	_, ext := get(svc, "extends")
	if ext == nil {
		if base := composeBase(src, file); base != "" {
			return base, name, true
		}
		return "", "", false
	}
	if ext.Kind == yaml.ScalarNode {
		return file, ext.Value, ext.Value != ""
	}
	_, service := get(ext, "service")
	_, f := get(ext, "file")
	other := file
	if scalar(f) != "" {
		other = filepath.Join(filepath.Dir(file), scalar(f))
	}
	return other, scalar(service), scalar(service) != ""
}

// composeChain returns the other files a service's `extends` chain reads,
// step by step to its end (or 8 steps): what it builds and targets may
// come from any of them, so a change to any of them re-reads file. A file
// named but missing is listed too: creating it changes the service.
func composeChain(src source, file string, d *yamlDoc, name string, svc *yaml.Node) []string {
	var out []string
	for depth := 0; depth < 8; depth++ {
		other, bname, ok := composeExtends(src, file, name, svc)
		if !ok {
			break
		}
		if other != file && !slices.Contains(out, other) {
			out = append(out, other)
		}
		of, od, base := composeService(src, file, d, other, bname)
		if base == nil {
			break
		}
		file, d, name, svc = of, od, bname, base
	}
	return out
}

// composeInclude is a Compose file another one includes (`include:`)
// that the scan does not read as Compose itself (its name is not a
// Compose file's), and the services it defines.
type composeInclude struct {
	file, text string
	services   []serviceBuild
	via        []string // the env files it is interpolated with
}

// composeIncludes reads the files a Compose file's top-level `include:`
// lists (`- path` or `- path: path|[paths]`, relative to the including
// file's folder), and the files they include in turn (8 levels), except
// those the scan reads as Compose anyway (they read their own includes)
// when the include gives them no project folder or env file of its own.
// As compose-go's loader does, an included file's relative paths are
// taken from its `project_directory` (relative to the including file's
// folder; by default the first path's folder), and it is interpolated
// with the including file's variables and, over them, those of its
// `env_file` list (relative to the including file's folder; by default
// the .env in its project folder).
func composeIncludes(src source, file, text string, depth int, seen map[string]bool) []composeInclude {
	d, ok := parseYAML(text)
	if !ok || depth >= 8 {
		return nil
	}
	_, list := get(d.root, "include")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var out []composeInclude
	for _, item := range list.Content {
		var paths, envFiles []string
		item = resolve(item)
		_, pd := get(item, "project_directory")
		projectDir := composePath(src, file, scalar(pd))
		if projectDir != "" && !filepath.IsAbs(projectDir) {
			projectDir = filepath.Join(filepath.Dir(file), projectDir)
		}
		if _, ef := get(item, "env_file"); ef != nil {
			for _, n := range append([]*yaml.Node{ef}, ef.Content...) {
				if f := composePath(src, file, scalar(n)); f != "" {
					if !filepath.IsAbs(f) {
						f = filepath.Join(filepath.Dir(file), f)
					}
					envFiles = append(envFiles, f)
				}
			}
		}
		if item.Kind == yaml.ScalarNode {
			paths = append(paths, item.Value)
		} else if _, pv := get(item, "path"); pv != nil {
			if pv.Kind == yaml.ScalarNode {
				paths = append(paths, pv.Value)
			}
			for _, q := range pv.Content {
				paths = append(paths, scalar(q))
			}
		}
		for i, rel := range paths {
			if rel == "" {
				continue
			}
			inc := rel
			if !filepath.IsAbs(inc) {
				inc = filepath.Join(filepath.Dir(file), rel)
			}
			if i == 0 && projectDir == "" {
				projectDir = filepath.Dir(inc)
			}
			if seen[inc] {
				continue
			}
			seen[inc] = true
			data, err := src.read(inc, DefaultLimits.MaxSize)
			if err != nil || len(data) > int(DefaultLimits.MaxSize) {
				continue
			}
			own := projectDir == filepath.Dir(inc) && len(envFiles) == 0
			if Classify(inc) == Compose && own {
				continue // read by the scan, with what it includes
			}
			// Read as if it lay in its project folder, where its paths
			// lead, with its environment.
			at := filepath.Join(projectDir, filepath.Base(inc))
			isrc := src
			isrc.dotenv = maps.Clone(composeDotenv(src, file))
			via := envFiles
			if len(envFiles) == 0 {
				via = []string{composeDotenvFile(at)}
			}
			for _, f := range via {
				isrc.dotenv = readDotenv(src, f, isrc.dotenv)
			}
			if isrc.dotenv == nil {
				isrc.dotenv = map[string]string{}
			}
			out = append(out, composeInclude{file: inc, text: string(data), services: composeServices(isrc, at, string(data)), via: via})
			out = append(out, composeIncludes(isrc, at, string(data), depth+1, seen)...)
		}
	}
	return out
}

// composeInline reports whether a service builds a Dockerfile written in
// the Compose file (`build.dockerfile_inline`), its own or, when its build
// names no `dockerfile`, one from the service it extends (Compose merges
// the build mappings).
func composeInline(src source, file string, d *yamlDoc, name string, svc *yaml.Node) bool {
	for depth := 0; depth < 8 && svc != nil; depth++ {
		_, build := get(svc, "build")
		if k, _ := get(build, "dockerfile_inline"); k != nil {
			return true
		}
		if k, _ := get(build, "dockerfile"); k != nil {
			return false
		}
		other, bname, ok := composeExtends(src, file, name, svc)
		if !ok {
			return false
		}
		file, d, svc = composeService(src, file, d, other, bname)
		name = bname
	}
	return false
}

// composeOverrideNames are the files `docker compose` reads the first of
// (in this order) after the first of composeFileNames it finds in the
// same folder.
var (
	composeFileNames     = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}
	composeOverrideNames = []string{"compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"}
)

// composeBase is the Compose file an override file is merged onto: the
// first of the default names in its folder (inside root); "" when file is
// no override file, no such file exists, or another override file comes
// first: docker compose reads only the first of composeOverrideNames that
// exists.
func composeBase(src source, file string) string {
	if base, ok := src.bases[file]; ok {
		return base // a later file of a project's -f list
	}
	exists := func(name string) bool {
		_, err := src.read(filepath.Join(filepath.Dir(file), name), DefaultLimits.MaxSize)
		return err == nil
	}
	if i := slices.Index(composeOverrideNames, filepath.Base(file)); i >= 0 {
		if slices.ContainsFunc(composeOverrideNames[:i], exists) {
			return ""
		}
	} else if !composeVariant(filepath.Base(file)) {
		// Not compose.dev.yml or docker-compose.ci.yaml either, which are
		// written to be given with -f after the default file beside them,
		// their services merged onto its.
		return ""
	}
	for _, name := range composeFileNames {
		if exists(name) {
			return filepath.Join(filepath.Dir(file), name)
		}
	}
	return ""
}

// composeLaterTargets returns the services to which the override file
// docker compose reads after file gives a build.target, which wins over
// file's. A file given with -f after it (compose.prod.yaml) makes a
// project of its own, another build, and does not count.
func composeLaterTargets(src source, file string) map[string]bool {
	for _, p := range composeOverrideCandidates(file) {
		data, err := src.read(p, DefaultLimits.MaxSize)
		if err != nil {
			continue
		}
		// docker compose reads the first override file there is.
		if composeBase(src, p) != file {
			return nil
		}
		_, services, ok := parseSection(string(data), "services")
		if !ok {
			return nil
		}
		out := map[string]bool{}
		for i := 0; i+1 < len(services.Content); i += 2 {
			_, build := get(resolve(services.Content[i+1]), "build")
			if k, _ := get(build, "target"); k != nil {
				out[services.Content[i].Value] = true
			}
		}
		return out
	}
	return nil
}

// composeOverrideCandidates are the override files beside a default
// Compose file, which docker compose merges onto it: none beside another.
func composeOverrideCandidates(file string) []string {
	if !slices.Contains(composeFileNames, filepath.Base(file)) {
		return nil
	}
	var out []string
	for _, name := range composeOverrideNames {
		out = append(out, filepath.Join(filepath.Dir(file), name))
	}
	return out
}

// composeBaseCandidates are the files whose being there or not decides
// what an override file is merged onto (composeBase): the default names
// and the override names before its own, beside it.
func composeBaseCandidates(file string) []string {
	i := slices.Index(composeOverrideNames, filepath.Base(file))
	if i < 0 && composeVariant(filepath.Base(file)) {
		i = 0 // its base: the default names
	}
	if i < 0 {
		return nil
	}
	var out []string
	for _, name := range append(slices.Clip(composeFileNames), composeOverrideNames[:i]...) {
		out = append(out, filepath.Join(filepath.Dir(file), name))
	}
	return out
}

// composeService finds a service in a Compose file, reading it from disk
// when it is not the file at hand: only inside root, the workspace folder
// of the file naming it (`extends: {file: /etc/...}` reads nothing).
func composeService(src source, file string, d *yamlDoc, otherFile, name string) (string, *yamlDoc, *yaml.Node) {
	if otherFile != file {
		data, err := src.read(otherFile, DefaultLimits.MaxSize)
		if err != nil || len(data) > int(DefaultLimits.MaxSize) {
			return "", nil, nil
		}
		od, ok := parseYAML(string(data))
		if !ok {
			return "", nil, nil
		}
		file, d = otherFile, od
	}
	_, services := get(d.root, "services")
	_, svc := get(services, name)
	return file, d, svc
}

// composeBuild is the Dockerfile and context folder a service builds:
// its build's context and dockerfile, what it lacks taken from the
// service it extends (a Dockerfile name is relative to the context, so an
// inherited name goes with the service's own context). ok is false when
// neither has a build.
func composeBuild(src source, file string, d *yamlDoc, name string, svc *yaml.Node, depth int) (dockerfile, context string, ok bool) {
	_, build := get(svc, "build")
	var ctx, df string
	if build != nil && build.Kind == yaml.ScalarNode {
		ctx = scalar(build)
	}
	_, c := get(build, "context")
	_, f := get(build, "dockerfile")
	ctx, df = composePath(src, file, cmp.Or(ctx, scalar(c))), composePath(src, file, scalar(f))
	at := src.composeAt(file) // where its paths are relative to
	if (ctx == "" || df == "") && depth < 8 {
		if other, bname, ok := composeExtends(src, file, name, svc); ok {
			if of, od, base := composeService(src, file, d, other, bname); base != nil {
				idf, ictx, iok := composeBuild(src, of, od, bname, base, depth+1)
				switch {
				case ctx == "" && df == "":
					return idf, ictx, iok || build != nil
				case ctx == "" && ictx != "":
					return dockerfileFor(filepath.Join(ictx, "x"), ".", df), ictx, true
				case ctx == "":
					return filepath.Join(filepath.Dir(idf), df), "", true
				case iok && ictx != "":
					// Compose merges the build mappings: the service's own
					// context, the Dockerfile name of the one it extends.
					if rel, err := filepath.Rel(ictx, idf); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
						return dockerfileFor(at, ctx, rel), contextFor(at, ctx), true
					}
				}
			}
		}
	}
	return dockerfileFor(at, ctx, df), contextFor(at, ctx), build != nil
}

// extendedTargets are the targets a service without one gets from the
// service it extends in a file the scan does not read as Compose: each
// value its build.target may have, interpolated with dotenv (the values
// of the Compose file that extends it, which docker compose uses for
// every file it reads).
func extendedTargets(src source, file, svcName string, svc *yaml.Node, dotenv map[string]string, depth int) []Target {
	other, name, ok := composeExtends(src, file, svcName, svc)
	if !ok || other == file || Classify(other) == Compose || depth > 8 {
		return nil
	}
	of, od, base := composeService(src, file, nil, other, name)
	if base == nil {
		return nil
	}
	_, build := get(base, "build")
	key, target := get(build, "target")
	if key == nil {
		return extendedTargets(src, of, name, base, dotenv, depth+1)
	}
	df, ctx, _ := composeBuild(src, of, od, name, base, depth+1)
	var out []Target
	for _, v := range od.interpolate(key, target, dotenv) {
		out = append(out, Target{
			File:       of,
			Kind:       Compose,
			Line:       1 + strings.Count(od.text[:v.span.Start], "\n"),
			Name:       v.text,
			Span:       v.span,
			Computed:   v.computed,
			Dockerfile: df,
			Context:    ctx,
			Owner:      "service " + name,
		})
	}
	return out
}

// inherited finds attr in target t or, depth first, in the targets it
// inherits from; cycles end the search. known is false when the search
// met a parent this file does not define before it found the value: that
// parent may come from another Bake file and set it.
func inherited(t, attr string, read func(t, attr string) (v string, parents []string, ok bool)) (value string, known bool) {
	seen := map[string]bool{}
	known = true
	var walk func(t string) string
	walk = func(t string) string {
		if seen[t] {
			return ""
		}
		seen[t] = true
		v, parents, ok := read(t, attr)
		if !ok {
			known = false
			return ""
		}
		if v != "" {
			return v
		}
		// Later parents override earlier ones in Bake.
		for i := len(parents) - 1; i >= 0; i-- {
			if v := walk(parents[i]); v != "" {
				return v
			}
		}
		return ""
	}
	value = walk(t)
	return value, value != "" || known
}

// includedComposeContexts are the named contexts (build.additional_contexts)
// of the services of the files a Compose file includes and does not leave
// to the scan's own reading, each written in its file.
func includedComposeContexts(src source, file, text string) []NamedContext {
	if !strings.Contains(text, "include") {
		return nil // no include: no second parse
	}
	var out []NamedContext
	for _, inc := range composeIncludes(src, file, text, 0, map[string]bool{file: true}) {
		for _, s := range inc.services {
			for _, c := range s.contexts {
				c.File = inc.file
				out = append(out, c)
			}
		}
	}
	return out
}

// composeVariant reports whether a Compose file's name is a variant of a
// default one (compose.dev.yml, docker-compose.ci.yaml): neither a default
// nor an override name.
func composeVariant(base string) bool {
	return !slices.Contains(composeFileNames, base) && !slices.Contains(composeOverrideNames, base) && isComposeName(strings.ToLower(base))
}
