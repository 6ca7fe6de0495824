package workspace

import (
	"path/filepath"
	"strings"

	"go.starlark.net/syntax"
	"gopkg.in/yaml.v3"

	"github.com/stagehand-ls/stagehand/analysis"
)

// devcontainerTargets reads a dev container's build.target
// (.devcontainer/devcontainer.json, JSON with comments): the Dockerfile and
// the context are relative to the file.
func devcontainerTargets(file, text string) []Target {
	d, ok := parseYAML(jsonc(text))
	if !ok {
		return nil
	}
	d.text = text
	_, build := get(d.root, "build")
	key, target := get(build, "target")
	if key == nil {
		return nil
	}
	_, df := get(build, "dockerfile")
	if df == nil {
		_, df = get(build, "dockerFile")
	}
	if scalar(df) == "" {
		return nil
	}
	return []Target{{
		Name:       scalar(target),
		Span:       d.valueSpan(key, target),
		Dockerfile: filepath.Join(filepath.Dir(file), scalar(df)),
		Owner:      "dev container",
	}}
}

// jsonc blanks the comments and trailing commas of JSON with comments,
// keeping every other byte where it is, so that the YAML parser reads
// JSON and its positions stay the file's.
func jsonc(text string) string {
	b := []byte(text)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '/':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			for ; i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/'); i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
			if i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
			}
		case b[i] == ',':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// packageTargets reads the build commands in a package.json's scripts
// (`"docker:build": "docker build --target prod ."`), run by npm, pnpm or
// yarn in the package's folder.
func packageTargets(file, text string) []Target {
	d, scripts, ok := parseSection(text, "scripts")
	if !ok {
		return nil
	}
	var out []Target
	for i := 0; i+1 < len(scripts.Content); i += 2 {
		s, ok := d.scalarSrc(scripts.Content[i+1])
		if !ok || !strings.Contains(s.text, "build") && !strings.Contains(s.text, "bake") {
			continue
		}
		out = append(out, shellTargets(s, shellEnv{cwd: filepath.Dir(file), owner: "script " + scripts.Content[i].Value})...)
	}
	return out
}

// skaffoldTargets reads the artifacts of a Skaffold config, its profiles'
// too: `docker.target`, with `docker.dockerfile` relative to the artifact's
// context.
func skaffoldTargets(file, text string) []Target {
	var out []Target
	dec := yaml.NewDecoder(strings.NewReader(text))
	for {
		var root yaml.Node
		if err := dec.Decode(&root); err != nil || len(root.Content) == 0 {
			break
		}
		d := &yamlDoc{text: text, lines: lineStarts(text), root: root.Content[0]}
		builds := []*yaml.Node{}
		if _, b := get(d.root, "build"); b != nil {
			builds = append(builds, b)
		}
		if _, profiles := get(d.root, "profiles"); profiles != nil && profiles.Kind == yaml.SequenceNode {
			for _, p := range profiles.Content {
				if _, b := get(p, "build"); b != nil {
					builds = append(builds, b)
				}
			}
		}
		for _, b := range builds {
			_, artifacts := get(b, "artifacts")
			if artifacts == nil || artifacts.Kind != yaml.SequenceNode {
				continue
			}
			for _, a := range artifacts.Content {
				_, docker := get(a, "docker")
				key, target := get(docker, "target")
				if key == nil {
					continue
				}
				_, ctx := get(a, "context")
				_, df := get(docker, "dockerfile")
				_, image := get(a, "image")
				out = append(out, Target{
					Name:       scalar(target),
					Span:       d.valueSpan(key, target),
					Dockerfile: dockerfileFor(file, scalar(ctx), scalar(df)),
					Owner:      "artifact " + scalar(image),
				})
			}
		}
	}
	return out
}

// tiltTargets reads a Tiltfile's docker_build calls (Starlark):
// docker_build(ref, context, dockerfile=..., target=...); the context is
// relative to the Tiltfile, the Dockerfile too (default: the context's).
func tiltTargets(file, text string) []Target {
	f, err := (&syntax.FileOptions{}).Parse(file, text, 0)
	if err != nil {
		return nil
	}
	lines := lineStarts(text)
	offset := func(p syntax.Position) int {
		if int(p.Line) < 1 || int(p.Line) > len(lines) {
			return len(text)
		}
		return lines[p.Line-1] + int(p.Col) - 1
	}
	var out []Target
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fn.(*syntax.Ident); !ok || id.Name != "docker_build" {
			return true
		}
		var ctx, dockerfile string
		var target *syntax.Literal
		pos := 0
		for _, arg := range call.Args {
			if bin, ok := arg.(*syntax.BinaryExpr); ok && bin.Op == syntax.EQ {
				name, _ := bin.X.(*syntax.Ident)
				lit, _ := bin.Y.(*syntax.Literal)
				if name == nil || lit == nil || lit.Token != syntax.STRING {
					continue
				}
				switch name.Name {
				case "context":
					ctx = lit.Value.(string)
				case "dockerfile":
					dockerfile = lit.Value.(string)
				case "target":
					target = lit
				}
				continue
			}
			if pos == 1 {
				if lit, ok := arg.(*syntax.Literal); ok && lit.Token == syntax.STRING {
					ctx = lit.Value.(string)
				}
			}
			pos++
		}
		if target == nil {
			return true
		}
		start, end := target.Span()
		sp := analysis.Span{Start: offset(start) + 1, End: offset(end) - 1}
		name := target.Value.(string)
		if sp.End-sp.Start != len(name) || text[sp.Start:sp.End] != name {
			return true // escapes or triple quotes: not the file's bytes
		}
		df := dockerfileFor(file, ctx, "")
		if dockerfile != "" {
			df = filepath.Join(filepath.Dir(file), dockerfile)
		}
		out = append(out, Target{Name: name, Span: sp, Dockerfile: df, Owner: "docker_build"})
		return true
	})
	return out
}
