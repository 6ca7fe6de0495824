package rules

import (
	"strings"

	"github.com/stagehand-ls/stagehand/analysis"
)

var LegacyKeyValueFormat = register(&Rule{
	Name:     "LegacyKeyValueFormat",
	Summary:  "Legacy key/value format with whitespace separator should not be used.",
	Severity: Warning,
	BuildKit: true,
	Doc: `` + "`ENV key value`" + ` and ` + "`LABEL key value`" + ` set one variable to the whole rest of the
line, which surprises readers who expect ` + "`ENV a b c d`" + ` to set two. The ` + "`key=value`" + `
form is unambiguous and can set several at once. The fix rewrites the
instruction as ` + "`key=value`" + `, quoting the value when it holds blanks.`,
	Bad: `FROM alpine
ENV PATH /usr/local/bin:$PATH
`,
	Good: `FROM alpine
ENV PATH=/usr/local/bin:$PATH
`,
	Local: legacyKeyValueFormat,
	Cmds:  []string{"env", "label"},
})

func legacyKeyValueFormat(p *Pass, n analysis.Node) {
	if len(n.Args) < 2 || strings.Contains(n.Args[0].Value, "=") {
		return
	}
	name := strings.ToUpper(n.Cmd)
	key := n.Abs(n.Args[0].Span)
	val := analysis.Span{Start: n.Abs(n.Args[1].Span).Start, End: n.Abs(n.Args[len(n.Args)-1].Span).End}
	var fixes []Fix
	raw := p.Text(val)
	if !strings.ContainsAny(raw, "\n\r") {
		switch {
		case len(n.Args) == 2:
			fixes = fix("Use "+name+" key=value", true, replace(analysis.Span{Start: key.End, End: val.Start}, "="))
		case !strings.ContainsAny(raw, `"'\`):
			fixes = fix("Use "+name+" key=value", true, replace(analysis.Span{Start: key.End, End: val.End}, `="`+raw+`"`))
		}
	}
	// BuildKit names the instruction as written.
	kw := n.Keyword.Value
	p.Reportf(analysis.Span{Start: key.Start, End: val.End}, fixes, "\"%s key=value\" should be used instead of legacy \"%s key value\" format", kw, kw)
}
