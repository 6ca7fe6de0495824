package workspace

import (
	"path/filepath"
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

func parseYAML(text string) (*yamlDoc, bool) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil || len(root.Content) == 0 {
		return nil, false
	}
	d := &yamlDoc{text: text, lines: []int{0}, root: root.Content[0]}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	return d, true
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

// get returns the key and value nodes of key in mapping m.
func get(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// composeTargets reads services.<name>.build: a context string, or a
// mapping with context, dockerfile and target.
func composeTargets(file, text string) []Target {
	d, ok := parseYAML(text)
	if !ok {
		return nil
	}
	_, services := get(d.root, "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil
	}
	var out []Target
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		_, build := get(svc, "build")
		if build == nil || build.Kind != yaml.MappingNode {
			continue
		}
		key, target := get(build, "target")
		if key == nil {
			continue
		}
		_, context := get(build, "context")
		_, dockerfile := get(build, "dockerfile")
		out = append(out, Target{
			Name:       scalar(target),
			Span:       d.valueSpan(key, target),
			Dockerfile: dockerfileFor(file, scalar(context), scalar(dockerfile)),
			Owner:      "service " + name,
		})
	}
	return out
}

// workflowTargets reads the steps that use docker/build-push-action with a
// `target` input. The action's context and file are relative to the
// repository, whose root holds .github.
func workflowTargets(file, text string) []Target {
	d, ok := parseYAML(text)
	if !ok {
		return nil
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	_, jobs := get(d.root, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return nil
	}
	var out []Target
	for j := 1; j < len(jobs.Content); j += 2 {
		_, steps := get(jobs.Content[j], "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			_, uses := get(step, "uses")
			if !strings.HasPrefix(scalar(uses), "docker/build-push-action") {
				continue
			}
			_, with := get(step, "with")
			key, target := get(with, "target")
			if key == nil {
				continue
			}
			_, context := get(with, "context")
			_, dockerfile := get(with, "file")
			ctx := scalar(context)
			if ctx == "" {
				ctx = "."
			}
			df := filepath.Join(ctx, "Dockerfile")
			if f := scalar(dockerfile); f != "" {
				df = f
			}
			_, stepName := get(step, "name")
			owner := "step " + scalar(stepName)
			if scalar(stepName) == "" {
				owner = "job " + jobs.Content[j-1].Value
			}
			out = append(out, Target{
				Name:       scalar(target),
				Span:       d.valueSpan(key, target),
				Dockerfile: dockerfileFor(filepath.Join(root, "x"), ".", df),
				Owner:      owner,
			})
		}
	}
	return out
}

// bakeJSONTargets reads {"target": {"name": {"context", "dockerfile",
// "target"}}}; JSON is YAML, and YAML nodes carry positions.
func bakeJSONTargets(file, text string) []Target {
	d, ok := parseYAML(text)
	if !ok {
		return nil
	}
	_, targets := get(d.root, "target")
	if targets == nil || targets.Kind != yaml.MappingNode {
		return nil
	}
	blocks := map[string]*yaml.Node{}
	for i := 0; i+1 < len(targets.Content); i += 2 {
		blocks[targets.Content[i].Value] = targets.Content[i+1]
	}
	var out []Target
	for i := 0; i+1 < len(targets.Content); i += 2 {
		name, block := targets.Content[i].Value, targets.Content[i+1]
		key, target := get(block, "target")
		if key == nil {
			continue
		}
		lookup := func(attr string) string {
			return inherited(name, attr, func(t, a string) (string, []string) {
				_, v := get(blocks[t], a)
				var parents []string
				if _, inh := get(blocks[t], "inherits"); inh != nil {
					for _, p := range inh.Content {
						parents = append(parents, p.Value)
					}
				}
				return scalar(v), parents
			})
		}
		out = append(out, Target{
			Name:       scalar(target),
			Span:       d.valueSpan(key, target),
			Dockerfile: dockerfileFor(file, lookup("context"), lookup("dockerfile")),
			Owner:      "target " + name,
		})
	}
	return out
}

// inherited finds attr in target t or, depth first, in the targets it
// inherits from; cycles end the search.
func inherited(t, attr string, read func(t, attr string) (string, []string)) string {
	seen := map[string]bool{}
	var walk func(t string) string
	walk = func(t string) string {
		if seen[t] {
			return ""
		}
		seen[t] = true
		v, parents := read(t, attr)
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
	return walk(t)
}
