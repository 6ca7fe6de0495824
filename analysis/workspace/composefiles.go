package workspace

import (
	"path/filepath"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/analysis"
)

// A Compose project is one or more Compose files merged in order: `docker
// compose -f compose.yml -f deploy/ci.yml build`, or COMPOSE_FILE in the
// project's .env. A later file's service is merged onto the earlier
// files' service of its name, as an override file's is (composeBase), so
// its `build.target` builds the Dockerfile the service's merged build
// names. The files past the first are read here with the first before
// them; their relative paths (context, dockerfile) are from the first
// file's folder, the project's, as docker compose resolves them.

// composeCallRef is a `docker compose` (or docker-compose) command naming
// its files with -f, in order.
type composeCallRef struct{ files []string }

// composeCall records call when it runs docker compose with -f files.
func (e *evaluator) composeCall(call *syntax.CallExpr) {
	if e.env.composeCalls == nil || len(call.Args) < 2 {
		return
	}
	tool, ok := analysis.LiteralWord(call.Args[0])
	if !ok {
		return
	}
	args := call.Args[1:]
	switch filepath.Base(tool) {
	case "docker-compose", "podman-compose":
	case "docker", "podman":
		if sub, _ := analysis.LiteralWord(args[0]); sub != "compose" {
			return
		}
		args = args[1:]
	default:
		return
	}
	var ref composeCallRef
	for i := 0; i < len(args); i++ {
		lit, ok := analysis.LiteralWord(args[i])
		if !ok {
			continue
		}
		var f string
		switch {
		case (lit == "-f" || lit == "--file") && i+1 < len(args):
			i++
			if f, ok = analysis.LiteralWord(args[i]); !ok {
				return // a file list we cannot tell
			}
		case strings.HasPrefix(lit, "--file="):
			f = strings.TrimPrefix(lit, "--file=")
		case strings.HasPrefix(lit, "-f") && len(lit) > 2:
			f = lit[2:]
		case !strings.HasPrefix(lit, "-"):
			i = len(args) // the subcommand: its options are its own
		}
		if f != "" && f != "-" {
			ref.files = append(ref.files, e.path(f))
		}
	}
	if len(ref.files) > 0 {
		*e.env.composeCalls = append(*e.env.composeCalls, ref)
	}
}

// composeProject reads the files of a Compose project after the first
// (files, in order; the first is read by the scan, or by its caller), each
// merged onto those before it: the targets and build arguments their
// services write, in each file, and their builds. A file the scan reads
// as Compose with the same base is left to it.
func composeProject(src source, files []string) walked {
	var w walked
	files = dedupe(slices.Clone(files))
	for i, f := range files {
		if i == 0 && Classify(f) == Compose {
			continue
		}
		w.via = append(w.via, f)
		data, err := src.read(f, DefaultLimits.MaxSize)
		if err != nil || len(data) > int(DefaultLimits.MaxSize) {
			continue
		}
		fsrc := src
		if i > 0 {
			fsrc.project = filepath.Dir(files[0])
			fsrc.bases = map[string]string{}
			for j := 1; j <= i; j++ {
				fsrc.bases[files[j]] = files[j-1]
			}
		}
		if i > 0 && Classify(f) == Compose && composeBase(src, f) == files[i-1] {
			continue // the scan reads it so
		}
		o := walkCompose(fsrc, f, string(data))
		for _, t := range o.targets {
			if t.File == "" {
				t.File, t.Kind = f, Compose
			}
			w.targets = append(w.targets, t)
		}
		for _, a := range o.args {
			if a.File == "" {
				a.File = f
			}
			w.args = append(w.args, a)
		}
		for _, b := range o.builds {
			b.File = f
			w.builds = append(w.builds, b)
		}
		// Its services' additional_contexts, given the Dockerfile their
		// merged build names.
		for _, c := range composeContexts(fsrc, f, string(data)) {
			if c.File == "" {
				c.File = f
			}
			w.contexts = append(w.contexts, c)
		}
		w.via = append(w.via, o.via...)
	}
	return w
}

// composeEnvProject reads the files COMPOSE_FILE in the .env beside the
// Compose file at file merges onto it (dotenv is that .env), when it
// lists file first and more after it; nothing else.
func composeEnvProject(src source, file string, dotenv map[string]string) walked {
	if files := composeFileEnv(dotenv, file); len(files) > 1 && files[0] == file && src.bases == nil {
		return composeProject(src, files)
	}
	return walked{}
}

// composeFileEnv is the list of files COMPOSE_FILE in env (the .env beside
// a Compose file) names (relative to that folder), split as docker compose
// splits it: on COMPOSE_PATH_SEPARATOR, else ':' (';' with a Windows
// drive letter in it).
func composeFileEnv(env map[string]string, file string) []string {
	list := env["COMPOSE_FILE"]
	if list == "" {
		return nil
	}
	sep := env["COMPOSE_PATH_SEPARATOR"]
	if sep == "" {
		sep = ":"
		if strings.Contains(list, ";") || (len(list) > 1 && list[1] == ':') {
			sep = ";"
		}
	}
	var out []string
	for _, f := range strings.Split(list, sep) {
		if f = strings.TrimSpace(f); f != "" {
			if !filepath.IsAbs(f) {
				f = filepath.Join(filepath.Dir(file), f)
			}
			out = append(out, filepath.Clean(f))
		}
	}
	return out
}
