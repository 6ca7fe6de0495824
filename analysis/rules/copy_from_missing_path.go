package rules

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var CopyFromMissingPath = register(&Rule{
	Name:     "CopyFromMissingPath",
	Summary:  "`COPY --from=<stage>` copies a path that no instruction of that stage creates.",
	Severity: Information,
	Doc: `A ` + "`COPY --from=build /out/app`" + ` fails when stage ` + "`build`" + ` has nothing at ` + "`/out/app`" + `,
often because the build wrote elsewhere (` + "`go build -o /output/app`" + `) or ran in
another directory. The rule looks for an instruction of the stage, or of the
stages it is built on, that may create the path:

- a ` + "`COPY`" + ` or ` + "`ADD`" + ` whose destination holds the path or lies under it;
- a ` + "`WORKDIR`" + ` at the path or under it;
- a ` + "`RUN`" + ` that names the path or one of its directories, that runs in a
  ` + "`WORKDIR`" + ` the path lies under or next to (a build writing relative paths), or
  that unpacks an archive (` + "`tar x`" + `, ` + "`unzip`" + `) in a directory above the path;
  a ` + "`RUN`" + ` in ` + "`/`" + ` may write any file of the root (downloads land there).

The base image may hold the path too, and Stagehand does not fetch images: a
stage built on an image is only checked for paths outside the directories
images usually hold (` + "`/usr`" + `, ` + "`/etc`" + `, ` + "`/opt`" + `, ` + "`/go`" + `, ...); a stage built on
` + "`scratch`" + ` is checked for every path. A stage built on a stage that a named build
context replaces (Compose ` + "`additional_contexts`" + `, Bake ` + "`contexts`" + `, ` + "`--build-context`" + `)
is not checked: the context stands in for that stage and may hold any of its
files. Sources with variables are skipped. When an
instruction names a file of the same name elsewhere, the message points to it.

The severity is **information**: a ` + "`RUN`" + ` can write paths it does not name (a
script, a build tool's default output directory).`,
	Bad: `FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /output/app .

FROM alpine
COPY --from=build /out/app /usr/local/bin/app
`,
	Good: `FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM alpine
COPY --from=build /out/app /usr/local/bin/app
`,
	Run: runCopyFromMissingPath,
})

// imageDirs are the top-level directories base images usually hold.
var imageDirs = map[string]bool{
	"bin": true, "boot": true, "dev": true, "etc": true, "home": true, "lib": true, "lib32": true,
	"lib64": true, "libx32": true, "media": true, "mnt": true, "opt": true, "proc": true, "root": true,
	"run": true, "sbin": true, "srv": true, "sys": true, "tmp": true, "usr": true, "var": true, "go": true,
	"kaniko": true, "busybox": true,
}

// under reports whether p is dir or lies under it.
func under(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

func runCopyFromMissingPath(p *Pass) {
	ix := p.Index
	m := ix.Model()
	// The references by the stage whose instructions they stand in: each
	// stage's findings are kept with the stage (they read it and the
	// stages it copies from, which its key covers) unless one points
	// elsewhere (the line that names the file).
	report := func(ds []Diagnostic) {
		for _, d := range ds {
			p.Report(d)
		}
	}
	report(copyFromMissingPath(p, slices.Collect(m.RefsIn(-1))))
	base := p.memoBase(analysis.BuildContext{})
	p.memoStages(func(s int) bool { return m.StandsIn(s, analysis.RefCopyFrom) }, base, analysis.BuildContext{}, func(s int, _ analysis.BuildContext) []Diagnostic {
		return copyFromMissingPath(p, slices.Collect(m.RefsIn(s)))
	})
}

// copyFromMissingPath returns the findings of the references refs.
func copyFromMissingPath(p *Pass, refs []analysis.StageRef) []Diagnostic {
	ix := p.Index
	stages := ix.Stages()
	var out []Diagnostic
	var contexts []analysis.NamedContext
	if p.Config != nil {
		contexts = p.Config.Contexts
	}
	for _, r := range refs {
		if r.Kind != analysis.RefCopyFrom || r.Resolution != analysis.ResolvesStage || r.Target < 0 {
			continue
		}
		if _, replaced := ix.Model().ReplacedBy(r.Target, contexts); replaced {
			continue // the copy reads the named context that replaces the stage
		}
		n := ix.Node(r.Instruction)
		if n.Cmd != "copy" || len(n.Args) < 2 || len(n.Heredocs()) > 0 {
			continue
		}
		chain := stageChain(p, r.Target)
		if ix.Model().BaseOf(chain[len(chain)-1]) >= 0 {
			// Built on a named context that replaces the stage FROM
			// names: the context stands in for that stage, and what it
			// holds is the project's, not a base image's.
			continue
		}
		bottom := stages.At(chain[len(chain)-1])
		fromImage := !strings.EqualFold(bottom.Base, "scratch")
		if slices.ContainsFunc(chain, func(s int) bool { return strings.Contains(stages.At(s).Base, "$") }) || fromImage && wholeIsArtifact(p, r.Target) && len(chain) == 1 {
			// A base named by a variable (build args may pick another
			// image or stage), or a stage that only names an image.
			continue
		}
		for _, a := range n.Args[:len(n.Args)-1] {
			src := a.Value
			if strings.Contains(src, "$") {
				continue
			}
			if i := strings.IndexAny(src, "*?["); i >= 0 {
				src = src[:strings.LastIndexByte(src[:i], '/')+1]
			}
			src = path.Clean("/" + src)
			if src == "/" {
				continue
			}
			top := strings.SplitN(strings.TrimPrefix(src, "/"), "/", 2)[0]
			if fromImage && imageDirs[top] {
				continue
			}
			writer, ok := mayCreate(p, chain, src)
			if ok {
				continue
			}
			msg := fmt.Sprintf("Stage %s never creates %s: no COPY, ADD, WORKDIR or RUN in it or the stages it is built on writes there", stageName(ix, r.Target), src)
			d := Diagnostic{Span: n.Abs(a.Span), Message: msg}
			if writer != nil {
				d.Message += fmt.Sprintf("; line %d names a %s elsewhere", lineNumber(ix.Doc, writer.Start), path.Base(src))
				d.Related = []Related{{Span: firstLine(p, *writer), Message: "names " + path.Base(src)}}
			}
			out = append(out, d)
		}
	}
	return out
}

// relativeWrite reports whether a RUN in workdir may write src through a
// relative path without naming it whole: src lies under the workdir or
// under its parent (builds write to ../dist); in the root, any file of the
// root (downloads and unpacked archives land there).
func relativeWrite(workdir, src string) bool {
	if workdir == "/" {
		return path.Dir(src) == "/"
	}
	return under(src, workdir) || path.Dir(workdir) != "/" && under(src, path.Dir(workdir))
}

// namesPath reports whether text holds path p as a whole path: not as the
// start of a longer name (/out in /output).
func namesPath(text, p string) bool {
	for i := 0; ; {
		k := strings.Index(text[i:], p)
		if k < 0 {
			return false
		}
		end := i + k + len(p)
		if end == len(text) || !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", rune(text[end])) {
			return true
		}
		i = i + k + 1
	}
}

