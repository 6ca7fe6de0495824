package workspace

import (
	"cmp"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
	"github.com/stagehand-ls/stagehand/internal/confined"
)

// bakeTarget is one target block of a Bake file (HCL or JSON), with its
// context and Dockerfile looked up through inherits. One walk over a Bake
// file's targets gives the targets they name, the build arguments they
// pass, their builds and what `--set` reads.
type bakeTarget struct {
	name       string
	dockerfile string
	context    string         // "" when remote
	stages     []Target       // its `target`: a literal, or each value of a matrix or variable
	args       []BuildArg     // its own and inherited; none when a parent from another file may set its Dockerfile
	contexts   []NamedContext // its own and inherited `contexts`
	inline     bool           // it builds its `dockerfile-inline`
	// template is set on a template target (bakeTemplates) read because
	// the command names it, which builds it.
	template bool
	// buildFile is the Bake file whose build the target is when another
	// file merged with this one defines it first; "" for this one.
	buildFile string
}

// bakeBlock is what one target block writes itself: the build arguments
// and named contexts it sets (Dockerfile and owner not yet known) and the
// targets it inherits from.
type bakeBlock struct {
	args     []BuildArg
	contexts []NamedContext
	parents  []string
}

// bakeWalk is a Bake file's target blocks, in order, and its groups.
type bakeWalk struct {
	targets []bakeTarget
	groups  map[string][]string
	via     []string // the other default Bake files read with this one
}

// walkBake reads the Bake file at file, HCL or JSON by its name. An HCL
// file with syntax errors still gives what its parser recovered, so a
// half-typed `target = "bu` can be completed.
func walkBake(root, file, text string) bakeWalk { return walkBakeWith(root, file, text, bakeWith{}) }

// walkBakeWith is walkBake read as a command reads it (with).
func walkBakeWith(root, file, text string, with bakeWith) bakeWalk {
	if Classify(file) == BakeJSON || strings.EqualFold(filepath.Ext(file), ".json") {
		return bakeJSON(root, file, text, with)
	}
	return bakeHCLIn(root, file, text, with)
}

// bakeWith is how a bake command reads a Bake file: the environment it
// runs in, whose values win over the variables' defaults (`export
// TARGET=e2e` before `docker buildx bake`), and the files it names with
// -f, in order (self is the file's own path among them), whose targets
// buildx merges attribute by attribute, the later winning. targets are
// the targets the command names: a template among them is built.
type bakeWith struct {
	env     func(name string) []value
	files   []string
	self    string
	targets []string
}

// bakeSetFile is one of the Bake files buildx reads together with the
// file a walk reads: its path ("" for that file itself) and its content,
// parsed once a walk, as HCL or as JSON (neither when it does not parse).
type bakeSetFile struct {
	path string
	hcl  *hclsyntax.Body
	json *yamlDoc
}

// readBakeSet reads the Bake files buildx reads with file, in its order,
// file itself among them (its HCL body or JSON document given, the one
// its walk parsed): the files the command names with -f, or else the
// default files beside it (bakeDefaultSiblings). Each is read and parsed
// here once, for every use a walk makes of it: the targets' attributes,
// the variables' defaults, which file a target's one build is.
func readBakeSet(root, file string, body *hclsyntax.Body, doc *yamlDoc, with bakeWith) []bakeSetFile {
	var order []string // "" for file
	if len(with.files) > 1 && root != "" {
		for _, p := range with.files {
			if p == with.self {
				p = ""
			}
			order = append(order, p)
		}
	} else {
		order = bakeDefaultSiblings(root, file)
	}
	if !slices.Contains(order, "") {
		order = append(order, "")
	}
	set := make([]bakeSetFile, 0, len(order))
	for _, p := range order {
		if p == "" {
			set = append(set, bakeSetFile{hcl: body, json: doc})
			continue
		}
		data, err := confined.ReadFile(root, p, DefaultLimits.MaxSize)
		if err != nil {
			continue
		}
		// A file that does not parse stays, empty: the walk still depends
		// on it, and is made again once it is mended.
		f := bakeSetFile{path: p}
		if strings.EqualFold(filepath.Ext(p), ".json") {
			f.json, _ = parseYAML(string(data))
		} else if hf, _ := hclsyntax.ParseConfig(data, p, hcl.InitialPos); hf != nil {
			f.hcl, _ = hf.Body.(*hclsyntax.Body)
		}
		set = append(set, f)
	}
	return set
}

// bakeSetRead returns the other files of set, for the walk's via.
func bakeSetRead(set []bakeSetFile) []string {
	var out []string
	for _, f := range set {
		if f.path != "" {
			out = append(out, f.path)
		}
	}
	return out
}

// otherHCL returns the first HCL file of set other than the walk's own.
func otherHCL(set []bakeSetFile) string {
	for _, f := range set {
		if f.hcl != nil && f.path != "" {
			return f.path
		}
	}
	return ""
}

// bakeSetBlock is one target block of a file of a Bake set, HCL or JSON.
type bakeSetBlock struct {
	hcl  *hclsyntax.Body
	json *yaml.Node
}

