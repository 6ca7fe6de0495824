package workspace

import (
	"cmp"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
)

// NamedContext is a named build context a Compose file
// (`build.additional_contexts`), a Bake file (`contexts`), a script's
// build command (`--build-context name=value`) or a workflow's
// docker/build-push-action (`build-contexts`) gives a Dockerfile. BuildKit resolves a `FROM name`, `COPY --from=name` or
// `--mount from=name` that names no stage of the file to it before it
// looks for an image of that name; a stage of that name is replaced by it.
type NamedContext struct {
	File       string
	Name       string
	Value      string        // a folder, docker-image://..., target:..., a URL
	Span       analysis.Span // the name's bytes in File
	Dockerfile string        // as Target.Dockerfile
	Owner      string        // the Compose service, Bake target or command
	Line       int           // Span's line in File, 1-based; 0 when unknown
}

// NamedContexts finds the named build contexts the file at p gives. Other
// files it reads (a Compose `extends.file`) must lie inside root.
func NamedContexts(root, p, content string) []NamedContext {
	src := source{root: root}
	return namedContexts(src, p, content, walkFile(src, p, content))
}

// namedContexts is NamedContexts reading other files from src; w is the
// file's walk (walkFile), which found those of the commands it runs and,
// for a Compose file, of the files COMPOSE_FILE merges onto it.
func namedContexts(src source, p, content string, w walked) []NamedContext {
	var out []NamedContext
	switch Classify(p) {
	case Compose:
		out = append(composeContexts(src, p, content), includedComposeContexts(src, p, content)...)
		out = append(out, w.contexts...)
	case Bake, BakeJSON:
		out = walkBake(src.root, p, content).namedContexts()
	default:
		out = w.contexts
	}
	texts := map[string]string{p: content}
	for i := range out {
		if out[i].File == "" {
			out[i].File = p // else written in a file read through p
		}
		text, ok := texts[out[i].File]
		if !ok {
			text, _ = src.readText(out[i].File)
			texts[out[i].File] = text
		}
		if out[i].Span.Start <= len(text) {
			out[i].Line = 1 + strings.Count(text[:out[i].Span.Start], "\n")
		}
	}
	return out
}

// Analysis returns the context as the build model takes it: its Source
// says where it is given, "docker-bake.hcl:8, target release", as hovers
// and diagnostics show it.
func (c NamedContext) Analysis() analysis.NamedContext {
	return analysis.NamedContext{Name: c.Name, Value: c.Value, Source: Site(c.File, c.Line) + ", " + c.Owner, File: c.File, Span: c.Span}
}