// entered reports whether commands change to (cd) or create (mkdir) a
// directory, relative to workdir, that src lies under.
func entered(cmds []analysis.SimpleCommand, workdir, src string) bool {
	for _, c := range cmds {
		if c.Words[0] != "cd" && c.Words[0] != "mkdir" {
			continue
		}
		for _, a := range c.Words[1:] {
			if strings.HasPrefix(a, "-") || strings.Contains(a, "$") || a == "" {
				continue
			}
			if d := path.Join(workdir, a); strings.HasPrefix(a, "/") && under(src, a) || !strings.HasPrefix(a, "/") && under(src, d) {
				return true
			}
		}
	}
	return false
}

// extracts reports whether commands unpack an archive, whose content
// (and so the paths it writes) is unknown.
func extracts(cmds []analysis.SimpleCommand) bool {
	for _, c := range cmds {
		switch c.Words[0] {
		case "unzip", "bsdtar", "7z", "gunzip", "cpio":
			return true
		case "tar":
			for _, a := range c.Words[1:] {
				if strings.HasPrefix(a, "--extract") || !strings.HasPrefix(a, "--") && strings.Contains(a, "x") && (len(a) <= 6) {
					return true
				}
			}
		}
	}
	return false
}

// rootedWorkdir turns the model's working directory into an absolute
// path, a base image's taken as "/"; known is false when a variable the
// model does not know decides it.
func rootedWorkdir(w string) (dir string, known bool) {
	switch {
	case w == "":
		return "", false
	case strings.HasPrefix(w, analysis.BaseWorkdir):
		return path.Join("/", strings.TrimPrefix(w, analysis.BaseWorkdir)), true
	}
	return w, true
}

// mayCreate reports whether an instruction of the chain (nearest stage
// first) may create path src; otherwise it returns an instruction that
// names src's base name, if one does.
func mayCreate(p *Pass, chain []int, src string) (*analysis.Node, bool) {
	ix := p.Index
	base := path.Base(src)
	var named *analysis.Node
	m := build(p)
	for k := len(chain) - 1; k >= 0; k-- { // from the bottom stage up
		st := ix.Stage(chain[k])
		for _, n := range p.nodesIn(st.First+1, st.End) {
			// The working directory from the build model, an image's taken
			// as "/"; one a variable the model does not know decides may be
			// anywhere.
			state := m.State(n.Index)
			if n.Cmd == "workdir" {
				if n.Index+1 < st.End {
					state = m.State(n.Index + 1)
				} else {
					state = m.EndState(chain[k])
				}
			}
			workdir, known := rootedWorkdir(state.Workdir)
			if n.Cmd == "workdir" && len(n.Args) > 0 && strings.Contains(n.Args[0].Value, "$") {
				known = false // a build argument may move it anywhere
			}
			if !known && (n.Cmd == "workdir" || n.Cmd == "copy" || n.Cmd == "add" || n.Cmd == "run") {
				return nil, true
			}
			switch n.Cmd {
			case "workdir":
				if len(n.Args) > 0 && (under(workdir, src) || under(src, workdir) && src == workdir) {
					return nil, true
				}
			case "copy", "add":
				if len(n.Args) < 2 {
					continue
				}
				dest := n.Args[len(n.Args)-1].Value
				if strings.Contains(dest, "$") {
					return nil, true
				}
				if !strings.HasPrefix(dest, "/") {
					dest = path.Join(workdir, dest)
				}
				dest = path.Clean(dest)
				if under(src, dest) || under(dest, src) {
					return nil, true
				}
			case "run":
				text := p.Text(n.Span())
				cmds := ix.ShellCommands(n)
				if relativeWrite(workdir, src) || under(src, workdir) && extracts(cmds) || entered(cmds, workdir, src) {
					return nil, true
				}
				for d := src; d != "/" && d != "."; d = path.Dir(d) {
					if namesPath(text, d) {
						return nil, true
					}
				}
				if len(base) >= 3 && strings.Contains(text, base) {
					nn := n
					named = &nn
				}
			}
		}
	}
	return named, false
}