// sets reports whether the block writes attr.
func (b bakeSetBlock) sets(attr string) bool {
	if b.hcl != nil {
		_, ok := b.hcl.Attributes[attr]
		return ok
	}
	k, _ := get(b.json, attr)
	return k != nil
}

// str is the literal string the block gives attr, "" when it gives none.
func (b bakeSetBlock) str(attr string) string {
	if b.hcl != nil {
		v, _ := stringAttr(b.hcl, attr)
		return v
	}
	_, v := get(b.json, attr)
	return scalar(v)
}

// list is the literal strings of the list the block gives attr.
func (b bakeSetBlock) list(attr string) []string {
	if b.hcl != nil {
		return stringList(b.hcl, attr)
	}
	_, v := get(b.json, attr)
	var out []string
	for _, q := range resolveSeq(v) {
		out = append(out, scalar(q))
	}
	return out
}

// bakeSetTargets are the target blocks of every file of a Bake set, HCL
// and JSON alike, by name in buildx's order, and the members of its
// groups: buildx merges a target's blocks attribute by attribute, the
// later file winning, whatever the files' formats.
type bakeSetTargets struct {
	blocks map[string][]bakeSetBlock
	groups map[string][]string
}

// setTargetsOf reads the target blocks and groups of set.
func setTargetsOf(set []bakeSetFile) bakeSetTargets {
	st := bakeSetTargets{blocks: map[string][]bakeSetBlock{}, groups: map[string][]string{}}
	for _, f := range set {
		switch {
		case f.hcl != nil:
			for _, b := range f.hcl.Blocks {
				if len(b.Labels) != 1 {
					continue
				}
				switch b.Type {
				case "target":
					st.blocks[b.Labels[0]] = append(st.blocks[b.Labels[0]], bakeSetBlock{hcl: b.Body})
				case "group":
					st.groups[b.Labels[0]] = append(st.groups[b.Labels[0]], stringList(b.Body, "targets")...)
				}
			}
		case f.json != nil:
			if _, targets := get(f.json.root, "target"); targets != nil && targets.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(targets.Content); i += 2 {
					name := targets.Content[i].Value
					st.blocks[name] = append(st.blocks[name], bakeSetBlock{json: resolve(targets.Content[i+1])})
				}
			}
			if _, groups := get(f.json.root, "group"); groups != nil && groups.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(groups.Content); i += 2 {
					name := groups.Content[i].Value
					st.groups[name] = append(st.groups[name], bakeSetBlock{json: resolve(groups.Content[i+1])}.list("targets")...)
				}
			}
		}
	}
	return st
}

// read returns target t's attr as the set merges it, "" when no block
// gives it a literal string, and the targets t inherits from; ok when a
// file of the set defines t.
func (st bakeSetTargets) read(t, attr string) (v string, parents []string, ok bool) {
	bs := st.blocks[t]
	for _, b := range bs { // the last block setting it wins
		if b.sets(attr) {
			v = b.str(attr)
		}
		if b.sets("inherits") {
			parents = b.list("inherits")
		}
	}
	return v, parents, len(bs) > 0
}

// setsAttr reports whether a block of target t, in any file of the set,
// writes attr.
func (st bakeSetTargets) setsAttr(t, attr string) bool {
	return slices.ContainsFunc(st.blocks[t], func(b bakeSetBlock) bool { return b.sets(attr) })
}

// parents returns the targets t inherits from, as the set merges it.
func (st bakeSetTargets) parents(t string) []string {
	_, parents, _ := st.read(t, "")
	return parents
}

// templates returns the set's template targets (bakeTemplates).
func (st bakeSetTargets) templates() map[string]bool {
	all := map[string][]string{}
	for t := range st.blocks {
		all[t] = st.parents(t)
	}
	return bakeTemplates(all, st.groups)
}

