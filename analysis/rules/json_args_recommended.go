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
	Run: runJSONArgsRecommended,
})

func runJSONArgsRecommended(p *Pass) {
	ix := p.Index
	for s := 0; s < ix.StageCount(); s++ {
		st := ix.Stage(s)
		shellSet := false
		for _, b := range stageChain(ix, s)[1:] {
			if stageHas(ix, b, "shell") {
				shellSet = true
			}
		}
		for i := st.First + 1; i < st.End; i++ {
			n := ix.Node(i)
			switch n.Cmd {
			case "shell":
				shellSet = true
			case "cmd", "entrypoint":
				if n.JSON || shellSet || len(n.Args) == 0 {
					continue
				}
				p.Reportf(argsSpan(n), jsonFix(p, n), "JSON arguments recommended for %s to prevent unintended behavior related to OS signals", strings.ToUpper(n.Cmd))
			}
		}
	}
}

// stageHas reports whether stage s holds an instruction cmd.
func stageHas(ix *analysis.Index, s int, cmd string) bool {
	st := ix.Stage(s)
	for i := st.First + 1; i < st.End; i++ {
		if ix.Node(i).Cmd == cmd {
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
	if strings.ContainsAny(raw, "$|&;<>*?`()#~\n\\") || strings.Contains(raw, "'") {
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
