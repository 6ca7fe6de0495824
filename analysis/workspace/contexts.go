package workspace

import (
	"cmp"
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
	var out []NamedContext
	switch Classify(p) {
	case Compose:
		out = composeContexts(root, p, content)
	case Bake, BakeJSON:
		out = walkBake(p, content).namedContexts()
	case Script:
		_, _, out = evalBuilds(scriptShell(p, content))
	case Workflow:
		out = workflowContexts(p, content)
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

// composeContexts reads services.<name>.build.additional_contexts.
func composeContexts(root, file, text string) []NamedContext {
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
		df, _, _ := composeBuild(root, file, d, svc, 0)
		out = append(out, d.yamlContexts(contexts, df, "service "+name)...)
	}
	return out
}

// workflowContexts reads the `build-contexts` input (`name=value` lines) of
// the docker/build-push-action steps of a GitHub workflow, for the
// Dockerfile its literal `file` or `context` input names. Inputs built
// from expressions are left out.
func workflowContexts(file, text string) []NamedContext {
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	d, jobs, ok := parseSection(text, "jobs")
	if !ok {
		return nil
	}
	var out []NamedContext
	for j := 1; j < len(jobs.Content); j += 2 {
		_, steps := get(jobs.Content[j], "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			_, uses := get(step, "uses")
			_, with := get(step, "with")
			_, bc := get(with, "build-contexts")
			if !strings.HasPrefix(scalar(uses), "docker/build-push-action") || bc == nil || bc.Kind != yaml.ScalarNode {
				continue
			}
			_, c := get(with, "context")
			_, f := get(with, "file")
			ctx, df := cmp.Or(scalar(c), "."), scalar(f)
			if strings.Contains(ctx+df, "${{") {
				continue
			}
			if df == "" {
				df = filepath.Join(ctx, "Dockerfile")
			}
			dockerfile := dockerfileFor(filepath.Join(root, "x"), ".", df)
			owner := "job " + jobs.Content[j-1].Value
			for _, line := range strings.Split(bc.Value, "\n") {
				name, value, ok := strings.Cut(strings.TrimSpace(line), "=")
				if !ok || name == "" || strings.ContainsAny(name, "$ {") {
					continue
				}
				// The name's bytes are found in the file when the input is
				// written plainly; otherwise the span is the input's key.
				span := d.keySpan(bc, 0)
				if at := strings.Index(text[min(d.offset(bc.Line, bc.Column), len(text)):], name+"="); at >= 0 {
					start := d.offset(bc.Line, bc.Column) + at
					span = analysis.Span{Start: start, End: start + len(name)}
				}
				out = append(out, NamedContext{Name: name, Value: value, Span: span, Dockerfile: dockerfile, Owner: owner})
			}
		}
	}
	return out
}