// bakeHCLIn reads the `target "name" { ... }` and `group` blocks of a
// Bake HCL file, as a bake command reads it (with): with.env gives the
// values the command's environment gives variables (`export TARGET=e2e`
// before `docker buildx bake`), which win over their defaults, as buildx
// takes them; with.files the files read with it.
func bakeHCLIn(root, file, text string, with bakeWith) bakeWalk {
	env := with.env
	w := bakeWalk{groups: map[string][]string{}}
	f, _ := hclsyntax.ParseConfig([]byte(text), file, hcl.InitialPos)
	if f == nil {
		return w
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return w
	}
	// The blocks of each target, in the files Bake reads with this one
	// (docker-bake.hcl, then docker-bake.override.hcl), later ones last.
	set := readBakeSet(root, file, body, nil, with)
	w.via = dedupe(bakeSetRead(set))
	other := otherHCL(set)
	st := setTargetsOf(set)
	merge := bakeMergeOf(set, file, with)
	read, setsAttr, parentsOf := st.read, st.setsAttr, st.parents
	ownBlocks := map[string]bakeBlock{}
	for _, b := range body.Blocks {
		if b.Type == "target" && len(b.Labels) == 1 {
			ownBlocks[b.Labels[0]] = bakeBlock{args: hclArgs(b.Body), contexts: hclContexts(b.Body), parents: parentsOf(b.Labels[0])}
		}
	}
	templates := st.templates()
	// The variables' defaults: this file's where they are written; another
	// file's that overrides them, or that this file lacks, without a span
	// here (a target naming one is computed).
	variables := siblingVariables(set, bakeVariables(body))
	for _, b := range body.Blocks {
		if env != nil && b.Type == "variable" && len(b.Labels) == 1 {
			if vs := env(b.Labels[0]); len(vs) > 0 {
				variables[b.Labels[0]] = vs
			}
		}
	}
	for _, b := range body.Blocks {
		if b.Type == "group" && len(b.Labels) == 1 {
			w.groups[b.Labels[0]] = stringList(b.Body, "targets")
		}
		if b.Type != "target" || len(b.Labels) != 1 {
			continue
		}
		name := b.Labels[0]
		if templates[name] && !slices.Contains(with.targets, name) {
			continue // its attributes count in the targets inheriting it
		}
		bt, known := newBakeTarget(file, name, read)
		bt.template = templates[name]
		bt.buildFile = merge.buildFileOf(name)
		if inline, _ := inherited(name, "dockerfile-inline", func(t, attr string) (string, []string, bool) {
			_, parents, ok := read(t, attr)
			if setsAttr(t, attr) {
				return "set", parents, ok
			}
			return "", parents, ok
		}); inline != "" {
			w.targets = append(w.targets, inlineTarget(name))
			continue
		}
		owner := "target " + name
		// The block giving the target its `target`: its own, else the
		// parent it inherits it from, when that parent is written here.
		targetBlock := b.Body
		if _, own := b.Body.Attributes["target"]; !own {
			if setter := attrSetter(name, "target", setsAttr, parentsOf); setter != "" && setter != name {
				for _, pb := range body.Blocks {
					if pb.Type == "target" && len(pb.Labels) == 1 && pb.Labels[0] == setter && setsAttr(setter, "target") {
						if _, ok := pb.Body.Attributes["target"]; ok {
							targetBlock = pb.Body
						}
					}
				}
			}
		}
		if a, ok := targetBlock.Attributes["target"]; ok {
			if value, span, ok := literalString(a.Expr); ok {
				bt.stages = append(bt.stages, Target{Name: value, Span: span, Dockerfile: bt.dockerfile, Context: bt.context, Owner: owner, Via: other, BuildFile: bt.buildFile, Overridden: merge.setLater[name]})
			} else {
				// A matrix variable or a variable's default: each value counts.
				for _, v := range bakeValues(a.Expr, targetBlock, variables) {
					if v.span == (analysis.Span{}) {
						// A default another file sets: the expression here.
						r := a.Expr.Range()
						v.span = analysis.Span{Start: r.Start.Byte, End: r.End.Byte}
						if _, quoted := a.Expr.(*hclsyntax.TemplateWrapExpr); quoted && r.End.Byte-r.Start.Byte >= 2 {
							v.span = analysis.Span{Start: r.Start.Byte + 1, End: r.End.Byte - 1}
						}
					}
					bt.stages = append(bt.stages, Target{File: v.file, Name: v.text, Span: v.span, Dockerfile: bt.dockerfile, Context: bt.context, Owner: owner, Computed: v.computed, Via: other, BuildFile: bt.buildFile, Overridden: merge.setLater[name]})
				}
			}
		}
		bt.inherit(name, ownBlocks, known)
		w.targets = append(w.targets, bt)
	}
	return w
}

