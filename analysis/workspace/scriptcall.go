package workspace

import (
	"path/filepath"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stagehand-ls/stagehand/analysis"
)

// scriptCallRef is a call of a shell script of the repository with
// arguments (`./scripts/build.sh e2e`, `bash scripts/build.sh "$STAGE"`):
// the script reads them as $1, $2, ... (`docker build --target "$1"`,
// `TARGET=${1:-dev}`), and the variables the caller exports.
type scriptCallRef struct {
	file, cwd string
	args      [][]value // the values of $1, $2, ... where the caller writes them
	env       func(name string) []value
	owner     string
}

// scriptShells are the interpreters a script may be run with.
var scriptShells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true}

// scriptCall records call when it runs a .sh or .bash script by its path,
// for walkFile to read the script with the call's arguments.
func (e *evaluator) scriptCall(call *syntax.CallExpr) {
	if e.env.scriptCalls == nil || len(call.Args) == 0 {
		return
	}
	args := call.Args
	if name, ok := analysis.LiteralWord(args[0]); ok && scriptShells[filepath.Base(name)] {
		args = args[1:]
		for len(args) > 0 { // bash -e script.sh, sh -x script.sh
			if o, ok := analysis.LiteralWord(args[0]); !ok || !strings.HasPrefix(o, "-") || o == "-c" {
				break
			}
			args = args[1:]
		}
	}
	if len(args) == 0 {
		return
	}
	name, ok := analysis.LiteralWord(args[0])
	if !ok || (!strings.HasSuffix(name, ".sh") && !strings.HasSuffix(name, ".bash")) || strings.Contains(name, "$") {
		return
	}
	ref := scriptCallRef{file: e.path(name), cwd: e.env.cwd, owner: filepath.Base(name)}
	if e.env.make {
		ref.env = func(string) []value { return nil }
	} else {
		ref.env = e.callEnv(call)
	}
	for _, a := range args[1:] {
		ref.args = append(ref.args, e.word(a).values)
	}
	*e.env.scriptCalls = append(*e.env.scriptCalls, ref)
}

// calledScriptTargets are the targets the scripts calls run name through
// the values their callers give them ($1, exported variables), each kept
// where the caller (p) writes its value.
func calledScriptTargets(src source, p string, calls []scriptCallRef) []Target {
	var out []Target
	for _, c := range calls {
		if c.file == p || Classify(c.file) != Script {
			continue
		}
		data, err := src.read(c.file, DefaultLimits.MaxSize)
		if err != nil || len(data) > int(DefaultLimits.MaxSize) {
			continue
		}
		caller := func(vs []value) []value {
			out := make([]value, 0, len(vs))
			for _, v := range vs {
				if v.file == "" {
					v.file = p
				}
				out = append(out, v)
			}
			return out
		}
		env := shellEnv{cwd: c.cwd, scriptDir: filepath.Dir(c.file), file: c.file, owner: c.owner,
			vars: func(name string) []value {
				if n, err := strconv.Atoi(name); err == nil && n >= 1 {
					if n <= len(c.args) {
						return caller(c.args[n-1])
					}
					return nil
				}
				return caller(c.env(name))
			}}
		targets, _, _ := evalBuilds(plainSrc(string(data), 0), env)
		for _, t := range targets {
			if t.File == p {
				t.Via = c.file
				out = append(out, t)
			}
		}
	}
	return out
}
