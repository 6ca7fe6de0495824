package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var MaintainerDeprecated = register(&Rule{
	Name:     "MaintainerDeprecated",
	Summary:  "The MAINTAINER instruction is deprecated, use a label instead to define an image author.",
	Severity: Warning,
	Tags:     []Tag{Deprecated},
	BuildKit: true,
	Doc: `` + "`MAINTAINER`" + ` has been deprecated since Docker 1.13. Record the author in the
standard OCI label ` + "`org.opencontainers.image.authors`" + `, which tools read. The fix
rewrites the instruction as that label.`,
	Bad: `FROM alpine
MAINTAINER Jane Doe <jane@example.com>
`,
	Good: `FROM alpine
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
`,
	Local: maintainerDeprecated,
	Cmds:  []string{"maintainer"},
})

func maintainerDeprecated(p *Pass, n analysis.Node) {
	var fixes []Fix
	if n.Lines == 1 && len(n.Args) > 0 {
		raw := p.Text(argsSpan(n))
		raw = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(strings.Trim(raw, `"`))
		label := matchCase("label", n.Keyword.Value)
		span := analysis.Span{Start: keywordSpan(n).Start, End: argsSpan(n).End}
		fixes = fix("Replace with LABEL org.opencontainers.image.authors", true,
			replace(span, label+` org.opencontainers.image.authors="`+raw+`"`))
	}
	p.Reportf(keywordSpan(n), fixes, "Maintainer instruction is deprecated in favor of using label")
}