// bakeJSON reads {"target": {"name": {"context", "dockerfile", "target",
// "args", "inherits"}}}; JSON is YAML, and YAML nodes carry positions.
// with.env, when set, gives the values the bake command's environment
// gives the file's variables, which win over their defaults; with.targets
// the targets the command names.
func bakeJSON(root, file, text string, with bakeWith) bakeWalk {
	env := with.env
	w := bakeWalk{groups: map[string][]string{}}
	d, targets, ok := parseSection(text, "target")
	if !ok {
		return w
	}
	_, groups := get(d.root, "group")
	for i := 0; groups != nil && groups.Kind == yaml.MappingNode && i+1 < len(groups.Content); i += 2 {
		_, ts := get(resolve(groups.Content[i+1]), "targets")
		for _, t := range resolveSeq(ts) {
			w.groups[groups.Content[i].Value] = append(w.groups[groups.Content[i].Value], scalar(t))
		}
	}
	// The variables' defaults, of every default Bake file buildx reads
	// with this one (HCL or JSON), a later file's winning: this file's
	// where they are written, another's without a span here.
	set := readBakeSet(root, file, nil, d, with)
	w.via = dedupe(bakeSetRead(set))
	vars := siblingVariables(set, jsonVariables(d))
	if _, variables := get(d.root, "variable"); env != nil && variables != nil && variables.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(variables.Content); i += 2 {
			if vs := env(variables.Content[i].Value); len(vs) > 0 {
				vars[variables.Content[i].Value] = vs
			}
		}
	}
	st := setTargetsOf(set)
	read, setsAttr, parentsOf := st.read, st.setsAttr, st.parents
	templates := st.templates()
	merge := bakeMergeOf(set, file, with)
	own := map[string]bakeBlock{}
	for i := 0; i+1 < len(targets.Content); i += 2 {
		name, block := targets.Content[i].Value, resolve(targets.Content[i+1])
		bb := bakeBlock{parents: parentsOf(name)}
		if _, args := get(block, "args"); args != nil {
			bb.args = d.yamlArgs(args, "", "")
		}
		if _, contexts := get(block, "contexts"); contexts != nil {
			bb.contexts = d.yamlContexts(contexts, "", "")
		}
		own[name] = bb
	}
	for i := 0; i+1 < len(targets.Content); i += 2 {
		name := targets.Content[i].Value
		if templates[name] && !slices.Contains(with.targets, name) {
			continue // its attributes count in the targets inheriting it
		}
		bt, known := newBakeTarget(file, name, read)
		bt.template = templates[name]
		bt.buildFile = merge.buildFileOf(name)
		if inline, _ := inherited(name, "dockerfile-inline", func(t, attr string) (string, []string, bool) {
			_, parents, ok := read(t, attr)
			if setsAttr(t, attr) {
				return "set", parents, ok
			}
			return "", parents, ok
		}); inline != "" {
			w.targets = append(w.targets, inlineTarget(name))
			continue
		}
		owner := "target " + name
		// Its own `target`, else the one of the parent it inherits it from.
		_, block := get(targets, attrSetter(name, "target", setsAttr, parentsOf))
		if key, target := get(block, "target"); key != nil {
			for _, v := range jsonValues(file, scalar(target), d.valueSpan(key, target), vars) {
				bt.stages = append(bt.stages, Target{File: v.file, Name: v.text, Span: v.span, Computed: v.computed, Dockerfile: bt.dockerfile, Context: bt.context, Owner: owner, BuildFile: bt.buildFile, Overridden: merge.setLater[name]})
			}
		}
		bt.inherit(name, own, known)
		w.targets = append(w.targets, bt)
	}
	return w
}

// bakeAllDefaultFiles are the Bake files `docker buildx bake` reads
// without -f, in buildx's order (after the Compose files): later ones
// override earlier ones' targets and variables.
var bakeAllDefaultFiles = []string{"docker-bake.json", "docker-bake.hcl", "docker-bake.override.json", "docker-bake.override.hcl"}

// bakeDefaultSiblings lists, in buildx's order, the default Bake files
// beside file when it is one: "" for file itself, the others' paths.
func bakeDefaultSiblings(root, file string) []string {
	base := filepath.Base(file)
	if bakeVariant(file) && root != "" {
		return []string{filepath.Join(filepath.Dir(file), "docker-bake.hcl"), ""}
	}
	if !slices.Contains(bakeAllDefaultFiles, base) || root == "" {
		return []string{""}
	}
	var out []string
	for _, name := range bakeAllDefaultFiles {
		if name == base {
			out = append(out, "")
		} else {
			out = append(out, filepath.Join(filepath.Dir(file), name))
		}
	}
	return out
}

// bakeMerge is what the Bake files buildx merges with one file (HCL or
// JSON, in buildx's order) say of its targets: buildx merges the blocks of
// one name, whatever file they are in, into one target.
type bakeMerge struct {
	self string
	// buildFile is, by target, the first file merged that defines it: the
	// target's one build is that file's.
	buildFile map[string]string
	// setLater holds the targets a file merged after this one gives a
	// `target`, which wins over this file's.
	setLater map[string]bool
}

// buildFileOf returns the file whose build target t is, "" for this one.
func (m bakeMerge) buildFileOf(t string) string {
	if f := m.buildFile[t]; f != m.self {
		return f
	}
	return ""
}

// bakeMergeOf reads the target blocks of the default Bake files merged
// with file (set, as readBakeSet reads it), as `docker buildx bake` reads
// them without -f. Files named with -f otherwise (docker-bake.ci.hcl) make
// a build of their own, as a file written for that does: no merge.
func bakeMergeOf(set []bakeSetFile, file string, with bakeWith) bakeMerge {
	m := bakeMerge{self: file, buildFile: map[string]string{}, setLater: map[string]bool{}}
	named := slices.ContainsFunc(with.files, func(p string) bool { return !slices.Contains(bakeAllDefaultFiles, filepath.Base(p)) })
	if named || bakeVariant(file) {
		return m
	}
	seen := false // file's own place is passed
	for _, f := range set {
		path := f.path
		if path == "" {
			path = file
		}
		for name, setsTarget := range f.targetBlocks() {
			if _, ok := m.buildFile[name]; !ok {
				m.buildFile[name] = path
			}
			if setsTarget && seen {
				m.setLater[name] = true
			}
		}
		if f.path == "" {
			seen = true
		}
	}
	return m
}