// Site is where a file gives something, for people: its name and line,
// "docker-bake.hcl:8"; the name alone when the line is not known (0).
func Site(file string, line int) string {
	if line <= 0 {
		return filepath.Base(file)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}

// ContextsFor returns the named contexts the workspace gives the
// Dockerfile at p, ordered by file and position: those of every build of
// it (BuildsFor has them per build).
func (ix *Index) ContextsFor(p string) []NamedContext {
	p = filepath.Clean(p)
	var out []NamedContext
	for _, f := range slices.Sorted(maps.Keys(ix.contexts)) {
		for _, c := range ix.contexts[f] {
			if c.Dockerfile == p {
				out = append(out, c)
			}
		}
	}
	// A file read through two others (a Compose file two include, the
	// Compose file the scan reads itself too) gives its contexts once.
	out = dedupe(out)
	slices.SortStableFunc(out, func(a, b NamedContext) int {
		return cmp.Or(strings.Compare(a.File, b.File), a.Span.Start-b.Span.Start)
	})
	return out
}

// BuildFacts is one build of a Dockerfile the workspace knows: a Compose
// service, a Bake target, or a command (or other file) that builds it,
// with the stages it names and the named contexts it gives. Contexts are
// per build, as buildx passes them: a stage one build replaces by a
// context is built by another that gives none.
type BuildFacts struct {
	File, Owner string
	Targets     []string // the stages it names; none: the last stage
	Contexts    []NamedContext
}

// buildKey names one build of a Dockerfile: the file and the Compose
// service, Bake target or command in it.
type buildKey struct{ file, owner string }

// BuildsFor returns the builds of the Dockerfile at p: the Compose
// services and Bake targets that build it, and the commands and other
// files that name one of its stages (a `bake --set` counts with the Bake
// targets it sets), each with the contexts it gives, ordered by file and
// owner.
func (ix *Index) BuildsFor(p string) []BuildFacts {
	p = filepath.Clean(p)
	builds := map[buildKey]*BuildFacts{}
	at := func(k buildKey) *BuildFacts {
		if builds[k] == nil {
			builds[k] = &BuildFacts{File: k.file, Owner: k.owner}
		}
		return builds[k]
	}
	contexts := ix.ContextsFor(p)
	for f, bs := range ix.builds {
		for _, b := range bs {
			if b.Dockerfile != p {
				continue
			}
			file := cmp.Or(b.File, f) // where the service or target is written
			bf := at(buildKey{file, b.Owner})
			for _, name := range b.Contexts {
				// An inherited context, written once: found under its
				// first target. One the target gives itself is added
				// below, under its owner.
				if slices.ContainsFunc(contexts, func(c NamedContext) bool {
					return c.File == f && c.Name == name && c.Owner == b.Owner
				}) {
					continue
				}
				if i := slices.IndexFunc(contexts, func(c NamedContext) bool {
					return c.File == file && c.Name == name && c.Owner != b.Owner
				}); i >= 0 {
					bf.Contexts = append(bf.Contexts, contexts[i])
				}
			}
		}
	}
	for _, t := range ix.TargetsFor(p) {
		if t.Bake != nil || t.Name == "" || t.Overridden {
			continue
		}
		k := buildKey{cmp.Or(t.BuildFile, t.File), t.Owner}
		switch t.Kind {
		case Compose, Bake, BakeJSON:
			// Its service's or target's build: a service extending
			// another names its target as "service x (extends ...)".
			if owner, _, ok := strings.Cut(t.Owner, " ("); ok {
				k.owner = owner
			}
			if _, known := builds[k]; !known {
				continue
			}
		}
		at(k).Targets = append(at(k).Targets, t.Name)
	}
	for _, c := range contexts {
		b := at(buildKey{c.File, c.Owner})
		b.Contexts = append(b.Contexts, c)
	}
	var out []BuildFacts
	for _, k := range slices.SortedFunc(maps.Keys(builds), func(a, b buildKey) int {
		return cmp.Or(strings.Compare(a.file, b.file), strings.Compare(a.owner, b.owner))
	}) {
		out = append(out, *builds[k])
	}
	return out
}

// RuleContexts gives the rules, which take one list of named contexts for
// every build, the contexts of the Dockerfile dix (builds is BuildsFor's):
// a context that replaces a stage is left out when a build that does not
// give it reaches that stage, which that build builds and so uses; a
// stage replaced wherever it is built stays replaced. Contexts naming no
// stage are all kept.
func RuleContexts(dix *analysis.Index, builds []BuildFacts) []analysis.NamedContext {
	var all []NamedContext
	for _, b := range builds {
		all = append(all, b.Contexts...)
	}
	if len(all) == 0 || dix == nil {
		return nil
	}
	all = dedupe(all)                                        // an inherited context is in each build inheriting it
	slices.SortStableFunc(all, func(a, b NamedContext) int { // as ContextsFor orders them
		return cmp.Or(strings.Compare(a.File, b.File), a.Span.Start-b.Span.Start)
	})
	m := dix.Model()
	var reach [][]bool // per build, computed once a context replaces a stage
	var out []analysis.NamedContext
	for _, c := range all {
		s := dix.StageByName(c.Name)
		if _, replaces := m.ReplacedBy(s, []analysis.NamedContext{c.Analysis()}); !replaces {
			out = append(out, c.Analysis())
			continue
		}
		if reach == nil {
			for _, b := range builds {
				reach = append(reach, m.ReachableIn(b.stages(dix), b.analysisContexts()))
			}
		}
		builtWithout := false
		for i, b := range builds {
			if !slices.ContainsFunc(b.Contexts, func(o NamedContext) bool { return o.Name == c.Name }) && reach[i][s] {
				builtWithout = true
			}
		}
		if !builtWithout {
			out = append(out, c.Analysis())
		}
	}
	return out
}

// stages are the stages the build builds: those it names, or the last.
func (b BuildFacts) stages(dix *analysis.Index) []int {
	return analysis.BuildSpec{Targets: b.Targets}.Stages(dix)
}

// analysisContexts are the build's contexts as the build model takes them.
func (b BuildFacts) analysisContexts() []analysis.NamedContext {
	out := make([]analysis.NamedContext, 0, len(b.Contexts))
	for _, c := range b.Contexts {
		out = append(out, c.Analysis())
	}
	return out
}

// yamlContexts reads an `additional_contexts` (Compose) or `contexts`
// (Bake JSON) node: a mapping of names to values, or a list of
// `name=value` strings.
func (d *yamlDoc) yamlContexts(n *yaml.Node, dockerfile, owner string) []NamedContext {
	var out []NamedContext
	add := func(name, value string, k *yaml.Node) {
		if name == "" || strings.ContainsAny(name, "$ ") {
			return
		}
		out = append(out, NamedContext{Name: name, Value: value, Span: d.keySpan(k, len(name)), Dockerfile: dockerfile, Owner: owner})
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			add(n.Content[i].Value, scalar(n.Content[i+1]), n.Content[i])
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			name, value, _ := strings.Cut(item.Value, "=")
			add(name, value, item)
		}
	}
	return out
}

