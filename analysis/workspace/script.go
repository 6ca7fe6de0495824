package workspace

import (
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

// valueFlags are the options of `docker build` and `docker buildx build`
// that take a value; any other option is a switch. The one argument left is
// the build context.
var valueFlags = map[string]bool{
	"-t": true, "--tag": true, "-f": true, "--file": true, "--build-arg": true, "--target": true,
	"--platform": true, "--label": true, "--cache-from": true, "--cache-to": true, "--secret": true,
	"--ssh": true, "-o": true, "--output": true, "--progress": true, "--network": true,
	"--add-host": true, "--iidfile": true, "--metadata-file": true, "--builder": true,
	"--build-context": true, "--attest": true, "--shm-size": true, "--ulimit": true,
	"--allow": true, "--annotation": true, "--call": true, "--cgroup-parent": true, "--policy": true,
}

// word is a shell word with its span.
type word struct {
	text string
	span analysis.Span
}

// scriptTargets finds `docker build`, `docker buildx build`, `docker image
// build` and `podman build` commands with --target, joining backslash
// continuations. Values built from variables are skipped.
func scriptTargets(file, text string) []Target {
	var out []Target
	for _, cmd := range shellCommands(text) {
		args, ok := buildArgs(cmd)
		if !ok {
			continue
		}
		var dockerfile, context string
		var target *word
		for i := 0; i < len(args); i++ {
			a := args[i]
			name, value, hasValue := strings.Cut(a.text, "=")
			if !strings.HasPrefix(name, "-") {
				context = a.text
				continue
			}
			if !valueFlags[name] {
				continue
			}
			v := word{text: value, span: analysis.Span{Start: a.span.Start + len(name) + 1, End: a.span.End}}
			if !hasValue {
				if i+1 >= len(args) {
					if name == "--target" {
						// `--target ` at the end of a line: being typed.
						end := a.span.End + 1
						v = word{span: analysis.Span{Start: min(end, len(text)), End: min(end, len(text))}}
						target = &v
					}
					break
				}
				i++
				v = args[i]
			}
			switch name {
			case "--target":
				target = &v
			case "-f", "--file":
				dockerfile = v.text
			}
		}
		if target == nil || strings.ContainsAny(target.text, "$`") || strings.ContainsAny(context+dockerfile, "$`") {
			continue
		}
		df := dockerfile
		if df != "" && !filepath.IsAbs(df) {
			// -f is relative to the working directory, not the context.
			df = filepath.Join(filepath.Dir(file), df)
		}
		if df == "" {
			df = dockerfileFor(file, context, "")
		}
		out = append(out, Target{Name: target.text, Span: target.span, Dockerfile: filepath.Clean(df), Owner: "docker build"})
	}
	return out
}

// buildArgs returns the arguments after `build` when cmd runs a build.
func buildArgs(cmd []word) ([]word, bool) {
	for i := 0; i < len(cmd); i++ {
		tool := filepath.Base(cmd[i].text)
		if tool != "docker" && tool != "podman" {
			continue
		}
		rest := cmd[i+1:]
		switch {
		case len(rest) >= 1 && rest[0].text == "build":
			return rest[1:], true
		case len(rest) >= 2 && (rest[0].text == "buildx" || rest[0].text == "image") && rest[1].text == "build":
			return rest[2:], true
		}
	}
	return nil, false
}

// shellCommands splits text into commands: lines joined by trailing
// backslashes, cut at ;, &&, || and |, each a list of words. Comments are
// dropped; quotes group words and are removed from their text.
func shellCommands(text string) [][]word {
	var cmds [][]word
	var cur []word
	flush := func() {
		if len(cur) > 0 {
			cmds = append(cmds, cur)
			cur = nil
		}
	}
	i := 0
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\\' && i+1 < len(text) && text[i+1] == '\n':
			i += 2
		case c == '\\' && i+2 < len(text) && text[i+1] == '\r' && text[i+2] == '\n':
			i += 3
		case c == '\n' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')':
			flush()
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n'):
			for i < len(text) && text[i] != '\n' {
				i++
			}
		default:
			start := i
			var b strings.Builder
			var quote byte
			for i < len(text) {
				c := text[i]
				if quote == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
					break
				}
				switch {
				case quote == 0 && (c == '"' || c == '\''):
					quote = c
				case quote != 0 && c == quote:
					quote = 0
				case c == '\\' && quote != '\'' && i+1 < len(text) && text[i+1] != '\n':
					i++
					b.WriteByte(text[i])
				default:
					b.WriteByte(c)
				}
				i++
			}
			w := word{text: b.String(), span: analysis.Span{Start: start, End: i}}
			// A quoted word's span is its characters, inside the quotes.
			if raw := text[start:i]; len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0] {
				w.span = analysis.Span{Start: start + 1, End: i - 1}
			}
			cur = append(cur, w)
		}
	}
	flush()
	return cmds
}