// targetBlocks returns the names of the file's target blocks, and for
// each whether it sets `target`.
func (f bakeSetFile) targetBlocks() map[string]bool {
	out := map[string]bool{}
	if f.json != nil {
		if _, targets := get(f.json.root, "target"); targets != nil && targets.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(targets.Content); i += 2 {
				k, _ := get(resolve(targets.Content[i+1]), "target")
				out[targets.Content[i].Value] = out[targets.Content[i].Value] || k != nil
			}
		}
		return out
	}
	if f.hcl != nil {
		for _, b := range f.hcl.Blocks {
			if b.Type == "target" && len(b.Labels) == 1 {
				_, sets := b.Body.Attributes["target"]
				out[b.Labels[0]] = out[b.Labels[0]] || sets
			}
		}
	}
	return out
}

// siblingVariables are the variables' defaults of the Bake file a walk
// reads (own, with their spans there) and of the other files of its set
// (HCL or JSON, in buildx's order, the later winning: without a span
// here, computed).
func siblingVariables(set []bakeSetFile, own map[string][]value) map[string][]value {
	vars := map[string][]value{}
	for _, f := range set {
		if f.path == "" {
			maps.Copy(vars, own)
			continue
		}
		var ov map[string][]value
		if f.json != nil {
			ov = jsonVariables(f.json)
		} else if f.hcl != nil {
			ov = bakeVariables(f.hcl)
		}
		for name, vals := range ov {
			for j := range vals {
				vals[j] = value{text: vals[j].text, computed: true}
			}
			vars[name] = vals
		}
	}
	return vars
}

// jsonVariables reads the literal defaults of a Bake JSON file's
// variables: {"variable": {"NAME": {"default": "..."}}}.
func jsonVariables(d *yamlDoc) map[string][]value {
	vars := map[string][]value{}
	_, variables := get(d.root, "variable")
	for i := 0; variables != nil && i+1 < len(variables.Content); i += 2 {
		if key, def := get(resolve(variables.Content[i+1]), "default"); key != nil && def.Kind == yaml.ScalarNode && !strings.Contains(def.Value, "${") {
			vars[variables.Content[i].Value] = []value{{text: def.Value, span: d.valueSpan(key, def)}}
		}
	}
	return vars
}

// resolveSeq is the items of a sequence node (an alias followed); none
// for another node.
func resolveSeq(n *yaml.Node) []*yaml.Node {
	if n = resolve(n); n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// jsonValues is what a Bake JSON string (s, written at span) may be: its
// text, or, as buildx reads JSON strings as HCL templates, where it
// interpolates variables ("${STAGE}", "runtime-${STAGE}") each text their
// defaults give. One whole variable keeps its default's span; other texts
// are computed, over the whole string. A variable without a default, or
// any other expression, leaves none.
func jsonValues(file, s string, span analysis.Span, vars map[string][]value) []value {
	if !strings.Contains(s, "${") {
		return []value{{text: s, span: span}}
	}
	e, diags := hclsyntax.ParseTemplate([]byte(s), file, hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		if _, lit := t.Parts[0].(*hclsyntax.LiteralValueExpr); lit {
			return nil // "$${...}" and the like: no stage name
		}
	}
	out := bakeValues(e, &hclsyntax.Body{}, vars)
	for i := range out {
		if out[i].computed || out[i].span == (analysis.Span{}) {
			out[i].span, out[i].computed = span, true
		}
	}
	return out
}

// newBakeTarget is target name with its context and Dockerfile looked up
// through inherits; known is false when a parent this file does not
// define may set either.
func newBakeTarget(file, name string, read func(t, attr string) (string, []string, bool)) (bakeTarget, bool) {
	c, knownContext := inherited(name, "context", read)
	df, knownDockerfile := inherited(name, "dockerfile", read)
	return bakeTarget{name: name, dockerfile: dockerfileFor(file, c, df), context: contextFor(file, c)}, knownContext && knownDockerfile
}

// inlineTarget is a target block that builds a Dockerfile written in the
// Bake file (`dockerfile-inline`, its own or inherited, which buildx uses
// whatever `dockerfile` says): it builds no file on disk, and its target,
// args and contexts are that text's.
func inlineTarget(name string) bakeTarget {
	return bakeTarget{name: name, inline: true}
}

// inherit gives target name the build arguments and named contexts it sets
// or inherits, as Bake merges them: its own first, then its parents', the
// later parent first, each name once. Arguments are kept only when the
// Dockerfile they go to is known.
func (bt *bakeTarget) inherit(name string, own map[string]bakeBlock, known bool) {
	owner := "target " + name
	seenTarget, seenArg, seenContext := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var walk func(t string, depth int)
	walk = func(t string, depth int) {
		b, ok := own[t]
		if !ok || seenTarget[t] || depth > 8 {
			return
		}
		seenTarget[t] = true
		for _, a := range b.args {
			if known && !seenArg[a.Name] {
				seenArg[a.Name] = true
				a.Dockerfile, a.Owner = bt.dockerfile, owner
				bt.args = append(bt.args, a)
			}
		}
		for _, c := range b.contexts {
			if !seenContext[c.Name] {
				seenContext[c.Name] = true
				c.Dockerfile, c.Owner = bt.dockerfile, owner
				bt.contexts = append(bt.contexts, c)
			}
		}
		for i := len(b.parents) - 1; i >= 0; i-- {
			walk(b.parents[i], depth+1)
		}
	}
	walk(name, 0)
}

// hclArgs reads a target block's `args = { NAME = ... }` keys.
func hclArgs(b *hclsyntax.Body) []BuildArg {
	var out []BuildArg
	for _, item := range hclObject(b, "args") {
		if name, span, ok := hclKey(item.KeyExpr); ok {
			out = append(out, BuildArg{Name: name, Span: span})
		}
	}
	return out
}

// hclContexts reads a target block's `contexts = { name = "value" }`.
func hclContexts(b *hclsyntax.Body) []NamedContext {
	var out []NamedContext
	for _, item := range hclObject(b, "contexts") {
		if name, span, ok := hclKey(item.KeyExpr); ok {
			value, _, _ := literalString(item.ValueExpr)
			out = append(out, NamedContext{Name: name, Value: value, Span: span})
		}
	}
	return out
}

// hclObject returns the items of a block's attribute written as an object.
func hclObject(b *hclsyntax.Body, attr string) []hclsyntax.ObjectConsItem {
	if a, ok := b.Attributes[attr]; ok {
		if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
			return obj.Items
		}
	}
	return nil
}

