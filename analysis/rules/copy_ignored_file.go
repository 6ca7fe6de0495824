package rules

import (
	"path/filepath"
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var CopyIgnoredFile = register(&Rule{
	Name:     "CopyIgnoredFile",
	Summary:  "Attempting to Copy file that is excluded by .dockerignore.",
	Severity: Warning,
	BuildKit: true,
	Doc: `Files that ` + "`.dockerignore`" + ` excludes are not sent to the builder, so ` + "`COPY`" + ` or ` + "`ADD`" + `
of them fails or copies nothing. The rule reads the ` + "`.dockerignore`" + ` (or
` + "`<Dockerfile>.dockerignore`" + `) beside the Dockerfile. Like BuildKit, it stays silent
when the file has exclusions (` + "`!pattern`" + `), which cannot be decided statically.`,
	Bad: `# .dockerignore holds: *.md
FROM alpine
COPY README.md /docs/
`,
	Good: `# .dockerignore holds: *.md
FROM alpine
COPY src/ /src/
`,
	Run:   runCopyIgnoredFile,
	Scope: PerStage,
})

func runCopyIgnoredFile(p *Pass) {
	m := p.Ignore()
	if m == nil || m.Exclusions() {
		return
	}
	rootIgnored := false
	for _, pat := range m.Patterns() {
		switch pat.String() {
		case "*", "**", "**/*":
			rootIgnored = true
		}
	}
	ix := p.Index
	for _, n := range p.NodesOf("copy", "add") {
		if n.Flag("from") != nil || len(n.Args) < 2 || ix.StageOf(n.Index) < 0 {
			continue
		}
		cmd := "Copy"
		if n.Cmd == "add" {
			cmd = "Add"
		}
		for _, a := range n.Args[:len(n.Args)-1] {
			v := a.Value
			if strings.Contains(v, "$") && !strings.HasPrefix(v, "<<") {
				// BuildKit checks the source as it expands it.
				word := p.Text(n.Abs(a.Span))
				if n.JSON {
					word = v
				}
				if v, _ = build(p).Expand(n.Index, word); v == "" {
					continue
				}
			}
			if strings.HasPrefix(v, "<<") || strings.Contains(v, "://") || strings.HasPrefix(v, "git@") {
				continue
			}
			src := filepath.ToSlash(filepath.Clean(v))
			if (src == "." || src == "/") && !rootIgnored {
				continue
			}
			if ok, err := analysis.MatchIgnore(m, strings.TrimPrefix(src, "/")); err == nil && ok {
				p.Reportf(n.Abs(a.Span), nil, "Attempting to %s file %q that is excluded by .dockerignore", cmd, src)
			}
		}
	}
}
