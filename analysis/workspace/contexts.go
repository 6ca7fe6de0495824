package workspace

import (
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
}

// NamedContexts finds the named build contexts the file at p gives. Other
// files it reads (a Compose `extends.file`) must lie inside root.
func NamedContexts(root, p, content string) []NamedContext {
	return namedContexts(source{root: root}, p, content)
}

// namedContexts is NamedContexts reading other files from src.
func namedContexts(src source, p, content string) []NamedContext {
	var out []NamedContext
	switch Classify(p) {
	case Compose:
		out = composeContexts(src, p, content)
	case Bake, BakeJSON:
		out = walkBake(src.root, p, content).namedContexts()
	default:
		out = walkFile(src, p, content).contexts
	}
	for i := range out {
		out[i].File = p
	}
	return out
}

// Analysis returns the context as the build model takes it.
func (c NamedContext) Analysis() analysis.NamedContext {
	return analysis.NamedContext{Name: c.Name, Value: c.Value, Source: filepath.Base(c.File) + ", " + c.Owner, File: c.File, Span: c.Span}
}

// ContextsFor returns the named contexts the workspace gives the
// Dockerfile at p, ordered by file and position.
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
		_, contexts := get(build, "additional_contexts")
		if contexts == nil {
			continue
		}
		df, _, _ := composeBuild(src, file, d, name, svc, 0)
		for _, c := range d.yamlContexts(contexts, df, "service "+name) {
			c.Value = composePath(src, file, c.Value) // interpolated, as a context is
			out = append(out, c)
		}
	}
	return out
}