// namedContexts is the named contexts the file's target blocks give.
func (w bakeWalk) namedContexts() []NamedContext {
	return onceEach(w.targets, func(t bakeTarget) []NamedContext { return t.contexts },
		func(c NamedContext) bakeItem { return bakeItem{c.Dockerfile, c.Span.Start} })
}

// onceEach returns the items of the targets, once for each Dockerfile a
// written item goes to: a parent and its child building the same
// Dockerfile give it once.
func onceEach[T any](targets []bakeTarget, items func(bakeTarget) []T, key func(T) bakeItem) []T {
	var out []T
	seen := map[bakeItem]bool{}
	for _, t := range targets {
		for _, it := range items(t) {
			if k := key(it); !seen[k] {
				seen[k] = true
				out = append(out, it)
			}
		}
	}
	return out
}

// bakeItem is a written argument or context and the Dockerfile it goes to.
type bakeItem struct {
	dockerfile string
	start      int
}

// walkBakeFile reads a Bake file: the targets its target blocks name, the
// build arguments they pass, their builds and, for HCL, what --set reads.
func walkBakeFile(root, file, text string) walked {
	b := walkBake(root, file, text)
	w := walked{targets: b.stageTargets(), args: b.buildArgs(), builds: b.builds()}
	w.via = b.via
	if k := Classify(file); k == Bake || k == BakeJSON {
		w.bake = b.definitions()
	}
	return w
}

// stageTargets is the targets the file's target blocks name.
func (w bakeWalk) stageTargets() []Target {
	var out []Target
	for _, t := range w.targets {
		out = append(out, t.stages...)
	}
	return out
}

// buildArgs is the build arguments the file's target blocks pass.
func (w bakeWalk) buildArgs() []BuildArg {
	return onceEach(w.targets, func(t bakeTarget) []BuildArg { return t.args },
		func(a BuildArg) bakeItem { return bakeItem{a.Dockerfile, a.Span.Start} })
}

// builds is the Dockerfile and context of each target block.
func (w bakeWalk) builds() []Build {
	var out []Build
	for _, t := range w.targets {
		if b, ok := t.build(); ok {
			out = append(out, b)
		}
	}
	return out
}

// build is the target block's Dockerfile and context; none when it builds
// its `dockerfile-inline`.
func (t bakeTarget) build() (Build, bool) {
	if t.inline {
		return Build{}, false
	}
	b := Build{Dockerfile: t.dockerfile, Context: t.context, Owner: "target " + t.name, File: t.buildFile}
	for _, c := range t.contexts {
		b.Contexts = append(b.Contexts, c.Name)
	}
	return b, true
}

// bakeVariables returns the literal defaults of a Bake file's
// `variable "NAME" { default = "..." }` blocks.
func bakeVariables(body *hclsyntax.Body) map[string][]value {
	vars := map[string][]value{}
	for _, b := range body.Blocks {
		if b.Type != "variable" || len(b.Labels) != 1 {
			continue
		}
		if a, ok := b.Body.Attributes["default"]; ok {
			if s, sp, ok := literalString(a.Expr); ok {
				vars[b.Labels[0]] = append(vars[b.Labels[0]], value{text: s, span: sp})
			}
		}
	}
	return vars
}