// composeContexts reads services.<name>.build.additional_contexts, their
// values interpolated.
func composeContexts(src source, file, text string) []NamedContext {
	d, services, ok := parseSection(text, "services")
	if !ok {
		return nil
	}
	var out []NamedContext
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		_, build := get(svc, "build")
		if build == nil || build.Kind != yaml.MappingNode {
			continue
		}
		if k, _ := get(build, "additional_contexts"); k == nil {
			continue
		}
		df, _, _ := composeBuild(src, file, d, name, svc, 0)
		out = append(out, serviceContexts(src, file, d, svc, df, "service "+name)...)
	}
	return out
}

// serviceContexts reads a Compose service's build.additional_contexts,
// their values interpolated, as a context is.
func serviceContexts(src source, file string, d *yamlDoc, svc *yaml.Node, dockerfile, owner string) []NamedContext {
	_, build := get(svc, "build")
	if build == nil || build.Kind != yaml.MappingNode {
		return nil
	}
	_, contexts := get(build, "additional_contexts")
	if contexts == nil {
		return nil
	}
	var out []NamedContext
	for _, c := range d.yamlContexts(contexts, dockerfile, owner) {
		c.Value = composePath(src, file, c.Value)
		out = append(out, c)
	}
	return out
}

// Specs gives the build model the builds (BuildsFor's), each labelled by
// its service, target or job ("target release"), else its file.
func Specs(builds []BuildFacts) []analysis.BuildSpec {
	out := make([]analysis.BuildSpec, 0, len(builds))
	count := map[string]int{}
	for _, b := range builds {
		label := b.Owner
		if label == "" {
			label = filepath.Base(b.File)
		}
		count[label]++
		out = append(out, analysis.BuildSpec{Label: label, Targets: b.Targets, Contexts: b.analysisContexts()})
	}
	// A command says where it is ("docker build (Makefile)"), as do
	// builds of one kind in several files.
	for i, b := range builds {
		named := strings.HasPrefix(b.Owner, "service ") || strings.HasPrefix(b.Owner, "target ")
		if b.Owner != "" && (!named || count[out[i].Label] > 1) {
			out[i].Label += " (" + filepath.Base(b.File) + ")"
		}
	}
	return out
}
