package rules

import (
	"encoding/json"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var JSONArgsRecommended = register(&Rule{
	Name:     "JSONArgsRecommended",
	Summary:  "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals.",
	Severity: Warning,
	BuildKit: true,
	Doc: `In shell form, ` + "`CMD app --serve`" + ` runs as ` + "`/bin/sh -c \"app --serve\"`" + `: the shell is PID 1
and does not pass SIGTERM on, so ` + "`docker stop`" + ` waits and then kills the process.
The exec (JSON) form runs the program directly. BuildKit does not report a stage
that sets its own ` + "`SHELL`" + `. The fix writes the JSON form when the command holds no
shell syntax.`,
	Bad: `FROM alpine
CMD nginx -g "daemon off;"
`,
	Good: `FROM alpine
CMD ["nginx", "-g", "daemon off;"]
`,
	Run:   runJSONArgsRecommended,
	Scope: PerStage,
})

func runJSONArgsRecommended(p *Pass) {
	ix := p.Index
	for _, n := range p.NodesOf("cmd", "entrypoint") {
		s := ix.StageOf(n.Index)
		if n.JSON || len(n.Args) == 0 || s < 0 {
			continue
		}
		if shellBefore(p, s, n.Index) {
			continue
		}
		p.Reportf(argsSpan(n), jsonFix(p, n), "JSON arguments recommended for %s to prevent unintended behavior related to OS signals", n.Keyword.Value) // as written, as BuildKit says it
	}
}

// shellBefore reports whether a SHELL is set before instruction i of stage
// s: earlier in the stage, or in a stage it is built FROM.
func shellBefore(p *Pass, s, i int) bool {
	chain := stageChain(p, s)
	for _, b := range chain[1:] {
		if stageHas(p, b, "shell") {
			return true
		}
	}
	for _, n := range p.nodesIn(p.Index.Stage(s).First, i) {
		if n.Cmd == "shell" {
			return true
		}
	}
	return false
}

// jsonFix writes the exec form of a shell-form command without shell
// syntax.
func jsonFix(p *Pass, n analysis.Node) []Fix {
	span := argsSpan(n)
	raw := p.Text(span)
	if hasShellSyntax(raw) {
		return nil
	}
	words := make([]string, len(n.Args))
	for i, a := range n.Args {
		words[i] = a.Value
	}
	parts := make([]string, len(words))
	for i, w := range words {
		b, _ := json.Marshal(w)
		parts[i] = strings.ReplaceAll(string(b), `\u0026`, "&")
	}
	return fix("Use the JSON (exec) form", true, replace(span, "["+strings.Join(parts, ", ")+"]"))
}

// hasShellSyntax reports whether a shell-form command needs a shell:
// operators, globs, redirections or comments outside double quotes, or
// expansions, escapes, single quotes or line breaks anywhere.
func hasShellSyntax(raw string) bool {
	if strings.ContainsAny(raw, "$`\\'\n") {
		return true
	}
	quoted := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '"':
			quoted = !quoted
		case !quoted && strings.IndexByte("|&;<>*?()#~{}[]", c) >= 0:
			return true
		}
	}
	return quoted
}