// bakeValues evaluates a target's `target` built from one variable, bare
// or as "${name}": the values of the block's matrix entry of that name, or
// the variable's default.
func bakeValues(e hclsyntax.Expression, block *hclsyntax.Body, vars map[string][]value) []value {
	if t, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = t.Wrapped
	}
	if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
		e = t.Parts[0]
	} else if ok {
		// "runtime-${item}": literal pieces and variables, each text it
		// may have.
		outs := []string{""}
		for _, part := range t.Parts {
			var alts []string
			if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() {
				alts = []string{lit.Val.AsString()}
			} else {
				for _, v := range bakeValues(part, block, vars) {
					alts = append(alts, v.text)
				}
			}
			if len(alts) == 0 {
				return nil
			}
			outs = crossTexts(outs, "", alts)
		}
		r := t.SrcRange
		return computedValues(outs, analysis.Span{Start: r.Start.Byte + 1, End: r.End.Byte - 1})
	}
	trav, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(trav.Traversal) != 1 {
		return nil
	}
	name := trav.Traversal.RootName()
	if m, ok := block.Attributes["matrix"]; ok {
		if obj, ok := m.Expr.(*hclsyntax.ObjectConsExpr); ok {
			for _, item := range obj.Items {
				key, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
				if !ok || hcl.ExprAsKeyword(key.Wrapped) != name {
					continue
				}
				tuple, ok := item.ValueExpr.(*hclsyntax.TupleConsExpr)
				if !ok {
					return nil
				}
				var out []value
				for _, el := range tuple.Exprs {
					if s, sp, ok := literalString(el); ok {
						out = append(out, value{text: s, span: sp})
					}
				}
				return out
			}
		}
	}
	return vars[name]
}

// bakeFile is what a Bake file defines, for `docker buildx bake --set`:
// each target's Dockerfile and each group's targets.
type bakeFile struct {
	targets map[string]string // each target's Dockerfile
	groups  map[string][]string
}

// definitions is what --set reads of the file.
func (w bakeWalk) definitions() *bakeFile {
	bf := &bakeFile{targets: map[string]string{}, groups: w.groups}
	for _, t := range w.targets {
		bf.targets[t.name] = t.dockerfile
	}
	return bf
}

// stringList reads an attribute holding a list of literal strings.
func stringList(b *hclsyntax.Body, name string) []string {
	a, ok := b.Attributes[name]
	if !ok {
		return nil
	}
	tuple, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range tuple.Exprs {
		if s, _, ok := literalString(e); ok {
			out = append(out, s)
		}
	}
	return out
}

// dockerfiles returns the Dockerfiles of the Bake targets a --set
// applies to: those the command names, through groups (the default group
// when it names none; every target when there is none), that match the
// pattern.
func (bf *bakeFile) dockerfiles(ref *BakeRef) []string {
	var names []string
	seen := map[string]bool{}
	var expand func(n string, depth int)
	expand = func(n string, depth int) {
		if seen[n] || depth > 8 {
			return
		}
		seen[n] = true
		if g, ok := bf.groups[n]; ok {
			for _, m := range g {
				expand(m, depth+1)
			}
			return
		}
		if _, ok := bf.targets[n]; ok {
			names = append(names, n)
		}
	}
	named := ref.Named
	if len(named) == 0 {
		named = []string{"default"}
		if _, ok := bf.groups["default"]; !ok {
			if _, ok := bf.targets["default"]; !ok {
				named = nil
				for n := range bf.targets {
					named = append(named, n)
				}
			}
		}
	}
	for _, n := range named {
		expand(n, 0)
	}
	var out []string
	for _, n := range names {
		// An inline target ("" here) builds no file on disk.
		if ok, _ := path.Match(ref.Pattern, n); ok && bf.targets[n] != "" {
			out = append(out, bf.targets[n])
		}
	}
	return out
}

func stringAttr(b *hclsyntax.Body, name string) (string, bool) {
	a, ok := b.Attributes[name]
	if !ok {
		return "", false
	}
	s, _, ok := literalString(a.Expr)
	return s, ok
}

// literalString returns a quoted string without interpolation, and the span
// of its characters inside the quotes.
func literalString(e hclsyntax.Expression) (string, analysis.Span, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return "", analysis.Span{}, false
	}
	r := t.SrcRange
	if len(t.Parts) == 0 {
		// "" : an empty span between the quotes.
		return "", analysis.Span{Start: r.Start.Byte + 1, End: r.Start.Byte + 1}, true
	}
	if len(t.Parts) != 1 {
		return "", analysis.Span{}, false
	}
	lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.Type() != cty.String || !lit.Val.IsKnown() {
		return "", analysis.Span{}, false
	}
	pr := lit.SrcRange
	if lit.Val.AsString() == "" {
		// HCL places the empty literal of "" after the closing quote.
		return "", analysis.Span{Start: r.Start.Byte + 1, End: r.Start.Byte + 1}, true
	}
	return lit.Val.AsString(), analysis.Span{Start: pr.Start.Byte, End: pr.End.Byte}, true
}

// bakeCall is a `docker buildx bake` command: the Bake files it reads
// (its -f files, else the default ones), where it runs, the environment
// it runs in and the targets it names.
type bakeCall struct {
	files   []string
	cwd     string
	env     func(name string) []value
	targets []string
}

// bakeCallBuilds is what bake commands build that the Bake files' own
// reading does not give. The targets they name through the variables
// their environment sets (`export TARGET=e2e` before `docker buildx
// bake`, a step's env), which win over the variables' defaults: the Bake
// files' `target = TARGET` (HCL) or "${TARGET}" (JSON) read with those
// values, each target kept where the caller (p) writes its value. And
// the template targets they name (`docker buildx bake _common`), which
// the files' reading leaves to the targets inheriting them: each is a
// build, with its target, arguments and contexts.
func bakeCallBuilds(src source, p string, calls []bakeCall) walked {
	var out walked
	for _, c := range calls {
		env := func(name string) []value {
			vs := c.env(name)
			out := make([]value, 0, len(vs))
			for _, v := range vs {
				if v.file == "" {
					v.file = p
				}
				out = append(out, v)
			}
			return out
		}
		for _, f := range c.files {
			data, err := src.read(f, DefaultLimits.MaxSize)
			if err != nil || len(data) > int(DefaultLimits.MaxSize) {
				continue
			}
			// Read as if it lay where the command runs, as buildx resolves
			// a named file's paths.
			b := walkBakeWith(src.root, filepath.Join(c.cwd, filepath.Base(f)), string(data), bakeWith{env: env, files: c.files, self: f, targets: c.targets})
			// What a template passes that a target inheriting it passes to
			// the same Dockerfile is that target's, in the file's own
			// reading: given once.
			passed := map[bakeItem]bool{}
			for _, bt := range b.targets {
				if bt.template {
					continue
				}
				for _, a := range bt.args {
					passed[bakeItem{a.Dockerfile, a.Span.Start}] = true
				}
				for _, nc := range bt.contexts {
					passed[bakeItem{nc.Dockerfile, nc.Span.Start}] = true
				}
			}
			for _, bt := range b.targets {
				for _, t := range bt.stages {
					if t.File == p || bt.template {
						if t.File == "" {
							t.File, t.Kind = f, Bake // written in the Bake file
						}
						t.Via = f
						out.targets = append(out.targets, t)
					}
				}
				if !bt.template {
					continue
				}
				out.via = append(out.via, f)
				for _, a := range bt.args {
					if !passed[bakeItem{a.Dockerfile, a.Span.Start}] {
						a.File = f
						out.args = append(out.args, a)
					}
				}
				for _, nc := range bt.contexts {
					if !passed[bakeItem{nc.Dockerfile, nc.Span.Start}] {
						nc.File = f
						out.contexts = append(out.contexts, nc)
					}
				}
				if bd, ok := bt.build(); ok {
					bd.File = cmp.Or(bd.File, f)
					out.builds = append(out.builds, bd)
				}
			}
		}
	}
	return out
}

// bakeVariant reports whether file is an HCL Bake file of a name buildx
// does not read by default (docker-bake.ci.hcl, docker-bake.release.hcl):
// one given with -f after the docker-bake.hcl beside it.
func bakeVariant(file string) bool {
	base := filepath.Base(file)
	return Classify(file) == Bake && !slices.Contains(bakeAllDefaultFiles, base) && strings.HasPrefix(base, "docker-bake.")
}

// bakeTemplates are the template targets of a Bake definition: those
// another target inherits (`inherits = ["_common"]`) and that no group
// names. Bake builds one only when a command names it (bakeCallBuilds
// reads it so); its attributes count in the targets inheriting them, so
// it is no build of the file's own.
// "default", which bake builds when no name is given, is never one. In a
// file without groups every target is built by its name, so only a
// parent named as private (`_common`, the docs' convention) is one there:
// `app-release` inheriting `app-dev` leaves app-dev a build.
func bakeTemplates(parents map[string][]string, groups map[string][]string) map[string]bool {
	grouped := map[string]bool{"default": true}
	for _, members := range groups {
		for _, m := range members {
			grouped[m] = true
		}
	}
	out := map[string]bool{}
	for _, ps := range parents {
		for _, p := range ps {
			if !grouped[p] && (len(groups) > 0 || strings.HasPrefix(p, "_")) {
				out[p] = true
			}
		}
	}
	return out
}

// attrSetter is the target whose block gives target t its attribute attr,
// as buildx merges inherits: t itself when it sets it, else the parent
// giving it, a later parent winning over an earlier one; "" when none
// does.
func attrSetter(t, attr string, sets func(t, attr string) bool, parents func(t string) []string) string {
	seen := map[string]bool{}
	var walk func(t string, depth int) string
	walk = func(t string, depth int) string {
		if seen[t] || depth > 8 {
			return ""
		}
		seen[t] = true
		if sets(t, attr) {
			return t
		}
		ps := parents(t)
		for i := len(ps) - 1; i >= 0; i-- {
			if s := walk(ps[i], depth+1); s != "" {
				return s
			}
		}
		return ""
	}
	return walk(t, 0)
}
